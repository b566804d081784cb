// `--ip-ranges FILE` / `--no-ip-ranges` on the commands that evaluate, and `ssmguard ip-ranges refresh|show`:
// which AWS ranges the network-path rule narrows the public SSM endpoints to, and refreshing the shipped copy.

import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import {
  IpRangesFileError,
  parseIpRangesFile,
  type IpRangesCopy,
} from '../collectors/ip-ranges/parse-ip-ranges.js';
import {
  readIpRangesFile,
  readShippedIpRanges,
  shippedIpRangesPath,
} from '../collectors/ip-ranges/read-ip-ranges.js';
import { readFile } from 'node:fs/promises';
import { describeIpRanges, type AwsIpRanges } from '../inventory/aws-ip-ranges.js';
import { EXIT, type CliIo } from './cli-io.js';

/** Commander's value: a file, false for --no-ip-ranges, true (the default) for the shipped copy. */
export type IpRangesFlag = string | boolean | undefined;

/** Adds --ip-ranges FILE and --no-ip-ranges to a command that evaluates the rules. */
export function addIpRangesOptions(command: Command): Command {
  return command
    .option(
      '--ip-ranges <file>',
      "AWS's ip-ranges.json (or a copy from `ssmguard ip-ranges refresh`): judge the internet path over the region's AMAZON ranges (default: the copy shipped with ssmguard)",
    )
    .option('--no-ip-ranges', 'judge the internet path over every public address instead');
}

/** The ranges a scan uses: the named file, the shipped copy (default), or none (--no-ip-ranges). */
export async function scanIpRanges(flag: IpRangesFlag): Promise<AwsIpRanges | undefined> {
  if (flag === false) return undefined;
  if (typeof flag === 'string') return readIpRangesFile(flag);
  return readShippedIpRanges();
}

/** One prefix per line, so a refresh reads as a diff of prefixes. */
export function formatCopy(copy: IpRangesCopy): string {
  const list = (items: readonly string[]): string =>
    items.length === 0 ? '[]' : `[\n${items.map((i) => `        ${JSON.stringify(i)}`).join(',\n')}\n      ]`;
  const regions = Object.entries(copy.regions).map(
    ([name, r]) =>
      `    ${JSON.stringify(name)}: {\n      "ipv4": ${list(r.ipv4)},\n      "ipv6": ${list(r.ipv6)}\n    }`,
  );
  const head = (['kind', 'source', 'syncToken', 'createDate', 'service'] as const).map(
    (k) => `  ${JSON.stringify(k)}: ${JSON.stringify(copy[k])}`,
  );
  return `{\n${head.join(',\n')},\n  "regions": {\n${regions.join(',\n')}\n  }\n}\n`;
}

async function download(url: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'error' });
  } catch (error) {
    throw new IpRangesFileError(url, `cannot be downloaded (${(error as Error).message})`, { cause: error });
  }
  if (!response.ok) throw new IpRangesFileError(url, `cannot be downloaded (HTTP ${response.status})`);
  return response.text();
}

async function readSource(from: string): Promise<string> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(from)) {
    if (!from.toLowerCase().startsWith('https://'))
      throw new IpRangesFileError(from, 'only https:// URLs are fetched (or give a file)');
    return download(from);
  }
  try {
    return await readFile(from, 'utf8');
  } catch (error) {
    throw new IpRangesFileError(
      from,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      {
        cause: error,
      },
    );
  }
}

function counts(ranges: AwsIpRanges): string {
  let v4 = 0;
  let v6 = 0;
  for (const r of ranges.regions.values()) {
    v4 += r.ipv4.length;
    v6 += r.ipv6.length;
  }
  return `${v4} IPv4 and ${v6} IPv6 AMAZON prefixes in ${ranges.regions.size} regions`;
}

/** `ssmguard ip-ranges refresh --from FILE|URL [--out FILE]` and `ssmguard ip-ranges show [FILE]`. */
export function registerIpRangesCommand(program: Command, io: CliIo, state: { code: number }): void {
  const command = program
    .command('ip-ranges')
    .description("AWS's published IP ranges the network-path rule narrows the public SSM endpoints to");
  command
    .command('refresh')
    .description('write a trimmed copy (AMAZON prefixes per region) of an ip-ranges.json file or URL')
    .requiredOption('--from <file-or-url>', 'ip-ranges.json as AWS publishes it: a file, or an https:// URL')
    .option('--out <file>', 'where to write the copy (default: the copy shipped with ssmguard)')
    .option('--source <text>', 'where the file came from, recorded in the copy (default: the --from value)')
    .action(async (flags: { from: string; out?: string; source?: string }) => {
      const text = await readSource(flags.from);
      const parsed = parseIpRangesFile(text, flags.from);
      const { ranges } = parsed;
      const copy = flags.source === undefined ? parsed.copy : { ...parsed.copy, source: flags.source };
      const out = flags.out ?? shippedIpRangesPath();
      // Written beside the target, then renamed: a failed write never leaves half a copy to be read.
      const temporary = `${out}.${process.pid}.tmp`;
      await mkdir(dirname(out), { recursive: true });
      await writeFile(temporary, formatCopy(copy));
      await rename(temporary, out);
      io.stderr(`wrote ${out}: ${counts(ranges)}, from ${describeIpRanges(ranges)}\n`);
      state.code = EXIT.OK;
    });
  command
    .command('show')
    .description('say which ranges a scan uses: the publication date and counts')
    .argument('[file]', 'an ip-ranges file (default: the copy shipped with ssmguard)')
    .action(async (file: string | undefined) => {
      const ranges = await scanIpRanges(file);
      if (!ranges) return;
      io.stdout(`${describeIpRanges(ranges)}: ${counts(ranges)}\n`);
      state.code = EXIT.OK;
    });
}
