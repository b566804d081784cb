// Policy variables (`${aws:PrincipalTag/team}`, `${aws:username, 'default'}`) resolved against a request context.

import type { RequestContext } from './request-context.js';

/** One piece of a value: literal text, or a variable with its optional default. */
type Piece = { text: string } | { key: string; fallback?: string };

/** A value with its variables split out; `keys` lists the variables' keys (without any, `raw` is the literal text). */
export interface TemplateValue {
  raw: string;
  pieces: readonly Piece[];
  keys: readonly string[];
}

/**
 * The result of substituting: the text, `absent` when a variable's key is missing and has no default (IAM: the
 * element then matches nothing), or `unknown` naming the key whose value no inventory holds.
 */
export type Resolution =
  { kind: 'text'; text: string } | { kind: 'absent'; key: string } | { kind: 'unknown'; key: string };

const ESCAPES: Record<string, string> = { '*': '*', '?': '?', $: '$' };

/**
 * Splits `${…}` variables out of a value. `${*}`, `${?}` and `${$}` are the escapes for the literal characters;
 * a default is written `${key, 'value'}` (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
 * Only policies of Version 2012-10-17 have variables; the caller passes `enabled` accordingly.
 */
export function parseTemplate(raw: string, enabled: boolean): TemplateValue {
  if (!enabled || !raw.includes('${')) return { raw, pieces: [{ text: raw }], keys: [] };
  const pieces: Piece[] = [];
  const keys: string[] = [];
  let rest = raw;
  for (;;) {
    const start = rest.indexOf('${');
    const end = start === -1 ? -1 : rest.indexOf('}', start + 2);
    if (start === -1 || end === -1) {
      if (rest !== '') pieces.push({ text: rest });
      break;
    }
    if (start > 0) pieces.push({ text: rest.slice(0, start) });
    const body = rest.slice(start + 2, end).trim();
    const escape = ESCAPES[body];
    if (escape !== undefined) {
      // In StringLike and ArnLike a substituted `${*}` still reads as a wildcard here: a known, rare imprecision.
      pieces.push({ text: escape });
    } else {
      const match = /^([^,\s]+)\s*(?:,\s*'([^']*)')?$/.exec(body);
      if (match === null) pieces.push({ text: rest.slice(start, end + 1) });
      else {
        pieces.push(match[2] === undefined ? { key: match[1]! } : { key: match[1]!, fallback: match[2] });
        keys.push(match[1]!);
      }
    }
    rest = rest.slice(end + 1);
  }
  // Without variables the value is its text with the escapes resolved.
  if (keys.length === 0)
    return { raw: pieces.map((p) => ('text' in p ? p.text : '')).join(''), pieces, keys };
  return { raw, pieces, keys };
}

/**
 * Substitutes the variables. A multivalued key cannot be a variable (IAM User Guide), so it resolves like a
 * missing one; a missing key takes the default when there is one.
 */
export function resolveTemplate(value: TemplateValue, context: RequestContext): Resolution {
  if (value.keys.length === 0) return { kind: 'text', text: value.raw };
  let text = '';
  for (const piece of value.pieces) {
    if ('text' in piece) {
      text += piece.text;
      continue;
    }
    const found = context.lookup(piece.key);
    if (found.kind === 'unknown') return { kind: 'unknown', key: piece.key };
    if (found.kind === 'known' && found.values.length === 1) text += found.values[0]!;
    else if (piece.fallback !== undefined) text += piece.fallback;
    else return { kind: 'absent', key: piece.key };
  }
  return { kind: 'text', text };
}
