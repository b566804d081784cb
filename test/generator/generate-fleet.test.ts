// Tests for the seeded fleet generator: determinism, sizes, shapes, and that large fleets stay fast.

import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { ApiJson, FleetApiData } from '../../src/collectors/api/api-data.js';
import { decodePolicyDocument } from '../../src/inventory/policy-document.js';
import { generateFleet } from '../../src/generator/generate-fleet.js';
import { writeAwsCliFiles } from '../../src/generator/write-aws-cli-files.js';

const tempDirs: string[] = [];

async function writeAndHash(fleet: FleetApiData): Promise<Map<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'ssmguard-fleet-'));
  tempDirs.push(dir);
  await writeAwsCliFiles(fleet, dir);
  const hashes = new Map<string, string>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    hashes.set(
      relative(dir, path),
      createHash('sha256')
        .update(await readFile(path))
        .digest('hex'),
    );
  }
  return hashes;
}

function allInstances(fleet: FleetApiData): ApiJson[] {
  return fleet.accounts.flatMap((a) =>
    a.regions.flatMap((r) =>
      (r.DescribeInstances.Reservations as ApiJson[]).flatMap((res) => res.Instances as ApiJson[]),
    ),
  );
}

function roleCount(fleet: FleetApiData): number {
  return fleet.accounts.reduce(
    (sum, a) => sum + (a.GetAccountAuthorizationDetails.RoleDetailList as unknown[]).length,
    0,
  );
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('generateFleet', () => {
  it('writes byte-identical files for the same seed', async () => {
    // Act
    const first = await writeAndHash(
      generateFleet({ seed: 7, instances: 300, regions: ['us-east-1', 'eu-west-1'] }),
    );
    const second = await writeAndHash(
      generateFleet({ seed: 7, instances: 300, regions: ['us-east-1', 'eu-west-1'] }),
    );
    // Assess
    expect(second).toEqual(first);
  });

  it('writes different data for a different seed', async () => {
    const a = await writeAndHash(generateFleet({ seed: 7, instances: 300 }));
    const b = await writeAndHash(generateFleet({ seed: 8, instances: 300 }));
    expect(b).not.toEqual(a);
  });

  it('generates exactly the requested instances, spread over accounts and regions', () => {
    const fleet = generateFleet({
      seed: 1,
      instances: 1001,
      accounts: 2,
      regions: ['us-east-1', 'us-west-2'],
    });
    expect(fleet.accounts).toHaveLength(2);
    expect(fleet.accounts.every((a) => a.regions.map((r) => r.region).join() === 'us-east-1,us-west-2')).toBe(
      true,
    );
    expect(allInstances(fleet)).toHaveLength(1001);
    expect(new Set(allInstances(fleet).map((i) => i.InstanceId)).size).toBe(1001);
  });

  it('creates about one instance-profile role per 40 instances, plus the service roles', () => {
    const fleet = generateFleet({ seed: 3, instances: 4000 });
    const gaad = fleet.accounts[0]?.GetAccountAuthorizationDetails as ApiJson;
    const profileRoles = (gaad.RoleDetailList as ApiJson[]).filter(
      (r) => (r.InstanceProfileList as unknown[]).length > 0,
    );
    expect(profileRoles).toHaveLength(100);
    const attached = new Set(
      profileRoles.flatMap((r) => (r.AttachedManagedPolicies as ApiJson[]).map((p) => p.PolicyName)),
    );
    expect(attached).toContain('AmazonSSMManagedInstanceCore');
    expect(profileRoles.some((r) => r.PermissionsBoundary !== undefined)).toBe(true);
    expect(profileRoles.some((r) => (r.RolePolicyList as unknown[]).length > 0)).toBe(true);
    for (const role of profileRoles)
      expect(decodePolicyDocument(role.AssumeRolePolicyDocument)).toHaveProperty('document');
  });

  it('fills every API with realistic content', () => {
    const fleet = generateFleet({ seed: 11, instances: 5000 });
    const region = fleet.accounts[0]?.regions[0];
    if (region === undefined) throw new Error('no region');
    const list = (json: ApiJson, key: string): ApiJson[] => json[key] as ApiJson[];
    expect(list(region.DescribeVpcs, 'Vpcs').length).toBeGreaterThanOrEqual(10);
    expect(region.DescribeVpcAttribute).toHaveLength(2 * list(region.DescribeVpcs, 'Vpcs').length);
    expect(
      list(region.DescribeRouteTables, 'RouteTables').some((t) =>
        (t.Associations as ApiJson[]).some((a) => a.Main === true),
      ),
    ).toBe(true);
    expect(
      list(region.DescribeVpcEndpoints, 'VpcEndpoints').some(
        (e) => e.ServiceName === 'com.amazonaws.us-east-1.ssmmessages',
      ),
    ).toBe(true);
    const nodes = list(region.DescribeInstanceInformation, 'InstanceInformationList');
    expect(nodes.some((n) => n.PingStatus === 'Online')).toBe(true);
    expect(nodes.some((n) => n.PingStatus === 'ConnectionLost')).toBe(true);
    expect(nodes.some((n) => n.ResourceType === 'ManagedInstance')).toBe(true);
    expect(list(region.DescribeActivations, 'ActivationList').length).toBeGreaterThan(0);
    expect(region.DescribeMaintenanceWindowTargets).toHaveLength(
      list(region.DescribeMaintenanceWindows, 'WindowIdentities').length,
    );
    const targetKeys = region.DescribeMaintenanceWindowTargets.flatMap((t) =>
      (t.Targets as ApiJson[]).flatMap((x) => (x.Targets as ApiJson[]).map((k) => k.Key)),
    );
    expect(targetKeys).toContain('tag:PatchGroup');
    expect(list(region.DescribePatchGroups, 'Mappings').length).toBeGreaterThan(0);
    expect((region.GetServiceSetting.ServiceSetting as ApiJson).SettingId).toBe(
      '/ssm/managed-instance/default-ec2-instance-management-role',
    );
  });

  it('generates a 20,000-instance fleet with hundreds of roles in a few seconds', () => {
    // The 100k fleet is covered by the benchmark; 20k keeps this test quick.
    const started = performance.now();
    const fleet = generateFleet({ seed: 100, instances: 20_000 });
    const elapsedMs = performance.now() - started;
    expect(allInstances(fleet)).toHaveLength(20_000);
    expect(roleCount(fleet)).toBeGreaterThanOrEqual(500);
    expect(elapsedMs).toBeLessThan(15_000);
  });

  it('rejects a negative instance count', () => {
    expect(() => generateFleet({ seed: 1, instances: -1 })).toThrow(RangeError);
  });
});
