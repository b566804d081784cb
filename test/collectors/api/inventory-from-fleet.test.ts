// inventoryFromFleet and InventoryBuilder: coverage (read / error / absent), merging and de-duplication.

import { describe, expect, it } from 'vitest';
import type { CollectedAccountData } from '../../../src/collectors/api/api-data.js';
import { inventoryFromFleet } from '../../../src/collectors/api/build-inventory.js';
import { InventoryBuilder } from '../../../src/collectors/api/inventory-builder.js';
import type { SourceMetadata } from '../../../src/inventory/model.js';

const ACCOUNT = '111122223333';
const SOURCE: SourceMetadata = { kind: 'live', inputs: [], accounts: [], regions: [] };

function collected(overrides: Partial<CollectedAccountData> = {}): CollectedAccountData {
  return {
    accountId: ACCOUNT,
    failures: [],
    GetAccountAuthorizationDetails: { RoleDetailList: [], Policies: [] },
    regions: [
      {
        accountId: ACCOUNT,
        region: 'us-east-1',
        failures: [
          {
            kind: 'ssm:DescribeActivations',
            code: 'AccessDeniedException',
            message: 'User is not authorized to perform: ssm:DescribeActivations',
          },
        ],
        DescribeInstances: {
          Reservations: [
            { OwnerId: ACCOUNT, Instances: [{ InstanceId: 'i-1', State: { Name: 'running' } }] },
          ],
        },
        DescribeVpcs: { Vpcs: [{ VpcId: 'vpc-1', OwnerId: ACCOUNT }] },
        DescribeVpcAttribute: [
          { VpcId: 'vpc-1', EnableDnsSupport: { Value: true } },
          { VpcId: 'vpc-1', EnableDnsHostnames: { Value: false } },
        ],
        DescribeMaintenanceWindows: { WindowIdentities: [] },
        DescribeMaintenanceWindowTargets: [],
        GetServiceSetting: {
          ServiceSetting: {
            SettingId: '/ssm/managed-instance/default-ec2-instance-management-role',
            SettingValue: '$None',
          },
        },
      },
    ],
    ...overrides,
  };
}

function coverageOf(data: Parameters<typeof inventoryFromFleet>[0]): string[] {
  return inventoryFromFleet(data, SOURCE).inventory.coverage.map(
    (c) =>
      `${c.family} ${c.accountId ?? '*'} ${c.region ?? '*'} ${c.status}${c.error ? ` ${c.error.code} ${c.error.permission ?? ''}` : ''}`,
  );
}

