// The run of `ssmguard fix --apply PLAN.json` and `fix --undo LOG`: confirmation, the live re-read, the apply log,
// and the re-scan of the touched resources printed as before → after. Wiring only (src/fix/apply/ does the work).

import { withProfile } from '../collectors/live/aws-profile.js';
import { evaluate } from '../engine/evaluate.js';
import type { Evaluation } from '../engine/types.js';
import { UsageError } from '../errors.js';
import { readApplyLog, ApplyLogWriter, type ChangeOutcome } from '../fix/apply/apply-log.js';
import { applyPlan } from '../fix/apply/apply-plan.js';
import { createFixClients, type FixClients } from '../fix/apply/fix-clients.js';
import { readFleetState } from '../fix/apply/read-fleet-state.js';
import { appliedChanges, undoApplied } from '../fix/apply/undo-log.js';
import { readFixPlan } from '../fix/plan/parse-plan.js';
import type { Change, FixPlan } from '../fix/plan/plan-types.js';
import type { Inventory } from '../inventory/model.js';
import { type CliIo, EXIT } from './cli-io.js';
import type { FixFlags } from './fix-command.js';
import { loadRuleSet } from './rule-set.js';

const PICKUP_NOTE = [
  'The SSM Agent picks up a new instance profile within minutes (DHMC: up to 30); to hurry it, restart the agent:',
  '  Linux: sudo systemctl restart amazon-ssm-agent    Windows (PowerShell): Restart-Service AmazonSSMAgent',
  'An instance deregistered from a hybrid activation also needs its hybrid registration cleared on the host before that restart.',
];

/** Runs `fix --apply` or `fix --undo` (the flags' choice) under the profile, so its endpoint_url is honoured as for a scan. */
export function runFixApply(paths: string[], flags: ApplyFlags, io: CliIo): Promise<number> {
  return withProfile(flags.profile, () =>
    flags.undo !== undefined ? runUndo(paths, flags, io) : runApply(paths, flags, io),
  );
}

export interface ApplyFlags extends FixFlags {
  maxAttempts?: string;
}

function clientsFor(flags: ApplyFlags): FixClients {
  const attempts = flags.maxAttempts === undefined ? undefined : Number(flags.maxAttempts);
  if (attempts !== undefined && (!Number.isInteger(attempts) || attempts < 1 || attempts > 20))
    throw new UsageError(`--max-attempts must be a whole number from 1 to 20, got "${flags.maxAttempts}"`);
  return createFixClients({
    ...(flags.profile !== undefined && { profile: flags.profile }),
    ...(flags.endpointUrl !== undefined && { endpointUrl: flags.endpointUrl }),
    ...(attempts !== undefined && { maxAttempts: attempts }),
  });
}

function concurrencyOf(flags: ApplyFlags): number {
  const value = flags.concurrency === undefined ? 4 : Number(flags.concurrency);
  if (!Number.isInteger(value) || value < 1 || value > 16)
    throw new UsageError(`--concurrency must be a whole number from 1 to 16, got "${flags.concurrency}"`);
  return value;
}

async function confirmed(io: CliIo, flags: ApplyFlags, question: string): Promise<boolean> {
  if (flags.yes) return true;
  if (!io.confirm)
    throw new UsageError(
      'fix --apply and --undo change AWS resources: add --yes when stdin is not a terminal',
    );
  return io.confirm(question);
}

async function runApply(paths: string[], flags: ApplyFlags, io: CliIo): Promise<number> {
  if (paths.length > 0)
    throw new UsageError(`fix --apply reads the plan, not input files: drop ${paths[0]!}`);
  const plan = await readFixPlan(flags.apply!);
  const clients = clientsFor(flags);
  try {
    const readOptions = {
      ...(flags.profile !== undefined && { profile: flags.profile }),
      ...(flags.endpointUrl !== undefined && { endpointUrl: flags.endpointUrl }),
    };
    const before = await readFleetState(plan.changes, clients, readOptions);
    if (
      !(await confirmed(
        io,
        flags,
        `Apply ${plan.changes.length} change(s) of ${flags.apply!} to ${plan.scan.accounts.join(', ')}? [y/N] `,
      ))
    ) {
      io.stderr('nothing applied\n');
      return EXIT.OK;
    }
    const logFile = flags.log ?? flags.apply!.replace(/\.json$/, '') + '.apply-log.jsonl';
    const result = await applyPlan({
      plan,
      clients,
      state: before,
      log: new ApplyLogWriter(logFile),
      concurrency: concurrencyOf(flags),
      clock: io.clock,
    });
    io.stdout(
      outcomeText(
        result.entries.map((e) => ({ outcome: e.outcome, change: e.change, detail: e.detail })),
        logFile,
      ),
    );
    const after = await readFleetState(plan.changes, clients, readOptions);
    io.stdout(await rescanText(plan, before, after, io));
    io.stdout(`${PICKUP_NOTE.join('\n')}\n`);
    return failedAny(result.counts) ? EXIT.FINDINGS : EXIT.OK;
  } finally {
    clients.destroy();
  }
}

