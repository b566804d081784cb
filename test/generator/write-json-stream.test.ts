// Tests for the streaming JSON writer: same bytes as JSON.stringify with indentation, for any shape.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { jsonChunks, writeJsonFile } from '../../src/generator/write-json-stream.js';

const big = Array.from({ length: 200 }, (_, i) => ({
  id: i,
  tags: [{ Key: 'k', Value: `v${i}` }],
  empty: [],
  nested: { a: [1, 2] },
}));

describe('jsonChunks', () => {
  it.for([
    ['a scalar', 42],
    ['an empty object', {}],
    ['an empty array', []],
    ['a small object', { a: 1, b: [true, null], c: { d: 'x' } }],
    ['a long array at the top', big],
    ['a long array nested three deep', { Outer: { Inner: { List: big } }, After: 'x' }],
    ['undefined members and array holes', { a: undefined, b: [undefined, 1], c: 'x' }],
  ] as const)('prints %s exactly like JSON.stringify', ([, value]) => {
    for (const indent of [2, 4]) {
      expect([...jsonChunks(value, indent)].join('')).toBe(JSON.stringify(value, null, indent));
    }
  });
});

describe('writeJsonFile', () => {
  it('writes the pretty JSON and a final newline', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ssmguard-json-'));
    try {
      const path = join(dir, 'out.json');
      await writeJsonFile(path, { List: big }, 4);
      expect(await readFile(path, 'utf8')).toBe(`${JSON.stringify({ List: big }, null, 4)}\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
