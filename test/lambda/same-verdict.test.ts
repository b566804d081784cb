// One rule, one resource, one verdict: the CLI on live data, on the AWS CLI files, on a Config snapshot file and the
// Lambda on a Config change event (its periodic run, for periodic-only rules) agree over the example fleet (where
// Config data cannot tell, the snapshot says ERROR).

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryFromFleet } from '../../src/collectors/api/index.js';
import { collectFleet } from '../../src/collectors/live/collect-fleet.js';
import { loadInput } from '../../src/cli/load-input.js';
import { loadRuleSet } from '../../src/cli/rule-set.js';
import type { Inventory } from '../../src/inventory/model.js';
import { packageRoot } from '../../src/package-root.js';
import { buildReport } from '../../src/report/build-report.js';
import { resourceContextFromInventory } from '../../src/report/resource-context.js';
import type { CompiledRule } from '../../src/engine/compile-rule.js';
import { evaluate } from '../../src/engine/evaluate.js';
import type { Evaluation } from '../../src/engine/types.js';
import { EXAMPLE_FLEET_FACTS as F, buildExampleFleet } from '../../src/generator/example-fleet.js';
import { handleConfigEvent } from '../../src/lambda/handle-config-event.js';
import {
  fleetToConfigItems,
  fleetToPatchComplianceItems,
} from '../collectors/config/fleet-to-config-items.js';
import {
  FAKE_CREDENTIALS,
  changeEvent,
  scheduledEvent,
  shippedEmbeddedRules,
  startLambdaWorld,
  type LambdaWorld,
} from './lambda-test-kit.js';

const fleet = buildExampleFleet();
const nowMs = Date.parse(fleet.collectedAt);
const items = fleetToConfigItems(fleet);
// One instance per scenario of the example fleet, plus the story's first and last instance.
const SAMPLE = [
  F.inventory.firstInstanceId,
  F.inventory.lastInstanceId,
  ...F.healthyWebInstanceIds.slice(0, 1),
  F.healthyPublicInstanceId,
  ...F.healthyEndpointInstanceIds.slice(0, 1),
  F.patchGroupWithSpaceInstanceId,
  F.sshOpenInstanceId,
  F.rdpRangeInstanceId,
  F.imdsDisabledInstanceId,
  F.egressPort80OnlyInstanceId,
  F.endpointSgBlocksInstanceId,
  F.noNetworkPathInstanceId,
  F.missingSsmMessagesActionInstanceId,
  F.explicitDenyInstanceId,
  // The patching story: each Online instance is unpatched for its own reason.
  F.patchingStory.scanOnlyInstanceId,
  F.patchingStory.neverFiringInstanceId,
  F.patchingStory.failedPatchRunInstanceId,
  F.patchingStory.s3PolicyDeniedInstanceId,
  F.patchingStory.wrongOsInstanceIds[0],
  F.instanceIdTargetedInstanceIds[0],
  F.noPatchGroupTagInstanceId,
];

/** Rules the Lambda runs only on its periodic trigger (no change trigger): they get the scheduled event. */
const isPeriodicOnly = (rule: CompiledRule): boolean =>
  rule.loaded.definition.config?.triggerTypes.length === 0;

let world: LambdaWorld;
let dir: string;
let rules: CompiledRule[];
const key = (e: Pick<Evaluation, 'ruleId' | 'resourceId'>): string => `${e.ruleId} ${e.resourceId}`;
let live: Map<string, Evaluation>;
let liveInventory: Inventory;
let snapshot: Map<string, Evaluation>;
let files: Map<string, Evaluation>;

