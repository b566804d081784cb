// Writes a large JSON value to a file in bounded memory, byte-identical to `JSON.stringify(value, null, indent)` + "\n".

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** Arrays longer than this are written element by element instead of in one JSON.stringify call. */
const STREAM_ARRAY_THRESHOLD = 64;
/** Buffered output is flushed to the file in chunks of about this many characters. */
const FLUSH_CHARS = 1 << 20;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/**
 * Yields the pretty-printed JSON of `value` in pieces. Small sub-values go through JSON.stringify (fast), and
 * their line breaks are re-indented to the current depth; big arrays and objects are walked, so no single
 * string ever holds the whole document (a 100k-instance DescribeInstances is several hundred MB).
 */
export function* jsonChunks(value: unknown, indent: number, depth = 0): Generator<string> {
  const pad = ' '.repeat(indent * depth);
  const innerPad = ' '.repeat(indent * (depth + 1));
  if (Array.isArray(value) && value.length > STREAM_ARRAY_THRESHOLD) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      yield `${i === 0 ? '' : ','}\n${innerPad}`;
      const item: unknown = value[i];
      if (isOmitted(item)) yield 'null';
      else yield* jsonChunks(item, indent, depth + 1);
    }
    yield `\n${pad}]`;
    return;
  }
  if (isPlainObject(value) && depth < 3 && typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
    const keys = Object.keys(value).filter((k) => !isOmitted(value[k]));
    if (keys.length === 0) {
      yield '{}';
      return;
    }
    yield '{';
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      yield `${i === 0 ? '' : ','}\n${innerPad}${JSON.stringify(key)}: `;
      yield* jsonChunks(value[key], indent, depth + 1);
    }
    yield `\n${pad}}`;
    return;
  }
  const text = JSON.stringify(value, null, indent) ?? 'null';
  yield depth === 0 || !text.includes('\n') ? text : text.replaceAll('\n', `\n${pad}`);
}

/** Writes `value` as pretty-printed JSON plus a final newline (as the AWS CLI prints), streaming to disk. */
export async function writeJsonFile(path: string, value: unknown, indent: number): Promise<void> {
  const stream = createWriteStream(path, { encoding: 'utf8' });
  const closed = once(stream, 'close');
  let buffer = '';
  try {
    for (const chunk of jsonChunks(value, indent)) {
      buffer += chunk;
      if (buffer.length >= FLUSH_CHARS) {
        // Racing with `closed` surfaces a write error instead of waiting forever for 'drain'.
        if (!stream.write(buffer)) await Promise.race([once(stream, 'drain'), closed]);
        buffer = '';
      }
    }
    stream.end(`${buffer}\n`);
  } catch (error) {
    stream.destroy();
    throw error;
  }
  await closed;
}
