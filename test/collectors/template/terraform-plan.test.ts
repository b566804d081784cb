import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it, test } from 'vitest';

import type { DeployModel } from '../../../src/collectors/template/deploy-model.js';
import { TemplateInputError } from '../../../src/collectors/template/template-input-error.js';
import {
  looksLikeTerraformPlan,
  readTerraformPlan,
} from '../../../src/collectors/template/terraform-plan.js';

const fixtures = fileURLToPath(new URL('../../fixtures/template/terraform/', import.meta.url));
const options = { accountId: '111122223333', region: 'us-east-1' };

function planPath(scenario: string): string {
  return join(fixtures, scenario, 'plan.json');
}

function readScenario(scenario: string): DeployModel {
  const file = planPath(scenario);
  return readTerraformPlan(file, readFileSync(file, 'utf8'), options);
}

function byAddress<T extends { address: string }>(items: readonly T[], address: string): T {
  const found = items.find((item) => item.address === address);
  if (found === undefined)
    throw new Error(`${address} not mapped; have ${items.map((item) => item.address).join(', ')}`);
  return found;
}

function mainTf(scenario: string, line: number, address: string) {
  return { file: join(fixtures, scenario, 'main.tf'), line, column: 1, address };
}

describe('vpc-private-endpoints', () => {
  const model = readScenario('vpc-private-endpoints');
  const subnetA = byAddress(model.subnets, 'aws_subnet.private_a');
  const subnetB = byAddress(model.subnets, 'aws_subnet.private_b');
  const vpc = byAddress(model.vpcs, 'aws_vpc.main');

  it('resolves ids known after apply, passed into a module, to the declared ids of the resources they reference', () => {
    // Prepare
    const instance = byAddress(model.instances, 'module.app.aws_instance.this');
    const group = byAddress(model.securityGroups, 'aws_security_group.app');

    // Assess
    expect(subnetA.subnetId).toMatch(/^subnet-[0-9a-f]{17}$/);
    expect(instance.subnetId).toBe(subnetA.subnetId);
    expect(instance.securityGroupIds).toEqual([group.groupId]);
    expect(subnetA.vpcId).toBe(vpc.vpcId);
    expect(group.vpcId).toBe(vpc.vpcId);
    expect(byAddress(model.routeTables, 'aws_route_table.private').subnetIds).toEqual([
      subnetA.subnetId,
      subnetB.subnetId,
    ]);
  });

  it('maps the interface endpoints with private DNS, their subnets and the group allowing 443 from the VPC', () => {
    const endpointGroup = byAddress(model.securityGroups, 'aws_security_group.endpoints');
    expect(model.vpcEndpoints.map((endpoint) => endpoint.serviceName).sort()).toEqual([
      'com.amazonaws.us-east-1.ec2messages',
      'com.amazonaws.us-east-1.ssm',
      'com.amazonaws.us-east-1.ssmmessages',
    ]);
    for (const endpoint of model.vpcEndpoints) {
      expect(endpoint).toMatchObject({
        vpcId: vpc.vpcId,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: [subnetA.subnetId, subnetB.subnetId],
        securityGroupIds: [endpointGroup.groupId],
      });
    }
    expect(endpointGroup.ingress).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        CidrIp: '10.20.0.0/16',
        Description: 'HTTPS from the VPC',
      },
    ]);
    expect(vpc).toMatchObject({
      cidrBlock: '10.20.0.0/16',
      enableDnsSupport: true,
      enableDnsHostnames: true,
    });
  });

  it('follows the instance profile through the modules to its role and managed policy', () => {
    const instance = byAddress(model.instances, 'module.app.aws_instance.this');
    const profile = byAddress(model.instanceProfiles, 'module.ssm_role.aws_iam_instance_profile.this');
    const role = byAddress(model.roles, 'module.ssm_role.aws_iam_role.this');
    expect(instance.iamInstanceProfileArn).toBe('arn:aws:iam::111122223333:instance-profile/app-ssm');
    expect(profile.arn).toBe(instance.iamInstanceProfileArn);
    expect(profile.roleArns).toEqual([role.arn]);
    expect(role.arn).toBe('arn:aws:iam::111122223333:role/app-ssm');
    expect(role.managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
    expect(role.assumeRolePolicyDocument).toMatchObject({
      Statement: [{ Principal: { Service: 'ec2.amazonaws.com' } }],
    });
  });

  it('locates root resources in main.tf and module resources in the module folder', () => {
    expect(byAddress(model.instances, 'module.app.aws_instance.this').location).toEqual({
      file: join(fixtures, 'vpc-private-endpoints', 'modules', 'app-instance', 'main.tf'),
      line: 15,
      column: 1,
      address: 'module.app.aws_instance.this',
    });
    expect(vpc.location).toEqual(mainTf('vpc-private-endpoints', 3, 'aws_vpc.main'));
    expect(byAddress(model.roles, 'module.ssm_role.aws_iam_role.this').location).toEqual({
      file: join(fixtures, 'vpc-private-endpoints', 'modules', 'ssm-role', 'main.tf'),
      line: 17,
      column: 1,
      address: 'module.ssm_role.aws_iam_role.this',
    });
  });

  it('gives Unresolved "known after apply" for values nobody knows before apply', () => {
    // assign_generated_ipv6_cidr_block: Amazon picks the block; private_b declares no availability zone.
    expect(vpc.ipv6CidrBlocks).toEqual([{ unresolved: true, reason: 'known after apply' }]);
    expect(subnetB.availabilityZone).toEqual({ unresolved: true, reason: 'known after apply' });
    expect(subnetA.availabilityZone).toBe('us-east-1a');
  });
});

