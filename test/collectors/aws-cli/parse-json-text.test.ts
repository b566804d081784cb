// JSON parsing of input files: positions, empty files, truncation.

import { describe, expect, it, test } from 'vitest';
import { InputFileError } from '../../../src/collectors/aws-cli/input-file-error.js';
import {
  lineAndColumn,
  looksLikeJson,
  parseJsonText,
  stripBom,
} from '../../../src/collectors/aws-cli/parse-json-text.js';

function errorOf(text: string): InputFileError {
  try {
    parseJsonText(text, 'f.json');
  } catch (error) {
    if (error instanceof InputFileError) return error;
    throw error;
  }
  throw new Error('expected an InputFileError');
}

describe('parseJsonText', () => {
  test.for([
    ['', 1, 1],
    ['{"a": [1,\n', 2, 1],
    ['{\n  "a": 1 x}', 2, 10],
    ['{"a":"abc', 1, 10],
  ] as const)('reports %j at line %i, column %i', ([text, line, column]) => {
    expect(errorOf(text)).toMatchObject({ code: 'INPUT_JSON_INVALID', file: 'f.json', line, column });
  });

  test('says when a file looks truncated', () => {
    expect(errorOf('{"Reservations": [\n  {"Instances": [').message).toContain('(the file looks truncated)');
    expect(errorOf('{"a": 1 x}').message).not.toContain('truncated');
  });

  test('parses valid JSON', () => {
    expect(parseJsonText(' {"a": [1]} ', 'f')).toEqual({ a: [1] });
  });
});

describe('helpers', () => {
  test('lineAndColumn counts from 1', () => {
    expect(lineAndColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });

  test('stripBom removes only a leading byte-order mark', () => {
    expect(stripBom('\ufeff{}')).toBe('{}');
    expect(stripBom('{}')).toBe('{}');
  });

  test.for([
    ['{}', true],
    ['\r\n  [1]', true],
    ['# readme', false],
    ['', false],
  ] as const)('looksLikeJson(%j) is %s', ([text, expected]) => {
    expect(looksLikeJson(text)).toBe(expected);
  });
});

describe('error positions without a position in the engine message', () => {
  it.for([
    ['{"Statement": [ }', 1, 17],
    ['{\n  "a": 1,\n  "b": }', 3, 8],
    ['{"a": tru}', 1, 10],
    ['[1, 2,, 3]', 1, 7],
    ['{"a": "x\u0001"}', 1, 9],
  ] as const)('%j fails at line %i, column %i', ([text, line, column]) => {
    const error = (() => {
      try {
        parseJsonText(text, 'f.json');
      } catch (e) {
        return e as InputFileError;
      }
      throw new Error('expected an error');
    })();
    expect([error.line, error.column]).toEqual([line, column]);
  });
});
