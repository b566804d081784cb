// A change event reads the rule's neighbourhood only: a few filtered calls, the same number whatever the fleet's
// size, only of the families the rule declares, and a failed neighbourhood read is ERROR (never sent as a verdict).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_RESPONSE_KINDS, type ApiJson, type FleetApiData } from '../../src/collectors/api/api-data.js';
import { inventoryFromFleet } from '../../src/collectors/api/index.js';
import { loadRuleSet } from '../../src/cli/rule-set.js';
import { evaluate } from '../../src/engine/evaluate.js';
import type { CompiledRule } from '../../src/engine/compile-rule.js';
import { ruleNeighbourhood } from '../../src/engine/rule-neighbourhood.js';
import { EXAMPLE_FLEET_FACTS as F, buildExampleFleet } from '../../src/generator/example-fleet.js';
import { generateFleet } from '../../src/generator/generate-fleet.js';
import type { EmbeddedRules } from '../../src/lambda/embedded-rules.js';
import { handleConfigEvent } from '../../src/lambda/handle-config-event.js';
import type { ResourceFamily } from '../../src/inventory/model.js';
import { familiesOf } from '../../src/inventory/neighbourhood.js';
import { fleetToConfigItems } from '../collectors/config/fleet-to-config-items.js';
import {
  changeEvent,
  oversizedEvent,
  recordedEvaluations,
  shippedEmbeddedRules,
  startLambdaWorld,
} from './lambda-test-kit.js';

/** The family an operation fills: the response kinds' table, and IAM's per-resource reads (the GAAD family). */
function familyOf(operation: string): ResourceFamily | undefined {
  if (operation.startsWith('iam:')) return 'iam:authorization-details';
  return (API_RESPONSE_KINDS as Record<string, { family: ResourceFamily }>)[operation]?.family;
}

let embedded: EmbeddedRules;
let rules: CompiledRule[];
const RUN_HISTORY = /^ssm:DescribeMaintenanceWindowExecution/;
/** Targets and tasks: one call each per window of the region, so they grow with the windows, not the fleet. */
const PER_WINDOW = /^ssm:DescribeMaintenanceWindow(Targets|Tasks)$/;
/**
 * What a baseline approves: one GetPatchBaseline per baseline in use in the region (each a patch group names, and
 * each OS's default), so it grows with the region's baselines, not the fleet.
 */
const PER_BASELINE = /^ssm:GetPatchBaseline$/;
beforeAll(async () => {
  embedded = await shippedEmbeddedRules();
  rules = (await loadRuleSet({})).rules.filter((r) => r.spec.type === 'AWS::EC2::Instance');
});

/** The reads (not Config's own calls) one change event of each instance rule makes, per rule. */
async function readsPerRule(
  fleet: FleetApiData,
  instanceId: string,
  scope: { accountId: string; region: string },
): Promise<Map<string, Record<string, number>>> {
  const items = fleetToConfigItems(fleet);
  const item = items.find((i) => i.resourceId === instanceId)!;
  const world = await startLambdaWorld(fleet, [item]);
  const out = new Map<string, Record<string, number>>();
  try {
    for (const rule of rules) {
      const summary = await handleConfigEvent(
        changeEvent(item, { ...scope, ruleId: rule.id }),
        world.deps(embedded),
      );
      out.set(
        rule.id,
        Object.fromEntries(Object.entries(summary.apiCalls).filter(([op]) => !op.startsWith('config:'))),
      );
    }
  } finally {
    await world.stop();
  }
  return out;
}

