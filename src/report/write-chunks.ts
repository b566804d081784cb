// Streaming a rendered report out chunk by chunk: batched into large writes, with backpressure, so no report is
// ever held as one string (V8 caps strings at ~512 MB, and a 100,000-instance JSON report is ~400 MB).

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Where chunks go: a function that takes text, and returns a promise when the caller should wait (backpressure). */
export type ChunkSink = (text: string) => void | Promise<void>;

/** Characters gathered before one write: large enough to keep per-write cost negligible, small enough not to matter. */
export const DEFAULT_BATCH_CHARS = 1 << 20;

/** Joins the small chunks renderers yield (often one line each) into pieces of about `batchChars` characters. */
export function* batchChunks(
  chunks: Iterable<string>,
  batchChars: number = DEFAULT_BATCH_CHARS,
): Generator<string, void, undefined> {
  let pending = '';
  for (const chunk of chunks) {
    pending += chunk;
    if (pending.length >= batchChars) {
      yield pending;
      pending = '';
    }
  }
  if (pending !== '') yield pending;
}

/** Writes every chunk, in batches, to a sink, waiting whenever the sink asks to. */
export async function writeChunks(
  chunks: Iterable<string>,
  sink: ChunkSink,
  batchChars: number = DEFAULT_BATCH_CHARS,
): Promise<void> {
  for (const batch of batchChunks(chunks, batchChars)) {
    const wait = sink(batch);
    if (wait) await wait;
  }
}

/** A sink over a stream that is not ours to end (stdout): waits for 'drain' when the stream's buffer is full. */
export function writableSink(stream: Writable): ChunkSink {
  return (text) => (stream.write(text) ? undefined : once(stream, 'drain').then(() => undefined));
}

/** Streams the chunks into a file (created or truncated), honouring backpressure; rejects on any write error. */
export async function writeChunksToFile(
  chunks: Iterable<string>,
  file: string,
  batchChars: number = DEFAULT_BATCH_CHARS,
): Promise<void> {
  await pipeline(
    Readable.from(batchChunks(chunks, batchChars), { objectMode: false, encoding: 'utf8' }),
    createWriteStream(file),
  );
}

/** The whole output as one string: only for outputs known to be small (tests, the demo, bounded formats). */
export function joinChunks(chunks: Iterable<string>): string {
  return Array.from(chunks).join('');
}
