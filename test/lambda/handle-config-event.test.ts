// The Config rule handler against the loopback endpoint: recorded-shape events of every message type and every
// mapped resource type → the exact PutEvaluations requests the Config endpoint receives (JSON 1.1).

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiJson, FleetApiData } from '../../src/collectors/api/api-data.js';
import { handleConfigEvent } from '../../src/lambda/handle-config-event.js';
import type { EmbeddedRules } from '../../src/lambda/embedded-rules.js';
import { PutEvaluationsError } from '../../src/lambda/put-evaluations.js';
import { EXAMPLE_FLEET_FACTS as F, buildExampleFleet } from '../../src/generator/example-fleet.js';
import { generateFleet } from '../../src/generator/generate-fleet.js';
import { fleetToConfigItems } from '../collectors/config/fleet-to-config-items.js';
import {
  changeEvent,
  liveCalls,
  oversizedEvent,
  recordedEvaluations,
  scheduledEvent,
  shippedEmbeddedRules,
  startLambdaWorld,
  type LambdaWorld,
} from './lambda-test-kit.js';

const scope = { accountId: F.accountId, region: F.region };
let rules: EmbeddedRules;
let fleet: FleetApiData;
let items: ApiJson[];
let world: LambdaWorld | undefined;

const itemOf = (type: string, id?: string): ApiJson => {
  const found = items.find((i) => i.resourceType === type && (id === undefined || i.resourceId === id));
  if (found === undefined) throw new Error(`no ${type} ${id ?? ''} item`);
  return structuredClone(found);
};

const roleItem = (name: string): ApiJson =>
  structuredClone(
    items.find((i) => i.resourceType === 'AWS::IAM::Role' && (i.configuration as ApiJson).roleName === name)!,
  );
const policyId = (arn: string): string =>
  String(items.find((i) => i.resourceType === 'AWS::IAM::Policy' && i.ARN === arn)!.resourceId);

beforeAll(async () => {
  rules = await shippedEmbeddedRules();
  fleet = buildExampleFleet();
  items = fleetToConfigItems(fleet, { captureTime: '2026-11-20T11:58:07.123Z' });
});
afterEach(async () => {
  await world?.stop();
  world = undefined;
});
afterAll(() => undefined);

async function run(event: ApiJson, setup?: (w: LambdaWorld) => void, fleetData: FleetApiData = fleet) {
  world = await startLambdaWorld(fleetData, items);
  setup?.(world);
  const summary = await handleConfigEvent(event, world.deps(rules));
  return { summary, calls: world.endpoint.putEvaluations.map((c) => c.body), world };
}

