// `scan -`: the input read from standard input, kept in a private temporary file so every reader (bundle, AWS
// CLI JSON, AWS Config, gzipped or not) sees an ordinary file, and removed afterwards.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

/** Where standard input comes from; tests pass their own bytes. */
export type StdinSource = () => AsyncIterable<Uint8Array | string>;

/**
 * Runs `use` with the paths to load: `-` (alone) is replaced by a temporary file holding standard input, named
 * `stdin.json` (or `stdin.json.gz` for gzip), so messages about it read "…/stdin.json".
 */
export async function withStdinAsFile<T>(
  paths: readonly string[],
  stdin: StdinSource | undefined,
  use: (paths: string[]) => Promise<T>,
): Promise<T> {
  if (!paths.includes('-')) return use([...paths]);
  if (paths.length > 1)
    throw new UsageError('- (standard input) is scanned on its own; give it as the only PATH');
  if (stdin === undefined) throw new UsageError('- (standard input) cannot be read here');
  const parts: Buffer[] = [];
  for await (const chunk of stdin())
    parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  const bytes = Buffer.concat(parts);
  if (bytes.length === 0)
    throw new UsageError('- (standard input) was empty: pipe AWS CLI JSON or a bundle into it');
  const dir = await mkdtemp(join(tmpdir(), 'ssmguard-stdin-'));
  try {
    const file = join(dir, bytes[0] === 0x1f && bytes[1] === 0x8b ? 'stdin.json.gz' : 'stdin.json');
    await writeFile(file, bytes, { mode: 0o600 });
    return await use([file]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
