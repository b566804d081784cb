// Applies a fix plan: re-reads every target and refuses a change whose "before" no longer holds, skips one
// whose "after" already holds (so a second run changes nothing), runs independent changes with bounded
// concurrency in dependency waves, and logs every outcome as it settles.

import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { Semaphore } from '../../collectors/live/semaphore.js';
import { InventoryIndex } from '../../inventory/inventory-index.js';
import type { Inventory, ResourceFamily } from '../../inventory/model.js';
import { observeTarget, sameJson } from '../plan/observe-target.js';
import type { Change, ChangeKind, FixPlan, JsonValue } from '../plan/plan-types.js';
import type { ApplyLogWriter, ChangeOutcome, LogEntry } from './apply-log.js';
import { applyChange } from './change-calls.js';
import type { FixClients } from './fix-clients.js';

export interface ApplyOptions {
  plan: FixPlan;
  clients: FixClients;
  /** The targets' state now (a live read of the plan's account and regions). */
  state: Inventory;
  log: ApplyLogWriter;
  concurrency: number;
  /** Waits between retries of an association whose new profile IAM has not propagated yet (ms; default 5000). */
  propagationDelayMs?: number;
  clock?: () => number;
}

export interface ApplyResult {
  accountId: string;
  entries: LogEntry[];
  counts: Partial<Record<ChangeOutcome, number>>;
}

/** The family a change kind's target is read from; unreadable means the change is refused, never blind. */
const TARGET_FAMILY: Record<ChangeKind, ResourceFamily> = {
  'iam:create-role': 'iam:authorization-details',
  'iam:attach-role-policy': 'iam:authorization-details',
  'iam:put-role-policy': 'iam:authorization-details',
  'iam:create-instance-profile': 'iam:authorization-details',
  'iam:add-role-to-instance-profile': 'iam:authorization-details',
  'ec2:associate-iam-instance-profile': 'ec2:instances',
  'ec2:replace-iam-instance-profile-association': 'ec2:instances',
  'ssm:update-service-setting': 'ssm:dhmc-setting',
  'ec2:modify-instance-metadata-options': 'ec2:instances',
  'ec2:revoke-security-group-ingress': 'ec2:security-groups',
  'ec2:create-security-group': 'ec2:security-groups',
  'ec2:authorize-security-group-ingress': 'ec2:security-groups',
  'ec2:create-vpc-endpoint': 'ec2:vpc-endpoints',
  'ssm:update-maintenance-window-target': 'ssm:maintenance-window-targets',
  'ssm:deregister-managed-instance': 'ssm:instance-information',
};

/** Why the target's family could not be read in the change's scope, if it could not. */
export function unreadableTarget(change: Change, state: Inventory): string | undefined {
  const family = TARGET_FAMILY[change.kind];
  const failed = state.coverage.find(
    (c) =>
      c.family === family &&
      c.status === 'error' &&
      (c.accountId === undefined || c.accountId === change.accountId) &&
      (c.region === undefined || c.region === change.region || c.region === 'global'),
  );
  return failed
    ? `cannot read the target's current state (${family}: ${failed.error?.code ?? 'error'}${failed.error?.permission ? `, needs ${failed.error.permission}` : ''})`
    : undefined;
}

const show = (value: JsonValue): string => JSON.stringify(value);

/** Waves of changes: each wave depends only on earlier waves. */
function waves(changes: readonly Change[]): Change[][] {
  const depth = new Map<string, number>();
  const out: Change[][] = [];
  for (const change of changes) {
    const d = Math.max(-1, ...change.dependsOn.map((id) => depth.get(id) ?? -1)) + 1;
    depth.set(change.id, d);
    (out[d] ??= []).push(change);
  }
  return out;
}

export async function applyPlan(options: ApplyOptions): Promise<ApplyResult> {
  const { plan, clients, log } = options;
  const clock = options.clock ?? Date.now;
  const identity = await clients.sts().send(new GetCallerIdentityCommand({}));
  const accountId = identity.Account ?? '';
  const index = new InventoryIndex(options.state);
  const settled = new Map<string, ChangeOutcome>();
  const entries: LogEntry[] = [];
  await log.write({
    type: 'start',
    mode: 'apply',
    at: new Date(clock()).toISOString(),
    accountId,
    source: plan.scan.inputHash,
    changes: plan.changes.length,
  });
  const record = async (
    change: Change,
    outcome: ChangeOutcome,
    detail?: string,
    errorCode?: string,
  ): Promise<void> => {
    settled.set(change.id, outcome);
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
  const semaphore = new Semaphore(options.concurrency);
  for (const wave of waves(plan.changes)) {
    await Promise.all(
      wave.map((change) =>
        semaphore.run(async () => {
          const blocker = change.dependsOn.find(
            (id) => settled.get(id) !== 'applied' && settled.get(id) !== 'already-done',
          );
          if (blocker !== undefined)
            return record(
              change,
              'blocked',
              `waits for ${blocker}, which was ${settled.get(blocker) ?? 'not run'}`,
            );
          if (change.accountId !== accountId)
            return record(
              change,
              'refused',
              `planned for account ${change.accountId}, but the credentials are for ${accountId}`,
            );
          const unreadable = unreadableTarget(change, options.state);
          if (unreadable !== undefined) return record(change, 'refused', unreadable);
          const now = observeTarget(change, index);
          if (sameJson(now, change.after)) return record(change, 'already-done');
          if (!sameJson(now, change.before)) {
            return record(
              change,
              'refused',
              `${change.target.resourceId} changed since the plan: planned before ${show(change.before)}, now ${show(now)}; re-run ssmguard fix to plan again`,
            );
          }
          try {
            const detail = await applyWithPropagation(
              change,
              clients,
              settled,
              options.propagationDelayMs ?? 5000,
            );
            return record(change, 'applied', detail);
          } catch (error) {
            const err = error as Error;
            return record(change, 'failed', err.message, err.name);
          }
        }),
      ),
    );
  }
  const counts: Partial<Record<ChangeOutcome, number>> = {};
  for (const entry of entries) counts[entry.outcome] = (counts[entry.outcome] ?? 0) + 1;
  await log.write({ type: 'end', at: new Date(clock()).toISOString(), counts });
  return { accountId, entries, counts };
}

/**
 * IAM is eventually consistent: a profile created moments ago can be unknown to EC2 for a few seconds
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency),
 * so an association with a profile this run created is retried a few times on InvalidParameterValue.
 */
async function applyWithPropagation(
  change: Change,
  clients: FixClients,
  settled: Map<string, ChangeOutcome>,
  delayMs: number,
): Promise<string | undefined> {
  const waitsForNewProfile =
    (change.kind === 'ec2:associate-iam-instance-profile' ||
      change.kind === 'ec2:replace-iam-instance-profile-association') &&
    change.dependsOn.some((id) => settled.get(id) === 'applied');
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await applyChange(change, clients);
    } catch (error) {
      if (!waitsForNewProfile || (error as Error).name !== 'InvalidParameterValue' || attempt >= 6)
        throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
