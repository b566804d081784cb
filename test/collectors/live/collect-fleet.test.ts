// Live collection against the loopback AWS endpoint: round trips, pagination, retries, failures, accounts.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiJson, FleetApiData, RegionApiData } from '../../../src/collectors/api/api-data.js';
import { collectFleet, type CollectFleetOptions } from '../../../src/collectors/live/collect-fleet.js';
import { LiveScanError } from '../../../src/collectors/live/live-scan-error.js';
import { generateFleet } from '../../../src/generator/generate-fleet.js';
import { type AwsEndpoint, startAwsEndpoint } from '../../support/aws-endpoint/start-aws-endpoint.js';
import {
  byWindow,
  expectedGaad,
  FAKE_CREDENTIALS,
  minimumApiCalls,
  REGION_KEYS,
  runEntries,
} from './live-test-kit.js';

// No test may reach IMDS or a real AWS endpoint: explicit credentials and endpoint everywhere, IMDS off.
beforeAll(() => {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});

let endpoint: AwsEndpoint | undefined;
afterEach(async () => {
  await endpoint?.stop();
  endpoint = undefined;
});

async function scan(
  fleet: FleetApiData,
  options: Partial<CollectFleetOptions> & { faults?: Parameters<typeof startAwsEndpoint>[0]['faults'] } = {},
) {
  const { faults, ...rest } = options;
  endpoint = await startAwsEndpoint({ fleet, ...(faults && { faults }) });
  return collectFleet({
    regions: fleet.accounts[0]?.regions.map((region) => region.region) ?? ['us-east-1'],
    endpointUrl: endpoint.url,
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
    retryMode: 'standard',
    // The run history is read back from the fleet's own time, as its runs are dated from it.
    now: fleet.collectedAt,
    ...rest,
  });
}

function gaadLists(details: Record<string, unknown> | undefined): Record<string, unknown> {
  return { RoleDetailList: details?.RoleDetailList, Policies: details?.Policies };
}

const RUN_HISTORY: Partial<Record<string, [string, string]>> = {
  DescribeMaintenanceWindowExecutions: ['WindowExecutions', 'WindowExecutionId'],
  DescribeMaintenanceWindowExecutionTasks: ['WindowExecutionTaskIdentities', 'TaskExecutionId'],
  DescribeMaintenanceWindowExecutionTaskInvocations: [
    'WindowExecutionTaskInvocationIdentities',
    'InvocationId',
  ],
};

function expectRegionEqual(collected: Record<string, unknown>, served: RegionApiData): void {
  for (const key of REGION_KEYS) {
    if (key === 'DescribeMaintenanceWindowTargets') {
      expect(byWindow(collected[key] as never, 'Targets'), key).toEqual(byWindow(served[key], 'Targets'));
    } else if (key === 'DescribeMaintenanceWindowTasks') {
      expect(byWindow(collected[key] as never, 'Tasks'), key).toEqual(byWindow(served[key], 'Tasks'));
    } else if (key in RUN_HISTORY) {
      const [listKey, id] = RUN_HISTORY[key]!;
      expect(runEntries(collected[key] as never, listKey, id), key).toEqual(
        runEntries(served[key] as ApiJson[] | undefined, listKey, id),
      );
    } else {
      expect(collected[key], key).toEqual(served[key]);
    }
  }
}

