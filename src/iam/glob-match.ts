// Wildcard matching for IAM patterns: `*` (any run, including `:` and `/`) and `?` (one character).

/**
 * True when `text` matches the glob `pattern` entirely. A linear scan that backtracks only to the last `*`,
 * so there is nothing to compile: building a RegExp per statement costs more than matching the handful of
 * short action names and ARNs a role is asked about. Case handling is the caller's (actions lower-case both).
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const pc = pattern.charCodeAt(p);
    if (p < pattern.length && (pc === QUESTION || pc === text.charCodeAt(t))) {
      p += 1;
      t += 1;
    } else if (p < pattern.length && pc === STAR) {
      starP = p;
      starT = t;
      p += 1;
    } else if (starP !== -1) {
      p = starP + 1;
      starT += 1;
      t = starT;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === STAR) p += 1;
  return p === pattern.length;
}

const STAR = 42; // '*'
const QUESTION = 63; // '?'

/** True when the glob has a wildcard character. */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/**
 * The RegExp source of a glob, for the rare patterns a plain glob cannot express (policy variables):
 * `*` → any run of characters, `?` → exactly one character, all else literal.
 */
export function globToRegExpSource(glob: string): string {
  let source = '';
  for (const ch of glob) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return source;
}
