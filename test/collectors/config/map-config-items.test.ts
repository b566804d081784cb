// The Config item source agrees with the API mappers: the same fleet as API responses and as Config items maps
// to the same model for every field both carry, in both item shapes; snapshot files and query results load.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryFromFleet } from '../../../src/collectors/api/index.js';
import type { FleetApiData } from '../../../src/collectors/api/api-data.js';
import {
  configItemsOf,
  mapConfigItems,
  normaliseConfigurationItem,
  recognizeConfigDocument,
} from '../../../src/collectors/config/index.js';
import { loadInput } from '../../../src/cli/load-input.js';
import { buildExampleFleet } from '../../../src/generator/example-fleet.js';
import { generateFleet } from '../../../src/generator/generate-fleet.js';
import type { Inventory } from '../../../src/inventory/model.js';
import { fleetToConfigItems, toApiFormItem } from './fleet-to-config-items.js';

const SHARED = [
  'instances',
  'securityGroups',
  'subnets',
  'routeTables',
  'networkAcls',
  'vpcEndpoints',
  'roles',
  'instanceProfiles',
] as const;

function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function viaApi(fleet: FleetApiData): Inventory {
  return inventoryFromFleet(fleet, { kind: 'fixture', inputs: [], accounts: [], regions: [] }).inventory;
}

function viaConfig(fleet: FleetApiData, form: 'event' | 'api'): Inventory {
  const raw = fleetToConfigItems(fleet);
  const items = raw.map((item, i) =>
    normaliseConfigurationItem(form === 'api' ? toApiFormItem(item) : item, `[${i}]`),
  );
  const result = mapConfigItems(items);
  expect(result.issues).toEqual([]);
  return result.inventory;
}

function expectAgreement(api: Inventory, config: Inventory): void {
  for (const name of SHARED) {
    expect(plain(config[name]), name).toEqual(plain(api[name]));
  }
  // VPC DNS attributes come from DescribeVpcAttribute, which Config does not record.
  expect(plain(config.vpcs)).toEqual(
    plain(api.vpcs.map(({ enableDnsSupport: _s, enableDnsHostnames: _h, ...vpc }) => vpc)),
  );
  // Config records customer-managed policies only; AWS-managed ones are embedded in the IAM evaluator.
  expect(plain(config.managedPolicies)).toEqual(plain(api.managedPolicies.filter((p) => !p.isAwsManaged)));
}

describe('mapConfigItems agrees with the API mappers', () => {
  it('maps the example fleet as event-form items to the same model as its API responses', () => {
    const fleet = buildExampleFleet();
    expectAgreement(viaApi(fleet), viaConfig(fleet, 'event'));
  });

  it('maps API-form items (configuration as a JSON string) to the same model', () => {
    const fleet = buildExampleFleet();
    expectAgreement(viaApi(fleet), viaConfig(fleet, 'api'));
  });

  it('agrees on a generated multi-region fleet with endpoints, NACLs and broken roles', () => {
    const fleet = generateFleet({ seed: 3, instances: 400, regions: ['us-east-1', 'eu-west-1'] });
    expectAgreement(viaApi(fleet), viaConfig(fleet, 'event'));
  });

  it('marks only the families Config recorded as read, leaving SSM families without coverage', () => {
    const inventory = viaConfig(buildExampleFleet(), 'event');
    const read = new Set(inventory.coverage.filter((c) => c.status === 'read').map((c) => c.family));
    expect(read).toEqual(
      new Set([
        'ec2:instances',
        'ec2:security-groups',
        'ec2:vpcs',
        'ec2:subnets',
        'ec2:route-tables',
        'ec2:network-acls',
        'ec2:vpc-endpoints',
        'ec2:nat-gateways',
        // The example fleet has no egress-only gateway, so Config recorded none and that family stays unread.
        'ec2:internet-gateways',
        'iam:authorization-details',
      ]),
    );
    expect(inventory.source.kind).toBe('config');
  });

  it('leaves deleted items and unmapped types out, counting them', () => {
    const [instance] = fleetToConfigItems(buildExampleFleet()).filter(
      (i) => i.resourceType === 'AWS::EC2::Instance',
    );
    const deleted = normaliseConfigurationItem({
      ...instance,
      configurationItemStatus: 'ResourceDeleted',
      configuration: null,
    });
    const inventoryItem = normaliseConfigurationItem({
      ...instance,
      resourceType: 'AWS::SSM::ManagedInstanceInventory',
    });
    const result = mapConfigItems([deleted, inventoryItem]);
    expect(result.inventory.instances).toEqual([]);
    expect(result.skipped).toEqual({
      'AWS::EC2::Instance (ResourceDeleted)': 1,
      'AWS::SSM::ManagedInstanceInventory': 1,
    });
  });
});