describe('inventoryFromFleet', () => {
  it('records read for responses present, error for failures, and nothing for families absent', () => {
    expect(coverageOf({ accounts: [collected()] })).toEqual([
      'iam:authorization-details 111122223333 global read',
      'ec2:instances 111122223333 us-east-1 read',
      'ec2:vpcs 111122223333 us-east-1 read',
      'ec2:vpc-attributes 111122223333 us-east-1 read',
      'ssm:maintenance-windows 111122223333 us-east-1 read',
      'ssm:maintenance-window-targets 111122223333 us-east-1 read',
      'ssm:dhmc-setting 111122223333 us-east-1 read',
      'ssm:activations 111122223333 us-east-1 error AccessDeniedException ssm:DescribeActivations',
      // No windows: targets were read vacuously above, and so are tasks (no per-window call to make).
      'ssm:maintenance-window-tasks 111122223333 us-east-1 read',
      // …and so are the tasks' GetMaintenanceWindowTask details.
      'ssm:maintenance-window-task-details 111122223333 us-east-1 read',
      // Likewise the run history: no windows, no runs, no task runs, no invocations to read.
      'ssm:maintenance-window-executions 111122223333 us-east-1 read',
      'ssm:maintenance-window-execution-tasks 111122223333 us-east-1 read',
      'ssm:maintenance-window-execution-task-invocations 111122223333 us-east-1 read',
    ]);
  });

  it('records an IAM failure in region "global" and an account-level regional failure for every region', () => {
    // Prepare
    const account = collected({
      GetAccountAuthorizationDetails: undefined,
      failures: [
        { kind: 'iam:GetAccountAuthorizationDetails', code: 'AccessDenied', message: 'denied' },
        { kind: 'ec2:DescribeSubnets', code: 'UnauthorizedOperation', message: 'denied' },
      ],
    });

    // Act
    const coverage = coverageOf({ accounts: [account] });

    // Assess
    expect(coverage).toContain(
      'iam:authorization-details 111122223333 global error AccessDenied iam:GetAccountAuthorizationDetails',
    );
    expect(coverage).toContain('ec2:subnets 111122223333 * error UnauthorizedOperation ec2:DescribeSubnets');
    expect(coverage.some((c) => c.startsWith('iam:authorization-details') && c.endsWith('read'))).toBe(false);
  });

  it('lets an error win over a read of the same family and scope', () => {
    // Prepare
    const account = collected();
    account.regions[0]!.DescribeMaintenanceWindowTargets = [{ Targets: [] }];
    account.regions[0]!.failures.push({
      kind: 'ssm:DescribeMaintenanceWindowTargets',
      code: 'ThrottlingException',
      message: 'Rate exceeded',
    });

    // Act
    const coverage = coverageOf({ accounts: [account] });

    // Assess
    expect(coverage.filter((c) => c.startsWith('ssm:maintenance-window-targets'))).toEqual([
      'ssm:maintenance-window-targets 111122223333 us-east-1 error ThrottlingException ssm:DescribeMaintenanceWindowTargets',
    ]);
  });

  it('records a wrong-shaped response as an error, with an issue naming the path', () => {
    // Prepare
    const account = collected();
    account.regions[0]!.DescribeInstances = { Reservations: 'oops' };

    // Act
    const { inventory, issues } = inventoryFromFleet({ accounts: [account] }, SOURCE);

    // Assess
    expect(inventory.coverage.find((c) => c.family === 'ec2:instances')).toMatchObject({
      status: 'error',
      error: { code: 'RESPONSE_INVALID', message: 'Reservations: expected an array, got a string' },
    });
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'RESPONSE_INVALID',
        path: 'Reservations',
        origin: 'ec2:DescribeInstances (111122223333, us-east-1)',
      }),
    ]);
  });

  it('merges DNS attributes onto their VPC and completes the source metadata', () => {
    // Act
    const { inventory } = inventoryFromFleet(
      { accounts: [collected()], collectedAt: '2026-03-01T10:00:00.000Z' },
      SOURCE,
    );

    // Assess
    expect(inventory.vpcs).toEqual([
      expect.objectContaining({ vpcId: 'vpc-1', enableDnsSupport: true, enableDnsHostnames: false }),
    ]);
    expect(inventory.dhmcSettings).toEqual([{ accountId: ACCOUNT, region: 'us-east-1', enabled: false }]);
    expect(inventory.source).toEqual({
      ...SOURCE,
      accounts: [ACCOUNT],
      regions: ['us-east-1'],
      collectedAt: '2026-03-01T10:00:00.000Z',
    });
  });
});

describe('InventoryBuilder', () => {
  it('keeps the first of duplicate resources and reports the rest', () => {
    // Prepare
    const builder = new InventoryBuilder();
    const body = {
      Reservations: [{ OwnerId: ACCOUNT, Instances: [{ InstanceId: 'i-1', State: { Name: 'running' } }] }],
    };
    const scope = { accountId: ACCOUNT, region: 'us-east-1' };

    // Act
    builder.addResponse('ec2:DescribeInstances', body, scope, 'a.json');
    builder.addResponse('ec2:DescribeInstances', body, scope, 'b.json');
    builder.addResponse('ec2:DescribeInstances', body, { ...scope, region: 'eu-west-1' }, 'c.json');
    const { inventory, issues } = builder.build(SOURCE);

    // Assess
    expect(inventory.instances.map((i) => `${i.region} ${i.instanceId}`)).toEqual([
      'us-east-1 i-1',
      'eu-west-1 i-1',
    ]);
    expect(issues.map((i) => i.code)).toEqual(['DUPLICATE_RESOURCE']);
  });

  it('reports DNS attributes that match no VPC', () => {
    const builder = new InventoryBuilder();
    builder.addResponse(
      'ec2:DescribeVpcAttribute',
      { VpcId: 'vpc-gone', EnableDnsSupport: { Value: true } },
      {},
      'attr.json',
    );
    expect(builder.build(SOURCE).issues.map((i) => i.code)).toEqual(['UNMATCHED_VPC_ATTRIBUTE']);
  });

  it('records unscoped coverage for a response whose scope is unknown', () => {
    const builder = new InventoryBuilder();
    builder.addResponse('ssm:DescribePatchGroups', { Mappings: [] }, {}, 'pg.json');
    expect(builder.build(SOURCE).inventory.coverage).toEqual([
      { family: 'ssm:patch-groups', status: 'read', origin: 'pg.json' },
    ]);
  });
});
