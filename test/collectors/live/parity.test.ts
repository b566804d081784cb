// Live and offline give the same inventory and the same evaluations for one fleet, across many pages, with
// the fewest calls; the loopback endpoint serves the fleet, writeAwsCliFiles writes it for the offline side.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FleetApiData } from '../../../src/collectors/api/api-data.js';
import { inventoryFromFleet } from '../../../src/collectors/api/build-inventory.js';
import { assertNoInputErrors, loadAwsCliInventory } from '../../../src/collectors/aws-cli/index.js';
import { collectFleet } from '../../../src/collectors/live/collect-fleet.js';
import { loadRuleSet } from '../../../src/cli/rule-set.js';
import { evaluate } from '../../../src/engine/evaluate.js';
import { generateFleet } from '../../../src/generator/generate-fleet.js';
import { writeAwsCliFiles } from '../../../src/generator/write-aws-cli-files.js';
import type { Inventory } from '../../../src/inventory/model.js';
import { type AwsEndpoint, startAwsEndpoint } from '../../support/aws-endpoint/start-aws-endpoint.js';
import { FAKE_CREDENTIALS, minimumApiCalls } from './live-test-kit.js';

beforeAll(() => {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});

let endpoint: AwsEndpoint | undefined;
const folders: string[] = [];
afterEach(async () => {
  await endpoint?.stop();
  endpoint = undefined;
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function liveInventory(fleet: FleetApiData): Promise<{ inventory: Inventory; apiCalls: number }> {
  endpoint = await startAwsEndpoint({ fleet });
  const collection = await collectFleet({
    regions: fleet.accounts[0]!.regions.map((region) => region.region),
    endpointUrl: endpoint.url,
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
    // The run history is dated from the fleet's time: read it back from there, as the offline side judges it.
    now: fleet.collectedAt,
  });
  const { inventory, issues } = inventoryFromFleet(collection, {
    kind: 'live',
    inputs: [],
    accounts: [],
    regions: [],
  });
  expect(issues).toEqual([]);
  return { inventory, apiCalls: Object.values(collection.apiCalls).reduce((sum, count) => sum + count, 0) };
}

async function offlineInventory(fleet: FleetApiData): Promise<Inventory> {
  const dir = mkdtempSync(join(tmpdir(), 'ssmguard-parity-'));
  folders.push(dir);
  await writeAwsCliFiles(fleet, dir);
  const loaded = await loadAwsCliInventory([dir]);
  assertNoInputErrors(loaded);
  expect(loaded.issues).toEqual([]);
  return loaded.inventory;
}

/**
 * The model without where it came from: offline coverage has one entry per file (origin = the file), live one
 * per API kind, so coverage is compared as the set of (family, account, region, status) it states.
 */
function model(inventory: Inventory): Omit<Inventory, 'source' | 'coverage'> & { coverage: string[] } {
  const { source: _source, coverage, ...collections } = inventory;
  const stated = new Set(
    coverage.map(
      (entry) => `${entry.family} ${entry.accountId ?? '*'} ${entry.region ?? '*'} ${entry.status}`,
    ),
  );
  return { ...collections, coverage: [...stated].sort() };
}

describe('live and offline parity', () => {
  it('maps a many-page fleet to the same model and the same evaluations, losing nothing across pages', async () => {
    // Prepare: 2,500 instances → 3 DescribeInstances pages, ~40 DescribeInstanceInformation pages.
    const fleet = generateFleet({
      seed: 31,
      instances: 2_500,
      instancesPerVpc: 300,
      regions: ['us-east-1', 'us-west-2'],
    });
    const ruleSet = await loadRuleSet({});
    const nowMs = Date.parse(fleet.collectedAt);

    // Act
    const live = await liveInventory(fleet);
    const offline = await offlineInventory(fleet);

    // Assess
    const served = fleet.accounts[0]!;
    const servedInstances = served.regions.reduce(
      (sum, region) =>
        sum +
        (region.DescribeInstances.Reservations as { Instances: unknown[] }[]).reduce(
          (n, r) => n + r.Instances.length,
          0,
        ),
      0,
    );
    const servedNodes = served.regions.reduce(
      (sum, region) => sum + (region.DescribeInstanceInformation.InstanceInformationList as unknown[]).length,
      0,
    );
    expect(live.inventory.instances).toHaveLength(servedInstances);
    expect(live.inventory.managedNodes).toHaveLength(servedNodes);
    expect(endpoint!.counts.get('ec2:DescribeInstances')).toBeGreaterThanOrEqual(3);
    expect(endpoint!.counts.get('ssm:DescribeInstanceInformation')).toBeGreaterThanOrEqual(servedNodes / 50);
    expect(live.inventory.coverage.filter((entry) => entry.status !== 'read')).toEqual([]);
    expect(model(live.inventory)).toEqual(model(offline));
    expect(evaluate(live.inventory, ruleSet.rules, { nowMs })).toEqual(
      evaluate(offline, ruleSet.rules, { nowMs }),
    );
  }, 90_000);

  it('makes API calls within 3% of the fewest pages that can read the fleet', async () => {
    const fleet = generateFleet({ seed: 32, instances: 3_000, instancesPerVpc: 250 });

    const live = await liveInventory(fleet);

    const minimum = minimumApiCalls(fleet.accounts);
    expect(live.apiCalls).toBeGreaterThanOrEqual(minimum);
    expect(live.apiCalls).toBeLessThanOrEqual(Math.ceil(minimum * 1.03));
    expect(endpoint!.totalCalls()).toBe(live.apiCalls);
  });
});
