// Tag conversions shared by every mapper: AWS [{Key, Value}] lists and Config maps into a null-prototype record.

import type { Tags } from './model.js';

/** Builds tags from AWS's `[{Key, Value}]` (or Config's lowerCamel `[{key, value}]`) list; bad entries are skipped. */
export function tagsFromList(list: unknown): Tags {
  const tags: Tags = Object.create(null) as Tags;
  if (!Array.isArray(list)) return tags;
  for (const entry of list) {
    if (entry === null || typeof entry !== 'object') continue;
    const e = entry as Record<string, unknown>;
    const key = e.Key ?? e.key;
    const value = e.Value ?? e.value ?? '';
    if (typeof key === 'string' && typeof value === 'string') tags[key] = value;
  }
  return tags;
}

/** Builds tags from a `{key: value}` map (AWS Config items, our bundles). */
export function tagsFromMap(map: unknown): Tags {
  const tags: Tags = Object.create(null) as Tags;
  if (map === null || typeof map !== 'object' || Array.isArray(map)) return tags;
  for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
    if (typeof value === 'string') tags[key] = value;
  }
  return tags;
}