describe('an instance change event', () => {
  let small: Map<string, Record<string, number>>;
  let large: Map<string, Record<string, number>>;
  let exampleWindows = 0;
  let exampleBaselinesInUse = 0;
  beforeAll(async () => {
    const example = buildExampleFleet();
    exampleWindows = (
      example.accounts[0]!.regions[0]!.DescribeMaintenanceWindows.WindowIdentities as unknown[]
    ).length;
    exampleBaselinesInUse = (example.accounts[0]!.regions[0]!.GetPatchBaseline ?? []).length;
    small = await readsPerRule(example, F.healthyEndpointInstanceIds[0]!, {
      accountId: F.accountId,
      region: F.region,
    });
    // A fleet 20 times larger: the same rule reads the same number of calls.
    const big = generateFleet({ seed: 7, instances: 3000, accounts: 1, regions: ['us-east-1'] });
    const account = big.accounts[0]!;
    const region = account.regions[0]!;
    // The same DHMC setting as the example (an enabled DHMC adds its role to the IAM neighbourhood).
    region.GetServiceSetting = example.accounts[0]!.regions.find(
      (r) => r.region === F.region,
    )!.GetServiceSetting;
    const reservations = region.DescribeInstances.Reservations as ApiJson[];
    const instanceId = String(((reservations[0]!.Instances as ApiJson[])[0] as ApiJson).InstanceId);
    large = await readsPerRule(big, instanceId, { accountId: account.accountId, region: region.region });
  }, 240_000);

  it('reads no network path for a role and endpoints that cannot depend on it', () => {
    // The example's endpoints carry AWS's default full-access policy, and its roles read no path key.
    for (const calls of [small, large].map((m) => m.get('ec2-instance-role-grants-ssm-core')!)) {
      expect(calls['ec2:DescribeVpcEndpoints']).toBe(1);
      for (const op of ['ec2:DescribeSubnets', 'ec2:DescribeRouteTables', 'ec2:DescribeSecurityGroups'])
        expect(calls[op], op).toBeUndefined();
    }
  });

  it('reads at most 9 EC2 calls and 8 other calls per rule (2 more per further managed policy of the role), only declared families', () => {
    for (const rule of rules) {
      const calls = small.get(rule.id)!;
      const sum = (pick: (op: string) => boolean): number =>
        Object.entries(calls).reduce((total, [op, n]) => total + (pick(op) ? n : 0), 0);
      // GetPolicy + GetPolicyVersion per managed policy: a property of the role, not of the fleet.
      const furtherPolicies = Math.max(0, (calls['iam:GetPolicy'] ?? 0) - 1);
      // The run history is read per window (its runs, the latest run's task runs, their invocations): a property
      // of the region's windows, counted apart (at most 3 calls a window, plus invocation pages).
      const runHistory = sum((op) => RUN_HISTORY.test(op));
      // The network path (the path rule, and the IAM rules' request context): 8 calls, 9 when a subnet uses the
      // VPC's main route table; devices on the routes add their own reads (none on this instance's path).
      expect(
        sum((op) => op.startsWith('ec2:')),
        `${rule.id}: ${JSON.stringify(calls)}`,
      ).toBeLessThanOrEqual(9);
      expect(
        sum(
          (op) =>
            !op.startsWith('ec2:') && !RUN_HISTORY.test(op) && !PER_WINDOW.test(op) && !PER_BASELINE.test(op),
        ) -
          2 * furtherPolicies,
        `${rule.id}: ${JSON.stringify(calls)}`,
      ).toBeLessThanOrEqual(8);
      // The target: at most 8 calls for an instance change (a role with one managed policy). The window run
      // history (last-patch-run rule) is per window and counted apart above: it cannot meet this target.
      expect(
        sum((op) => !RUN_HISTORY.test(op) && !PER_WINDOW.test(op) && !PER_BASELINE.test(op)) -
          2 * furtherPolicies,
        `${rule.id}: ${JSON.stringify(calls)}`,
      ).toBeLessThanOrEqual(8);
      const declared = familiesOf(ruleNeighbourhood(rule));
      for (const operation of Object.keys(calls))
        expect(declared, `${rule.id} called ${operation}`).toContain(familyOf(operation));
      // Never a whole-account read.
      expect(calls['iam:GetAccountAuthorizationDetails'], rule.id).toBeUndefined();
      expect(calls['ec2:DescribeInstances'], rule.id).toBeUndefined();
      // Per window: its runs, the latest run's task runs and the patch task runs' invocations (one page each here).
      expect(runHistory, rule.id).toBeLessThanOrEqual(3 * exampleWindows);
      expect(
        sum((op) => PER_WINDOW.test(op)),
        rule.id,
      ).toBeLessThanOrEqual(2 * exampleWindows);
      // Per baseline in use: at most one call each, and none for rules that do not judge baselines.
      expect(
        sum((op) => PER_BASELINE.test(op)),
        rule.id,
      ).toBeLessThanOrEqual(exampleBaselinesInUse);
    }
  });

  it('makes the same calls in a fleet 20 times larger (per window and per policy calls aside)', () => {
    for (const rule of rules) {
      // Per-window targets and tasks scale with the region's windows, and per-policy reads with the role's
      // policies: properties of the neighbourhood, not of the fleet's size.
      const perInstance = (calls: Record<string, number>): Record<string, number> =>
        Object.fromEntries(
          Object.entries(calls).filter(
            ([op]) =>
              !/^ssm:DescribeMaintenanceWindow(Targets|Tasks)$/.test(op) &&
              // One call per baseline in use: the larger fleet has more patch groups, so more baselines.
              !PER_BASELINE.test(op) &&
              // Invocation pages grow with the instances a patch task run reached (100 a page): the API
              // filters them by status only, so this read is not independent of the fleet's size.
              !RUN_HISTORY.test(op) &&
              !/^iam:(GetPolicy|GetPolicyVersion|GetRolePolicy)$/.test(op),
          ),
        );
      expect(perInstance(large.get(rule.id)!), rule.id).toEqual(perInstance(small.get(rule.id)!));
    }
  });
});

