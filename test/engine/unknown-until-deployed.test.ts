// Deploy-time judgement: a result resting on a value the template cannot know is ERROR "unknown until deployed",
// results that do not read it stand, and every result of a declared resource carries its location.

import { describe, expect, it } from 'vitest';
import { inventoryFromFleet } from '../../src/collectors/api/index.js';
import { loadRuleSet } from '../../src/cli/rule-set.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { judgeDeployTime, UNKNOWN_UNTIL_DEPLOYED } from '../../src/engine/unknown-until-deployed.js';
import type { Evaluation } from '../../src/engine/types.js';
import { buildExampleFleet } from '../../src/generator/example-fleet.js';
import type { DeployTimeFacts, UnknownValue } from '../../src/inventory/deploy-time.js';
import { InventoryIndex } from '../../src/inventory/inventory-index.js';

const fleet = buildExampleFleet();
const source = { kind: 'cloudformation' as const, inputs: ['stack.yaml'], accounts: [], regions: [] };
const inventory = inventoryFromFleet(fleet, source).inventory;
const index = new InventoryIndex(inventory);
const { rules } = await loadRuleSet({});
const nowMs = Date.parse(fleet.collectedAt);
const evaluations = evaluate(index, rules, { nowMs, evidence: 'failures' });

// An instance with a profile, a role and a subnet whose route table names a device: the chain the tests cut.
const instance = inventory.instances.find((i) => {
  if (i.subnetId === undefined || i.vpcId === undefined || index.roleOf(i) === undefined) return false;
  const { table } = index.routeTableForSubnet(i.subnetId, i.vpcId);
  return table?.routes.some((r) => r.target.kind !== 'local') ?? false;
})!;
const other = inventory.instances.find(
  (i) =>
    i.subnetId !== instance.subnetId && i.vpcId !== instance.vpcId && i.instanceId !== instance.instanceId,
)!;
const table = index.routeTableForSubnet(instance.subnetId!, instance.vpcId!).table!;
const role = index.roleOf(instance)!;

// Every instance is "declared" (a template's report judges only what it declares); the first at line 42.
const locations = Object.fromEntries(
  inventory.instances.map((i, n) => [
    i.instanceId,
    {
      file: 'stack.yaml',
      line: i.instanceId === instance.instanceId ? 42 : 100 + n,
      address: `Instance${n}`,
    },
  ]),
);
locations[instance.instanceId] = { file: 'stack.yaml', line: 42, address: 'WebServer' };

function judged(unknowns: UnknownValue[]): Evaluation[] {
  const facts: DeployTimeFacts = { kind: 'cloudformation', locations, unknowns };
  return judgeDeployTime(evaluations, rules, facts, index);
}

function result(results: Evaluation[], ruleId: string, resourceId: string): Evaluation {
  return results.find((e) => e.ruleId === ruleId && e.resourceId === resourceId)!;
}

function original(ruleId: string, resourceId: string): Evaluation {
  return result(evaluations, ruleId, resourceId);
}

