// `ssmguard fix`: a reviewed, fleet-wide repair plan from a scan (JSON, shell script, text), and `--apply` /
// `--undo` of such a plan. Wiring only: planning lives in src/fix/plan/, applying in src/fix/apply/.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { evaluate } from '../engine/evaluate.js';
import { UsageError } from '../errors.js';
import { buildFixPlan } from '../fix/plan/build-plan.js';
import type { FixDocuments } from '../fix/plan/plan-context.js';
import type { FixPlan, FixPlanOptions, JsonValue } from '../fix/plan/plan-types.js';
import { renderPlanScript, renderPlanText } from '../fix/plan/render-plan.js';
import type { Inventory } from '../inventory/model.js';
import { shippedPoliciesDir } from '../package-root.js';
import { inventoryHash } from '../report/input-hash.js';
import {
  addLiveOptions,
  addRegionOption,
  collectLiveInventory,
  type LiveFlags,
  offlineInputOptions,
} from './live-commands.js';
import { loadInput, rejectDeployTime } from './load-input.js';
import type { CliIo } from './cli-io.js';
import { loadRuleSet, type RuleSet } from './rule-set.js';
import { evaluationTime } from './run-scan.js';
import { TOOL_VERSION } from './version.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export interface FixFlags extends LiveFlags {
  rules?: string[];
  policy?: string;
  scp?: string[];
  now?: string;
  credentials: string;
  rolePolicy: string;
  replace?: boolean;
  only?: string[];
  format: string;
  output?: string;
  apply?: string;
  undo?: string;
  yes?: boolean;
  log?: string;
}

/** Registers `fix`; `--apply` and `--undo` are added by the apply module. */
export function registerFixCommand(
  program: Command,
  io: CliIo,
  state: { code: number },
  extra: FixExtension[] = [],
): void {
  const command = program
    .command('fix')
    .description(
      'plan the smallest fleet-wide repair of the broken SSM links (JSON, shell script, text); --apply makes it',
    )
    .argument('[path...]', 'input files or folders, as for scan (or --live)')
    .option('--rules <dir>', 'extra rule folder (repeatable)', collect)
    .option('--policy <file>', 'policy pack: rule selection, parameter overrides')
    .option('--scp <file>', 'service control policy JSON (repeatable)', collect)
    .option('--now <time>', 'evaluate as of this ISO 8601 time')
    .option('--account <id>', 'account id for input files whose folders and content do not say')
    .addOption(
      new Option(
        '--credentials <kind>',
        'instance credentials to give: an instance profile, or DHMC for the region',
      )
        .choices(['profile', 'dhmc'])
        .default('profile'),
    )
    .addOption(
      new Option(
        '--role-policy <policy>',
        "permissions of a role the plan creates: AmazonSSMManagedInstanceCore, or ssmguard's least-privilege policy",
      )
        .choices(['core', 'least-privilege'])
        .default('core'),
    )
    .option('--replace', 'replace instance profiles whose role fails the trust or permission rule')
    .option('--only <rule-or-reason>', 'plan only for this rule id or reason code (repeatable)', collect)
    .addOption(
      new Option('--format <format>', 'plan output (policy: the IAM policy that --apply of this plan needs)')
        .choices(['text', 'json', 'script', 'policy'])
        .default('text'),
    )
    .option('--output <file>', 'write the plan to a file instead of stdout');
  for (const extension of extra) extension.options(command);
  addLiveOptions(addRegionOption(command)).action(async (paths: string[], flags: FixFlags) => {
    const handler = extra.find((extension) => extension.handles(flags));
    state.code = handler ? await handler.run(paths, flags, io) : await runFixPlan(paths, flags, io);
  });
}

/** A mode of `fix` (apply, undo) registered by its own module. */
export interface FixExtension {
  options(command: Command): void;
  handles(flags: FixFlags): boolean;
  run(paths: string[], flags: FixFlags, io: CliIo): Promise<number>;
}