describe('asg-no-profile', () => {
  const model = readScenario('asg-no-profile');
  const subnets = [
    byAddress(model.subnets, 'aws_subnet.private[0]'),
    byAddress(model.subnets, 'aws_subnet.private[1]'),
  ];

  it('launches one instance per subnet of the group, without an instance profile', () => {
    const group = byAddress(model.securityGroups, 'aws_security_group.web');
    expect(model.instances.map((instance) => instance.address)).toEqual([
      'aws_autoscaling_group.web[0]',
      'aws_autoscaling_group.web[1]',
    ]);
    model.instances.forEach((instance, index) => {
      expect(instance).not.toHaveProperty('iamInstanceProfileArn');
      expect(instance).toMatchObject({
        launchedBy: 'aws_autoscaling_group.web',
        subnetId: subnets[index]?.subnetId,
        securityGroupIds: [group.groupId],
        metadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required' },
        location: mainTf('asg-no-profile', 121, `aws_autoscaling_group.web[${index}]`),
      });
      expect(instance.instanceId).toMatch(/^i-[0-9a-f]{17}$/);
    });
    expect(model.instances[0]?.instanceId).not.toBe(model.instances[1]?.instanceId);
  });

  it('tags the instances with the propagated group tags and the group name only', () => {
    expect(model.instances[0]?.tags).toEqual([
      { Key: 'Name', Value: 'web' },
      { Key: 'aws:autoscaling:groupName', Value: 'web' },
    ]);
  });

  it('reads count.index and splat references from the .tf block beside the plan', () => {
    const ids = subnets.map((subnet) => subnet.subnetId);
    expect(byAddress(model.routeTables, 'aws_route_table.private').subnetIds).toEqual(ids);
    expect(byAddress(model.networkAcls, 'aws_network_acl.private').subnetIds).toEqual(ids);
  });

  it('maps routes to the NAT and internet gateways, and the NACL rules inline and standalone', () => {
    const nat = byAddress(model.natGateways, 'aws_nat_gateway.main');
    const igw = byAddress(model.internetGateways, 'aws_internet_gateway.main');
    expect(nat.subnetId).toBe(byAddress(model.subnets, 'aws_subnet.public').subnetId);
    expect(byAddress(model.routeTables, 'aws_route_table.private').routes).toEqual([
      {
        DestinationCidrBlock: '0.0.0.0/0',
        NatGatewayId: nat.natGatewayId,
        location: mainTf('asg-no-profile', 51, 'aws_route.private_default'),
      },
    ]);
    expect(byAddress(model.routeTables, 'aws_route_table.public').routes).toEqual([
      { DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw.internetGatewayId },
    ]);
    expect(byAddress(model.networkAcls, 'aws_network_acl.private').entries).toContainEqual({
      RuleNumber: 90,
      Protocol: '6',
      RuleAction: 'deny',
      Egress: false,
      CidrBlock: '0.0.0.0/0',
      PortRange: { From: 3389, To: 3389 },
      location: mainTf('asg-no-profile', 86, 'aws_network_acl_rule.deny_rdp'),
    });
  });

  it('notes an aws_* resource it does not read', () => {
    expect(model.notes).toEqual([
      {
        address: 'aws_eip.nat',
        message: 'aws_eip is not read',
        location: mainTf('asg-no-profile', 24, 'aws_eip.nat'),
      },
    ]);
  });
});

