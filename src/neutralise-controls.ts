// Output safety for people: control characters and bidi overrides from AWS-provided strings (tag values are
// attacker-controlled) are shown as visible `\u001b`-style escapes instead of reaching a terminal, an editor or a
// spreadsheet. Every human-facing output applies this once, where it leaves ssmguard; JSON, SARIF and OCSF keep
// exact values (JSON escapes control characters itself).

/**
 * C0 controls (U+0000–U+001F: ESC, BEL, CR, LF, TAB…), DEL, C1 controls (U+0080–U+009F, including the one-byte CSI
 * U+009B), the line and paragraph separators, and the bidirectional formatting characters that can reorder what a
 * reader sees (U+061C, U+200E/F, U+202A–U+202E embeddings and overrides such as RLO, U+2066–U+2069 isolates).
 * See Unicode TR #36 (security considerations) and the "Trojan Source" bidi-override attacks (CVE-2021-42574).
 */
/* eslint-disable no-control-regex -- matching control characters is the point */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same set without line feed, for whole multi-line messages.
const UNSAFE_BUT_NEWLINE =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/* eslint-enable no-control-regex */

const escapeOf = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * The text with each unsafe character written as a visible escape (ESC → `\u001b`, U+202E → `\u202e`), so a
 * hostile value can neither drive the terminal nor reorder the line, and a reviewer still sees that it was there.
 * `keepNewlines` keeps line feeds, for whole multi-line messages (a value's own line feeds are escaped at the value).
 */
export function neutraliseControls(text: string, keepNewlines = false): string {
  const pattern = keepNewlines ? UNSAFE_BUT_NEWLINE : UNSAFE;
  pattern.lastIndex = 0;
  if (!pattern.test(text)) return text;
  pattern.lastIndex = 0;
  return text.replace(pattern, escapeOf);
}

/** True when the text holds a character `neutraliseControls` would escape. */
export function hasUnsafeCharacters(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text);
}

/**
 * A copy of `value` with every string in it (object keys included) neutralised; parts with nothing to change are
 * shared, not copied, so a clean million-result report costs one walk and no allocation.
 */
export function neutraliseDeep<T>(value: T): T {
  return walk(value) as T;
}

function walk(value: unknown): unknown {
  if (typeof value === 'string') return neutraliseControls(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i += 1) {
      const item: unknown = value[i];
      const safe = walk(item);
      if (safe !== item) (out ??= value.slice())[i] = safe;
    }
    return out ?? value;
  }
  const record = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    const item = record[key];
    const safe = walk(item);
    const safeKey = neutraliseControls(key);
    if (safe === item && safeKey === key) continue;
    out ??= { ...record };
    if (safeKey !== key) delete out[key];
    // defineProperty, not assignment: a key such as "__proto__" stays a plain property.
    Object.defineProperty(out, safeKey, {
      value: safe,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out ?? value;
}