describe('Config documents', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ssmguard-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('recognises snapshots, history/batch outputs, query results and query rows by content', () => {
    expect(
      recognizeConfigDocument({ fileVersion: '1.0', configSnapshotId: 'x', configurationItems: [] }),
    ).toBe('snapshot');
    expect(recognizeConfigDocument({ baseConfigurationItems: [] })).toBe('batch');
    expect(
      recognizeConfigDocument({
        Results: ['{"resourceType":"AWS::EC2::VPC","resourceId":"vpc-1"}'],
        QueryInfo: {},
      }),
    ).toBe('query-results');
    expect(recognizeConfigDocument([{ resourceType: 'AWS::EC2::VPC', resourceId: 'vpc-1' }])).toBe(
      'query-rows',
    );
    expect(recognizeConfigDocument({ Reservations: [] })).toBeUndefined();
  });

  it('scans a gzipped S3 snapshot file to the same inventory as the API responses', async () => {
    // Prepare
    const fleet = buildExampleFleet();
    const snapshot = {
      fileVersion: '1.0',
      configSnapshotId: '9e7b2c1a-0000-4000-8000-000000000001',
      configurationItems: fleetToConfigItems(fleet),
    };
    const file = join(dir, '111122223333_Config_us-east-1_ConfigSnapshot_20261120T120000Z_9e7b2c1a.json.gz');
    await writeFile(file, gzipSync(JSON.stringify(snapshot)));

    // Act
    const loaded = await loadInput([dir]);

    // Assess
    expect(loaded.inventory.source.kind).toBe('config');
    expect(loaded.inventory.source.inputs).toEqual([file]);
    expectAgreement(viaApi(fleet), loaded.inventory);
  });

  it('reads advanced-query results whose rows are JSON strings with tags as a list', () => {
    const [instance] = fleetToConfigItems(buildExampleFleet()).filter(
      (i) => i.resourceType === 'AWS::EC2::Instance' && Object.keys(i.tags as object).length > 0,
    );
    const tags = Object.entries(instance!.tags as Record<string, string>).map(([key, value]) => ({
      key,
      value,
      tag: `${key}=${value}`,
    }));
    const row = {
      resourceId: instance!.resourceId,
      resourceType: instance!.resourceType,
      accountId: instance!.awsAccountId,
      awsRegion: instance!.awsRegion,
      configuration: instance!.configuration,
      tags,
    };
    const document = configItemsOf(
      { Results: [JSON.stringify(row)], QueryInfo: { SelectFields: [{ Name: 'resourceId' }] } },
      'query.json',
    );
    const { inventory } = mapConfigItems(document!.items);
    expect(inventory.instances).toHaveLength(1);
    expect({ ...inventory.instances[0]!.tags }).toEqual(instance!.tags);
  });

  it('fails closed on advanced-query results that are one page of several (NextToken): no family counts as read', async () => {
    // Prepare: the first page of `aws configservice select-resource-config --max-items …`
    const items = fleetToConfigItems(buildExampleFleet());
    const rows = items.slice(0, 20).map((item) => JSON.stringify(toApiFormItem(item)));
    const file = join(dir, 'query-page-1.json');
    await writeFile(file, JSON.stringify({ Results: rows, QueryInfo: {}, NextToken: 'eyJuZXh0IjoyfQ==' }));

    // Act
    const loaded = await loadInput([file]);

    // Assess
    const { coverage } = loaded.inventory;
    expect(coverage.filter((entry) => entry.status === 'read')).toEqual([]);
    expect(coverage.some((entry) => entry.error?.code === 'RESPONSE_TRUNCATED')).toBe(true);
    expect(loaded.warnings.some((warning) => warning.includes('NextToken'))).toBe(true);
  });
});