describe('boundary-cuts-ssm', () => {
  const model = readScenario('boundary-cuts-ssm');
  const role = byAddress(model.roles, 'aws_iam_role.app');

  it('gives the role the boundary policy ARN the plan knows only after apply', () => {
    const boundary = byAddress(model.managedPolicies, 'aws_iam_policy.boundary');
    expect(boundary.arn).toBe('arn:aws:iam::111122223333:policy/s3-only-boundary');
    expect(role.permissionsBoundaryArn).toBe(boundary.arn);
    expect(boundary.document).toEqual({
      Statement: [{ Action: 's3:*', Effect: 'Allow', Resource: '*' }],
      Version: '2012-10-17',
    });
  });

  it('collects the attachment, the inline_policy block and the aws_iam_role_policy onto the role', () => {
    expect(role).toMatchObject({
      roleName: 'bounded-app',
      path: '/apps/',
      arn: 'arn:aws:iam::111122223333:role/apps/bounded-app',
      managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'],
      tags: [{ Key: 'Team', Value: 'app' }],
    });
    expect(role.inlinePolicies.map((policy) => policy.policyName)).toEqual(['read-config', 'logs']);
  });

  it('resolves the profile name to the ARN with its path, and keeps ids from outside the plan', () => {
    const instance = byAddress(model.instances, 'aws_instance.app');
    expect(instance.iamInstanceProfileArn).toBe(
      'arn:aws:iam::111122223333:instance-profile/apps/bounded-app',
    );
    expect(byAddress(model.instanceProfiles, 'aws_iam_instance_profile.app').roleArns).toEqual([role.arn]);
    expect(instance.subnetId).toBe('subnet-035bfa66eeb82fa77');
    expect(instance.securityGroupIds).toEqual(['sg-0cd7b90f20661579c']);
  });
});

describe('sg-22-open', () => {
  const model = readScenario('sg-22-open');

  it('maps SSH open to the internet, and no egress where no egress block is declared', () => {
    const group = byAddress(model.securityGroups, 'aws_security_group.ssh');
    expect(group.ingress).toEqual([
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0', Description: 'SSH from anywhere' },
    ]);
    // The provider revokes AWS's default allow-all egress rule of a group it creates.
    expect(group.egress).toEqual([]);
    expect(group.location).toEqual(mainTf('sg-22-open', 46, 'aws_security_group.ssh'));
  });

  it('adds the standalone rule resources to their group, each with its own location', () => {
    const ssh = byAddress(model.securityGroups, 'aws_security_group.ssh');
    const bastion = byAddress(model.securityGroups, 'aws_security_group.bastion');
    expect(bastion.ingress).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        GroupIdPeer: ssh.groupId,
        location: mainTf('sg-22-open', 78, 'aws_security_group_rule.bastion_from_ssh'),
      },
      {
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        CidrIp: '0.0.0.0/0',
        location: mainTf('sg-22-open', 64, 'aws_vpc_security_group_ingress_rule.bastion_ssh'),
      },
    ]);
    expect(bastion.egress).toEqual([
      {
        IpProtocol: '-1',
        CidrIp: '0.0.0.0/0',
        location: mainTf('sg-22-open', 72, 'aws_vpc_security_group_egress_rule.bastion_all'),
      },
    ]);
    expect(byAddress(model.instances, 'aws_instance.bastion').securityGroupIds).toEqual([
      ssh.groupId,
      bastion.groupId,
    ]);
  });

  it('attaches the internet gateway through its attachment and notes the main route table association', () => {
    const vpc = byAddress(model.vpcs, 'aws_vpc.main');
    expect(byAddress(model.internetGateways, 'aws_internet_gateway.main').attachedVpcIds).toEqual([
      vpc.vpcId,
    ]);
    expect(byAddress(model.internetGateways, 'aws_egress_only_internet_gateway.main')).toMatchObject({
      attachedVpcIds: [vpc.vpcId],
      egressOnly: true,
    });
    expect(model.notes.map((entry) => entry.address)).toEqual(['aws_main_route_table_association.main']);
  });
});

