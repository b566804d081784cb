// Streamed reports: chunks batched into writes with backpressure, and every format streamed to a file byte for byte
// as its golden file, including a JSON report far larger than one write.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERERS } from '../../src/cli/run-scan.js';
import type { Report } from '../../src/report/build-report.js';
import { renderJson, renderJsonChunks } from '../../src/report/render-json.js';
import { renderOcsf } from '../../src/report/render-ocsf.js';
import { renderSarif } from '../../src/report/render-sarif.js';
import {
  batchChunks,
  joinChunks,
  writableSink,
  writeChunks,
  writeChunksToFile,
} from '../../src/report/write-chunks.js';
import { buildFixedReport } from '../fixtures/report/fixed-report.js';

const golden = (ext: string): string =>
  readFileSync(new URL(`__snapshots__/report.${ext}`, import.meta.url), 'utf8');

/** The fixed report with its results and chains repeated, to make a report many writes long. */
function inflate(report: Report, times: number): Report {
  const repeat = <T>(items: T[]): T[] => Array.from({ length: times }, () => items).flat();
  return { ...report, results: repeat(report.results), chains: repeat(report.chains) };
}

describe('batchChunks and writeChunks', () => {
  it('joins small chunks into batches of at least the batch size, keeping every character in order', () => {
    // Prepare
    const chunks = Array.from({ length: 1000 }, (_, i) => `line ${i}\n`);
    // Act
    const batches = [...batchChunks(chunks, 100)];
    // Assess
    expect(batches.join('')).toBe(chunks.join(''));
    expect(batches.slice(0, -1).every((b) => b.length >= 100 && b.length < 100 + 9)).toBe(true);
    expect(batches.length).toBeGreaterThan(50);
  });

  it('writes nothing for no chunks', async () => {
    const written: string[] = [];
    await writeChunks([], (t) => void written.push(t));
    expect(written).toEqual([]);
  });

  it('waits for a full stream to drain before writing more', async () => {
    // Prepare: a stream that takes each write on the next tick and holds at most 8 bytes.
    const received: string[] = [];
    const queuedBehind: number[] = [];
    let waits = 0;
    const slow = new Writable({
      highWaterMark: 8,
      decodeStrings: false,
      write(chunk: string, _encoding, done) {
        received.push(chunk);
        queuedBehind.push(slow.writableLength - chunk.length);
        setImmediate(done);
      },
    });
    const sink = writableSink(slow);
    const counted = (text: string): void | Promise<void> => {
      const wait = sink(text);
      if (wait) waits++;
      return wait;
    };
    const chunks = Array.from({ length: 200 }, (_, i) => `${i},`);
    // Act
    await writeChunks(chunks, counted, 16);
    // Assess
    expect(received.join('')).toBe(chunks.join(''));
    // Every full batch waited (only the short last one may not), so no write ever queued behind another.
    expect(waits).toBeGreaterThanOrEqual(received.length - 1);
    expect(queuedBehind.every((n) => n === 0)).toBe(true);
  });
});

describe('writeChunksToFile', () => {
  let dir: string;
  let report: Report;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ssmguard-stream-'));
    report = await buildFixedReport();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams a JSON report larger than many writes: it parses and equals the whole-string rendering', async () => {
    // Prepare: ~2.5 MB of JSON, written in 64 KiB batches.
    const big = inflate(report, 400);
    const file = join(dir, 'big.json');
    // Act
    await writeChunksToFile(renderJsonChunks(big), file, 64 * 1024);
    // Assess
    const text = readFileSync(file, 'utf8');
    expect(text.length).toBeGreaterThan(40 * 64 * 1024);
    expect(text).toBe(renderJson(big));
    const doc = JSON.parse(text) as { results: unknown[]; chains: unknown[] };
    expect(doc.results).toHaveLength(400 * report.results.length);
    expect(doc.chains).toHaveLength(400 * report.chains.length);
    expect(doc.results.slice(0, report.results.length)).toEqual(
      (JSON.parse(golden('json')) as { results: unknown[] }).results,
    );
  });

  it.for([
    ['text', 'txt'],
    ['json', 'json'],
    ['html', 'html'],
    ['markdown', 'md'],
    ['sarif', 'sarif'],
    ['junit', 'junit.xml'],
    ['csv', 'csv'],
    ['ocsf', 'ocsf.json'],
  ] as const)('streams %s to a file byte for byte as __snapshots__/report.%s', async ([format, ext]) => {
    // Prepare: tiny batches, so chunk boundaries fall everywhere.
    const file = join(dir, `report.${ext}`);
    // Act
    // At the CLI's width off a terminal, as the goldens are.
    await writeChunksToFile(RENDERERS.get(format)!(report, { color: false, width: 80 }), file, 7);
    // Assess
    expect(readFileSync(file, 'utf8')).toBe(golden(ext));
  });

  it('rejects when the file cannot be written', async () => {
    await expect(writeChunksToFile(['x'], join(dir, 'missing', 'report.json'))).rejects.toThrow(/ENOENT/);
  });
});

describe('renderers on a report without results', () => {
  it('print empty lists exactly as whole-document JSON does', async () => {
    // Prepare
    const empty: Report = { ...(await buildFixedReport()), results: [], chains: [] };
    // Act
    const json = JSON.parse(renderJson(empty)) as { results: unknown[]; chains: unknown[] };
    const sarif = renderSarif(empty);
    const ocsf = renderOcsf(empty);
    // Assess
    expect(json.results).toEqual([]);
    expect(json.chains).toEqual([]);
    expect(renderJson(empty)).toMatch(/"chains": \[\],\n {2}"results": \[\]\n\}\n$/);
    expect(sarif).toBe(`${JSON.stringify(JSON.parse(sarif), null, 2)}\n`);
    expect(sarif).toContain('"results": []');
    expect(ocsf).toBe('[]\n');
  });

  it('keep SARIF and OCSF identical to whole-document pretty-printing on the fixed report', async () => {
    const report = await buildFixedReport();
    for (const text of [
      renderSarif(report),
      renderOcsf(report),
      joinChunks(RENDERERS.get('sarif')!(report, { color: false })),
    ]) {
      expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    }
  });
});
