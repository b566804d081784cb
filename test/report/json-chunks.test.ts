// Pretty-printed JSON in pieces: for any JSON values, the chunks join to exactly what JSON.stringify(…, null, 2) prints.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prettyJsonArray, prettyJsonWithArray } from '../../src/report/json-chunks.js';
import { joinChunks } from '../../src/report/write-chunks.js';

describe('prettyJsonArray', () => {
  it('prints a top-level array of any JSON values exactly as JSON.stringify does', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), (items) => {
        expect(joinChunks(prettyJsonArray(items, 0))).toBe(JSON.stringify(items, null, 2));
      }),
    );
  });

  it('prints an empty array as [] at any depth, and yields one chunk per item', () => {
    expect(joinChunks(prettyJsonArray([], 3))).toBe('[]');
    expect([...prettyJsonArray([{ a: 1 }, 'x\ny'], 0)]).toEqual([
      '[\n  {\n    "a": 1\n  }',
      ',\n  "x\\ny"',
      '\n]',
    ]);
  });
});

describe('prettyJsonWithArray', () => {
  it('splices items into the last member of a nested document, byte for byte', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.jsonValue()), fc.array(fc.jsonValue()), (head, items, runs) => {
        // Prepare: the streamed array three levels down, as in a SARIF log's runs[0].results.
        const doc = (results: unknown[]): unknown => ({ head, runs: [{ tool: head, other: runs, results }] });
        // Act
        const out = joinChunks(prettyJsonWithArray(doc([]), 'results', items));
        // Assess
        expect(out).toBe(JSON.stringify(doc(items), null, 2));
      }),
    );
  });

  it('streams a top-level last member', () => {
    expect(joinChunks(prettyJsonWithArray({ a: 'b', items: [] }, 'items', [1, [2]]))).toBe(
      JSON.stringify({ a: 'b', items: [1, [2]] }, null, 2),
    );
  });

  it('throws when the key is not the last member, rather than writing a wrong document', () => {
    expect(() => [...prettyJsonWithArray({ items: [], after: 1 }, 'items', [1])]).toThrow(
      /not the document's last member/,
    );
    expect(() => [...prettyJsonWithArray({ items: [1] }, 'items', [2])]).toThrow(
      /not the document's last member/,
    );
  });
});