beforeAll(async () => {
  world = await startLambdaWorld(fleet, items);
  dir = await mkdtemp(join(tmpdir(), 'ssmguard-verdict-'));
  rules = (await loadRuleSet({})).rules.filter((r) => r.spec.type === 'AWS::EC2::Instance');
  // The CLI on live data: the live collectors against the endpoint, then the same mapping and engine.
  const collection = await collectFleet({
    regions: [F.region],
    endpointUrl: world.endpoint.url,
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
    retryMode: 'standard',
    // The run history is read back from the evaluation time, as the Lambda reads it back from its event's.
    now: new Date(nowMs).toISOString(),
  });
  liveInventory = inventoryFromFleet(collection, {
    kind: 'live',
    inputs: [],
    accounts: [],
    regions: [],
  }).inventory;
  live = new Map(evaluate(liveInventory, rules, { nowMs }).map((e) => [key(e), e]));
  // The CLI on a Config snapshot file delivered to S3.
  const file = join(dir, `${F.accountId}_Config_${F.region}_ConfigSnapshot_20261120T120000Z_0b7c.json.gz`);
  await writeFile(
    file,
    // Config also records the nodes' patch compliance (AWS::SSM::PatchCompliance), the one SSM type it maps.
    gzipSync(
      JSON.stringify({
        fileVersion: '1.0',
        configSnapshotId: '0b7c',
        configurationItems: [...items, ...fleetToPatchComplianceItems(fleet)],
      }),
    ),
  );
  const loaded = await loadInput([file]);
  snapshot = new Map(evaluate(loaded.inventory, rules, { nowMs }).map((e) => [key(e), e]));
  // The CLI on the example fleet's AWS CLI files (what `npm start` scans).
  const cliFiles = await loadInput([join(packageRoot(), 'examples', 'example-fleet')]);
  files = new Map(evaluate(cliFiles.inventory, rules, { nowMs }).map((e) => [key(e), e]));
}, 60_000);
afterAll(async () => {
  await world.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the same verdict from every place a rule runs', () => {
  it('gives the Lambda on a change event the verdict of the CLI on live data, rule by rule', async () => {
    const embedded = await shippedEmbeddedRules();
    let compared = 0;
    for (const rule of rules) {
      if (isPeriodicOnly(rule)) continue;
      for (const instanceId of SAMPLE) {
        // Act
        world.endpoint.putEvaluations.length = 0;
        const item = items.find((i) => i.resourceId === instanceId)!;
        await handleConfigEvent(
          changeEvent(item, { accountId: F.accountId, region: F.region, ruleId: rule.id }),
          world.deps(embedded, nowMs),
        );
        const sent = world.endpoint.putEvaluations.flatMap(
          (c) => c.body.Evaluations as Record<string, unknown>[],
        );

        // Assess: ERROR is never sent; otherwise the verdict and the reason code agree.
        const expected = live.get(`${rule.id} ${instanceId}`)!;
        if (expected.status === 'ERROR') {
          expect(sent, `${rule.id} ${instanceId}`).toEqual([]);
        } else {
          expect(
            sent.map((e) => e.ComplianceType),
            `${rule.id} ${instanceId}`,
          ).toEqual([expected.status]);
          if (expected.reason !== undefined)
            expect(
              String(sent[0]!.Annotation).startsWith(`${expected.reason}: `),
              `${rule.id} ${instanceId}`,
            ).toBe(true);
        }
        compared++;
      }
    }
    expect(compared).toBe(rules.filter((r) => !isPeriodicOnly(r)).length * SAMPLE.length);
  }, 120_000);

  it('gives the Lambda on its periodic run the live verdict for the periodic-only rules', async () => {
    const embedded = await shippedEmbeddedRules();
    const periodic = rules.filter(isPeriodicOnly);
    expect(periodic.map((r) => r.id)).toContain('ec2-instance-patch-window-installs');
    for (const rule of periodic) {
      // Act
      world.endpoint.putEvaluations.length = 0;
      await handleConfigEvent(
        scheduledEvent({ accountId: F.accountId, region: F.region, ruleId: rule.id }),
        world.deps(embedded, nowMs),
      );
      const sent = new Map(
        world.endpoint.putEvaluations
          .flatMap((c) => c.body.Evaluations as Record<string, unknown>[])
          .map((e) => [String(e.ComplianceResourceId), e]),
      );

      // Assess: every sampled instance got the live verdict (ERROR is never sent).
      for (const instanceId of SAMPLE) {
        const expected = live.get(`${rule.id} ${instanceId}`)!;
        const got = sent.get(instanceId);
        if (expected.status === 'ERROR') expect(got, `${rule.id} ${instanceId}`).toBeUndefined();
        else expect(got?.ComplianceType, `${rule.id} ${instanceId}`).toBe(expected.status);
      }
    }
  }, 120_000);

  it('gives the CLI on the AWS CLI files the live verdict, for every instance rule and instance', () => {
    expect(files.size).toBe(live.size);
    for (const [k, expected] of live) {
      const offline = files.get(k);
      expect(offline?.status, k).toBe(expected.status);
      expect(offline?.reason, k).toBe(expected.reason);
    }
  });

  it('names, from live data, the first broken patching link of each scenario of the patching story', () => {
    // Act
    const report = buildReport({
      evaluations: [...live.values()],
      rules,
      source: liveInventory.source,
      evaluatedAt: fleet.collectedAt,
      policy: 'default',
      toolVersion: '0.0.0-test',
      resources: resourceContextFromInventory(liveInventory),
    });
    const causeOf = (instanceId: string): string[] =>
      report.rootCauses
        .filter((c) => c.kind === 'patching' && c.resourceIds.includes(instanceId))
        .map((c) => `${c.ruleId} ${c.reason}${c.causeResourceId ? ` ${c.causeResourceId}` : ''}`);

    // Assess: one patching cause each, the first broken link; healthy and offline instances have none.
    const S = F.patchingStory;
    expect(causeOf(S.scanOnlyInstanceId)).toEqual([
      `ec2-instance-patch-window-installs PATCH.SCAN_ONLY_WINDOW ${S.scanOnlyWindowId}`,
    ]);
    expect(causeOf(S.neverFiringInstanceId)).toEqual([
      `ec2-instance-patch-window-installs PATCH.SCHEDULE_NEVER_FIRES ${S.neverFiringWindowId}`,
    ]);
    expect(causeOf(S.failedPatchRunInstanceId)).toEqual([
      'ec2-instance-last-patch-run-succeeded PATCH.LAST_RUN_FAILED',
    ]);
    // Its S3 gateway endpoint's policy keeps the patch buckets out: the egress link breaks before the failed run.
    expect(causeOf(S.s3PolicyDeniedInstanceId)).toEqual([
      expect.stringMatching(/^ec2-instance-patch-egress PATCH\.S3_ENDPOINT_POLICY_DENIES vpce-[0-9a-f]{17}$/),
    ]);
    for (const instanceId of S.wrongOsInstanceIds)
      expect(causeOf(instanceId)).toEqual(['ssm-patch-group-has-baseline PATCH.GROUP_NO_BASELINE_FOR_OS']);
    expect(causeOf(F.instanceIdTargetedInstanceIds[0])).toEqual([
      `ec2-instance-patch-targeted-by-tag PATCH.NOT_TARGETED_BY_TAG ${F.instanceIdTargetWindowId}`,
    ]);
    expect(causeOf(F.noPatchGroupTagInstanceId)).toEqual([
      'ec2-instance-patch-group-tagged PATCH.NO_PATCH_GROUP_TAG',
    ]);
    expect(causeOf(F.healthyWebInstanceIds[0])).toEqual([]);
    expect(causeOf(F.inventory.firstInstanceId)).toEqual([]);
  });

  it('gives the CLI on a Config snapshot the live verdict wherever Config data can tell, and ERROR (never a guess) elsewhere', () => {
    let agreed = 0;
    let patchAgreed = 0;
    let patchIncomplete = 0;
    for (const [k, expected] of live) {
      const offline = snapshot.get(k)!;
      if (offline.status === 'ERROR') {
        // Only what Config does not record can be missing: SSM managed nodes, DHMC, windows, VPC DNS attributes,
        // and AWS-managed policy documents (Config records customer-managed policies only; the IAM evaluator
        // embeds a few AWS-managed ones, and any other attached one makes the verdict ERROR).
        if (offline.error?.code === 'IAM_POLICY_UNAVAILABLE') {
          expect(offline.error.message, k).toMatch(/managed policy/);
          expect(expected.status, k).not.toBe('ERROR');
        } else if (offline.error?.code === 'PATCH_STATE_INCOMPLETE') {
          // Patch compliance items carry no operation or operation time: only the patch rules say so.
          expect(offline.error.message, k).toMatch(/^cannot be verified: .*AWS::SSM::PatchCompliance/);
          expect(k, k).toMatch(/^ec2-instance-(patched-recently|no-missing-patches) /);
          patchIncomplete++;
        } else {
          expect(offline.error?.code, k).toBe('DATA_MISSING');
          expect(offline.error?.permission, k).toMatch(/^(ssm:|ec2:DescribeVpcAttribute$)/);
        }
      } else {
        expect(offline.status, k).toBe(expected.status);
        expect(offline.reason, k).toBe(expected.reason);
        if (k.startsWith('ec2-instance-no-missing-patches ')) patchAgreed++;
        agreed++;
      }
    }
    expect(agreed).toBeGreaterThan(0);
    // The Config patch compliance path is exercised both ways: verdicts where it can tell, ERROR where not.
    expect(patchAgreed).toBeGreaterThan(0);
    expect(patchIncomplete).toBeGreaterThan(0);
  });
});