describe('window-instance-ids', () => {
  const model = readScenario('window-instance-ids');

  it('targets the declared ids of the instances the window target names', () => {
    const window = byAddress(model.maintenanceWindows, 'aws_ssm_maintenance_window.patching');
    const target = byAddress(model.maintenanceWindowTargets, 'aws_ssm_maintenance_window_target.db');
    const instanceIds = ['aws_instance.db[0]', 'aws_instance.db[1]'].map(
      (address) => byAddress(model.instances, address).instanceId,
    );
    expect(target).toMatchObject({
      windowId: window.windowId,
      resourceType: 'INSTANCE',
      targets: [{ Key: 'InstanceIds', Values: instanceIds }],
      location: mainTf('window-instance-ids', 23, 'aws_ssm_maintenance_window_target.db'),
    });
    expect(window).toMatchObject({
      name: 'db-patching',
      schedule: 'cron(0 3 ? * SUN *)',
      duration: 3,
      cutoff: 1,
    });
  });

  it('maps the Run Command task with its parameters and window target', () => {
    const target = byAddress(model.maintenanceWindowTargets, 'aws_ssm_maintenance_window_target.db');
    expect(byAddress(model.maintenanceWindowTasks, 'aws_ssm_maintenance_window_task.patch')).toMatchObject({
      taskType: 'RUN_COMMAND',
      taskArn: 'AWS-RunPatchBaseline',
      targets: [{ Key: 'WindowTargetIds', Values: [target.windowTargetId] }],
      parameters: { Operation: ['Install'], RebootOption: ['RebootIfNeeded'] },
      priority: 1,
    });
  });

  it('registers the patch group with its baseline, keeps the service setting and notes the association', () => {
    expect(byAddress(model.patchBaselines, 'aws_ssm_patch_baseline.linux')).toMatchObject({
      operatingSystem: 'AMAZON_LINUX_2023',
      patchGroups: ['databases'],
    });
    expect(model.serviceSettings[0]?.settingValue).toBe(
      'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole',
    );
    expect(model.notes.map((entry) => entry.address)).toEqual(['aws_ssm_association.inventory']);
  });
});

describe('plans read anywhere', () => {
  const copies = mkdtempSync(join(tmpdir(), 'ssmguard-tf-plan-'));
  afterAll(() => rmSync(copies, { recursive: true, force: true }));

  it('gives the same ids on every read of the same plan', () => {
    expect(readScenario('asg-no-profile')).toEqual(readScenario('asg-no-profile'));
  });

  it('points at the address in the plan JSON when no .tf files are beside it', () => {
    // Prepare
    const file = join(copies, 'plan.json');
    copyFileSync(planPath('sg-22-open'), file);
    const text = readFileSync(file, 'utf8');

    // Act
    const model = readTerraformPlan(file, text, options);

    // Assess
    const location = byAddress(model.securityGroups, 'aws_security_group.ssh').location;
    const lineText = text.split('\n')[location.line - 1];
    expect(location.file).toBe(file);
    expect(lineText?.slice((location.column ?? 1) - 1)).toMatch(/^"aws_security_group\.ssh"/);
  });

  it('keeps a reference the configuration cannot name Unresolved, never a guessed id', () => {
    // Prepare: a count.index reference with no .tf to say which instance it means.
    const file = join(copies, 'asg-plan.json');
    copyFileSync(planPath('asg-no-profile'), file);

    // Act
    const model = readTerraformPlan(file, readFileSync(file, 'utf8'), options);

    // Assess
    expect(byAddress(model.routeTables, 'aws_route_table.private').subnetIds).toEqual([
      { unresolved: true, reason: 'known after apply' },
      { unresolved: true, reason: 'known after apply' },
    ]);
    // subnet_ids = aws_subnet.private[*].id: which instances, unknown without the .tf (subnetIds is no Maybe).
    expect(byAddress(model.networkAcls, 'aws_network_acl.private').subnetIds).toEqual([
      { unresolved: true, reason: 'known after apply' },
    ]);
  });
});

interface PlannedModule {
  resources: { address: string; values: Record<string, unknown> }[];
}

/** A real plan, changed the way another configuration would have planned it. */
interface PlanJson {
  planned_values: { root_module: PlannedModule & { child_modules?: PlannedModule[] } };
  resource_changes: { address: string; change: { after_unknown: Record<string, unknown> } }[];
  configuration: { root_module: { resources: { address: string; expressions: Record<string, unknown> }[] } };
}

function readEdited(scenario: string, edit: (plan: PlanJson) => void): DeployModel {
  const plan = JSON.parse(readFileSync(planPath(scenario), 'utf8')) as PlanJson;
  edit(plan);
  return readTerraformPlan(planPath(scenario), JSON.stringify(plan, null, 2), options);
}

