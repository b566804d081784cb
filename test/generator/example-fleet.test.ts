// Tests for the shipped example fleet: the committed files never drift, and each scenario is what EXAMPLE_FLEET_FACTS says.

import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ApiJson, FleetApiData, RegionApiData } from '../../src/collectors/api/api-data.js';
import { API_RESPONSE_KINDS } from '../../src/collectors/api/api-data.js';
import { decodePolicyDocument } from '../../src/inventory/policy-document.js';
import {
  EXAMPLE_FLEET_FACTS as F,
  buildExampleFleet,
  exampleInventoryInstanceId,
} from '../../src/generator/example-fleet.js';
import { writeAwsCliFiles } from '../../src/generator/write-aws-cli-files.js';

const COMMITTED_DIR = fileURLToPath(new URL('../../examples/example-fleet/', import.meta.url));

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

function instances(region: RegionApiData): ApiJson[] {
  return (region.DescribeInstances.Reservations as ApiJson[]).flatMap((r) => r.Instances as ApiJson[]);
}

function tag(instance: ApiJson, key: string): string | undefined {
  return (instance.Tags as { Key: string; Value: string }[]).find((t) => t.Key === key)?.Value;
}

describe('example fleet', () => {
  let fleet: FleetApiData;
  let region: RegionApiData;
  let byId: Map<string, ApiJson>;
  let info: Map<string, ApiJson>;
  let outDir: string;

  beforeAll(async () => {
    fleet = buildExampleFleet();
    const account = fleet.accounts[0];
    if (account === undefined || account.regions[0] === undefined)
      throw new Error('example fleet has no region');
    region = account.regions[0];
    byId = new Map(instances(region).map((i) => [i.InstanceId as string, i]));
    info = new Map(
      (region.DescribeInstanceInformation.InstanceInformationList as ApiJson[]).map((i) => [
        i.InstanceId as string,
        i,
      ]),
    );
    outDir = await mkdtemp(join(tmpdir(), 'ssmguard-example-'));
    await writeAwsCliFiles(fleet, outDir);
  });

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('matches the committed examples/example-fleet files byte for byte (regenerate with write-example-fleet.ts)', async () => {
    // Prepare
    const expectedFiles = await listFiles(outDir);
    // Act
    const committedFiles = await listFiles(COMMITTED_DIR);
    // Assess
    expect(committedFiles).toEqual(expectedFiles);
    for (const file of expectedFiles) {
      const [fresh, committed] = await Promise.all([
        readFile(join(outDir, file)),
        readFile(join(COMMITTED_DIR, file)),
      ]);
      expect(committed.equals(fresh), `${file} drifted from the generator`).toBe(true);
    }
  });

  it('writes valid JSON with the top-level keys of each API response', async () => {
    const listKeys = new Set<string>(
      Object.values(API_RESPONSE_KINDS)
        .map((k) => k.listKey)
        .filter((k): k is NonNullable<typeof k> => k !== undefined),
    );
    for (const file of await listFiles(outDir)) {
      const json = JSON.parse(await readFile(join(outDir, file), 'utf8')) as ApiJson;
      const keys = Object.keys(json);
      if (file === 'ssmguard-source.json')
        expect(json).toEqual({ ssmguardSource: { collectedAt: F.collectedAt } });
      else if (file.includes('vpc-attribute')) expect(keys[0]).toBe('VpcId');
      // get-patch-baseline prints one baseline, no list: its id comes first.
      else if (file.includes('get-patch-baseline')) expect(keys[0]).toBe('BaselineId');
      else
        expect(
          keys.some((k) => listKeys.has(k)),
          `${file} has ${keys.join(', ')}`,
        ).toBe(true);
    }
  });

  it('has the 200 story instances running, without instance profile, patch-group tagged and not Online', () => {
    for (let n = 1; n <= F.inventory.count; n++) {
      const instance = byId.get(exampleInventoryInstanceId(n));
      expect(instance, `inventory instance ${n}`).toBeDefined();
      expect(instance?.IamInstanceProfile).toBeUndefined();
      expect(instance?.State).toEqual({ Code: 16, Name: 'running' });
      expect(tag(instance as ApiJson, 'PatchGroup')).toBe('InventoryServers');
      expect(tag(instance as ApiJson, 'Environment')).toBe('Production');
      expect(tag(instance as ApiJson, 'Name')).toBe(`inventory-${String(n).padStart(3, '0')}`);
      const node = info.get(exampleInventoryInstanceId(n));
      if (n <= F.inventory.connectionLostCount) expect(node?.PingStatus).toBe('ConnectionLost');
      else expect(node).toBeUndefined();
    }
    expect(exampleInventoryInstanceId(F.inventory.count)).toBe(F.inventory.lastInstanceId);
    expect((region.GetServiceSetting.ServiceSetting as ApiJson).SettingValue).toBe('$None');
  });

  it('patches the story instances through a tag-based window with an AWS-RunPatchBaseline task', () => {
    const index = (region.DescribeMaintenanceWindows.WindowIdentities as ApiJson[]).findIndex(
      (w) => w.WindowId === F.inventory.maintenanceWindowId,
    );
    const targets = region.DescribeMaintenanceWindowTargets[index]?.Targets as ApiJson[];
    const tasks = region.DescribeMaintenanceWindowTasks[index]?.Tasks as ApiJson[];
    expect(targets[0]?.Targets).toEqual([{ Key: 'tag:PatchGroup', Values: ['InventoryServers'] }]);
    expect(tasks[0]).toMatchObject({
      TaskArn: 'AWS-RunPatchBaseline',
      Targets: [{ Key: 'WindowTargetIds', Values: [targets[0]?.WindowTargetId] }],
    });
  });

  it('registers one EC2 instance as a hybrid mi- node whose IP and computer name are the instance’s', () => {
    const ec2 = byId.get(F.ec2AsHybridInstanceId);
    const node = info.get(F.ec2AsHybridManagedInstanceId);
    expect(node).toMatchObject({
      ResourceType: 'ManagedInstance',
      ActivationId: F.activeActivationId,
      IPAddress: ec2?.PrivateIpAddress,
      ComputerName: ec2?.PrivateDnsName,
      SourceType: 'AWS::SSM::ManagedInstance',
    });
    expect(info.has(F.ec2AsHybridInstanceId)).toBe(false);
    const activations = region.DescribeActivations.ActivationList as ApiJson[];
    expect(activations.find((a) => a.ActivationId === F.expiredActivationId)?.Expired).toBe(true);
    const overLimit = activations.find((a) => a.ActivationId === F.overLimitActivationId);
    expect(Number(overLimit?.RegistrationsCount)).toBeGreaterThan(Number(overLimit?.RegistrationLimit));
  });

  it('gives the single-fault instances the fault their facts name', () => {
    const groups = new Map(
      (region.DescribeSecurityGroups.SecurityGroups as ApiJson[]).map((g) => [g.GroupId as string, g]),
    );
    expect((byId.get(F.imdsDisabledInstanceId)?.MetadataOptions as ApiJson).HttpEndpoint).toBe('disabled');
    expect(groups.get(F.securityGroups.sshFromAnywhere)?.IpPermissions).toMatchObject([
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
    ]);
    expect(groups.get(F.securityGroups.portRange3000To4000)?.IpPermissions).toMatchObject([
      { FromPort: 3000, ToPort: 4000 },
    ]);
    expect(groups.get(F.securityGroups.allTrafficIpv6)?.IpPermissions).toMatchObject([
      { IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
    ]);
    expect(groups.get(F.securityGroups.egressPort80Only)?.IpPermissionsEgress).toMatchObject([
      { FromPort: 80, ToPort: 80 },
    ]);
    expect(byId.get(F.sshOpenInstanceId)?.SecurityGroups).toEqual([
      { GroupId: F.securityGroups.sshFromAnywhere, GroupName: 'bastion-ssh' },
    ]);
    expect(byId.get(F.stoppedInstanceId)?.State).toEqual({ Code: 80, Name: 'stopped' });
    expect(byId.get(F.pendingInstanceId)?.State).toEqual({ Code: 0, Name: 'pending' });
    expect(tag(byId.get(F.noPatchGroupTagInstanceId) as ApiJson, 'PatchGroup')).toBeUndefined();
    expect(tag(byId.get(F.patchGroupWithSpaceInstanceId) as ApiJson, 'Patch Group')).toBe('FinanceServers');
  });

  it('routes the no-path subnet through the main table with only the local route', () => {
    const tables = region.DescribeRouteTables.RouteTables as ApiJson[];
    const explicit = tables.some((t) =>
      (t.Associations as ApiJson[]).some((a) => a.SubnetId === F.subnets.privateNoPath),
    );
    const main = tables.find(
      (t) => t.VpcId === F.vpcs.production && (t.Associations as ApiJson[]).some((a) => a.Main === true),
    );
    expect(explicit).toBe(false);
    expect(main?.Routes).toEqual([
      {
        DestinationCidrBlock: '10.0.0.0/16',
        GatewayId: 'local',
        Origin: 'CreateRouteTable',
        State: 'active',
      },
    ]);
  });

  it('stores IAM documents URL-encoded, managed policies with all versions, and the faulty roles', () => {
    const gaad = fleet.accounts[0]?.GetAccountAuthorizationDetails as ApiJson;
    const roles = new Map((gaad.RoleDetailList as ApiJson[]).map((r) => [r.RoleName as string, r]));
    const policies = new Map((gaad.Policies as ApiJson[]).map((p) => [p.PolicyName as string, p]));
    const core = policies.get('AmazonSSMManagedInstanceCore');
    expect(core?.DefaultVersionId).toBe('v2');
    expect((core?.PolicyVersionList as ApiJson[]).length).toBeGreaterThan(1);
    expect((policies.get('AmazonEC2RoleforSSM')?.PolicyVersionList as ApiJson[]).length).toBeGreaterThan(1);
    expect((policies.get('DeveloperBoundary')?.PolicyVersionList as ApiJson[]).length).toBe(3);

    const etl = roles.get(F.roles.wrongTrust);
    expect(String(etl?.AssumeRolePolicyDocument)).toMatch(/^%7B/);
    expect(decodePolicyDocument(etl?.AssumeRolePolicyDocument)).toMatchObject({
      document: { Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] },
    });
    const hr = roles.get(F.roles.explicitDeny);
    expect(decodePolicyDocument((hr?.RolePolicyList as ApiJson[])[0]?.PolicyDocument)).toMatchObject({
      document: { Statement: [{ Sid: 'DenySystemsManagerUntilApproved', Effect: 'Deny' }] },
    });
    expect(roles.get(F.roles.boundaryDeny)?.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: F.boundaryPolicyArn,
    });
    const healthyProfile = (roles.get(F.roles.healthy)?.InstanceProfileList as ApiJson[])[0];
    expect(healthyProfile?.Arn).toBe(F.instanceProfiles.healthy);
    expect((byId.get(F.healthyWebInstanceIds[0])?.IamInstanceProfile as ApiJson).Arn).toBe(
      F.instanceProfiles.healthy,
    );
  });
});
