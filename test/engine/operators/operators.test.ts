// Value operators: a table per operator, each with a missing-value row and a wrong-type row.
import { describe, expect, test } from 'vitest';
import { OPERATORS } from '../../../src/engine/operators/index.js';

const context = { nowMs: Date.parse('2026-11-20T12:00:00.000Z') };
const MISSING = undefined;

const TABLE: Record<string, [actual: unknown, operand: unknown, expected: boolean][]> = {
  exists: [
    ['x', true, true],
    [0, true, true],
    [MISSING, true, false],
    [null, true, false],
    [MISSING, false, true],
    ['x', false, false],
  ],
  empty: [
    [[], true, true],
    ['', true, true],
    [{}, true, true],
    [MISSING, true, true],
    [[1], true, false],
    [5, true, false],
    [[1], false, true],
  ],
  equals: [
    ['Online', 'Online', true],
    ['online', 'Online', false],
    [MISSING, 'Online', false],
    [1, '1', false],
    [true, true, true],
  ],
  notEquals: [
    ['enabled', 'disabled', true],
    ['disabled', 'disabled', false],
    [MISSING, 'disabled', true],
    [1, '1', true],
  ],
  equalsIgnoreCase: [
    ['Available', 'available', true],
    ['pending', 'available', false],
    [MISSING, 'available', false],
    [1, '1', false],
  ],
  in: [
    ['running', ['running', 'stopped'], true],
    ['terminated', ['running'], false],
    [MISSING, ['running'], false],
    [1, ['1'], false],
  ],
  notIn: [
    ['running', ['terminated'], true],
    ['terminated', ['terminated'], false],
    [MISSING, ['terminated'], true],
  ],
  matches: [
    ['i-0abc', '^i-[0-9a-f]+$', true],
    ['mi-0abc', '^i-', false],
    [MISSING, '.*', false],
    [42, '.*', false],
  ],
  contains: [
    [['a', 'b'], 'b', true],
    ['abc', 'b', true],
    [['a'], 'b', false],
    [MISSING, 'b', false],
    [42, '4', false],
  ],
  startsWith: [
    ['arn:aws:iam', 'arn:', true],
    ['x', 'arn:', false],
    [MISSING, 'arn:', false],
    [1, '1', false],
  ],
  lt: [
    [1, 2, true],
    [2, 2, false],
    [MISSING, 2, false],
    ['1', 2, false],
    [Number.NaN, 2, false],
  ],
  lte: [
    [2, 2, true],
    [3, 2, false],
    [MISSING, 2, false],
    ['2', 2, false],
  ],
  gt: [
    [3, 2, true],
    [2, 2, false],
    [MISSING, 2, false],
    ['3', 2, false],
  ],
  gte: [
    [2, 2, true],
    [1, 2, false],
    [MISSING, 2, false],
    [true, 0, false],
  ],
  hasAnyKey: [
    [{ PatchGroup: 'x' }, ['PatchGroup', 'Patch Group'], true],
    [{ 'Patch Group': 'x' }, ['PatchGroup', 'Patch Group'], true],
    [{ patchgroup: 'x' }, ['PatchGroup'], false],
    [MISSING, ['PatchGroup'], false],
    ['PatchGroup', ['PatchGroup'], false],
    [{}, ['toString'], false],
  ],
  withinHours: [
    ['2026-11-20T11:00:00.000Z', 24, true],
    ['2026-11-18T11:00:00.000Z', 24, false],
    ['2026-11-20T12:03:00.000Z', 24, true],
    ['2026-11-21T12:00:00.000Z', 24, false],
    [MISSING, 24, false],
    ['yesterday', 24, false],
    [1700000000, 24, false],
  ],
  versionAtLeast: [
    ['3.3.987.0', '3.2.582.0', true],
    ['3.2.582.0', '3.2.582.0', true],
    ['3.1.0.0', '3.2.582.0', false],
    ['3.10.0', '3.9.9', true],
    [MISSING, '3.2.582.0', false],
    ['latest', '3.2.582.0', false],
    [3, '3', false],
  ],
};

describe('value operators', () => {
  test('every registered operator has a table', () => {
    expect([...OPERATORS.keys()].sort()).toEqual(Object.keys(TABLE).sort());
  });
  for (const [name, rows] of Object.entries(TABLE)) {
    test.for(rows)(`${name}(%j, %j) is %s`, ([actual, operand, expected]) => {
      expect(OPERATORS.get(name)!.test(actual, operand, context)).toBe(expected);
    });
  }
  test.for([
    ['lt', 'x'],
    ['in', 'not-a-list'],
    ['matches', '(unclosed'],
    ['exists', 'yes'],
    ['withinHours', -1],
    ['versionAtLeast', 'v1'],
    ['hasAnyKey', []],
  ] as const)('rejects a bad operand for %s at load time', ([name, operand]) => {
    expect(OPERATORS.get(name)!.checkOperand(operand)).toBeTypeOf('string');
  });
});
