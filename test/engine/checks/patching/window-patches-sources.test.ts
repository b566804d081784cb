// ssm-maintenance-window-patches over the example fleet from every source: live (loopback endpoint) and the AWS CLI
// files give the same verdicts; a Config snapshot, which holds no maintenance windows, gives ERROR naming what is
// missing for the fleet's account and region, never a verdict. The task's Operation comes from
// GetMaintenanceWindowTask where DescribeMaintenanceWindowTasks shows no parameters, and an unreadable call is ERROR.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inventoryFromFleet } from '../../../../src/collectors/api/index.js';
import { loadAwsCliInventory } from '../../../../src/collectors/aws-cli/index.js';
import { collectFleet } from '../../../../src/collectors/live/collect-fleet.js';
import { loadInput } from '../../../../src/cli/load-input.js';
import { loadRuleSet } from '../../../../src/cli/rule-set.js';
import type { CompiledRule } from '../../../../src/engine/compile-rule.js';
import { evaluate } from '../../../../src/engine/evaluate.js';
import type { Evaluation } from '../../../../src/engine/types.js';
import { EXAMPLE_FLEET_FACTS as F, buildExampleFleet } from '../../../../src/generator/example-fleet.js';
import type { Inventory } from '../../../../src/inventory/model.js';
import { fleetToConfigItems } from '../../../collectors/config/fleet-to-config-items.js';
import type { FaultSpec } from '../../../support/aws-endpoint/faults.js';
import { type AwsEndpoint, startAwsEndpoint } from '../../../support/aws-endpoint/start-aws-endpoint.js';

const RULE = 'ssm-maintenance-window-patches';
const EXAMPLES = fileURLToPath(new URL('../../../../examples/example-fleet/', import.meta.url));
const fleet = buildExampleFleet();
const nowMs = Date.parse(fleet.collectedAt);
const FAKE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

let rule: CompiledRule;
let endpoint: AwsEndpoint | undefined;
let dir: string;
beforeAll(async () => {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  rule = (await loadRuleSet({})).rules.find((r) => r.id === RULE)!;
  dir = await mkdtemp(join(tmpdir(), 'ssmguard-window-rule-'));
});
afterEach(async () => {
  await endpoint?.stop();
  endpoint = undefined;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function live(faults: FaultSpec[] = []): Promise<{ inventory: Inventory; calls: number }> {
  endpoint = await startAwsEndpoint({ fleet, faults });
  const collection = await collectFleet({
    regions: [F.region],
    endpointUrl: endpoint.url,
    credentials: FAKE,
    maxAttempts: 1,
    retryMode: 'standard',
  });
  const { inventory } = inventoryFromFleet(collection, {
    kind: 'live',
    inputs: [],
    accounts: [],
    regions: [],
  });
  return { inventory, calls: endpoint.counts.get('ssm:GetMaintenanceWindowTask') ?? 0 };
}

const verdicts = (inventory: Inventory): Map<string, Pick<Evaluation, 'status' | 'reason' | 'message'>> =>
  new Map(
    evaluate(inventory, [rule], { nowMs }).map((e) => [
      e.resourceId,
      { status: e.status, reason: e.reason, message: e.message },
    ]),
  );

describe('ssm-maintenance-window-patches from every source', () => {
  it('gives the same verdict per window live and from the AWS CLI files, reading the Operation with GetMaintenanceWindowTask', async () => {
    // Act
    const fromLive = await live();
    const offline = await loadAwsCliInventory([EXAMPLES]);

    // Assess: one GetMaintenanceWindowTask per task listed without TaskParameters, and nothing else.
    const undescribed = fleet.accounts[0]!.regions[0]!.DescribeMaintenanceWindowTasks.flatMap(
      (r) => r.Tasks as { TaskParameters?: object }[],
    ).filter((t) => Object.keys(t.TaskParameters ?? {}).length === 0);
    expect(undescribed.length).toBeGreaterThan(0);
    expect(fromLive.calls).toBe(undescribed.length);
    const byLive = verdicts(fromLive.inventory);
    expect(byLive).toEqual(verdicts(offline.inventory));
    expect(byLive.size).toBe(
      (fleet.accounts[0]!.regions[0]!.DescribeMaintenanceWindows.WindowIdentities as unknown[]).length,
    );
    expect([...byLive.values()].map((v) => v.status)).toContain('COMPLIANT');
    // The production window's task was registered with TaskInvocationParameters: it passes only thanks to Get.
    expect(byLive.get(F.productionWindowId)?.status).toBe('COMPLIANT');
  }, 60_000);

  it('says ERROR naming the missing windows on a Config snapshot, never a verdict', async () => {
    // Prepare: Config records no maintenance windows (ssmguard maps none of its SSM types into windows).
    const file = join(dir, `${F.accountId}_Config_${F.region}_ConfigSnapshot_20261120T120000Z_0b7c.json.gz`);
    const { gzipSync } = await import('node:zlib');
    await writeFile(
      file,
      gzipSync(
        JSON.stringify({
          fileVersion: '1.0',
          configSnapshotId: '0b7c',
          configurationItems: fleetToConfigItems(fleet),
        }),
      ),
    );

    // Act
    const results = evaluate((await loadInput([file])).inventory, [rule], { nowMs });

    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      ruleId: RULE,
      resourceId: `${F.accountId}/${F.region}`,
      status: 'ERROR',
      reason: 'DATA.MISSING',
      error: { code: 'DATA_MISSING', permission: 'ssm:DescribeMaintenanceWindows' },
    });
    expect(results[0]!.message).toContain('aws ssm describe-maintenance-windows');
  });

  it('says ERROR for the window whose GetMaintenanceWindowTask was denied, and only for it', async () => {
    // Act
    const full = verdicts((await live()).inventory);
    await endpoint!.stop();
    endpoint = undefined;
    const denied = verdicts(
      (await live([{ operation: 'ssm:GetMaintenanceWindowTask', kind: 'access-denied' }])).inventory,
    );

    // Assess
    for (const [windowId, verdict] of denied) {
      if (windowId === F.productionWindowId) {
        expect(verdict.status).toBe('ERROR');
        expect(verdict.reason).toBe('DATA.UNREADABLE');
        expect(verdict.message).toContain('ssm:maintenance-window-task-details');
      } else expect(verdict).toEqual(full.get(windowId));
    }
  }, 60_000);

  it('says "cannot read the Operation" when the AWS CLI files lack the task’s get-maintenance-window-task output', async () => {
    // Prepare: the example fleet without its get-maintenance-window-task file.
    const copy = join(dir, 'no-task-detail');
    const { cp, readdir } = await import('node:fs/promises');
    await cp(EXAMPLES, copy, { recursive: true });
    const regionDir = join(copy, F.accountId, F.region);
    for (const name of await readdir(regionDir))
      if (name.startsWith('ssm-get-maintenance-window-task-')) await rm(join(regionDir, name));

    // Act
    const results = verdicts((await loadAwsCliInventory([copy])).inventory);

    // Assess
    const production = results.get(F.productionWindowId);
    expect(production?.status).toBe('ERROR');
    expect(production?.reason).toBe('PATCH.OPERATION_UNKNOWN');
    expect(production?.message).toContain('cannot read the Operation');
    expect(production?.message).toContain(
      `aws ssm get-maintenance-window-task --window-id ${F.productionWindowId}`,
    );
  });
});
