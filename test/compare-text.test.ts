// Sorted output does not depend on the machine's locale.
import { expect, it } from 'vitest';
import { compareText } from '../src/compare-text.js';

it('orders by code units, where a locale order would differ', () => {
  expect(['b', 'a', 'B', 'a-b', 'a_b', 'ab'].sort(compareText)).toEqual(['B', 'a', 'a-b', 'a_b', 'ab', 'b']);
});