function plannedOf(plan: PlanJson, address: string) {
  const values = plan.planned_values.root_module.resources.find(
    (resource) => resource.address === address,
  )?.values;
  const unknown = plan.resource_changes.find((change) => change.address === address)?.change.after_unknown;
  const expressions = plan.configuration.root_module.resources.find(
    (resource) => resource.address === address.replace(/\[[^\]]*\]$/, ''),
  )?.expressions;
  if (values === undefined || unknown === undefined || expressions === undefined) throw new Error(address);
  return { values, unknown, expressions };
}

describe('references the fixtures do not exercise as planned', () => {
  it('follows a module variable and a module output to the resource they name when known only after apply', () => {
    const model = readEdited('vpc-private-endpoints', (plan) => {
      const instance = plan.planned_values.root_module.child_modules
        ?.flatMap((module) => module.resources)
        .find((resource) => resource.address === 'module.app.aws_instance.this');
      const change = plan.resource_changes.find(
        (resource) => resource.address === 'module.app.aws_instance.this',
      );
      if (instance === undefined || change === undefined) throw new Error('module.app.aws_instance.this');
      delete instance.values.iam_instance_profile;
      change.change.after_unknown.iam_instance_profile = true;
      // As with name_prefix: the profile's name, and so the instance's, is known only after apply.
      const profile = plan.planned_values.root_module.child_modules
        ?.flatMap((module) => module.resources)
        .find((resource) => resource.address === 'module.ssm_role.aws_iam_instance_profile.this');
      const profileChange = plan.resource_changes.find(
        (resource) => resource.address === 'module.ssm_role.aws_iam_instance_profile.this',
      );
      if (profile === undefined || profileChange === undefined) throw new Error('profile');
      delete profile.values.name;
      profileChange.change.after_unknown.name = true;
    });
    const profile = byAddress(model.instanceProfiles, 'module.ssm_role.aws_iam_instance_profile.this');
    expect(profile.instanceProfileName).toMatch(/^terraform-[0-9a-f]{12}$/);
    expect(byAddress(model.instances, 'module.app.aws_instance.this').iamInstanceProfileArn).toBe(
      profile.arn,
    );
  });

  it('keeps the id a resource already has (an update or no-op) in the resource and in every reference', () => {
    const model = readEdited('asg-no-profile', (plan) => {
      const subnet = plannedOf(plan, 'aws_subnet.private[0]');
      subnet.values.id = 'subnet-0aaaabbbbccccdddd';
      delete subnet.unknown.id;
    });
    expect(byAddress(model.subnets, 'aws_subnet.private[0]').subnetId).toBe('subnet-0aaaabbbbccccdddd');
    expect(byAddress(model.instances, 'aws_autoscaling_group.web[0]').subnetId).toBe(
      'subnet-0aaaabbbbccccdddd',
    );
  });

  it("gives the group's instances the launch template's profile, by name resolved to its ARN", () => {
    const model = readEdited('asg-no-profile', (plan) => {
      plannedOf(plan, 'aws_launch_template.web').values.iam_instance_profile = [
        { arn: null, name: 'web-profile' },
      ];
    });
    for (const instance of model.instances) {
      expect(instance.iamInstanceProfileArn).toBe('arn:aws:iam::111122223333:instance-profile/web-profile');
    }
  });

  it("reads the launch template a group's mixed instances policy names", () => {
    const model = readEdited('asg-no-profile', (plan) => {
      const group = plannedOf(plan, 'aws_autoscaling_group.web');
      group.values.launch_template = [];
      group.unknown.launch_template = [];
      delete group.unknown.mixed_instances_policy;
      group.values.mixed_instances_policy = [
        { launch_template: [{ launch_template_specification: [{ launch_template_name: 'web' }] }] },
      ];
    });
    const web = byAddress(model.securityGroups, 'aws_security_group.web');
    expect(model.instances.map((instance) => instance.securityGroupIds)).toEqual([
      [web.groupId],
      [web.groupId],
    ]);
    expect(model.notes.map((entry) => entry.address)).toEqual(['aws_eip.nat']);
  });

  it('keeps the instances of a group whose launch template is outside the plan Unresolved, and notes it', () => {
    const model = readEdited('asg-no-profile', (plan) => {
      const group = plannedOf(plan, 'aws_autoscaling_group.web');
      group.values.launch_template = [{ id: 'lt-0123456789abcdef0', version: '$Latest' }];
      group.unknown.launch_template = [{ name: true }];
    });
    const missing = { unresolved: true, reason: 'launch template lt-0123456789abcdef0 is not in the plan' };
    expect(model.instances[0]).toMatchObject({ iamInstanceProfileArn: missing, securityGroupIds: missing });
    expect(model.notes.map((entry) => entry.message)).toContain(
      'instances not fully read: launch template lt-0123456789abcdef0 is not in the plan',
    );
  });

  it('keeps a reference to a data source read during apply Unresolved, saying so', () => {
    const model = readEdited('boundary-cuts-ssm', (plan) => {
      const instance = plannedOf(plan, 'aws_instance.app');
      delete instance.values.subnet_id;
      instance.unknown.subnet_id = true;
      instance.expressions.subnet_id = { references: ['data.aws_subnet.later.id', 'data.aws_subnet.later'] };
      const data = { address: 'data.aws_subnet.later', mode: 'data', type: 'aws_subnet', name: 'later' };
      plan.resource_changes.push({ ...data, change: { after_unknown: { id: true } } });
    });
    expect(byAddress(model.instances, 'aws_instance.app').subnetId).toEqual({
      unresolved: true,
      reason: 'known after apply (data.aws_subnet.later is read during apply)',
    });
  });

  it('never takes a value the plan knows for one it does not (a CIDR beside the peer group in one block)', () => {
    const model = readEdited('vpc-private-endpoints', (plan) => {
      const group = plannedOf(plan, 'aws_security_group.endpoints');
      const ingress = group.values.ingress as Record<string, unknown>[];
      ingress[0] = { ...ingress[0], security_groups: [null] };
      group.unknown.ingress = [{ cidr_blocks: [false], security_groups: [true] }];
      group.expressions.ingress = {
        references: [
          'aws_vpc.main.cidr_block',
          'aws_vpc.main',
          'aws_security_group.app.id',
          'aws_security_group.app',
        ],
      };
    });
    const app = byAddress(model.securityGroups, 'aws_security_group.app');
    expect(byAddress(model.securityGroups, 'aws_security_group.endpoints').ingress).toEqual([
      expect.objectContaining({ CidrIp: '10.20.0.0/16' }),
      expect.objectContaining({ GroupIdPeer: app.groupId }),
    ]);
  });
});

