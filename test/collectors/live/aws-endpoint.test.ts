// The loopback endpoint speaks the real wire protocols: the SDK reads every mapped field back, and the
// endpoint rejects what AWS would reject, with AWS's error codes and HTTP statuses.

import {
  ConfigServiceClient,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
  SelectResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import {
  DescribeInstancesCommand,
  DescribeRouteTablesCommand,
  DescribeVpcAttributeCommand,
  EC2Client,
  type VpcAttributeName,
} from '@aws-sdk/client-ec2';
import {
  GetAccountAuthorizationDetailsCommand,
  IAMClient,
  paginateGetAccountAuthorizationDetails,
} from '@aws-sdk/client-iam';
import {
  OrganizationsClient,
  ListAccountsCommand,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import {
  DescribeInstanceInformationCommand,
  DescribeMaintenanceWindowTargetsCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiJson, FleetApiData, RegionApiData } from '../../../src/collectors/api/api-data.js';
import { collectEc2 } from '../../../src/collectors/live/collect-ec2.js';
import { generateFleet } from '../../../src/generator/generate-fleet.js';
import { EC2_XML_SHAPES } from '../../support/aws-endpoint/ec2-xml-shapes.js';
import { FaultPlan } from '../../support/aws-endpoint/faults.js';
import { type AwsEndpoint, startAwsEndpoint } from '../../support/aws-endpoint/start-aws-endpoint.js';
import { FAKE_CREDENTIALS } from './live-test-kit.js';

beforeAll(() => {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});

const clientConfig = (url: string) => ({
  region: 'us-east-1',
  endpoint: url,
  credentials: FAKE_CREDENTIALS,
  maxAttempts: 1,
});

/** Every member of `shape` filled (strings name their path), lists with one entry: the widest output. */
function fillShape(shape: string, depth = 0): ApiJson {
  const members = EC2_XML_SHAPES[shape];
  if (!members || depth > 12) throw new Error(`cannot fill ${shape}`);
  const value: ApiJson = {};
  for (const [name, spec] of Object.entries(members)) {
    const content = typeof spec === 'string' ? 'string' : spec[1];
    value[name] = fillContent(content, `${shape}.${name}`, depth);
  }
  return value;
}

function fillContent(content: string, label: string, depth: number): unknown {
  if (content === 'string') return label;
  if (content === 'number') return 7;
  if (content === 'boolean') return true;
  if (content === 'timestamp') return '2026-01-02T03:04:05+00:00';
  if (content.endsWith('[]')) return [fillContent(content.slice(0, -2), label, depth + 1)];
  return fillShape(content, depth + 1);
}

function regionWith(parts: Partial<RegionApiData>): RegionApiData {
  const empty = (key: string): ApiJson => ({ [key]: [] });
  return {
    accountId: '111122223333',
    region: 'us-east-1',
    DescribeInstances: empty('Reservations'),
    DescribeSecurityGroups: empty('SecurityGroups'),
    DescribeVpcs: empty('Vpcs'),
    DescribeVpcAttribute: [],
    DescribeSubnets: empty('Subnets'),
    DescribeRouteTables: empty('RouteTables'),
    DescribeNetworkAcls: empty('NetworkAcls'),
    DescribeVpcEndpoints: empty('VpcEndpoints'),
    DescribeNatGateways: empty('NatGateways'),
    DescribeInternetGateways: empty('InternetGateways'),
    DescribeEgressOnlyInternetGateways: empty('EgressOnlyInternetGateways'),
    DescribeInstanceInformation: empty('InstanceInformationList'),
    DescribeActivations: empty('ActivationList'),
    DescribeMaintenanceWindows: empty('WindowIdentities'),
    DescribeMaintenanceWindowTargets: [],
    DescribeMaintenanceWindowTasks: [],
    DescribeInstancePatchStates: empty('InstancePatchStates'),
    DescribePatchGroups: empty('Mappings'),
    GetServiceSetting: {},
    ...parts,
  };
}

/** `client.send` for any of the commands the rejection table uses (send is overloaded per command). */
function sendEc2(
  client: EC2Client,
  command: DescribeInstancesCommand | DescribeRouteTablesCommand | DescribeVpcAttributeCommand,
): Promise<unknown> {
  if (command instanceof DescribeInstancesCommand) return client.send(command);
  if (command instanceof DescribeRouteTablesCommand) return client.send(command);
  return client.send(command);
}

describe('EC2 XML element names', () => {
  it('round-trips every member of every served EC2 shape through the real EC2Client', async () => {
    // Prepare
    const vpc = fillShape('Vpc');
    const vpcId = String(vpc.VpcId);
    const attributes = [
      { VpcId: vpcId, EnableDnsSupport: { Value: true } },
      { VpcId: vpcId, EnableDnsHostnames: { Value: false } },
    ];
    const region = regionWith({
      DescribeInstances: { Reservations: [fillShape('Reservation')] },
      DescribeSecurityGroups: { SecurityGroups: [fillShape('SecurityGroup')] },
      DescribeVpcs: { Vpcs: [vpc] },
      DescribeVpcAttribute: attributes,
      DescribeSubnets: { Subnets: [fillShape('Subnet')] },
      DescribeRouteTables: { RouteTables: [fillShape('RouteTable')] },
      DescribeNetworkAcls: { NetworkAcls: [fillShape('NetworkAcl')] },
      DescribeVpcEndpoints: { VpcEndpoints: [fillShape('VpcEndpoint')] },
      DescribeNatGateways: { NatGateways: [fillShape('NatGateway')] },
      DescribeInternetGateways: { InternetGateways: [fillShape('InternetGateway')] },
      DescribeEgressOnlyInternetGateways: {
        EgressOnlyInternetGateways: [fillShape('EgressOnlyInternetGateway')],
      },
    });
    const endpoint = await startAwsEndpoint({
      fleet: {
        accounts: [{ accountId: '111122223333', GetAccountAuthorizationDetails: {}, regions: [region] }],
        collectedAt: '',
      },
    });
    const client = new EC2Client(clientConfig(endpoint.url));

    try {
      // Act
      const collected = await collectEc2(client, 'us-east-1');
      const metrics = await client.send(
        new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableNetworkAddressUsageMetrics' }),
      );

      // Assess
      expect(collected.failures).toEqual([]);
      const { failures: _failures, ...data } = collected;
      expect(data).toEqual({
        DescribeInstances: region.DescribeInstances,
        DescribeSecurityGroups: region.DescribeSecurityGroups,
        DescribeVpcs: region.DescribeVpcs,
        DescribeVpcAttribute: attributes,
        DescribeSubnets: region.DescribeSubnets,
        DescribeRouteTables: region.DescribeRouteTables,
        DescribeNetworkAcls: region.DescribeNetworkAcls,
        DescribeVpcEndpoints: region.DescribeVpcEndpoints,
        DescribeNatGateways: region.DescribeNatGateways,
        DescribeInternetGateways: region.DescribeInternetGateways,
        DescribeEgressOnlyInternetGateways: region.DescribeEgressOnlyInternetGateways,
      });
      expect(metrics.EnableNetworkAddressUsageMetrics).toEqual({ Value: false });
    } finally {
      client.destroy();
      await endpoint.stop();
    }
  });

  it('refuses to start on a fleet field it has no XML name for', async () => {
    const region = regionWith({ DescribeVpcs: { Vpcs: [{ VpcId: 'vpc-1', MadeUpField: 'x' }] } });
    await expect(
      startAwsEndpoint({
        fleet: {
          accounts: [{ accountId: '111122223333', GetAccountAuthorizationDetails: {}, regions: [region] }],
          collectedAt: '',
        },
      }),
    ).rejects.toThrow(/DescribeVpcsResult\.Vpcs\[0\]\.MadeUpField/);
  });
});

describe('the endpoint rejects what AWS rejects', () => {
  let endpoint: AwsEndpoint;
  let fleet: FleetApiData;
  beforeAll(async () => {
    fleet = generateFleet({ seed: 21, instances: 40, accounts: 3 });
    endpoint = await startAwsEndpoint({ fleet });
  });
  afterAll(async () => {
    await endpoint.stop();
  });

  const failureOf = async (send: () => Promise<unknown>) => {
    const error = (await send().then(
      () => undefined,
      (caught: unknown) => caught,
    )) as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
    return { name: error?.name, status: error?.$metadata?.httpStatusCode };
  };

  it.for([
    [
      'DescribeInstances MaxResults 4',
      'InvalidParameterValue',
      () => new DescribeInstancesCommand({ MaxResults: 4 }),
    ],
    [
      'DescribeInstances MaxResults 1001',
      'InvalidParameterValue',
      () => new DescribeInstancesCommand({ MaxResults: 1001 }),
    ],
    [
      'DescribeRouteTables MaxResults 101',
      'InvalidParameterValue',
      () => new DescribeRouteTablesCommand({ MaxResults: 101 }),
    ],
    [
      'InstanceIds with MaxResults',
      'InvalidParameterCombination',
      () => new DescribeInstancesCommand({ InstanceIds: ['i-1'], MaxResults: 5 }),
    ],
    [
      'a NextToken it never issued',
      'InvalidPaginationToken',
      () => new DescribeInstancesCommand({ MaxResults: 5, NextToken: 'bm90LWEtdG9rZW4' }),
    ],
    [
      'an unknown filter',
      'InvalidParameterValue',
      () => new DescribeInstancesCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] }),
    ],
    [
      'DescribeVpcAttribute without Attribute',
      'MissingParameter',
      () =>
        new DescribeVpcAttributeCommand({ VpcId: 'vpc-1' } as { VpcId: string; Attribute: VpcAttributeName }),
    ],
  ] as const)('EC2: %s → %s', async ([, code, command]) => {
    const client = new EC2Client(clientConfig(endpoint.url));
    expect(await failureOf(() => sendEc2(client, command()))).toEqual({ name: code, status: 400 });
    client.destroy();
  });

  it('SSM: validates MaxResults and the required WindowId, and knows its windows', async () => {
    const client = new SSMClient(clientConfig(endpoint.url));
    expect(
      await failureOf(() => client.send(new DescribeInstanceInformationCommand({ MaxResults: 51 }))),
    ).toEqual({
      name: 'ValidationException',
      status: 400,
    });
    expect(
      await failureOf(() =>
        client.send(new DescribeMaintenanceWindowTargetsCommand({} as { WindowId: string })),
      ),
    ).toEqual({ name: 'ValidationException', status: 400 });
    expect(
      await failureOf(() =>
        client.send(
          new DescribeMaintenanceWindowTargetsCommand({ WindowId: 'mw-0000000000000000', MaxResults: 9 }),
        ),
      ),
    ).toEqual({
      name: 'ValidationException',
      status: 400,
    });
    expect(
      await failureOf(() =>
        client.send(new DescribeMaintenanceWindowTargetsCommand({ WindowId: 'mw-0000000000000000' })),
      ),
    ).toEqual({
      name: 'DoesNotExistException',
      status: 400,
    });
    expect(
      await failureOf(() => client.send(new DescribeInstanceInformationCommand({ NextToken: 'forged' }))),
    ).toEqual({
      name: 'InvalidNextToken',
      status: 400,
    });
    client.destroy();
  });

  it('IAM: rejects MaxItems over 1000 and pages GAAD by Marker without losing entries', async () => {
    const client = new IAMClient(clientConfig(endpoint.url));
    expect(
      await failureOf(() => client.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 1001 }))),
    ).toEqual({
      name: 'ValidationError',
      status: 400,
    });
    const roles: unknown[] = [];
    let pages = 0;
    for await (const page of paginateGetAccountAuthorizationDetails(
      { client, pageSize: 3 },
      { Filter: ['Role'] },
    )) {
      pages += 1;
      roles.push(...(page.RoleDetailList ?? []));
      expect(page.Policies).toEqual([]);
    }
    const served = fleet.accounts[0]!.GetAccountAuthorizationDetails.RoleDetailList as ApiJson[];
    expect(pages).toBe(Math.ceil(served.length / 3));
    expect(roles.map((role) => (role as ApiJson).RoleName)).toEqual(served.map((role) => role.RoleName));
    client.destroy();
  });

  it('answers unknown actions, wrong versions and unknown JSON targets with the protocol errors', async () => {
    const authorization =
      'AWS4-HMAC-SHA256 Credential=AKIDLOOPBACKTEST/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0';
    const post = (headers: Record<string, string>, body: string) =>
      fetch(endpoint.url, { method: 'POST', headers: { authorization, ...headers }, body });
    const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

    const unknown = await post(form, 'Action=DescribeEverything&Version=2016-11-15');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(/<Response><Errors><Error><Code>InvalidAction<\/Code>/);

    const version = await post(form, 'Action=DescribeInstances&Version=2015-10-01');
    expect(await version.text()).toContain('<Code>NoSuchVersion</Code>');

    const json = await post(
      { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.DescribeEverything' },
      '{}',
    );
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ __type: expect.stringMatching(/#UnknownOperationException$/) });

    const unsigned = await fetch(endpoint.url, {
      method: 'POST',
      headers: form,
      body: 'Action=DescribeInstances&Version=2016-11-15',
    });
    expect(unsigned.status).toBe(403);
  });

  it('throttles with each service family’s own code and status', async () => {
    endpoint.setFaults([
      { operation: 'ec2:DescribeInstances', kind: 'throttle' },
      { operation: 'iam:GetAccountAuthorizationDetails', kind: 'throttle' },
      { operation: 'ssm:DescribeInstanceInformation', kind: 'throttle' },
      { operation: 'organizations:ListAccounts', kind: 'access-denied' },
    ]);
    try {
      const ec2 = new EC2Client(clientConfig(endpoint.url));
      const iam = new IAMClient(clientConfig(endpoint.url));
      const ssm = new SSMClient(clientConfig(endpoint.url));
      const organizations = new OrganizationsClient(clientConfig(endpoint.url));
      expect(await failureOf(() => ec2.send(new DescribeInstancesCommand({})))).toEqual({
        name: 'RequestLimitExceeded',
        status: 503,
      });
      expect(await failureOf(() => iam.send(new GetAccountAuthorizationDetailsCommand({})))).toEqual({
        name: 'Throttling',
        status: 400,
      });
      expect(await failureOf(() => ssm.send(new DescribeInstanceInformationCommand({})))).toEqual({
        name: 'ThrottlingException',
        status: 400,
      });
      expect(await failureOf(() => organizations.send(new ListAccountsCommand({})))).toEqual({
        name: 'AccessDeniedException',
        status: 400,
      });
      for (const client of [ec2, iam, ssm, organizations]) client.destroy();
    } finally {
      endpoint.setFaults([]);
    }
  });

  it('Organizations: pages ListAccounts (MaxResults 1..20)', async () => {
    const client = new OrganizationsClient(clientConfig(endpoint.url));
    const ids: string[] = [];
    for await (const page of paginateListAccounts({ client, pageSize: 2 }, {}))
      ids.push(...(page.Accounts ?? []).map((a) => a.Id ?? ''));
    expect(ids).toEqual(fleet.accounts.map((account) => account.accountId));
    expect(await failureOf(() => client.send(new ListAccountsCommand({ MaxResults: 21 })))).toEqual({
      name: 'InvalidInputException',
      status: 400,
    });
    client.destroy();
  });

  it('filters DescribeInstances by Filter.N.Name/Value.M', async () => {
    const client = new EC2Client(clientConfig(endpoint.url));
    const output = await client.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['stopped'] }] }),
    );
    const states = (output.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => i.State?.Name));
    const served = (fleet.accounts[0]!.regions[0]!.DescribeInstances.Reservations as ApiJson[]).flatMap((r) =>
      (r.Instances as ApiJson[]).filter((i) => (i.State as ApiJson).Name === 'stopped'),
    );
    expect(states).toEqual(served.map(() => 'stopped'));
    client.destroy();
  });
});

