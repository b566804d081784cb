// Parses the text of one input file as JSON, reporting failures with the file, line and column.

import { jsonErrorOffset } from './json-error-offset.js';
import { InputFileError } from './input-file-error.js';

/** True when the text's first non-whitespace character opens a JSON object or array (cheap: no copy). */
export function looksLikeJson(text: string): boolean {
  const index = firstNonWhitespace(text);
  const char = text[index];
  return char === '{' || char === '[';
}

/** Strips a UTF-8 byte-order mark (Windows editors and PowerShell's Out-File add one). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Parses JSON text; throws InputFileError (INPUT_JSON_INVALID) naming the file and the line and column where
 * parsing stopped. An empty (or whitespace-only) file gets its own message: it is what a failed
 * `aws … > file.json` leaves behind. Pass text with the BOM already stripped.
 */
export function parseJsonText(text: string, file: string): unknown {
  if (firstNonWhitespace(text) === text.length) {
    throw new InputFileError(
      'INPUT_JSON_INVALID',
      file,
      'file is empty (did the aws command that wrote it fail?)',
      1,
      1,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const { line, column, offset } = jsonErrorPosition(text, message);
    // Parsing that stops at the end of the text (give or take whitespace) means a cut-off file, not a typo.
    const truncated =
      offset !== undefined && firstNonWhitespace(text, offset) === text.length
        ? ' (the file looks truncated)'
        : '';
    throw new InputFileError(
      'INPUT_JSON_INVALID',
      file,
      `not valid JSON: ${message}${truncated}`,
      line,
      column,
      { cause: error },
    );
  }
}

function firstNonWhitespace(text: string, from = 0): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/**
 * Where JSON.parse stopped. V8 reports "at position N" (Node 20; Node 22 adds "(line L column C)"); an
 * "Unexpected end of JSON input" has no position and means the end of the text.
 */
export function jsonErrorPosition(
  text: string,
  message: string,
): { line: number; column: number; offset?: number } {
  const position = /at position (\d+)/.exec(message);
  // Without a position in the message (Node 20's "Unexpected token" errors), scan for the first bad character.
  const offset = position
    ? Number(position[1])
    : /end of JSON input/i.test(message)
      ? text.length
      : jsonErrorOffset(text);
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]), offset };
  return { ...lineAndColumn(text, offset ?? 0), offset };
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  let index = text.indexOf('\n');
  while (index !== -1 && index < offset) {
    line++;
    lineStart = index + 1;
    index = text.indexOf('\n', lineStart);
  }
  return { line, column: offset - lineStart + 1 };
}