describe('recognising and rejecting plans', () => {
  const plan: unknown = JSON.parse(readFileSync(planPath('sg-22-open'), 'utf8'));

  test.for([
    { name: 'a terraform show -json plan', input: plan, expected: true },
    {
      name: 'a CloudFormation template',
      input: { AWSTemplateFormatVersion: '2010-09-09', Resources: {} },
      expected: false,
    },
    { name: 'an AWS CLI describe-instances output', input: { Reservations: [] }, expected: false },
    {
      name: 'a Terraform state',
      input: { format_version: '1.0', terraform_version: '1.11.4', values: {} },
      expected: false,
    },
  ])('looksLikeTerraformPlan: $name → $expected', ({ input, expected }) => {
    expect(looksLikeTerraformPlan(input)).toBe(expected);
  });

  const truncated = readFileSync(planPath('sg-22-open'), 'utf8').slice(0, 2000);
  test.for([
    { name: 'truncated JSON', text: truncated, says: 'not JSON', line: truncated.split('\n').length },
    { name: 'a bad token', text: '{\n  "format_version": "1.2",\n  oops\n}', says: 'not JSON', line: 3 },
    { name: 'no format_version', text: '{"planned_values": {}}', says: 'no format_version', line: 1 },
    {
      name: 'a CloudFormation template',
      text: '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}',
      says: 'CloudFormation',
      line: 1,
    },
    {
      name: 'a state, not a plan',
      text: '{"format_version": "1.0", "terraform_version": "1.11.4", "values": {}}',
      says: 'a state',
      line: 1,
    },
    { name: 'an array', text: '[]', says: 'not an object', line: 1 },
    {
      name: 'an errored plan',
      text: '{"format_version": "1.2", "terraform_version": "1.11.4", "planned_values": {}, "errored": true}',
      says: 'the plan errored',
      line: 1,
    },
  ])('PLAN_INVALID for $name', ({ text, says, line }) => {
    let thrown: unknown;
    try {
      readTerraformPlan('bad-plan.json', text, options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TemplateInputError);
    expect(thrown).toMatchObject({ code: 'PLAN_INVALID', file: 'bad-plan.json', line });
    expect((thrown as Error).message).toContain(says);
  });
});