describe('judgeDeployTime', () => {
  it('makes the rules that read an unknown instance property ERROR, and only those', () => {
    const results = judged([
      {
        resourceId: instance.instanceId,
        collection: 'instances',
        property: 'metadataOptions.HttpTokens',
        reason: "HttpTokens not set: the default depends on the AMI's ImdsSupport",
        location: { file: 'stack.yaml', line: 42, address: 'WebServer' },
      },
    ]);
    const imds = result(results, 'ec2-instance-imdsv2-required', instance.instanceId);
    expect(imds.status).toBe('ERROR');
    expect(imds.reason).toBe(UNKNOWN_UNTIL_DEPLOYED);
    expect(imds.error?.code).toBe('UNKNOWN_UNTIL_DEPLOYED');
    expect(imds.message).toBe(
      "Unknown until deployed: metadataOptions.HttpTokens of WebServer (stack.yaml:42): HttpTokens not set: the default depends on the AMI's ImdsSupport",
    );
    const egress = result(results, 'ec2-instance-egress-https', instance.instanceId);
    expect(egress.status).toBe(original('ec2-instance-egress-https', instance.instanceId).status);
    expect(result(results, 'ec2-instance-imdsv2-required', other.instanceId).status).toBe(
      original('ec2-instance-imdsv2-required', other.instanceId).status,
    );
  });

  it('follows the chain: an unknown route of the instance route table errs its network rules only', () => {
    const results = judged([
      {
        resourceId: table.routeTableId,
        collection: 'routeTables',
        property: 'routes[1].NatGatewayId',
        reason: "Fn::ImportValue of 'net-Nat'",
      },
    ]);
    expect(result(results, 'ec2-instance-network-path-to-ssm', instance.instanceId).status).toBe('ERROR');
    expect(result(results, 'ec2-instance-imdsv2-required', instance.instanceId).status).toBe(
      original('ec2-instance-imdsv2-required', instance.instanceId).status,
    );
    const unaffected = result(results, 'ec2-instance-network-path-to-ssm', other.instanceId);
    const before = original('ec2-instance-network-path-to-ssm', other.instanceId);
    expect([unaffected.status, unaffected.reason, unaffected.message]).toEqual([
      before.status,
      before.reason,
      before.message,
    ]);
  });

  it("errs the grants rule on an unknown policy of the instance's role, not its network rules", () => {
    const results = judged([
      {
        resourceId: role.arn,
        collection: 'roles',
        property: 'permissionsBoundaryArn',
        reason: 'parameter BoundaryArn has no default and no value',
      },
    ]);
    const grants = result(results, 'ec2-instance-role-grants-ssm-core', instance.instanceId);
    expect(grants.status).toBe('ERROR');
    expect(grants.evidence).toEqual([
      {
        resourceId: role.arn,
        path: 'permissionsBoundaryArn',
        note: 'parameter BoundaryArn has no default and no value',
      },
    ]);
    expect(result(results, 'ec2-instance-no-inbound-ssm-ports', instance.instanceId).status).toBe(
      original('ec2-instance-no-inbound-ssm-ports', instance.instanceId).status,
    );
  });

  it('an instance that may not exist errs every rule on it', () => {
    const results = judged([
      {
        resourceId: instance.instanceId,
        collection: 'instances',
        property: 'exists',
        reason: 'Condition IsProd is not known',
      },
    ]);
    const own = results.filter((e) => e.resourceId === instance.instanceId);
    expect(own.length).toBeGreaterThan(10);
    expect(own.every((e) => e.status === 'ERROR' && e.reason === UNKNOWN_UNTIL_DEPLOYED)).toBe(true);
  });

  it('adds the declaration location to every result of a declared resource, and changes nothing else', () => {
    const results = judged([]);
    const own = results.filter((e) => e.resourceId === instance.instanceId);
    expect(own.every((e) => e.location?.address === 'WebServer' && e.location.line === 42)).toBe(true);
    const {
      location: _at,
      remediation: _fix,
      ...first
    } = results.find((e) => e.resourceId === other.instanceId)!;
    const { remediation: _command, ...before } = evaluations.find((e) => e.resourceId === other.instanceId)!;
    expect(first).toEqual(before);
  });

  it('judges only what the template declares: resources around it (from --context) are left out', () => {
    const results = judged([]);
    const windows = evaluations.filter((e) => e.resourceType === 'AWS::SSM::MaintenanceWindow');
    expect(windows.length).toBeGreaterThan(0);
    expect(results.some((e) => e.resourceType === 'AWS::SSM::MaintenanceWindow')).toBe(false);
    const instanceResults = evaluations.filter((e) => e.resourceType === 'AWS::EC2::Instance');
    expect(results.filter((e) => e.resourceType === 'AWS::EC2::Instance')).toHaveLength(
      instanceResults.length,
    );
  });

  it('says a family only a running fleet has is unknown until deployed', () => {
    const withoutNodes = inventoryFromFleet(
      {
        collectedAt: fleet.collectedAt,
        accounts: fleet.accounts.map((a) => ({
          ...a,
          failures: [],
          regions: a.regions.map((r) => {
            const { DescribeInstanceInformation: _dropped, ...rest } = r;
            return { ...rest, failures: [] };
          }),
        })),
      },
      source,
    ).inventory;
    const runIndex = new InventoryIndex(withoutNodes);
    const raw = evaluate(runIndex, rules, { nowMs, evidence: 'failures' });
    const facts: DeployTimeFacts = { kind: 'cloudformation', locations, unknowns: [] };
    const online = judgeDeployTime(raw, rules, facts, runIndex).find(
      (e) => e.ruleId === 'ec2-instance-ssm-online' && e.resourceId === instance.instanceId,
    )!;
    expect(online.status).toBe('ERROR');
    expect(online.reason).toBe(UNKNOWN_UNTIL_DEPLOYED);
    expect(online.message).toMatch(
      /^Unknown until deployed: ssm:instance-information exists only once the resources run/,
    );
    expect(online.message).toMatch(/give --context PATH/);
  });
});

describe('fixes of declared resources', () => {
  it('keep the words and drop the AWS CLI command, which would name ids no deployed resource has', () => {
    const facts: DeployTimeFacts = { kind: 'cloudformation', locations, unknowns: [] };
    const results = judgeDeployTime(evaluations, rules, facts, index);
    const withText = results.filter((e) => e.remediation !== undefined);
    expect(withText.length).toBeGreaterThan(0);
    expect(
      withText.every((e) => e.remediation!.command === undefined && e.remediation!.text.length > 0),
    ).toBe(true);
    expect(evaluations.some((e) => e.remediation?.command !== undefined)).toBe(true);
  });
});