describe('change notifications', () => {
  it('reports an instance without a profile NON_COMPLIANT, annotation led by the reason code, at the item capture time', async () => {
    // Prepare
    const item = itemOf('AWS::EC2::Instance', F.inventory.firstInstanceId);

    // Act
    const { calls, summary } = await run(
      changeEvent(item, { ...scope, ruleId: 'ec2-instance-profile-attached' }),
    );

    // Assess
    expect(calls).toEqual([
      {
        ResultToken: 'loopback-result-token',
        Evaluations: [
          {
            ComplianceResourceType: 'AWS::EC2::Instance',
            ComplianceResourceId: F.inventory.firstInstanceId,
            ComplianceType: 'NON_COMPLIANT',
            Annotation: expect.stringMatching(
              /^IAM\.NO_INSTANCE_PROFILE: Instance i-0221865c4a9210001 has no instance profile/,
            ),
            OrderingTimestamp: Date.parse('2026-11-20T11:58:07.123Z') / 1000,
          },
        ],
      },
    ]);
    // DHMC coverage is SSM data: the handler read SSM, and nothing it did not need.
    expect(summary.servicesRead).toEqual(['ssm']);
  });

  it('reads nothing live when the item alone decides the rule', async () => {
    const item = itemOf('AWS::EC2::Instance', F.imdsDisabledInstanceId);
    const { calls, world: w } = await run(
      changeEvent(item, { ...scope, ruleId: 'ec2-instance-imds-available' }),
    );
    expect(liveCalls(w.endpoint)).toBe(0);
    expect(calls[0]!.Evaluations).toMatchObject([
      {
        ComplianceResourceId: F.imdsDisabledInstanceId,
        ComplianceType: 'NON_COMPLIANT',
        Annotation: expect.stringMatching(/^EC2\.IMDS_DISABLED: /),
      },
    ]);
  });

  it('judges the instances using a changed security group, and the group itself NOT_APPLICABLE', async () => {
    // Prepare: the group that opens SSH to the internet.
    const instance = itemOf('AWS::EC2::Instance', F.sshOpenInstanceId);
    const groupIds = ((instance.configuration as ApiJson).securityGroups as ApiJson[]).map((g) =>
      String(g.groupId),
    );
    const group = items.find(
      (i) =>
        i.resourceType === 'AWS::EC2::SecurityGroup' &&
        groupIds.includes(String(i.resourceId)) &&
        JSON.stringify(i.configuration).includes('"fromPort":22'),
    )!;

    // Act
    const { calls } = await run(
      changeEvent(structuredClone(group), { ...scope, ruleId: 'ec2-instance-no-inbound-ssm-ports' }),
    );

    // Assess
    const evaluations = calls.flatMap((c) => c.Evaluations as ApiJson[]);
    expect(evaluations).toContainEqual(
      expect.objectContaining({
        ComplianceResourceId: F.sshOpenInstanceId,
        ComplianceType: 'NON_COMPLIANT',
        Annotation: expect.stringMatching(/^NET\.INBOUND_SSM_PORT: /),
      }),
    );
    expect(evaluations.at(-1)).toMatchObject({
      ComplianceResourceType: 'AWS::EC2::SecurityGroup',
      ComplianceResourceId: group.resourceId,
      ComplianceType: 'NOT_APPLICABLE',
      Annotation: expect.stringMatching(/^RESOURCE\.RELATED: /),
    });
  });

  it.each([
    ['AWS::EC2::Subnet', 'ec2-instance-egress-https'],
    ['AWS::EC2::VPC', 'ec2-instance-egress-https'],
    ['AWS::EC2::RouteTable', 'ec2-instance-egress-https'],
    ['AWS::EC2::NetworkAcl', 'ec2-instance-egress-https'],
    ['AWS::EC2::VPCEndpoint', 'ec2-instance-egress-https'],
    ['AWS::IAM::Role', 'ec2-instance-role-trusts-ec2'],
    ['AWS::IAM::Policy', 'ec2-instance-role-grants-ssm-core'],
  ])(
    'maps a %s change to evaluations of the instances that use it (exact requests on file)',
    async (type, ruleId) => {
      const item =
        type === 'AWS::IAM::Role'
          ? roleItem(F.roles.healthy)
          : type === 'AWS::IAM::Policy'
            ? itemOf(type, policyId(F.boundaryPolicyArn))
            : itemOf(type);
      const { calls } = await run(changeEvent(item, { ...scope, ruleId }));
      const evaluations = calls.flatMap((c) => c.Evaluations as ApiJson[]);
      expect(evaluations.at(-1)).toMatchObject({
        ComplianceResourceType: type,
        ComplianceResourceId: item.resourceId,
        ComplianceType: 'NOT_APPLICABLE',
      });
      expect(evaluations.length).toBeGreaterThan(1);
      for (const evaluation of evaluations)
        expect(String(evaluation.Annotation).length).toBeLessThanOrEqual(256);
      await expect(JSON.stringify(calls, null, 2)).toMatchFileSnapshot(
        `__snapshots__/change-${type.replaceAll('::', '-')}.json`,
      );
    },
  );

  it('reports a deleted resource NOT_APPLICABLE without reading anything', async () => {
    const item = {
      ...itemOf('AWS::EC2::Instance', F.healthyWebInstanceIds[0]),
      configurationItemStatus: 'ResourceDeleted',
      configuration: null,
    };
    const { calls, world: w } = await run(changeEvent(item, { ...scope, ruleId: 'ec2-instance-ssm-online' }));
    expect(calls).toEqual([
      {
        ResultToken: 'loopback-result-token',
        Evaluations: [
          {
            ComplianceResourceType: 'AWS::EC2::Instance',
            ComplianceResourceId: F.healthyWebInstanceIds[0],
            ComplianceType: 'NOT_APPLICABLE',
            Annotation: 'RESOURCE.DELETED: ResourceDeleted',
            OrderingTimestamp: Date.parse('2026-11-20T11:58:07.123Z') / 1000,
          },
        ],
      },
    ]);
    expect(liveCalls(w.endpoint)).toBe(0);
  });

  it('reports a resource that left the rule scope NOT_APPLICABLE', async () => {
    const item = itemOf('AWS::EC2::Instance', F.healthyWebInstanceIds[1]);
    const { calls } = await run(
      changeEvent(item, { ...scope, ruleId: 'ec2-instance-imds-available', eventLeftScope: true }),
    );
    expect(calls[0]!.Evaluations).toEqual([
      expect.objectContaining({
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: expect.stringMatching(/^SCOPE\.LEFT: /),
      }),
    ]);
  });

  it('never sends ERROR: a rule that cannot read SSM data is logged and counted, not judged', async () => {
    // Prepare
    const item = itemOf('AWS::EC2::Instance', F.healthyWebInstanceIds[0]);
    world = await startLambdaWorld(fleet, items, [
      { operation: 'ssm:DescribeInstanceInformation', kind: 'access-denied' },
    ]);

    // Act
    const summary = await handleConfigEvent(
      changeEvent(item, { ...scope, ruleId: 'ec2-instance-ssm-online' }),
      world.deps(rules),
    );

    // Assess
    expect(recordedEvaluations(world.endpoint)).toEqual([]);
    expect(summary.EvaluationErrors).toBe(1);
    expect(world.logs).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        resourceId: F.healthyWebInstanceIds[0],
        code: 'DATA_UNREADABLE',
        permission: 'ssm:DescribeInstanceInformation',
      }),
    );
  });
});

