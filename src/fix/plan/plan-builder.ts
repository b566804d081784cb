// Accumulates a plan's changes (numbered in the order added, deduplicated by a key) and their root-cause groups.

import type { Evaluation } from '../../engine/types.js';
import type { InventoryIndex } from '../../inventory/inventory-index.js';
import { type ObservedChange, observeTarget } from './observe-target.js';
import type {
  Change,
  ChangeFix,
  ChangeGroup,
  ChangeKind,
  ChangeParams,
  JsonValue,
  NeedsPerson,
} from './plan-types.js';

/** A change as a planner proposes it; the builder numbers it and records its "before". */
export interface ProposedChange<K extends ChangeKind> {
  kind: K;
  accountId: string;
  region: string;
  target: { resourceType: string; resourceId: string };
  params: ChangeParams[K];
  after: JsonValue;
  dependsOn?: string[];
  summary: string;
  warnings?: string[];
  fixes?: ChangeFix[];
  /** Changes with the same key are one change (one security-group rule exposing several instances). */
  key?: string;
  /** The plan's own earlier changes make the before; without it, it is observed in the inventory. */
  before?: JsonValue;
}

export class PlanBuilder {
  readonly changes: Change[] = [];
  readonly needsPerson: NeedsPerson[] = [];
  private readonly groups = new Map<string, ChangeGroup>();
  private readonly byKey = new Map<string, Change>();

  constructor(readonly index: InventoryIndex) {}

  /** Opens (or returns) the root-cause group that following changes belong to. */
  group(key: string, title: string, ruleId: string, reason: string): ChangeGroup {
    let group = this.groups.get(key);
    if (!group) {
      group = { key, title, ruleId, reason, resourceIds: [], changeIds: [] };
      this.groups.set(key, group);
    }
    return group;
  }

  /** Adds a change (or merges its fixes into the existing one with the same key) and returns its id. */
  add<K extends ChangeKind>(group: ChangeGroup, proposed: ProposedChange<K>): string {
    const existing = proposed.key !== undefined ? this.byKey.get(proposed.key) : undefined;
    if (existing) {
      mergeFixes(existing.fixes, proposed.fixes ?? []);
      if (!group.changeIds.includes(existing.id)) group.changeIds.push(existing.id);
      return existing.id;
    }
    const id = `c${String(this.changes.length + 1).padStart(3, '0')}`;
    const change = {
      id,
      kind: proposed.kind,
      accountId: proposed.accountId,
      region: proposed.region,
      target: proposed.target,
      params: proposed.params,
      before: proposed.before ?? observeTarget(proposed as ObservedChange, this.index),
      after: proposed.after,
      dependsOn: proposed.dependsOn ?? [],
      group: group.key,
      summary: proposed.summary,
      warnings: proposed.warnings ?? [],
      fixes: proposed.fixes ?? [],
    } as Change;
    this.changes.push(change);
    if (proposed.key !== undefined) this.byKey.set(proposed.key, change);
    group.changeIds.push(id);
    return id;
  }

  /** Records resources a group repairs (for the text and the JSON's groups). */
  covers(group: ChangeGroup, resourceIds: readonly string[]): void {
    for (const id of resourceIds) if (!group.resourceIds.includes(id)) group.resourceIds.push(id);
  }

  person(result: Evaluation, why: string, statement?: string): void {
    this.needsPerson.push({
      ruleId: result.ruleId,
      reason: result.reason ?? result.error?.code ?? result.status,
      resourceId: result.resourceId,
      accountId: result.accountId,
      region: result.region,
      why,
      ...(statement !== undefined && { statement }),
      ...(result.message !== undefined && { message: result.message }),
    });
  }

  allGroups(): ChangeGroup[] {
    return [...this.groups.values()].filter((group) => group.changeIds.length > 0);
  }

  /** True when a change of the plan repairs this result. */
  repairs(result: Evaluation): boolean {
    return this.changes.some((change) =>
      change.fixes.some((fix) => fix.ruleId === result.ruleId && fix.resourceIds.includes(result.resourceId)),
    );
  }
}

function mergeFixes(into: ChangeFix[], more: readonly ChangeFix[]): void {
  for (const fix of more) {
    const same = into.find((f) => f.ruleId === fix.ruleId && f.reason === fix.reason);
    if (!same) into.push({ ...fix, resourceIds: [...fix.resourceIds] });
    else for (const id of fix.resourceIds) if (!same.resourceIds.includes(id)) same.resourceIds.push(id);
  }
}
