// Reverses what an apply log says was applied, newest first, where AWS allows: each reversal checks that the
// target still is as the change left it (its "after"), and refuses otherwise.

import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { InventoryIndex } from '../../inventory/inventory-index.js';
import type { Inventory } from '../../inventory/model.js';
import { observeTarget, sameJson } from '../plan/observe-target.js';
import type { Change } from '../plan/plan-types.js';
import { type ApplyLogWriter, type ChangeOutcome, type LogEntry, type LogLine } from './apply-log.js';
import { unreadableTarget } from './apply-plan.js';
import { IRREVERSIBLE, undoChange } from './change-calls.js';
import type { FixClients } from './fix-clients.js';

/** The changes an apply log records as applied, in the order they were applied. */
export function appliedChanges(lines: readonly LogLine[]): Change[] {
  return lines
    .filter((l): l is LogEntry => l.type === 'change' && l.outcome === 'applied')
    .map((l) => l.change);
}

export async function undoApplied(options: {
  changes: readonly Change[];
  source: string;
  clients: FixClients;
  state: Inventory;
  log: ApplyLogWriter;
  clock?: () => number;
}): Promise<{ entries: LogEntry[]; counts: Partial<Record<ChangeOutcome, number>> }> {
  const { clients, log } = options;
  const clock = options.clock ?? Date.now;
  const accountId = (await clients.sts().send(new GetCallerIdentityCommand({}))).Account ?? '';
  const index = new InventoryIndex(options.state);
  const entries: LogEntry[] = [];
  await log.write({
    type: 'start',
    mode: 'undo',
    at: new Date(clock()).toISOString(),
    accountId,
    source: options.source,
    changes: options.changes.length,
  });
  const record = async (
    change: Change,
    outcome: ChangeOutcome,
    detail?: string,
    errorCode?: string,
  ): Promise<void> => {
    const entry: LogEntry = {
      type: 'change',
      at: new Date(clock()).toISOString(),
      outcome,
      change,
      ...(detail !== undefined && { detail }),
      ...(errorCode !== undefined && { errorCode }),
    };
    entries.push(entry);
    await log.write(entry);
  };
  // Newest first: a role's policies and profile go before the role, endpoints before their security group.
  for (const change of [...options.changes].reverse()) {
    if (IRREVERSIBLE.has(change.kind)) {
      await record(change, 'not-reversible', 'AWS cannot reverse this change');
      continue;
    }
    if (change.accountId !== accountId) {
      await record(
        change,
        'refused',
        `made in account ${change.accountId}, but the credentials are for ${accountId}`,
      );
      continue;
    }
    const unreadable = unreadableTarget(change, options.state);
    if (unreadable !== undefined) {
      await record(change, 'refused', unreadable);
      continue;
    }
    const now = observeTarget(change, index);
    if (sameJson(now, change.before)) {
      await record(change, 'already-undone');
      continue;
    }
    if (!sameJson(now, change.after)) {
      await record(
        change,
        'refused',
        `${change.target.resourceId} changed since it was applied: now ${JSON.stringify(now)}, applied ${JSON.stringify(change.after)}`,
      );
      continue;
    }
    try {
      await undoChange(change, clients);
      await record(change, 'undone');
    } catch (error) {
      await record(change, 'failed', (error as Error).message, (error as Error).name);
    }
  }
  const counts: Partial<Record<ChangeOutcome, number>> = {};
  for (const entry of entries) counts[entry.outcome] = (counts[entry.outcome] ?? 0) + 1;
  await log.write({ type: 'end', at: new Date(clock()).toISOString(), counts });
  return { entries, counts };
}
