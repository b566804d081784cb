// Turns an SDK v3 output into the JSON the AWS CLI prints for the same call.

import type { ApiJson } from '../api/api-data.js';

/**
 * A plain-JSON copy of an SDK output: `$metadata` and undefined members dropped, and Dates written the way
 * the AWS CLI prints timestamps (`2026-11-20T11:58:12+00:00`, or `…12.345000+00:00` with milliseconds),
 * so live data and `aws … > file.json` data are byte-for-byte the same shape for the mappers.
 */
export function toCliJson(output: object): ApiJson {
  const copy = convert(output);
  delete (copy as ApiJson).$metadata;
  return copy as ApiJson;
}

/** A Date as the AWS CLI prints it (Python `datetime.isoformat()` in UTC). */
export function cliTimestamp(date: Date): string {
  const iso = date.toISOString();
  return date.getUTCMilliseconds() === 0 ? `${iso.slice(0, 19)}+00:00` : `${iso.slice(0, 23)}000+00:00`;
}

function convert(value: unknown): unknown {
  if (value instanceof Date) return cliTimestamp(value);
  if (Array.isArray(value)) return value.map(convert);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined || key === '$metadata') continue;
    copy[key] = convert(member);
  }
  return copy;
}