describe('a failed neighbourhood read', () => {
  let world: Awaited<ReturnType<typeof startLambdaWorld>> | undefined;
  afterAll(async () => world?.stop());

  it.for([
    { rule: 'ec2-instance-egress-https', operation: 'ec2:DescribeSecurityGroups' },
    { rule: 'ec2-instance-network-path-to-ssm', operation: 'ec2:DescribeRouteTables' },
    { rule: 'ec2-instance-role-trusts-ec2', operation: 'iam:GetInstanceProfile' },
    { rule: 'ec2-instance-role-grants-ssm-core', operation: 'iam:GetRole' },
    { rule: 'ec2-instance-ssm-online', operation: 'ssm:DescribeInstanceInformation' },
  ])('$rule: $operation denied → ERROR, nothing sent', async ({ rule, operation }) => {
    // Prepare
    const fleet = buildExampleFleet();
    const items = fleetToConfigItems(fleet);
    const item = items.find((i) => i.resourceId === F.healthyWebInstanceIds[0])!;
    await world?.stop();
    world = await startLambdaWorld(fleet, items, [{ operation, kind: 'access-denied' }]);

    // Act
    const summary = await handleConfigEvent(
      changeEvent(item, { accountId: F.accountId, region: F.region, ruleId: rule }),
      world.deps(embedded),
    );

    // Assess
    expect(recordedEvaluations(world.endpoint)).toEqual([]);
    expect(summary.EvaluationErrors).toBe(1);
    expect(world.logs).toContainEqual(
      expect.objectContaining({ level: 'ERROR', resourceId: F.healthyWebInstanceIds[0] }),
    );
  });
});

describe('a related resource change', () => {
  it('finds the instances using a security group with filtered DescribeInstances, not a region listing', async () => {
    const fleet = buildExampleFleet();
    const items = fleetToConfigItems(fleet);
    const instance = items.find((i) => i.resourceId === F.healthyWebInstanceIds[0])!;
    const groupId = ((instance.configuration as ApiJson).securityGroups as ApiJson[])[0]!.groupId;
    const group = items.find(
      (i) => i.resourceType === 'AWS::EC2::SecurityGroup' && i.resourceId === groupId,
    )!;
    const world = await startLambdaWorld(fleet, items);
    try {
      const summary = await handleConfigEvent(
        changeEvent(group, { accountId: F.accountId, region: F.region, ruleId: 'ec2-instance-egress-https' }),
        world.deps(embedded),
      );
      // One call per filter (instance.group-id, network-interface.group-id), one for the groups.
      expect(summary.apiCalls).toMatchObject({
        'ec2:DescribeInstances': 2,
        'ec2:DescribeSecurityGroups': 1,
      });
      expect(
        Object.keys(summary.apiCalls)
          .filter((op) => !op.startsWith('config:'))
          .sort(),
      ).toEqual(['ec2:DescribeInstances', 'ec2:DescribeSecurityGroups']);
    } finally {
      await world.stop();
    }
  });
});

