// Word wrapping for the terminal report: lines break at spaces only, so an identifier (instance id, ARN, rule id,
// command) is never split; a word wider than the line stays whole and overflows rather than being cut.

/**
 * Joins words that must stay on one line ("200 instances"): the renderer writes it for a space, wrapLines turns it
 * back into one. A control character, so no neutralised AWS text can hold it.
 */
export const GLUE = '\u001f';

/** Colour sequences (SGR) take no columns. */
// eslint-disable-next-line no-control-regex -- the renderer's own colour sequences are what it skips
const SGR = /\u001b\[[0-9;]*m/g;

/** Columns a string takes on a terminal: code points, without colour sequences. */
export function visibleWidth(text: string): number {
  let n = 0;
  for (const _ of text.replace(SGR, '')) n += 1;
  return n;
}

/** The indent of a line's continuation: its leading spaces, plus a list marker ("1. ", "- ") when it has one. */
export function hangingIndent(line: string): number {
  const match = /^( *)(\d+\. |[-*] )?/.exec(line.replace(SGR, ''));
  return (match?.[1]?.length ?? 0) + (match?.[2]?.length ?? 0);
}

/**
 * Breaks one line into lines of at most `width` columns, at spaces. Continuations are indented by `hang` columns
 * (default: the line's own hanging indent). `width` 0 or less (or Infinity) keeps the line as it is.
 */
export function wrapLine(line: string, width: number, hang: number = hangingIndent(line)): string[] {
  if (!(width > 0) || !Number.isFinite(width) || visibleWidth(line) <= width) return [line];
  const lead = /^ */.exec(line)?.[0] ?? '';
  const words = line.slice(lead.length).split(' ');
  const pad = ' '.repeat(Math.min(hang, Math.max(0, width - 1)));
  const out: string[] = [];
  let current = lead;
  let currentWidth = lead.length;
  let empty = true; // no word on the current line yet
  for (const word of words) {
    const w = visibleWidth(word);
    if (!empty && currentWidth + 1 + w > width) {
      out.push(current);
      current = pad;
      currentWidth = pad.length;
      empty = true;
      if (word === '') continue; // a run of spaces at a break is the break
    }
    current += empty ? word : ` ${word}`;
    currentWidth += empty ? w : w + 1;
    empty = empty && word === '';
  }
  out.push(current);
  return out;
}

/** A line of a report: text alone (wrapped with its own hanging indent), or with its continuation indent, or kept. */
export type ReportLine = string | { text: string; hang?: number; verbatim?: boolean };

/** Wraps each line (see wrapLine); a verbatim line (a command to copy) is never wrapped. */
export function wrapLines(lines: readonly ReportLine[], width: number): string[] {
  const wrapped = lines.flatMap((line) =>
    typeof line === 'string'
      ? wrapLine(line, width)
      : line.verbatim
        ? [line.text]
        : wrapLine(line.text, width, line.hang),
  );
  return wrapped.map((line) => line.replaceAll(GLUE, ' '));
}
