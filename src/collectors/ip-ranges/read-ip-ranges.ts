// Loads ip-ranges for a scan: a file the user names (--ip-ranges FILE), or the trimmed copy shipped in the
// package (data/aws-ip-ranges.json), which `ssmguard ip-ranges refresh` rewrites.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AwsIpRanges } from '../../inventory/aws-ip-ranges.js';
import { packageRoot } from '../../package-root.js';
import { IpRangesFileError, parseIpRangesFile } from './parse-ip-ranges.js';

/** Where the shipped copy lives, relative to the package root (also what evidence and the README name). */
export const SHIPPED_IP_RANGES = join('data', 'aws-ip-ranges.json');

export const shippedIpRangesPath = (): string => join(packageRoot(), SHIPPED_IP_RANGES);

/** The origin evidence names for the shipped copy. */
export const SHIPPED_ORIGIN = `the copy shipped with ssmguard (${SHIPPED_IP_RANGES})`;

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new IpRangesFileError(file, `cannot be read (${code})`, { cause: error });
  }
}

/** Reads and validates an ip-ranges file (AWS's ip-ranges.json or a trimmed copy). */
export async function readIpRangesFile(file: string): Promise<AwsIpRanges> {
  return parseIpRangesFile(await readText(file), file).ranges;
}

/** Reads the shipped copy. A broken copy is an error like any other bad ip-ranges file, never "no narrowing". */
export async function readShippedIpRanges(): Promise<AwsIpRanges> {
  const file = shippedIpRangesPath();
  return parseIpRangesFile(await readText(file), file, SHIPPED_ORIGIN).ranges;
}