/** Whether a role in an instance profile attaches the managed policy or is bounded by it. */
function usedByProfileRole(fleet: FleetApiData, policyArn: string): boolean {
  const gaad = fleet.accounts[0]!.GetAccountAuthorizationDetails as ApiJson;
  return (gaad.RoleDetailList as ApiJson[]).some(
    (r) =>
      (r.InstanceProfileList as ApiJson[]).length > 0 &&
      ((r.AttachedManagedPolicies as ApiJson[]).some((p) => p.PolicyArn === policyArn) ||
        (r.PermissionsBoundary as ApiJson | undefined)?.PermissionsBoundaryArn === policyArn),
  );
}

describe('a related gateway or IAM change', () => {
  it.for([
    { type: 'AWS::EC2::NatGateway', ruleId: 'ec2-instance-network-path-to-ssm' },
    { type: 'AWS::EC2::InternetGateway', ruleId: 'ec2-instance-network-path-to-ssm' },
    { type: 'AWS::IAM::Role', ruleId: 'ec2-instance-role-trusts-ec2' },
    { type: 'AWS::IAM::Role', ruleId: 'ec2-instance-role-grants-ssm-core' },
    { type: 'AWS::IAM::Policy', ruleId: 'ec2-instance-role-grants-ssm-core' },
  ])(
    "$type → $ruleId: one filtered DescribeInstances, never a region or account listing, the full read's verdicts",
    async ({ type, ruleId }) => {
      // Prepare: the web instance's gateway, or its profile's role.
      const fleet = buildExampleFleet();
      const items = fleetToConfigItems(fleet);
      const instance = items.find((i) => i.resourceId === F.healthyWebInstanceIds[0])!;
      const configuration = instance.configuration as ApiJson;
      const profileArn = (configuration.iamInstanceProfile as ApiJson).arn;
      const item = items.find((i) => {
        if (i.resourceType !== type) return false;
        const c = i.configuration as ApiJson;
        if (type === 'AWS::IAM::Role')
          return (c.instanceProfileList as ApiJson[]).some((p) => p.arn === profileArn);
        if (type === 'AWS::IAM::Policy') return usedByProfileRole(fleet, String(i.ARN));
        if (type === 'AWS::EC2::NatGateway') return c.vpcId === configuration.vpcId;
        return (c.attachments as ApiJson[]).some((a) => a.vpcId === configuration.vpcId);
      })!;
      const rule = rules.find((r) => r.id === ruleId)!;
      const nowMs = Date.parse(fleet.collectedAt);
      const full = evaluate(
        inventoryFromFleet(fleet, { kind: 'live', inputs: [], accounts: [], regions: [] }).inventory,
        [rule],
        { nowMs },
      );
      const world = await startLambdaWorld(fleet, items);
      try {
        // Act
        const summary = await handleConfigEvent(
          changeEvent(item, { accountId: F.accountId, region: F.region, ruleId }),
          world.deps(embedded, nowMs),
        );

        // Assess
        expect(summary.apiCalls['ec2:DescribeInstances']).toBe(1);
        expect(summary.apiCalls['iam:GetAccountAuthorizationDetails']).toBeUndefined();
        const sent = recordedEvaluations(world.endpoint).filter(
          (e) => e.ComplianceResourceType === 'AWS::EC2::Instance',
        );
        expect(sent.length).toBeGreaterThan(0);
        for (const e of sent)
          expect(e.ComplianceType, String(e.ComplianceResourceId)).toBe(
            full.find((f) => f.resourceId === e.ComplianceResourceId)!.status,
          );
      } finally {
        await world.stop();
      }
    },
  );
});

describe('an oversized item Config cannot return', () => {
  it('reads the instance through DescribeInstances --instance-ids and gives the full event verdict', async () => {
    // Prepare: Config holds no history for the instance (ResourceNotDiscoveredException).
    const fleet = buildExampleFleet();
    const items = fleetToConfigItems(fleet);
    const item = items.find((i) => i.resourceId === F.imdsDisabledInstanceId)!;
    const scope = { accountId: F.accountId, region: F.region, ruleId: 'ec2-instance-imds-available' };
    const full = await startLambdaWorld(fleet, items);
    await handleConfigEvent(changeEvent(item, scope), full.deps(embedded));
    const expected = recordedEvaluations(full.endpoint);
    await full.stop();
    const world = await startLambdaWorld(fleet, []);
    try {
      // Act
      const summary = await handleConfigEvent(oversizedEvent(item, scope), world.deps(embedded));

      // Assess
      expect(summary.apiCalls).toMatchObject({
        'config:GetResourceConfigHistory': 1,
        'ec2:DescribeInstances': 1,
      });
      expect(recordedEvaluations(world.endpoint)).toEqual(expected);
      expect(expected).toMatchObject([{ ComplianceType: 'NON_COMPLIANT' }]);
    } finally {
      await world.stop();
    }
  });
});