describe('AWS Config', () => {
  const item = (resourceId: string, capture: string): ApiJson => ({
    version: '1.3',
    accountId: '111122223333',
    configurationItemCaptureTime: capture,
    configurationItemStatus: 'OK',
    resourceType: 'AWS::EC2::Instance',
    resourceId,
    awsRegion: 'us-east-1',
    configuration: JSON.stringify({ instanceId: resourceId }),
  });
  let endpoint: AwsEndpoint;
  let client: ConfigServiceClient;
  beforeAll(async () => {
    const fleet = {
      accounts: [
        { accountId: '111122223333', GetAccountAuthorizationDetails: {}, regions: [regionWith({})] },
      ],
      collectedAt: '',
    };
    endpoint = await startAwsEndpoint({
      fleet,
      configItems: [
        item('i-1', '2026-01-01T00:00:00.000Z'),
        item('i-1', '2026-01-02T00:00:00.000Z'),
        item('i-2', '2026-01-03T00:00:00.000Z'),
      ],
    });
    client = new ConfigServiceClient(clientConfig(endpoint.url));
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.stop();
  });

  const evaluation = (n: number, annotation?: string) => ({
    ComplianceResourceType: 'AWS::EC2::Instance',
    ComplianceResourceId: `i-${n}`,
    ComplianceType: 'COMPLIANT' as const,
    OrderingTimestamp: new Date('2026-01-01T00:00:00.000Z'),
    ...(annotation !== undefined && { Annotation: annotation }),
  });

  it('PutEvaluations records up to 100 evaluations with annotations of 1..256 characters', async () => {
    await client.send(
      new PutEvaluationsCommand({
        ResultToken: 'token',
        Evaluations: Array.from({ length: 100 }, (_, n) => evaluation(n, 'x'.repeat(256))),
      }),
    );
    expect(endpoint.putEvaluations).toHaveLength(1);
    const body = endpoint.putEvaluations[0]!.body as { Evaluations: ApiJson[] };
    expect(body.Evaluations).toHaveLength(100);
    expect(body.Evaluations[0]).toMatchObject({ ComplianceResourceId: 'i-0', OrderingTimestamp: 1767225600 });
  });

  it.for([
    ['101 evaluations', Array.from({ length: 101 }, (_, n) => evaluation(n)), 'ValidationException'],
    ['an empty annotation', [evaluation(1, '')], 'ValidationException'],
    ['a 257-character annotation', [evaluation(1, 'x'.repeat(257))], 'ValidationException'],
    [
      'INSUFFICIENT_DATA',
      [{ ...evaluation(1), ComplianceType: 'INSUFFICIENT_DATA' as const }],
      'InvalidParameterValueException',
    ],
  ] as const)('PutEvaluations rejects %s', async ([, evaluations, code]) => {
    const before = endpoint.putEvaluations.length;
    const error = await client
      .send(new PutEvaluationsCommand({ ResultToken: 'token', Evaluations: [...evaluations] }))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: code });
    expect(endpoint.putEvaluations).toHaveLength(before);
  });

  it('GetResourceConfigHistory pages newest first; SelectResourceConfig returns rows as JSON strings', async () => {
    const first = await client.send(
      new GetResourceConfigHistoryCommand({
        resourceType: 'AWS::EC2::Instance',
        resourceId: 'i-1',
        limit: 1,
      }),
    );
    expect(first.configurationItems?.[0]?.configurationItemCaptureTime).toEqual(
      new Date('2026-01-02T00:00:00.000Z'),
    );
    const second = await client.send(
      new GetResourceConfigHistoryCommand({
        resourceType: 'AWS::EC2::Instance',
        resourceId: 'i-1',
        limit: 1,
        nextToken: first.nextToken,
      }),
    );
    expect(second.configurationItems?.[0]?.configurationItemCaptureTime).toEqual(
      new Date('2026-01-01T00:00:00.000Z'),
    );
    expect(second.nextToken).toBeUndefined();
    const selected = await client.send(
      new SelectResourceConfigCommand({ Expression: "SELECT * WHERE resourceType = 'AWS::EC2::Instance'" }),
    );
    expect(selected.Results?.map((row) => (JSON.parse(row) as ApiJson).resourceId)).toEqual([
      'i-1',
      'i-1',
      'i-2',
    ]);
  });
});

describe('fault plans', () => {
  it('fail the same calls for the same seed', () => {
    const run = () => {
      const plan = new FaultPlan([
        { operation: 'ssm:DescribeInstanceInformation', kind: 'throttle', fraction: 0.3, seed: 42 },
      ]);
      return Array.from(
        { length: 50 },
        () => plan.check('ssm', 'ssm:DescribeInstanceInformation', 'a', 'r')?.code ?? '-',
      );
    };
    const first = run();
    expect(run()).toEqual(first);
    expect(first.filter((code) => code === 'ThrottlingException').length).toBeGreaterThan(5);
  });
});