describe('oversized change notifications', () => {
  it('fetches the item with GetResourceConfigHistory and judges it like the full event', async () => {
    // Prepare
    const item = itemOf('AWS::EC2::Instance', F.imdsDisabledInstanceId);
    const full = await run(changeEvent(item, { ...scope, ruleId: 'ec2-instance-imds-available' }));
    await world!.stop();

    // Act
    const oversized = await run(oversizedEvent(item, { ...scope, ruleId: 'ec2-instance-imds-available' }));

    // Assess
    expect(oversized.world.endpoint.counts.get('config:GetResourceConfigHistory')).toBe(1);
    expect(oversized.calls).toEqual(full.calls);
  });
});

describe('oversized notifications of resources that left the scope', () => {
  it('sends NOT_APPLICABLE without fetching the item', async () => {
    // Prepare
    const item = itemOf('AWS::EC2::Instance', F.imdsDisabledInstanceId);
    const event = {
      ...oversizedEvent(item, { ...scope, ruleId: 'ec2-instance-imds-available' }),
      eventLeftScope: true,
    };

    // Act
    const { calls, world: w } = await run(event);

    // Assess
    expect(w.endpoint.counts.get('config:GetResourceConfigHistory') ?? 0).toBe(0);
    const evaluations = calls.flatMap((c) => c.Evaluations as ApiJson[]);
    expect(evaluations).toEqual([
      expect.objectContaining({
        ComplianceResourceId: F.imdsDisabledInstanceId,
        ComplianceType: 'NOT_APPLICABLE',
      }),
    ]);
  });
});

