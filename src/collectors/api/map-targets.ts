// Maps SSM `Targets: [{Key, Values}]` lists, shared by maintenance-window targets and tasks.

import type { Target } from '../../inventory/model.js';
import type { JsonObject, MappingContext } from './mapping-context.js';

/** Reads a `[{Key, Values}]` list; entries without a Key are dropped with an issue. */
export function mapTargets(ctx: MappingContext, o: JsonObject, key: string, path: string): Target[] {
  const list = ctx.array(o[key], key, path);
  const targets: Target[] = [];
  for (let t = 0; t < list.length; t++) {
    const tPath = `${path}.${key}[${t}]`;
    const entry = list[t];
    if (!ctx.entry(entry, tPath)) continue;
    const targetKey = ctx.requiredString(entry.Key, 'Key', tPath);
    if (targetKey === undefined) continue;
    targets.push({ key: targetKey, values: ctx.stringList(entry.Values, 'Values', tPath) });
  }
  return targets;
}
