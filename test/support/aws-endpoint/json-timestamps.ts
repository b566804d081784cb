// awsJson1_1 sends timestamps as epoch seconds; the fleet stores them as ISO strings (AWS CLI output).

/**
 * Copies `value`, turning every string member named in `names` into epoch seconds. The names come from
 * the services' models (members of timestamp type in the output shapes served), never from the value.
 */
export function isoToEpochSeconds(value: unknown, names: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((entry) => isoToEpochSeconds(entry, names));
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    copy[key] =
      names.has(key) && typeof member === 'string'
        ? Date.parse(member) / 1000
        : isoToEpochSeconds(member, names);
  }
  return copy;
}