async function runFixPlan(paths: string[], flags: FixFlags, io: CliIo): Promise<number> {
  const ruleSet = await loadRuleSet({ extraRuleDirs: flags.rules, policyFile: flags.policy });
  const input = flags.live
    ? await collectLiveInventory(paths, flags, io)
    : await loadInput(paths, { ...offlineInputOptions(flags), scpFiles: flags.scp });
  rejectDeployTime(
    input,
    'fix',
    'fix plans change deployed resources; the scan of a template names the lines to change instead',
  );
  for (const warning of input.warnings.slice(0, 20)) io.stderr(`warning: ${warning}\n`);
  const plan = planFromInventory(
    input.inventory,
    ruleSet,
    planOptions(flags),
    await readFixDocuments(),
    flags.now,
    io.clock,
  );
  const text =
    flags.format === 'json'
      ? `${JSON.stringify(plan, null, 2)}\n`
      : flags.format === 'script'
        ? renderPlanScript(plan)
        : flags.format === 'policy'
          ? `${JSON.stringify(await fixerPolicy(plan), null, 2)}\n`
          : renderPlanText(plan);
  if (flags.output === undefined) io.stdout(text);
  else {
    await writeFile(flags.output, text, flags.format === 'script' ? { mode: 0o755 } : {});
    io.stderr(
      `wrote the ${flags.format} plan (${plan.changes.length} changes, ${plan.needsPerson.length} for a person) to ${flags.output}\n`,
    );
  }
  return 0;
}

export function planOptions(
  flags: Pick<FixFlags, 'credentials' | 'rolePolicy' | 'replace' | 'only'>,
): FixPlanOptions {
  if (flags.credentials === 'dhmc' && flags.replace)
    throw new UsageError('--replace swaps instance profiles; it does not combine with --credentials dhmc');
  return {
    credentials: flags.credentials === 'dhmc' ? 'dhmc' : 'profile',
    policy: flags.rolePolicy === 'least-privilege' ? 'least-privilege' : 'core',
    replace: flags.replace === true,
    only: flags.only ?? [],
  };
}

/** Evaluates the rules on the inventory and plans the repair (the CLI's plan step, also used by the applier's tests). */
export function planFromInventory(
  inventory: Inventory,
  ruleSet: RuleSet,
  options: FixPlanOptions,
  documents: FixDocuments,
  now: string | undefined,
  clock: () => number,
): FixPlan {
  const nowMs = evaluationTime(inventory, now, clock);
  const evaluations = evaluate(inventory, ruleSet.rules, { nowMs, evidence: 'all' });
  return buildFixPlan({
    inventory,
    evaluations,
    options,
    documents,
    ruleParams: Object.fromEntries(ruleSet.rules.map((rule) => [rule.id, rule.params])),
    scan: {
      inputHash: inventory.source.inputHash ?? inventoryHash(inventory),
      evaluatedAt: new Date(nowMs).toISOString(),
      sourceKind: inventory.source.kind,
      accounts: inventory.source.accounts,
      regions: inventory.source.regions,
    },
    toolVersion: TOOL_VERSION,
  });
}

/** The trust and permission documents ssmguard ships (policies/iam/). */
export async function readFixDocuments(): Promise<FixDocuments> {
  const read = async (name: string): Promise<JsonValue> =>
    JSON.parse(await readFile(join(shippedPoliciesDir(), 'iam', name), 'utf8')) as JsonValue;
  return {
    ec2TrustPolicy: await read('ec2-trust-policy.json'),
    ssmTrustPolicy: await read('ssm-trust-policy.json'),
    leastPrivilegePolicy: await read('ssm-instance-least-privilege.json'),
  };
}

/** The least-privilege policy of a plan; loaded on use, as it reads the SDK calls each change makes. */
async function fixerPolicy(plan: FixPlan): Promise<JsonValue> {
  const { fixerPolicyFor } = await import('../fix/apply/fixer-policy.js');
  return fixerPolicyFor(plan);
}