describe('the devices on the routes', () => {
  it('reads a NAT instance a route names, and its subnet, and judges the instance as the full read does', async () => {
    // Prepare: the web instance's default route goes to a NAT instance (another instance of the fleet, whose
    // own subnet routes to an internet gateway) instead of its NAT gateway.
    const fleet = buildExampleFleet();
    const region = fleet.accounts[0]!.regions.find((r) => r.region === F.region)!;
    const instances = (region.DescribeInstances!.Reservations as ApiJson[]).flatMap(
      (r) => r.Instances as ApiJson[],
    );
    const judged = instances.find((i) => i.InstanceId === F.healthyWebInstanceIds[0])!;
    const natInstance = instances.find((i) => i.InstanceId === F.healthyPublicInstanceId)!;
    natInstance.SourceDestCheck = false;
    const tables = region.DescribeRouteTables!.RouteTables as ApiJson[];
    const table = tables.find((t) =>
      (t.Associations as ApiJson[]).some((a) => a.SubnetId === judged.SubnetId),
    )!;
    const route = (table.Routes as ApiJson[]).find((r) => r.DestinationCidrBlock === '0.0.0.0/0')!;
    expect(route.NatGatewayId, 'the example routes the web tier through a NAT gateway').toBeDefined();
    delete route.NatGatewayId;
    route.InstanceId = natInstance.InstanceId;
    const items = fleetToConfigItems(fleet);
    const item = items.find((i) => i.resourceId === judged.InstanceId)!;
    const ruleId = 'ec2-instance-network-path-to-ssm';
    const rule = rules.find((r) => r.id === ruleId)!;
    const full = evaluate(
      inventoryFromFleet(fleet, { kind: 'live', inputs: [], accounts: [], regions: [] }).inventory,
      [rule],
      { nowMs: Date.parse(fleet.collectedAt) },
    ).find((e) => e.resourceId === judged.InstanceId)!;
    const world = await startLambdaWorld(fleet, [item]);
    try {
      // Act
      const summary = await handleConfigEvent(
        changeEvent(item, { accountId: F.accountId, region: F.region, ruleId }),
        world.deps(embedded, Date.parse(fleet.collectedAt)),
      );

      // Assess: the NAT instance was read by a filtered call (never a region listing), and the verdict is the
      // full read's, decided (the full read knows the NAT instance; "not in the inventory" would not be).
      expect(summary.apiCalls['ec2:DescribeInstances']).toBe(1);
      expect(full.status).not.toBe('ERROR');
      expect(recordedEvaluations(world.endpoint).map((e) => e.ComplianceType)).toEqual([full.status]);
      expect(full.message).not.toMatch(/not an instance in the inventory/);
    } finally {
      await world.stop();
    }
  });
});

