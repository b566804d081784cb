// The Lambda's page-by-page mapping (mappingFold + addMappedAccount) gives the inventory the CLI's path gives
// (CLI JSON merged over pages, then inventoryFromFleet), across many pages, per-window reads and failures.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CollectedAccountData, FleetApiData } from '../../../src/collectors/api/api-data.js';
import { inventoryFromFleet } from '../../../src/collectors/api/build-inventory.js';
import { InventoryBuilder } from '../../../src/collectors/api/inventory-builder.js';
import { createApiCallCounter } from '../../../src/collectors/live/api-call-counter.js';
import { awsClients, type ClientSettings } from '../../../src/collectors/live/aws-clients.js';
import { collectEc2, collectEc2With } from '../../../src/collectors/live/collect-ec2.js';
import { collectIam, collectIamWith } from '../../../src/collectors/live/collect-iam.js';
import { collectSsm, collectSsmWith } from '../../../src/collectors/live/collect-ssm.js';
import {
  addMappedAccount,
  mappingFold,
  type MappedAccount,
} from '../../../src/collectors/live/mapping-fold.js';
import { generateFleet } from '../../../src/generator/generate-fleet.js';
import type { Inventory, SourceMetadata } from '../../../src/inventory/model.js';
import {
  type AwsEndpoint,
  type FaultSpec,
  startAwsEndpoint,
} from '../../support/aws-endpoint/start-aws-endpoint.js';
import { FAKE_CREDENTIALS } from './live-test-kit.js';

beforeAll(() => {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});

let endpoint: AwsEndpoint | undefined;
afterEach(async () => {
  await endpoint?.stop();
  endpoint = undefined;
});

const SOURCE: SourceMetadata = {
  kind: 'live',
  inputs: ['test'],
  accounts: [],
  regions: [],
  collectedAt: '2026-11-20T12:00:00.000Z',
};

/** Reads one account and region both ways with the same clients; returns both inventories and their issues. */
async function bothWays(
  fleet: FleetApiData,
  faults: FaultSpec[] = [],
): Promise<{ cli: Inventory; mapped: Inventory; issues: unknown[] }> {
  endpoint = await startAwsEndpoint({ fleet, faults });
  const { accountId, regions } = fleet.accounts[0]!;
  const region = regions[0]!.region;
  const settings: ClientSettings = {
    counter: createApiCallCounter(),
    credentials: FAKE_CREDENTIALS,
    endpointUrl: endpoint.url,
    maxAttempts: 1,
  };
  const ec2 = awsClients.ec2(settings, region);
  const ssm = awsClients.ssm(settings, region);
  const iam = awsClients.iam(settings);
  const options = { accountId };
  try {
    const [cliEc2, cliSsm, cliIam] = await Promise.all([
      collectEc2(ec2, region, options),
      collectSsm(ssm, region, options),
      collectIam(iam, options),
    ]);
    const cliAccount: CollectedAccountData = {
      accountId,
      ...(cliIam.GetAccountAuthorizationDetails !== undefined && {
        GetAccountAuthorizationDetails: cliIam.GetAccountAuthorizationDetails,
      }),
      failures: cliIam.failures,
      regions: [
        { accountId, region, ...cliEc2, ...cliSsm, failures: [...cliEc2.failures, ...cliSsm.failures] },
      ],
    };
    const cli = inventoryFromFleet({ accounts: [cliAccount] }, SOURCE);

    const fold = mappingFold(accountId, region);
    const [mappedEc2, mappedSsm, mappedIam] = await Promise.all([
      collectEc2With(fold, ec2, region, options),
      collectSsmWith(fold, ssm, region, options),
      collectIamWith(fold, iam, options),
    ]);
    const mappedAccount: MappedAccount = {
      accountId,
      ...(mappedIam.GetAccountAuthorizationDetails !== undefined && {
        GetAccountAuthorizationDetails: mappedIam.GetAccountAuthorizationDetails,
      }),
      failures: mappedIam.failures,
      regions: [
        {
          accountId,
          region,
          ...mappedEc2,
          ...mappedSsm,
          failures: [...mappedEc2.failures, ...mappedSsm.failures],
        },
      ],
    };
    const builder = new InventoryBuilder();
    addMappedAccount(builder, mappedAccount);
    const mapped = builder.build(SOURCE);
    expect(mapped.issues).toEqual(cli.issues);
    return { cli: cli.inventory, mapped: mapped.inventory, issues: mapped.issues };
  } finally {
    for (const client of [ec2, ssm, iam]) client.destroy();
  }
}

describe('mappingFold', () => {
  it('maps a many-page account page by page to exactly the inventory the merged CLI JSON gives', async () => {
    // Prepare: 2,500 instances → 3 DescribeInstances pages and ~50 DescribeInstanceInformation pages.
    const fleet = generateFleet({ seed: 33, instances: 2_500, instancesPerVpc: 300 });

    // Act
    const { cli, mapped, issues } = await bothWays(fleet);

    // Assess
    expect(issues).toEqual([]);
    expect(endpoint!.counts.get('ec2:DescribeInstances')).toBeGreaterThanOrEqual(2 * 3);
    expect(mapped.instances).toHaveLength(2_500);
    expect(mapped.maintenanceWindowTasks.length).toBeGreaterThan(0);
    expect(mapped.coverage.filter((entry) => entry.status !== 'read')).toEqual([]);
    expect(mapped).toEqual(cli);
  }, 90_000);

  it('records the same failures, dependent failures and per-window errors as the CLI path', async () => {
    // Prepare
    const fleet = generateFleet({ seed: 34, instances: 300 });
    const faults: FaultSpec[] = [
      { operation: 'ec2:DescribeVpcs', kind: 'access-denied' },
      { operation: 'ssm:DescribeMaintenanceWindowTasks', kind: 'access-denied' },
      { operation: 'iam:GetAccountAuthorizationDetails', kind: 'access-denied' },
    ];

    // Act
    const { cli, mapped } = await bothWays(fleet, faults);

    // Assess
    const failed = mapped.coverage.filter((entry) => entry.status === 'error').map((entry) => entry.family);
    expect(failed).toEqual(
      expect.arrayContaining([
        'ec2:vpcs',
        'ec2:vpc-attributes',
        'ssm:maintenance-window-tasks',
        'iam:authorization-details',
      ]),
    );
    expect(mapped.instances).toHaveLength(300);
    expect(mapped).toEqual(cli);
  });
});
