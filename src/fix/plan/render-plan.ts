// Renders a fix plan as a shell script of AWS CLI commands and as text for the people who review it.

import { neutraliseControls, neutraliseDeep } from '../../neutralise-controls.js';
import { changeCommands } from './change-command.js';
import type { Change, FixPlan } from './plan-types.js';

/** A POSIX shell script that makes every change in order (and stops at the first failing command). */
export function renderPlanScript(plan: FixPlan): string {
  const lines = [
    '#!/bin/sh',
    `# ssmguard fix plan: ${plan.changes.length} change(s) for the scan with input ${plan.scan.inputHash}.`,
    '# Review it first. `ssmguard fix --apply PLAN.json` makes the same changes, checking each target is still as planned.',
    'set -eu',
    '# AWS_ENDPOINT_URL, when set, sends every command to that endpoint (an emulator or a proxy).',
    'aws() { command aws ${AWS_ENDPOINT_URL:+--endpoint-url "$AWS_ENDPOINT_URL"} "$@"; }',
    '',
  ];
  for (const change of plan.changes) {
    // A comment holds AWS-provided text: neutralised, a line feed in it cannot end the comment and start a command.
    lines.push(`# ${change.id}: ${neutraliseControls(change.summary)}`);
    for (const warning of change.warnings) lines.push(`#   note: ${neutraliseControls(warning)}`);
    lines.push(...changeCommands(change).map((line) => `${line} >/dev/null`), '');
  }
  if (plan.changes.length === 0) lines.push('# Nothing to change.', '');
  return lines.join('\n');
}

const MANY = 6;

/** The plan for a reviewer: root causes with their changes, what needs a person, and how to apply. */
export function renderPlanText(input: FixPlan): string {
  const plan = neutraliseDeep(input); // the output boundary: summaries and ids come from AWS
  const out: string[] = [
    `ssmguard fix — plan for the scan of ${plan.scan.accounts.join(', ') || '(no account)'} (${plan.scan.inputHash})`,
    '',
  ];
  const byId = new Map(plan.changes.map((c) => [c.id, c]));
  if (plan.groups.length === 0) out.push('No change to make: no broken link that ssmguard can repair.', '');
  plan.groups.forEach((group, n) => {
    out.push(
      `${n + 1}. ${group.title}${group.resourceIds.length > 0 ? ` — ${group.resourceIds.length} resource(s)` : ''}`,
    );
    out.push(`   ${group.reason} · rule ${group.ruleId}`);
    for (const line of describeChanges(group.changeIds.map((id) => byId.get(id)!))) out.push(`   ${line}`);
    out.push('');
  });
  if (plan.needsPerson.length > 0) {
    out.push(`Needs a person — ${plan.needsPerson.length} broken link(s) ssmguard will not touch`);
    for (const item of plan.needsPerson) {
      out.push(`  - ${item.resourceId} · ${item.ruleId} (${item.reason}): ${item.why}`);
      if (item.statement !== undefined) out.push(`      statement: ${item.statement}`);
    }
    out.push('');
  }
  out.push(
    `${plan.changes.length} change(s). Apply with: ssmguard fix --apply PLAN.json (write it with --format json --output PLAN.json)`,
    'The SSM Agent picks up new credentials within minutes (DHMC: up to 30); to hurry it, restart the agent:',
    '  Linux: sudo systemctl restart amazon-ssm-agent   Windows: Restart-Service AmazonSSMAgent',
  );
  return `${out.join('\n')}\n`;
}

/** One line per change; long runs of the same kind (200 associations) are summarised. */
function describeChanges(changes: readonly Change[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < changes.length;) {
    const change = changes[i]!;
    let j = i;
    while (j < changes.length && changes[j]!.kind === change.kind) j += 1;
    const run = changes.slice(i, j);
    if (run.length >= MANY) {
      lines.push(
        `${change.id}…${run[run.length - 1]!.id} ${change.kind} × ${run.length}: ${run
          .slice(0, 3)
          .map((c) => c.target.resourceId)
          .join(', ')}, … (${run.length - 3} more)`,
      );
      lines.push(`    e.g. ${changeCommands(change).at(-1)!}`);
    } else {
      for (const c of run) {
        lines.push(`${c.id} ${c.summary}`);
        for (const w of c.warnings) lines.push(`    ! ${w}`);
        lines.push(`    $ ${changeCommands(c).at(-1)!}`);
      }
    }
    i = j;
  }
  return lines;
}