describe('collectFleet against the loopback endpoint', () => {
  it('reads back every served field of every family unchanged', async () => {
    // Prepare
    const fleet = generateFleet({ seed: 11, instances: 300, regions: ['us-east-1', 'eu-west-1'] });

    // Act
    const result = await scan(fleet);

    // Assess
    const [account] = result.accounts;
    const served = fleet.accounts[0]!;
    expect(account?.accountId).toBe(served.accountId);
    expect(account?.failures).toEqual([]);
    expect(gaadLists(account?.GetAccountAuthorizationDetails)).toEqual(expectedGaad(served));
    expect(account?.regions.map((region) => region.region)).toEqual(['us-east-1', 'eu-west-1']);
    for (const [index, region] of (account?.regions ?? []).entries()) {
      expect(region.failures).toEqual([]);
      expectRegionEqual(region, served.regions[index]!);
    }
  });

  it('loses nothing across many pages and makes the minimum number of calls', async () => {
    // Prepare
    const fleet = generateFleet({ seed: 5, instances: 2_500, instancesPerVpc: 400 });
    const served = fleet.accounts[0]!;

    // Act
    const result = await scan(fleet, { concurrency: 4 });

    // Assess
    const region = result.accounts[0]!.regions[0]!;
    expectRegionEqual(region, served.regions[0]!);
    expect(result.apiCalls['ec2:DescribeInstances']).toBe(3);
    expect(result.apiCalls['ssm:DescribeInstanceInformation']).toBeGreaterThan(10);
    const total = Object.values(result.apiCalls).reduce((sum, count) => sum + count, 0);
    const minimum = minimumApiCalls(fleet.accounts);
    expect(total).toBeGreaterThanOrEqual(minimum);
    expect(total).toBeLessThanOrEqual(Math.ceil(minimum * 1.03));
    expect(endpoint?.totalCalls()).toBe(total);
  });

  it('survives injected throttling on EC2, IAM and SSM with nothing lost', async () => {
    // Prepare
    const fleet = generateFleet({ seed: 3, instances: 400 });
    const faults = [
      { operation: 'ec2:DescribeInstances', kind: 'throttle' as const, firstN: 2 },
      { operation: 'iam:GetAccountAuthorizationDetails', kind: 'throttle' as const, firstN: 1 },
      { operation: 'ssm:DescribeInstanceInformation', kind: 'throttle' as const, fraction: 0.25, seed: 7 },
      { operation: 'ec2:DescribeSubnets', kind: 'server-error' as const, firstN: 1 },
    ];

    // Act
    const result = await scan(fleet, { faults, maxAttempts: 5 });

    // Assess
    const account = result.accounts[0]!;
    expect(account.failures).toEqual([]);
    expect(account.regions[0]!.failures).toEqual([]);
    expectRegionEqual(account.regions[0]!, fleet.accounts[0]!.regions[0]!);
    expect(gaadLists(account.GetAccountAuthorizationDetails)).toEqual(expectedGaad(fleet.accounts[0]!));
    // Retried requests are counted by both sides.
    expect(result.apiCalls['ec2:DescribeInstances']).toBe(3);
    expect(result.apiCalls['iam:GetAccountAuthorizationDetails']).toBe(2);
    expect(result.apiCalls['ec2:DescribeSubnets']).toBe(2);
    expect(result.apiCalls).toEqual(Object.fromEntries([...endpoint!.counts.entries()].sort()));
  }, 60_000);

  it('tells each request as it leaves, and which of them were retries', async () => {
    // Prepare: three retries for sure (two of one EC2 call, one of GAAD), nothing else fails.
    const fleet = generateFleet({ seed: 5, instances: 20 });
    const faults = [
      { operation: 'ec2:DescribeInstances', kind: 'throttle' as const, firstN: 2 },
      { operation: 'iam:GetAccountAuthorizationDetails', kind: 'throttle' as const, firstN: 1 },
    ];
    const heard: [number, number][] = [];

    // Act
    const result = await scan(fleet, {
      faults,
      maxAttempts: 5,
      retryBaseDelayMs: 1,
      onApiCall: (_operation, total, retries) => heard.push([total, retries]),
    });

    // Assess
    const [total, retries] = heard.at(-1)!;
    expect(retries).toBe(3);
    expect(total).toBe(endpoint!.totalCalls());
    expect(total).toBe(Object.values(result.apiCalls).reduce((sum, count) => sum + count, 0));
    expect(heard.map(([n]) => n)).toEqual(heard.map((_, index) => index + 1));
  });

  it('records AccessDenied on one operation as a failure of that kind only', async () => {
    // Prepare
    const fleet = generateFleet({ seed: 4, instances: 120 });
    const faults = [{ operation: 'ssm:DescribeInstanceInformation', kind: 'access-denied' as const }];

    // Act
    const result = await scan(fleet, { faults });

    // Assess
    const region = result.accounts[0]!.regions[0]!;
    // Patch states are read for the listed nodes: without the list they are unreadable too.
    expect(region.failures).toEqual([
      { kind: 'ssm:DescribeInstanceInformation', code: 'AccessDeniedException', message: expect.any(String) },
      {
        kind: 'ssm:DescribeInstancePatchStates',
        code: 'AccessDeniedException',
        message: expect.stringMatching(/^not read: ssm:DescribeInstanceInformation failed/),
      },
    ]);
    expect(region.DescribeInstanceInformation).toBeUndefined();
    expect(region.DescribeInstancePatchStates).toBeUndefined();
    expect(region.DescribeInstances).toEqual(fleet.accounts[0]!.regions[0]!.DescribeInstances);
    expect(region.DescribeMaintenanceWindows).toEqual(
      fleet.accounts[0]!.regions[0]!.DescribeMaintenanceWindows,
    );
    expect(result.accounts[0]!.failures).toEqual([]);
  });

  it('records AccessDenied on the patch states as a failure of that kind only, with every node still read', async () => {
    // Prepare
    const fleet = generateFleet({ seed: 4, instances: 120 });
    const faults = [{ operation: 'ssm:DescribeInstancePatchStates', kind: 'access-denied' as const }];

    // Act
    const result = await scan(fleet, { faults });

    // Assess
    const region = result.accounts[0]!.regions[0]!;
    expect(region.failures).toEqual([
      { kind: 'ssm:DescribeInstancePatchStates', code: 'AccessDeniedException', message: expect.any(String) },
    ]);
    expect(region.DescribeInstancePatchStates).toBeUndefined();
    expect(region.DescribeInstanceInformation).toEqual(
      fleet.accounts[0]!.regions[0]!.DescribeInstanceInformation,
    );
  });

  it('marks VPC attributes unreadable when DescribeVpcs is unauthorized, and IAM when GAAD is denied', async () => {
    // Prepare
    const fleet = generateFleet({ seed: 4, instances: 60 });
    const faults = [
      { operation: 'ec2:DescribeVpcs', kind: 'access-denied' as const },
      { operation: 'iam:GetAccountAuthorizationDetails', kind: 'access-denied' as const },
    ];

    // Act
    const result = await scan(fleet, { faults });

    // Assess
    const account = result.accounts[0]!;
    expect(account.failures.map((failure) => [failure.kind, failure.code])).toEqual([
      ['iam:GetAccountAuthorizationDetails', 'AccessDenied'],
    ]);
    expect(account.GetAccountAuthorizationDetails).toBeUndefined();
    expect(account.regions[0]!.failures.map((failure) => [failure.kind, failure.code])).toEqual([
      ['ec2:DescribeVpcs', 'UnauthorizedOperation'],
      ['ec2:DescribeVpcAttribute', 'UnauthorizedOperation'],
    ]);
    expect(account.regions[0]!.DescribeSubnets).toEqual(fleet.accounts[0]!.regions[0]!.DescribeSubnets);
  });

  it('scans every organization account through AssumeRole, each with its own data', async () => {
    // Prepare
    const fleet = generateFleet({
      seed: 9,
      instances: 240,
      accounts: 3,
      regions: ['us-east-1', 'us-west-2'],
    });

    // Act
    const result = await scan(fleet, { roleName: 'SsmGuardAudit', organization: true, concurrency: 6 });

    // Assess
    expect(result.accounts.map((account) => account.accountId)).toEqual(
      fleet.accounts.map((account) => account.accountId),
    );
    for (const [index, account] of result.accounts.entries()) {
      const served = fleet.accounts[index]!;
      expect(gaadLists(account.GetAccountAuthorizationDetails)).toEqual(expectedGaad(served));
      account.regions.forEach((region, regionIndex) =>
        expectRegionEqual(region, served.regions[regionIndex]!),
      );
    }
    expect(result.apiCalls['sts:AssumeRole']).toBe(3);
    expect(result.apiCalls['organizations:ListAccounts']).toBe(1);
  });

  it('discovers regions with DescribeRegions and fails closed for an account whose role cannot be assumed', async () => {
    // Prepare
    const fleet = generateFleet({ seed: 2, instances: 80, accounts: 2, regions: ['eu-west-1', 'us-east-1'] });
    const [first, second] = fleet.accounts.map((account) => account.accountId);

    // Act
    const result = await scan(fleet, {
      regions: 'all',
      roleName: 'Audit',
      accounts: [first!, '123456789012', second!],
    });

    // Assess
    expect(result.accounts.map((account) => account.accountId)).toEqual([first, '123456789012', second]);
    expect(result.accounts[0]!.regions.map((region) => region.region)).toEqual(['eu-west-1', 'us-east-1']);
    expect(result.accounts[1]!.failures).toEqual([
      {
        kind: 'iam:GetAccountAuthorizationDetails',
        code: 'AccessDenied',
        message: expect.stringContaining('AssumeRole'),
      },
    ]);
    expect(result.accounts[1]!.regions).toEqual([]);
    expectRegionEqual(
      result.accounts[2]!.regions[1]!,
      fleet.accounts[1]!.regions.find((r) => r.region === 'us-east-1')!,
    );
  });

  it('aborts with LIVE_CREDENTIALS_INVALID when AWS rejects the credentials', async () => {
    const fleet = generateFleet({ seed: 1, instances: 10 });
    const error = await scan(fleet, {
      credentials: { accessKeyId: 'AKIA999999999999ZZZZ', secretAccessKey: 'x' },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LiveScanError);
    expect(error).toMatchObject({ code: 'LIVE_CREDENTIALS_INVALID', name: 'LiveScanError' });
  });

  it('aborts with LIVE_NETWORK_UNREACHABLE when nothing listens at the endpoint', async () => {
    const closed = await startAwsEndpoint({ fleet: generateFleet({ seed: 1, instances: 1 }) });
    await closed.stop();
    const error = await collectFleet({
      regions: ['us-east-1'],
      endpointUrl: closed.url,
      credentials: FAKE_CREDENTIALS,
      maxAttempts: 1,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'LIVE_NETWORK_UNREACHABLE', name: 'LiveScanError' });
  });
});
