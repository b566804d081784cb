// `ssmguard explain INSTANCE_ID [PATH…]`: loads the input (default: the example fleet), evaluates the instance
// rules on that one instance, builds the report model of it (waivers applied, as scan does) and prints its
// readiness chain link by link.

import { UsageError } from '../errors.js';
import type { Ec2Instance } from '../inventory/model.js';
import { InventoryIndex } from '../inventory/inventory-index.js';
import { exampleFleetDir } from '../package-root.js';
import { buildReport } from '../report/build-report.js';
import { explainInstance, renderExplanation } from '../report/explain-instance.js';
import { resourceContextFromInventory } from '../report/resource-context.js';
import type { CliIo } from './cli-io.js';
import { collectLiveInventory, type LiveFlags, offlineInputOptions } from './live-commands.js';
import { loadInput } from './load-input.js';
import { judgeDeployTime } from '../engine/unknown-until-deployed.js';
import { checkPolicyAt } from '../policy/policy-pack.js';
import { loadRuleSet } from './rule-set.js';
import { parseNow } from './arguments.js';
import { evaluationTime } from './run-scan.js';
import { TOOL_VERSION } from './version.js';
import { scanIpRanges, type IpRangesFlag } from './ip-ranges-command.js';

export interface ExplainFlags extends LiveFlags {
  rules?: string[];
  policy?: string;
  format: string;
  now?: string;
  color: boolean;
  ipRanges?: IpRangesFlag;
  /** For a template: its parameter values and what exists around it (as for scan). */
  parameters?: string;
  context?: string[];
}

/** Exit code 0 when the instance is ready (as the report counts it), 1 when not; an unknown instance id is a usage error (2). */
export async function runExplain(
  instanceId: string,
  paths: string[],
  flags: ExplainFlags,
  io: CliIo,
): Promise<number> {
  if (flags.format !== 'text' && flags.format !== 'json')
    throw new UsageError(`unknown --format "${flags.format}" for explain (text or json)`);
  if (flags.now !== undefined) parseNow(flags.now); // a bad --now fails before any input is read
  const ruleSet = await loadRuleSet({ extraRuleDirs: flags.rules, policyFile: flags.policy });
  const ipRanges = await scanIpRanges(flags.ipRanges);
  const input = flags.live
    ? await collectLiveInventory(paths, flags, io)
    : await loadInput(paths.length > 0 ? paths : [exampleFleetDir()], {
        ...offlineInputOptions(flags),
        ...(flags.parameters !== undefined && { parametersFile: flags.parameters }),
        ...(flags.context !== undefined && { contextPaths: flags.context }),
        now: flags.now !== undefined ? () => parseNow(flags.now!) : io.clock,
      });
  for (const s of input.skipped) io.stderr(`skipped ${s.input}: ${s.reason}\n`);
  const index = new InventoryIndex(input.inventory, ipRanges ? { ipRanges } : {});
  const instance: Ec2Instance | undefined = index.instance(instanceId);
  if (!instance) {
    const count = input.inventory.instances.length;
    throw new UsageError(
      `instance ${instanceId} is not in the input (${count} instance${count === 1 ? '' : 's'} read${flags.live ? ' live' : paths.length === 0 ? ' from the example fleet' : ''})`,
    );
  }
  const nowMs = evaluationTime(input.inventory, flags.now, io.clock);
  checkPolicyAt(ruleSet.policy, nowMs);
  const instanceRules = ruleSet.rules.filter((r) => r.spec.type === 'AWS::EC2::Instance');
  const evaluated = instanceRules.map((r) => r.evaluate(instance, index, nowMs));
  const report = buildReport({
    // A template's instance: what rests on a value unknown before deploy is said so, as in `scan`.
    evaluations: input.deployTime
      ? judgeDeployTime(evaluated, instanceRules, input.deployTime, index)
      : evaluated,
    rules: ruleSet.rules,
    source: input.inventory.source,
    evaluatedAt: new Date(nowMs).toISOString(),
    policy: ruleSet.policyName,
    policyFile: ruleSet.policy?.file,
    toolVersion: TOOL_VERSION,
    waivers: ruleSet.policy?.waivers,
    resources: resourceContextFromInventory({ instances: [instance] }),
  });
  const explanation = explainInstance({ report, instanceId, instanceState: instance.state });
  io.stdout(
    flags.format === 'json'
      ? `${JSON.stringify(explanation, null, 2)}\n`
      : renderExplanation(explanation, { color: flags.color }),
  );
  return explanation.ready ? 0 : 1;
}
