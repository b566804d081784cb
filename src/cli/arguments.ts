// Strict parsing of the CLI's value arguments (--now, --account, --region, --output): a value that is not what
// the option means is a usage error, never silently reinterpreted.

import { extname } from 'node:path';
import { UsageError } from '../errors.js';

/** An ISO 8601 date, or a date and time with seconds optional and a zone (Z or ±HH:MM) required. */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2})))?$/;

/** The range a fleet can be judged in: EC2 and SSM did not exist before it; later is a typo. */
const EARLIEST_MS = Date.UTC(2006, 0, 1);
const LATEST_MS = Date.UTC(2100, 0, 1);

/**
 * `--now`: a real ISO 8601 date (midnight UTC) or date-time with a zone, between 2006 and 2100. Rejects what
 * `Date.parse` would accept or roll over (`1`, `2027-02-30`, `T24:00`, a time without a zone, which would be
 * read in the machine's local zone and make results depend on where they ran).
 */
export function parseNow(value: string): number {
  const match = ISO_TIME.exec(value);
  const problem = (why: string): UsageError =>
    new UsageError(
      `--now must be an ISO 8601 date or time such as 2026-11-20 or 2026-11-20T12:00:00Z; "${value}" ${why}`,
    );
  if (!match) {
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value))
      throw problem('has no time zone (add Z for UTC, or an offset such as +01:00)');
    throw problem('is not of that form');
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    throw problem('is not a real date');
  const [hours, minutes, seconds] = [Number(match[4] ?? 0), Number(match[5] ?? 0), Number(match[6] ?? 0)];
  const [zoneHours, zoneMinutes] = [Number(match[8] ?? 0), Number(match[9] ?? 0)];
  if (hours > 23 || minutes > 59 || seconds > 59 || zoneHours > 14 || zoneMinutes > 59)
    throw problem('is not a real time of day');
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw problem('is not a real time');
  if (ms < EARLIEST_MS || ms >= LATEST_MS) throw problem('is outside 2006–2099');
  return ms;
}

/** `--account`: a 12-digit AWS account id. */
export function parseAccountId(value: string | undefined): string | undefined {
  if (value !== undefined && !/^\d{12}$/.test(value))
    throw new UsageError(`--account must be a 12-digit AWS account id, got "${value}"`);
  return value;
}

/** An AWS region name (`eu-west-1`, `us-gov-west-1`, `ap-southeast-5`). */
export const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** `--region` for input files: one real region name; `all` means something only to a live scan. */
export function parseInputRegion(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === 'all')
    throw new UsageError(
      '--region all lists the regions to read live: add --live, or give the region of the input files',
    );
  if (!REGION_NAME.test(value)) throw new UsageError(`--region: "${value}" is not an AWS region name`);
  return value;
}

/** Where a report goes: a file, or standard output for `-`. */
export type OutputTarget = { kind: 'stdout' } | { kind: 'file'; path: string };

/**
 * `--output`: `-` is standard output; a bare format name (`--output json`) is almost always a mistaken
 * `--format`, so a file of that name needs a path separator or an extension (`./json`, `json.out`).
 */
export function parseOutput(value: string | undefined, formats: readonly string[]): OutputTarget {
  if (value === undefined || value === '-') return { kind: 'stdout' };
  if (value === '') throw new UsageError('--output needs a file name (or - for standard output)');
  if (formats.includes(value) && !value.includes('/') && extname(value) === '')
    throw new UsageError(
      `--output ${value} would write a file named "${value}": for that format use --format ${value}; ` +
        `to really name the file so, write ./${value}`,
    );
  return { kind: 'file', path: value };
}

/** The narrowest text report `--width` accepts: an id, a status and a word must fit. */
export const MIN_WIDTH = 40;

/** `--width`: columns for the text report, 0 for no wrapping, else at least 40. */
export function parseWidth(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (n === 0 || (Number.isSafeInteger(n) && n >= MIN_WIDTH)) return n;
  throw new UsageError(
    `--width must be a number of columns (${MIN_WIDTH} or more), or 0 for no wrapping; got "${value}"`,
  );
}
