// neutraliseControls / neutraliseDeep: which characters become visible escapes, and that clean data is shared.

import { describe, expect, it } from 'vitest';

import { hasUnsafeCharacters, neutraliseControls, neutraliseDeep } from '../src/neutralise-controls.js';

describe('neutraliseControls', () => {
  it.for([
    ['ESC (an ANSI colour)', '\u001b[31mred', '\\u001b[31mred'],
    ['BEL', 'ding\u0007', 'ding\\u0007'],
    ['NUL', 'a\u0000b', 'a\\u0000b'],
    ['a line feed inside a value', 'one\ntwo', 'one\\u000atwo'],
    ['CR and TAB', 'a\r\tb', 'a\\u000d\\u0009b'],
    ['DEL', 'a\u007fb', 'a\\u007fb'],
    ['C1 CSI (U+009B) and NEL (U+0085)', '\u009b31m\u0085', '\\u009b31m\\u0085'],
    ['the right-to-left override U+202E', 'invoice\u202etxt.exe', 'invoice\\u202etxt.exe'],
    ['bidi isolates and marks', '\u2066a\u2069\u200f\u061c', '\\u2066a\\u2069\\u200f\\u061c'],
    ['line and paragraph separators', 'a\u2028b\u2029', 'a\\u2028b\\u2029'],
    ['an OSC title sequence', '\u001b]0;pwned\u0007', '\\u001b]0;pwned\\u0007'],
  ] as const)('writes %s as a visible escape', ([, input, expected]) => {
    expect(neutraliseControls(input)).toBe(expected);
    expect(hasUnsafeCharacters(neutraliseControls(input))).toBe(false);
  });

  it.for([
    ['plain ASCII', 'i-0221865c4a9210001 has no instance profile'],
    ['accented and CJK text', 'équipe 東京 — ok'],
    ['emoji with a zero-width joiner', '👩‍💻'],
    ['a literal backslash-u sequence', 'C:\\users\\u001b'],
  ] as const)('leaves %s alone', ([, input]) => {
    expect(neutraliseControls(input)).toBe(input);
  });

  it('keeps line feeds when asked (whole messages), and escapes everything else', () => {
    expect(neutraliseControls('line one\nline \u001b[2Jtwo\n', true)).toBe('line one\nline \\u001b[2Jtwo\n');
  });

  it('is idempotent', () => {
    const once = neutraliseControls('\u001b\u202e\n');
    expect(neutraliseControls(once)).toBe(once);
  });
});

describe('neutraliseDeep', () => {
  it('neutralises strings at any depth, in arrays and object keys, without touching the input', () => {
    // Prepare
    const input = { a: ['ok', { b: 'x\u001by' }], n: 3, t: true, u: undefined, z: null, ['k\u0007']: 'v' };
    const copy = structuredClone(input);
    // Act
    const out = neutraliseDeep(input);
    // Assess
    expect(out).toEqual({
      a: ['ok', { b: 'x\\u001by' }],
      n: 3,
      t: true,
      u: undefined,
      z: null,
      ['k\\u0007']: 'v',
    });
    expect(input).toEqual(copy);
  });

  it('shares whatever has nothing to neutralise (no copy of a clean report)', () => {
    const clean = { results: [{ id: 'i-1', evidence: [{ actual: 'enabled' }] }], summary: { n: 1 } };
    expect(neutraliseDeep(clean)).toBe(clean);
    const mixed = { clean: clean.summary, dirty: { v: '\u202e' } };
    const out = neutraliseDeep(mixed);
    expect(out).not.toBe(mixed);
    expect(out.clean).toBe(clean.summary);
  });

  it('keeps a "__proto__" key a plain property (tags are attacker-chosen keys)', () => {
    const tags = JSON.parse('{"__proto__": "x\\u001b", "Name": "n"}') as Record<string, string>;
    const out = neutraliseDeep(tags);
    expect(Object.getOwnPropertyNames(out)).toEqual(['__proto__', 'Name']);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe('x\\u001b');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