async function runUndo(paths: string[], flags: ApplyFlags, io: CliIo): Promise<number> {
  if (paths.length > 0)
    throw new UsageError(`fix --undo reads the apply log, not input files: drop ${paths[0]!}`);
  const changes = appliedChanges(await readApplyLog(flags.undo!));
  const clients = clientsFor(flags);
  try {
    if (!(await confirmed(io, flags, `Undo ${changes.length} applied change(s) of ${flags.undo!}? [y/N] `))) {
      io.stderr('nothing undone\n');
      return EXIT.OK;
    }
    const state = await readFleetState(changes, clients, {
      ...(flags.profile !== undefined && { profile: flags.profile }),
      ...(flags.endpointUrl !== undefined && { endpointUrl: flags.endpointUrl }),
    });
    const logFile = flags.log ?? flags.undo!.replace(/\.jsonl$/, '') + '.undo-log.jsonl';
    const result = await undoApplied({
      changes,
      source: flags.undo!,
      clients,
      state,
      log: new ApplyLogWriter(logFile),
      clock: io.clock,
    });
    io.stdout(
      outcomeText(
        result.entries.map((e) => ({ outcome: e.outcome, change: e.change, detail: e.detail })),
        logFile,
      ),
    );
    return failedAny(result.counts) ? EXIT.FINDINGS : EXIT.OK;
  } finally {
    clients.destroy();
  }
}

const OUTCOME_ORDER: readonly ChangeOutcome[] = [
  'applied',
  'already-done',
  'undone',
  'already-undone',
  'not-reversible',
  'refused',
  'failed',
  'blocked',
];

const failedAny = (counts: Partial<Record<ChangeOutcome, number>>): boolean =>
  (counts.refused ?? 0) + (counts.failed ?? 0) + (counts.blocked ?? 0) > 0;

function outcomeText(
  entries: readonly { outcome: ChangeOutcome; change: Change; detail?: string }[],
  logFile: string,
): string {
  const counts = new Map<ChangeOutcome, number>();
  const lines: string[] = [];
  for (const entry of entries) {
    counts.set(entry.outcome, (counts.get(entry.outcome) ?? 0) + 1);
    if (!['applied', 'already-done', 'undone', 'already-undone'].includes(entry.outcome)) {
      lines.push(
        `  ${entry.outcome.toUpperCase()} ${entry.change.id} ${entry.change.summary}${entry.detail !== undefined ? `: ${entry.detail}` : ''}`,
      );
    }
  }
  const summary = OUTCOME_ORDER.filter((o) => counts.has(o))
    .map((outcome) => `${counts.get(outcome)!} ${outcome}`)
    .join(', ');
  return `${summary || 'no changes'} (log: ${logFile})\n${lines.map((l) => `${l}\n`).join('')}`;
}

/** Evaluates the rules on the state before and after, and lists the touched resources whose results changed. */
async function rescanText(plan: FixPlan, before: Inventory, after: Inventory, io: CliIo): Promise<string> {
  const ruleSet = await loadRuleSet({});
  const touched = new Set(
    plan.changes.flatMap((c) => [c.target.resourceId, ...c.fixes.flatMap((f) => f.resourceIds)]),
  );
  const nowMs = io.clock();
  const key = (e: Evaluation): string => `${e.ruleId}|${e.resourceId}`;
  const was = new Map(evaluate(before, ruleSet.rules, { nowMs }).map((e) => [key(e), e.status]));
  const transitions = new Map<string, string[]>();
  for (const result of evaluate(after, ruleSet.rules, { nowMs })) {
    if (!touched.has(result.resourceId)) continue;
    const previous = was.get(key(result));
    if (previous === undefined || previous === result.status) continue;
    const label = `${result.ruleId}: ${previous} → ${result.status}`;
    transitions.set(label, [...(transitions.get(label) ?? []), result.resourceId]);
  }
  const lines = ['Re-scan of the touched resources (before → after):'];
  if (transitions.size === 0) lines.push('  no result changed');
  for (const [label, ids] of transitions)
    lines.push(`  ${label} — ${ids.length}: ${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''}`);
  return `${lines.join('\n')}\n`;
}
