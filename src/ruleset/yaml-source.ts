// Parsing YAML with positions kept, so every load error can name file, line, column and YAML path.

import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document, type Node } from 'yaml';
import { RuleFileError } from '../errors.js';

export interface YamlSource {
  file: string;
  value: unknown;
  /** Line/column (1-based) of the node at a YAML path such as "check.all[1].path", or of its nearest parent. */
  locate(yamlPath: string): { line: number; column: number } | undefined;
}

/** Splits "check.all[1].path" or a JSON pointer "/check/all/1/path" into segments. */
export function splitYamlPath(path: string): (string | number)[] {
  if (path === '' || path === '/') return [];
  if (path.startsWith('/')) {
    return path
      .slice(1)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  }
  const segments: (string | number)[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      segments.push(part);
      continue;
    }
    if (match[1]) segments.push(match[1]);
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}

/** Formats segments as "check.all[1].path". */
export function formatYamlPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out === '' ? s : `.${s}`;
  return out;
}

/** Most alias expansions per document; rule and policy files need few, a billion-laughs bomb needs millions. */
const MAX_ALIAS_COUNT = 50;

/** Parses YAML text; syntax errors and duplicate keys become a RuleFileError with line and column. */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const problem = doc.errors[0];
  if (problem) {
    const pos = problem.linePos?.[0];
    throw new RuleFileError(file, '', problem.message.split('\n')[0] ?? problem.message, pos?.line, pos?.col);
  }
  const locate = (yamlPath: string): { line: number; column: number } | undefined => {
    let node: unknown = doc.contents;
    let best: Node | undefined = isMap(node) || isSeq(node) || isScalar(node) ? (node as Node) : undefined;
    for (const segment of splitYamlPath(yamlPath)) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        node = pair.value;
        if (isScalar(pair.key)) best = pair.key;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
        if (node && (isMap(node) || isSeq(node) || isScalar(node))) best = node as Node;
        else break;
      } else break;
    }
    const offset = best?.range?.[0];
    if (offset === undefined) return undefined;
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  return { file, value: toPlainValue(file, doc), locate };
}

/** The document as plain data. Aliases are capped: an alias bomb (a billion laughs) is refused, naming the file. */
function toPlainValue(file: string, doc: Document): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
  } catch (error) {
    // The yaml library throws a ReferenceError when aliases expand past maxAliasCount.
    if (!(error instanceof ReferenceError)) throw error;
    throw new RuleFileError(
      file,
      '',
      `aliases expand too far (more than ${MAX_ALIAS_COUNT} references to one anchor's contents): ${error.message}`,
      undefined,
      undefined,
      { cause: error },
    );
  }
}

/** Builds a RuleFileError at a YAML path, with the line and column when known. */
export function errorAt(
  source: YamlSource,
  yamlPath: string,
  detail: string,
  options?: ErrorOptions,
): RuleFileError {
  const pos = source.locate(yamlPath);
  return new RuleFileError(source.file, yamlPath, detail, pos?.line, pos?.column, options);
}
