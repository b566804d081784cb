// One rule, one resource, one verdict: the CLI on live data, the CLI on a Config snapshot file and the Lambda on a
// Config change event agree over the example fleet (where Config data cannot tell, the snapshot says ERROR).

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryFromFleet } from '../../src/collectors/api/index.js';
import { collectFleet } from '../../src/collectors/live/collect-fleet.js';
import { loadInput } from '../../src/cli/load-input.js';
import { loadRuleSet } from '../../src/cli/rule-set.js';
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
];

let world: LambdaWorld;
let dir: string;
let rules: CompiledRule[];
const key = (e: Pick<Evaluation, 'ruleId' | 'resourceId'>): string => `${e.ruleId} ${e.resourceId}`;
let live: Map<string, Evaluation>;
let snapshot: Map<string, Evaluation>;

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
  const liveInventory = inventoryFromFleet(collection, {
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
    expect(compared).toBe(rules.length * SAMPLE.length);
  }, 120_000);

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