describe('periodic notifications', () => {
  it('judges every instance in batches of at most 100 (250 instances → 3 calls) at the notification time', async () => {
    // Prepare
    const big = generateFleet({ seed: 7, instances: 250 });
    const account = big.accounts[0]!;

    // Act
    const { calls } = await run(
      scheduledEvent({
        accountId: account.accountId,
        region: 'us-east-1',
        ruleId: 'ec2-instance-imds-available',
      }),
      undefined,
      big,
    );

    // Assess
    expect(calls.map((c) => (c.Evaluations as unknown[]).length)).toEqual([100, 100, 50]);
    for (const call of calls) {
      expect(call.ResultToken).toBe('loopback-result-token');
      for (const e of call.Evaluations as ApiJson[])
        expect(e.OrderingTimestamp).toBe(Date.parse('2026-11-20T12:30:00.000Z') / 1000);
    }
  });

  it('reports previously judged resources that no longer exist NOT_APPLICABLE', async () => {
    // Prepare
    const ruleName = 'ssmguard-ec2-instance-imds-available';
    const { calls, world: w } = await run(
      scheduledEvent({ ...scope, ruleId: 'ec2-instance-imds-available' }),
      (w2) =>
        w2.front.setStandingVerdicts(ruleName, [
          {
            resourceType: 'AWS::EC2::Instance',
            resourceId: 'i-0deadbeef0000gone',
            complianceType: 'NON_COMPLIANT',
          },
          {
            resourceType: 'AWS::EC2::Instance',
            resourceId: F.healthyWebInstanceIds[0],
            complianceType: 'COMPLIANT',
          },
        ]),
    );

    // Assess
    const evaluations = calls.flatMap((c) => c.Evaluations as ApiJson[]);
    expect(evaluations.filter((e) => e.ComplianceResourceId === 'i-0deadbeef0000gone')).toEqual([
      {
        ComplianceResourceType: 'AWS::EC2::Instance',
        ComplianceResourceId: 'i-0deadbeef0000gone',
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: 'RESOURCE.GONE: no longer exists in the account and region',
        OrderingTimestamp: Date.parse('2026-11-20T12:30:00.000Z') / 1000,
      },
    ]);
    expect(evaluations.filter((e) => e.ComplianceResourceId === F.healthyWebInstanceIds[0])).toHaveLength(1);
    expect(w.front.complianceDetailRequests).toEqual([
      { ConfigRuleName: ruleName, ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'], Limit: 100 },
    ]);
  });

  it('skips the clean-up when the instances could not be listed', async () => {
    world = await startLambdaWorld(fleet, items, [
      { operation: 'ec2:DescribeInstances', kind: 'access-denied' },
    ]);
    world.front.setStandingVerdicts('ssmguard-ec2-instance-imds-available', [
      {
        resourceType: 'AWS::EC2::Instance',
        resourceId: F.healthyWebInstanceIds[0],
        complianceType: 'COMPLIANT',
      },
    ]);
    await handleConfigEvent(
      scheduledEvent({ ...scope, ruleId: 'ec2-instance-imds-available' }),
      world.deps(rules),
    );
    expect(recordedEvaluations(world.endpoint)).toEqual([]);
  });

  it('checks FailedEvaluations and fails the invocation when Config refuses some', async () => {
    world = await startLambdaWorld(fleet, items);
    world.front.failEvaluationsFor([F.healthyWebInstanceIds[0]]);
    await expect(
      handleConfigEvent(
        scheduledEvent({ ...scope, ruleId: 'ec2-instance-imds-available' }),
        world.deps(rules),
      ),
    ).rejects.toBeInstanceOf(PutEvaluationsError);
  });
});

describe('annotations', () => {
  it('cuts an annotation to 256 characters so Config accepts it', async () => {
    // Prepare: a rule whose message carries an attacker-length tag value.
    const custom: EmbeddedRules = {
      rules: [
        {
          file: 'ec2-instance-named-briefly.yaml',
          text: [
            'id: ec2-instance-named-briefly',
            'title: EC2 instance has a short Name tag',
            'resourceType: AWS::EC2::Instance',
            'severity: low',
            'link: state',
            'description: Test rule.',
            'check: { path: "tags.Name", equals: "short" }',
            'reason: TEST.LONG_NAME',
            'reasons: { TEST.LONG_NAME: "Name tag is long" }',
            'message: "Instance {{resource.id}} is named {{actual}}."',
            'remediation: { text: Rename it. }',
          ].join('\n'),
        },
      ],
    };
    const item = itemOf('AWS::EC2::Instance', F.healthyWebInstanceIds[0]);
    item.tags = { Name: 'x'.repeat(400) };
    world = await startLambdaWorld(fleet, items);

    // Act (the endpoint rejects annotations over 256 characters with a ValidationException)
    await handleConfigEvent(
      changeEvent(item, { ...scope, ruleId: 'ec2-instance-named-briefly' }),
      world.deps(custom),
    );

    // Assess
    const [evaluation] = recordedEvaluations(world.endpoint);
    expect(String(evaluation!.Annotation)).toHaveLength(256);
    expect(String(evaluation!.Annotation)).toMatch(
      /^TEST\.LONG_NAME: Instance i-0a4afaa2ebdb5c393 is named x+…$/,
    );
  });
});