describe('the IAM grants rule', () => {
  it('reads each managed policy version once per warm execution environment (versions never change)', async () => {
    // Prepare
    const fleet = buildExampleFleet();
    const item = fleetToConfigItems(fleet).find((i) => i.resourceId === F.healthyEndpointInstanceIds[0])!;
    const world = await startLambdaWorld(fleet, [item]);
    const event = changeEvent(item, {
      accountId: F.accountId,
      region: F.region,
      ruleId: 'ec2-instance-role-grants-ssm-core',
    });
    try {
      // Act: two events in one environment (the same deps, so the same clients).
      const deps = world.deps(embedded);
      const first = await handleConfigEvent(event, deps);
      const second = await handleConfigEvent(event, deps);

      // Assess: GetPolicy still names the default version each time; its document is read once.
      expect(first.apiCalls['iam:GetPolicyVersion']).toBeGreaterThan(0);
      expect(second.apiCalls['iam:GetPolicyVersion']).toBeUndefined();
      expect(second.apiCalls['iam:GetPolicy']).toBe(first.apiCalls['iam:GetPolicy']);
      expect(recordedEvaluations(world.endpoint).map((e) => e.ComplianceType)).toEqual([
        'COMPLIANT',
        'COMPLIANT',
      ]);
    } finally {
      await world.stop();
    }
  });

  /** The example's first endpoint-using instance, its profile role in GAAD, and its VPC's ssm endpoint. */
  function endpointInstance(fleet: FleetApiData): { instance: ApiJson; role: ApiJson; ssmEndpoint: ApiJson } {
    const region = fleet.accounts[0]!.regions.find((r) => r.region === F.region)!;
    const instance = (region.DescribeInstances!.Reservations as ApiJson[])
      .flatMap((r) => r.Instances as ApiJson[])
      .find((i) => i.InstanceId === F.healthyEndpointInstanceIds[0])!;
    const profileArn = (instance.IamInstanceProfile as ApiJson).Arn;
    const gaad = fleet.accounts[0]!.GetAccountAuthorizationDetails as ApiJson;
    const role = (gaad.RoleDetailList as ApiJson[]).find((r) =>
      (r.InstanceProfileList as ApiJson[]).some((p) => p.Arn === profileArn),
    )!;
    const ssmEndpoint = (region.DescribeVpcEndpoints!.VpcEndpoints as ApiJson[]).find(
      (e) => e.VpcId === instance.VpcId && String(e.ServiceName).endsWith('.ssm'),
    )!;
    return { instance, role, ssmEndpoint };
  }

  it.for([
    {
      name: 'the role denies registration outside another endpoint (aws:SourceVpce)',
      change: (fleet: FleetApiData) => {
        const { role } = endpointInstance(fleet);
        (role.RolePolicyList as ApiJson[]).push({
          PolicyName: 'only-through-vpce-0',
          PolicyDocument: encodeURIComponent(
            JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Deny',
                  Action: 'ssm:UpdateInstanceInformation',
                  Resource: '*',
                  Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-00000000000000000' } },
                },
              ],
            }),
          ),
        });
      },
    },
    {
      name: 'the ssm endpoint has its own policy denying registration',
      change: (fleet: FleetApiData) => {
        const { ssmEndpoint } = endpointInstance(fleet);
        ssmEndpoint.PolicyDocument = JSON.stringify({
          Statement: [
            { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
            { Effect: 'Deny', Principal: '*', Action: 'ssm:UpdateInstanceInformation', Resource: '*' },
          ],
        });
      },
    },
  ])(
    'reads the network path in a second round when $name, and judges as the full read',
    async ({ change }) => {
      // Prepare
      const fleet = buildExampleFleet();
      change(fleet);
      const { instance } = endpointInstance(fleet);
      const ruleId = 'ec2-instance-role-grants-ssm-core';
      const rule = rules.find((r) => r.id === ruleId)!;
      const full = evaluate(
        inventoryFromFleet(fleet, { kind: 'live', inputs: [], accounts: [], regions: [] }).inventory,
        [rule],
        { nowMs: Date.parse(fleet.collectedAt) },
      ).find((e) => e.resourceId === instance.InstanceId)!;
      const items = fleetToConfigItems(fleet);
      const item = items.find((i) => i.resourceId === instance.InstanceId)!;
      const world = await startLambdaWorld(fleet, [item]);
      try {
        // Act
        const summary = await handleConfigEvent(
          changeEvent(item, { accountId: F.accountId, region: F.region, ruleId }),
          world.deps(embedded, Date.parse(fleet.collectedAt)),
        );

        // Assess: decided as the full read decides (a deny through the path), with the path read by filtered calls.
        expect(full.status).toBe('NON_COMPLIANT');
        expect(recordedEvaluations(world.endpoint).map((e) => e.ComplianceType)).toEqual(['NON_COMPLIANT']);
        expect(summary.apiCalls['ec2:DescribeSubnets']).toBe(1);
        expect(summary.apiCalls['ec2:DescribeRouteTables']).toBe(1);
        expect(summary.apiCalls['ec2:DescribeInstances']).toBeUndefined();
      } finally {
        await world.stop();
      }
    },
  );
});
