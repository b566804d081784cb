// The template synthesiser through the real mappers: hand-built DeployModels → would-be API responses →
// inventory, with what AWS adds implicitly and what stays unknown until deploy.
import { describe, expect, it } from 'vitest';
import { inventoryFromFleet } from '../../../src/collectors/api/build-inventory.js';
import {
  unresolved,
  type DeployInstance,
  type DeployModel,
  type DeployRole,
} from '../../../src/collectors/template/deploy-model.js';
import {
  defaultSecurityGroupIdOf,
  mainRouteTableIdOf,
} from '../../../src/collectors/template/implicit-ids.js';
import { synthesizeFleet } from '../../../src/collectors/template/synthesize.js';
import type { SourceLocation, TemplateFleet } from '../../../src/collectors/template/template-fleet.js';
import { loadRuleSet } from '../../../src/cli/rule-set.js';
import { evaluate } from '../../../src/engine/evaluate.js';
import type { Inventory, SourceMetadata } from '../../../src/inventory/model.js';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const COLLECTED_AT = '2026-12-01T00:00:00.000Z';
const CORE = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/app-role`;
const PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/app-profile`;
const CUSTOMER_POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/team/extra-logs`;
const VPC = 'vpc-0a1b2c3d4e5f60001';
const SUBNET_A = 'subnet-0a1b2c3d4e5f6000a'; // private, not associated explicitly: uses the main route table
const SUBNET_B = 'subnet-0a1b2c3d4e5f6000b'; // private, routes through the NAT gateway
const SUBNET_PUBLIC = 'subnet-0a1b2c3d4e5f6000c';
const INSTANCE_SG = 'sg-0a1b2c3d4e5f60001';
const ENDPOINT_SG = 'sg-0a1b2c3d4e5f60002';

let line = 0;
function at(address: string): { address: string; location: SourceLocation } {
  line += 10;
  return { address, location: { file: 'stack.yaml', line, address } };
}

const TRUST_EC2 = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

function instance(
  overrides: Partial<DeployInstance> & { instanceId: string; subnetId: DeployInstance['subnetId'] },
): DeployInstance {
  return {
    ...at(overrides.instanceId),
    iamInstanceProfileArn: PROFILE_ARN,
    securityGroupIds: [INSTANCE_SG],
    metadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 2 },
    tags: [{ Key: 'PatchGroup', Value: 'web' }],
    ...overrides,
  };
}

function role(overrides: Partial<DeployRole> = {}): DeployRole {
  return {
    ...at('AppRole'),
    roleName: 'app-role',
    arn: ROLE_ARN,
    path: '/',
    assumeRolePolicyDocument: TRUST_EC2,
    managedPolicyArns: [CORE, CUSTOMER_POLICY_ARN],
    inlinePolicies: [],
    tags: [],
    ...overrides,
  };
}

/** A VPC with private subnets, interface endpoints, an S3 gateway endpoint and a NAT gateway; two instances. */
function privateVpcModel(): DeployModel {
  const subnet = (subnetId: string, cidrBlock: string, availabilityZone: string) => ({
    ...at(subnetId),
    subnetId,
    vpcId: VPC,
    cidrBlock,
    availabilityZone,
    tags: [],
  });
  const endpoint = (service: string, vpcEndpointId: string) => ({
    ...at(`Endpoint${service}`),
    vpcEndpointId,
    vpcId: VPC,
    serviceName: `com.amazonaws.${REGION}.${service}`,
    vpcEndpointType: 'Interface',
    privateDnsEnabled: true,
    subnetIds: [SUBNET_A, SUBNET_B],
    securityGroupIds: [ENDPOINT_SG],
    routeTableIds: [],
  });
  return {
    kind: 'cloudformation',
    inputs: ['stack.yaml'],
    accountId: ACCOUNT,
    region: REGION,
    instances: [
      instance({ instanceId: 'i-0a1b2c3d4e5f60001', subnetId: SUBNET_A }),
      instance({ instanceId: 'i-0a1b2c3d4e5f60002', subnetId: SUBNET_B }),
    ],
    roles: [role()],
    instanceProfiles: [
      {
        ...at('AppProfile'),
        instanceProfileName: 'app-profile',
        arn: PROFILE_ARN,
        path: '/',
        roleArns: [ROLE_ARN],
      },
    ],
    managedPolicies: [
      {
        ...at('ExtraLogs'),
        policyName: 'extra-logs',
        arn: CUSTOMER_POLICY_ARN,
        document: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }],
        },
      },
    ],
    securityGroups: [
      {
        ...at('InstanceSg'),
        groupId: INSTANCE_SG,
        groupName: 'instances',
        vpcId: VPC,
        ingress: [],
        tags: [],
      },
      {
        ...at('EndpointSg'),
        groupId: ENDPOINT_SG,
        groupName: 'endpoints',
        vpcId: VPC,
        ingress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/16' }],
        tags: [],
      },
    ],
    vpcs: [
      {
        ...at('Vpc'),
        vpcId: VPC,
        cidrBlock: '10.0.0.0/16',
        ipv6CidrBlocks: [],
        enableDnsHostnames: true,
        tags: [],
      },
    ],
    subnets: [
      subnet(SUBNET_A, '10.0.1.0/24', `${REGION}a`),
      subnet(SUBNET_B, '10.0.2.0/24', `${REGION}b`),
      subnet(SUBNET_PUBLIC, '10.0.0.0/24', `${REGION}a`),
    ],
    routeTables: [
      {
        ...at('PublicRoutes'),
        routeTableId: 'rtb-0a1b2c3d4e5f60001',
        vpcId: VPC,
        routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0a1b2c3d4e5f60001' }],
        subnetIds: [SUBNET_PUBLIC],
      },
      {
        ...at('PrivateRoutes'),
        routeTableId: 'rtb-0a1b2c3d4e5f60002',
        vpcId: VPC,
        routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0a1b2c3d4e5f60001' }],
        subnetIds: [SUBNET_B],
      },
    ],
    networkAcls: [],
    vpcEndpoints: [
      endpoint('ssm', 'vpce-0a1b2c3d4e5f60011'),
      endpoint('ssmmessages', 'vpce-0a1b2c3d4e5f60012'),
      endpoint('ec2messages', 'vpce-0a1b2c3d4e5f60013'),
      {
        ...at('S3Endpoint'),
        vpcEndpointId: 'vpce-0a1b2c3d4e5f60033',
        vpcId: VPC,
        serviceName: `com.amazonaws.${REGION}.s3`,
        vpcEndpointType: 'Gateway',
        subnetIds: [],
        securityGroupIds: [],
        routeTableIds: ['rtb-0a1b2c3d4e5f60002'],
      },
    ],
    natGateways: [{ ...at('Nat'), natGatewayId: 'nat-0a1b2c3d4e5f60001', subnetId: SUBNET_PUBLIC }],
    internetGateways: [{ ...at('Igw'), internetGatewayId: 'igw-0a1b2c3d4e5f60001', attachedVpcIds: [VPC] }],
    maintenanceWindows: [
      {
        ...at('PatchWindow'),
        windowId: 'mw-0a1b2c3d4e5f60001',
        name: 'patch',
        schedule: 'cron(0 3 ? * SUN *)',
        duration: 3,
        cutoff: 1,
      },
    ],
    maintenanceWindowTargets: [
      {
        ...at('WebTarget'),
        windowTargetId: '11111111-2222-4333-8444-555555555555',
        windowId: 'mw-0a1b2c3d4e5f60001',
        resourceType: 'INSTANCE',
        targets: [{ Key: 'tag:PatchGroup', Values: ['web'] }],
      },
      {
        ...at('PinnedTarget'),
        windowTargetId: '11111111-2222-4333-8444-666666666666',
        windowId: 'mw-0a1b2c3d4e5f60001',
        resourceType: 'INSTANCE',
        targets: [{ Key: 'InstanceIds', Values: ['i-0a1b2c3d4e5f60001'] }],
      },
    ],
    maintenanceWindowTasks: [
      {
        ...at('PatchTask'),
        windowTaskId: '11111111-2222-4333-8444-777777777777',
        windowId: 'mw-0a1b2c3d4e5f60001',
        taskType: 'RUN_COMMAND',
        taskArn: 'AWS-RunPatchBaseline',
        targets: [{ Key: 'WindowTargetIds', Values: ['11111111-2222-4333-8444-555555555555'] }],
        parameters: { Operation: ['Install'] },
        priority: 1,
      },
    ],
    patchBaselines: [
      {
        ...at('WebBaseline'),
        baselineId: 'pb-0a1b2c3d4e5f60001',
        name: 'web-al2023',
        operatingSystem: 'AMAZON_LINUX_2023',
        patchGroups: ['web'],
        approvalRules: {
          PatchRules: [
            {
              PatchFilterGroup: { PatchFilters: [{ Key: 'CLASSIFICATION', Values: ['Security'] }] },
              ApproveAfterDays: 7,
            },
          ],
        },
      },
    ],
    serviceSettings: [],
    notes: [],
  };
}

const SOURCE = {
  kind: 'cloudformation',
  inputs: ['stack.yaml'],
  accounts: [ACCOUNT],
  regions: [REGION],
} as unknown as SourceMetadata; // SourceMetadata's kind does not list 'cloudformation' yet

function toInventory(fleet: TemplateFleet): ReturnType<typeof inventoryFromFleet> {
  return inventoryFromFleet(fleet.fleet, SOURCE);
}

function synthesize(model: DeployModel): { fleet: TemplateFleet; inventory: Inventory } {
  const fleet = synthesizeFleet(model, COLLECTED_AT);
  const { inventory, issues } = toInventory(fleet);
  expect(issues).toEqual([]);
  return { fleet, inventory };
}

function only<T>(items: readonly T[], predicate: (item: T) => boolean): T {
  const found = items.filter(predicate);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('synthesizeFleet: a private VPC with endpoints and a NAT gateway', () => {
  const { fleet, inventory } = synthesize(privateVpcModel());

  it('maps without issues and records no unknowns', () => {
    expect(fleet.unknowns).toEqual([]);
    expect(fleet.fleet.accounts).toHaveLength(1);
    expect(fleet.fleet.accounts[0]).toMatchObject({ accountId: ACCOUNT, failures: [] });
    expect(fleet.fleet.accounts[0]!.regions.map((r) => r.region)).toEqual([REGION]);
  });

  it('runs the instances in their subnets, with profile, named groups and the subnet zone', () => {
    const first = only(inventory.instances, (i) => i.instanceId === 'i-0a1b2c3d4e5f60001');
    expect(first).toMatchObject({
      accountId: ACCOUNT,
      region: REGION,
      state: 'running',
      subnetId: SUBNET_A,
      vpcId: VPC,
      availabilityZone: `${REGION}a`,
      iamInstanceProfileArn: PROFILE_ARN,
      securityGroupIds: [INSTANCE_SG],
      metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled', httpPutResponseHopLimit: 2 },
      platform: 'linux',
    });
    expect(first.tags.PatchGroup).toBe('web');
    expect(first.publicIpAddress).toBeUndefined();
    expect(inventory.instances).toHaveLength(2);
  });

  it('holds the role with its profile, trust policy and attached policies, and both policies documents', () => {
    const appRole = only(inventory.roles, (r) => r.arn === ROLE_ARN);
    expect(appRole.instanceProfileArns).toEqual([PROFILE_ARN]);
    expect(appRole.attachedPolicies.map((p) => p.policyArn)).toEqual([CORE, CUSTOMER_POLICY_ARN]);
    expect(appRole.trustPolicy).toEqual({ document: TRUST_EC2 });
    expect(only(inventory.instanceProfiles, (p) => p.arn === PROFILE_ARN).roleArns).toEqual([ROLE_ARN]);
    const core = only(inventory.managedPolicies, (p) => p.arn === CORE);
    expect(core).toMatchObject({ isAwsManaged: true, defaultVersionId: 'v2' });
    expect(JSON.stringify(core.defaultVersion)).toContain('ssmmessages:OpenDataChannel');
    const customer = only(inventory.managedPolicies, (p) => p.arn === CUSTOMER_POLICY_ARN);
    expect(customer).toMatchObject({ isAwsManaged: false, policyName: 'extra-logs' });
    expect(customer.defaultVersion).toEqual({
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }],
      },
    });
  });

  it('adds the VPC main route table with the local route, used by the subnet with no association', () => {
    const main = only(inventory.routeTables, (t) => t.isMain);
    expect(main).toMatchObject({ vpcId: VPC, subnetIds: [] });
    expect(main.routes).toEqual([
      { destinationCidr: '10.0.0.0/16', target: { kind: 'local' }, state: 'active' },
    ]);
    expect(inventory.routeTables.flatMap((t) => t.subnetIds)).not.toContain(SUBNET_A);
    expect(fleet.locations[main.routeTableId]).toEqual(fleet.locations[VPC]);
  });

  it('gives every declared table the local route, and the S3 gateway endpoint its route', () => {
    const privateTable = only(inventory.routeTables, (t) => t.routeTableId === 'rtb-0a1b2c3d4e5f60002');
    expect(privateTable.subnetIds).toEqual([SUBNET_B]);
    expect(privateTable.routes.map((r) => r.target)).toEqual([
      { kind: 'local' },
      { kind: 'nat-gateway', id: 'nat-0a1b2c3d4e5f60001' },
      { kind: 'vpc-endpoint', id: 'vpce-0a1b2c3d4e5f60033' },
    ]);
    expect(privateTable.routes[2]!.destinationPrefixListId).toMatch(/^pl-[0-9a-f]{8}$/);
  });

  it('adds the default egress to a group declared without egress, and the VPC default group', () => {
    const group = only(inventory.securityGroups, (g) => g.groupId === INSTANCE_SG);
    expect(group.egress).toEqual([{ protocol: 'all', fromPort: 0, toPort: 65535, cidrIpv4: '0.0.0.0/0' }]);
    expect(group.ingress).toEqual([]);
    const byDefault = only(inventory.securityGroups, (g) => g.groupName === 'default');
    expect(byDefault.ingress).toEqual([
      { protocol: 'all', fromPort: 0, toPort: 65535, referencedGroupId: byDefault.groupId },
    ]);
  });

  it('adds the default network ACL, allowing all and ending with the * deny, for every subnet', () => {
    const acl = only(inventory.networkAcls, (a) => a.isDefault);
    expect(acl.vpcId).toBe(VPC);
    expect([...acl.subnetIds].sort()).toEqual([SUBNET_A, SUBNET_B, SUBNET_PUBLIC].sort());
    expect(acl.entries.map((e) => [e.egress, e.ruleNumber, e.action, e.cidrBlock])).toEqual([
      [true, 100, 'allow', '0.0.0.0/0'],
      [true, 32767, 'deny', '0.0.0.0/0'],
      [false, 100, 'allow', '0.0.0.0/0'],
      [false, 32767, 'deny', '0.0.0.0/0'],
    ]);
  });

  it('writes the DNS attributes with EC2 defaults, endpoints and gateways available', () => {
    expect(only(inventory.vpcs, (v) => v.vpcId === VPC)).toMatchObject({
      enableDnsSupport: true,
      enableDnsHostnames: true,
      cidrBlocks: ['10.0.0.0/16'],
    });
    expect(inventory.vpcEndpoints.map((e) => [e.endpointType, e.state])).toEqual([
      ['Interface', 'available'],
      ['Interface', 'available'],
      ['Interface', 'available'],
      ['Gateway', 'available'],
    ]);
    expect(inventory.vpcEndpoints[0]).toMatchObject({
      privateDnsEnabled: true,
      securityGroupIds: [ENDPOINT_SG],
    });
    expect(inventory.natGateways).toEqual([
      expect.objectContaining({
        state: 'available',
        connectivityType: 'public',
        subnetId: SUBNET_PUBLIC,
        vpcId: VPC,
      }),
    ]);
    expect(inventory.natGateways[0]!.publicIps).toHaveLength(1);
    expect(inventory.internetGateways[0]!.attachments).toEqual([{ vpcId: VPC, state: 'available' }]);
  });

  it('holds the window with its tag and instance-id targets, and the task with its Operation', () => {
    expect(inventory.maintenanceWindows).toEqual([
      expect.objectContaining({
        windowId: 'mw-0a1b2c3d4e5f60001',
        enabled: true,
        durationHours: 3,
        cutoffHours: 1,
      }),
    ]);
    expect(inventory.maintenanceWindowTargets.map((t) => t.targets)).toEqual([
      [{ key: 'tag:PatchGroup', values: ['web'] }],
      [{ key: 'InstanceIds', values: ['i-0a1b2c3d4e5f60001'] }],
    ]);
    expect(inventory.maintenanceWindowTasks[0]).toMatchObject({
      taskArn: 'AWS-RunPatchBaseline',
      type: 'RUN_COMMAND',
    });
    expect(inventory.maintenanceWindowTaskDetails[0]!.parameters).toEqual({ Operation: ['Install'] });
  });

  it('lists the declared baseline beside the predefined defaults, and its patch group', () => {
    expect(inventory.patchGroups).toEqual([
      expect.objectContaining({
        patchGroup: 'web',
        baselineId: 'pb-0a1b2c3d4e5f60001',
        defaultBaseline: false,
      }),
    ]);
    const defaults = inventory.patchBaselines.filter((b) => b.defaultBaseline).map((b) => b.operatingSystem);
    expect(defaults).toContain('AMAZON_LINUX_2023');
    expect(defaults).toContain('WINDOWS');
    const detail = only(inventory.patchBaselineDetails, (d) => d.baselineId === 'pb-0a1b2c3d4e5f60001');
    expect(detail.approvalRules).toEqual([
      { filters: { CLASSIFICATION: ['Security'] }, approveAfterDays: 7 },
    ]);
  });

  it('leaves out what only a running fleet has, and the DHMC setting it does not declare', () => {
    const region = fleet.fleet.accounts[0]!.regions[0]!;
    expect(Object.keys(region).sort()).toEqual(
      [
        'accountId',
        'region',
        'failures',
        'DescribeInstances',
        'DescribeSecurityGroups',
        'DescribeVpcs',
        'DescribeVpcAttribute',
        'DescribeSubnets',
        'DescribeRouteTables',
        'DescribeNetworkAcls',
        'DescribeVpcEndpoints',
        'DescribeNatGateways',
        'DescribeInternetGateways',
        'DescribeEgressOnlyInternetGateways',
        'DescribeMaintenanceWindows',
        'DescribeMaintenanceWindowTargets',
        'DescribeMaintenanceWindowTasks',
        'GetMaintenanceWindowTask',
        'DescribePatchGroups',
        'DescribePatchBaselines',
        'GetPatchBaseline',
      ].sort(),
    );
    expect(fleet.fleet.accounts[0]!.GetAccountAuthorizationDetails).toBeDefined();
    for (const kind of [
      'DescribeInstanceInformation',
      'DescribeActivations',
      'DescribeInstancePatchStates',
      'GetServiceSetting',
      'DescribeMaintenanceWindowExecutions',
      'DescribeMaintenanceWindowExecutionTasks',
      'DescribeMaintenanceWindowExecutionTaskInvocations',
    ])
      expect(region).not.toHaveProperty(kind);
  });

  it('points every declared resource at its declaration', () => {
    expect(fleet.locations['i-0a1b2c3d4e5f60001']).toMatchObject({
      file: 'stack.yaml',
      address: 'i-0a1b2c3d4e5f60001',
    });
    expect(fleet.locations[ROLE_ARN]).toMatchObject({ address: 'AppRole' });
    expect(fleet.locations['mw-0a1b2c3d4e5f60001']).toMatchObject({ address: 'PatchWindow' });
  });
});

describe('synthesizeFleet: the engine decides on the synthesised responses', () => {
  it('passes the instance behind the endpoints on IAM, egress and network path', async () => {
    // Prepare
    const { inventory } = synthesize(privateVpcModel());
    const ruleIds = [
      'ec2-instance-role-grants-ssm-core',
      'ec2-instance-egress-https',
      'ec2-instance-network-path-to-ssm',
    ];
    const rules = (await loadRuleSet({})).rules.filter((r) => ruleIds.includes(r.id));
    // Act
    const evaluations = evaluate(inventory, rules, { nowMs: Date.parse(COLLECTED_AT) });
    // Assess
    for (const instanceId of ['i-0a1b2c3d4e5f60001', 'i-0a1b2c3d4e5f60002']) {
      const verdicts = evaluations
        .filter((e) => e.resourceId === instanceId)
        .map((e) => [e.ruleId, e.status])
        .sort();
      expect(verdicts).toEqual([...ruleIds].sort().map((id) => [id, 'COMPLIANT']));
    }
  });
});

describe('synthesizeFleet: values unknown until deploy', () => {
  it('records an Unresolved subnet, writing the instance without one', () => {
    const model = privateVpcModel();
    model.instances[0]!.subnetId = unresolved("Fn::ImportValue of 'net-PrivateSubnet'");
    const { fleet, inventory } = synthesize(model);
    expect(fleet.unknowns).toEqual([
      {
        resourceId: 'i-0a1b2c3d4e5f60001',
        collection: 'instances',
        property: 'subnetId',
        reason: "Fn::ImportValue of 'net-PrivateSubnet'",
        location: model.instances[0]!.location,
      },
    ]);
    const written = only(inventory.instances, (i) => i.instanceId === 'i-0a1b2c3d4e5f60001');
    expect(written.subnetId).toBeUndefined();
    expect(written.vpcId).toBeUndefined();
  });

  it('records a reference to a group the template does not declare, and keeps it on the instance', () => {
    const model = privateVpcModel();
    model.instances[0]!.securityGroupIds = [INSTANCE_SG, 'sg-0abc'];
    const { fleet, inventory } = synthesize(model);
    expect(fleet.unknowns).toEqual([
      expect.objectContaining({
        resourceId: 'i-0a1b2c3d4e5f60001',
        property: 'securityGroupIds[1]',
        reason: "'sg-0abc' is not declared in the template; give --context to resolve it",
      }),
    ]);
    expect(only(inventory.instances, (i) => i.instanceId === 'i-0a1b2c3d4e5f60001').securityGroupIds).toEqual(
      [INSTANCE_SG, 'sg-0abc'],
    );
  });

  it('records an AWS managed policy ssmguard has no document for, and invents none', () => {
    const model = privateVpcModel();
    const readOnly = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
    model.roles[0] = role({ managedPolicyArns: [CORE, readOnly] });
    const { fleet, inventory } = synthesize(model);
    expect(fleet.unknowns).toEqual([
      expect.objectContaining({
        resourceId: ROLE_ARN,
        collection: 'roles',
        property: 'managedPolicyArns[1]',
      }),
    ]);
    expect(fleet.unknowns[0]!.reason).toContain(readOnly);
    expect(inventory.managedPolicies.map((p) => p.arn)).not.toContain(readOnly);
    expect(only(inventory.roles, (r) => r.arn === ROLE_ARN).attachedPolicies.map((p) => p.policyArn)).toEqual(
      [CORE, readOnly],
    );
  });

  it('records the metadata options an instance does not set, since AWS defaults them per AMI and account', () => {
    const model = privateVpcModel();
    delete model.instances[1]!.metadataOptions;
    const { fleet, inventory } = synthesize(model);
    expect(fleet.unknowns.map((u) => [u.resourceId, u.property])).toEqual([
      ['i-0a1b2c3d4e5f60002', 'metadataOptions.HttpTokens'],
      ['i-0a1b2c3d4e5f60002', 'metadataOptions.HttpEndpoint'],
      ['i-0a1b2c3d4e5f60002', 'metadataOptions.HttpPutResponseHopLimit'],
    ]);
    expect(fleet.unknowns[0]!.reason).toMatch(/^HttpTokens not set: .*ImdsSupport/);
    expect(only(inventory.instances, (i) => i.instanceId === 'i-0a1b2c3d4e5f60002').metadataOptions).toEqual(
      {},
    );
  });

  it('records a resource whose creation is conditional, and still writes it', () => {
    const model = privateVpcModel();
    model.natGateways[0]!.exists = unresolved("Condition 'WithNat' depends on parameter UseNat");
    const { fleet, inventory } = synthesize(model);
    expect(fleet.unknowns).toEqual([
      expect.objectContaining({
        resourceId: 'nat-0a1b2c3d4e5f60001',
        collection: 'natGateways',
        property: 'exists',
      }),
    ]);
    expect(inventory.natGateways).toHaveLength(1);
  });

  it('leaves out a route with an unknown target, and records it at the route', () => {
    const model = privateVpcModel();
    const routeLocation = { file: 'stack.yaml', line: 999, address: 'PrivateDefaultRoute' };
    model.routeTables[1]!.routes = [
      {
        DestinationCidrBlock: '0.0.0.0/0',
        NatGatewayId: unresolved('known after apply'),
        location: routeLocation,
      },
    ];
    const { fleet, inventory } = synthesize(model);
    expect(fleet.unknowns).toEqual([
      expect.objectContaining({
        resourceId: 'rtb-0a1b2c3d4e5f60002',
        collection: 'routeTables',
        property: 'routes[0].NatGatewayId',
        location: routeLocation,
      }),
    ]);
    const table = only(inventory.routeTables, (t) => t.routeTableId === 'rtb-0a1b2c3d4e5f60002');
    expect(table.routes.map((r) => r.target.kind)).toEqual(['local', 'vpc-endpoint']);
  });

  it('records the subnets whose route table cannot be told when an association names an unknown subnet', () => {
    const model = privateVpcModel();
    model.routeTables[1]!.subnetIds = [unresolved('known after apply')];
    const { fleet } = synthesize(model);
    expect(fleet.unknowns.map((u) => [u.resourceId, u.property])).toEqual([
      ['rtb-0a1b2c3d4e5f60002', 'subnetIds[0]'],
      [SUBNET_A, 'routeTable'],
      [SUBNET_B, 'routeTable'],
    ]);
  });

  it('writes a network ACL entry with an unknown field as a deny of all traffic, and keeps the * deny', () => {
    const model = privateVpcModel();
    model.networkAcls = [
      {
        ...at('PrivateAcl'),
        networkAclId: 'acl-0a1b2c3d4e5f60001',
        vpcId: VPC,
        subnetIds: [SUBNET_A],
        entries: [
          {
            RuleNumber: 100,
            Protocol: '6',
            RuleAction: 'allow',
            Egress: true,
            CidrBlock: unresolved('parameter AllowedCidr has no value'),
            PortRange: { From: 443, To: 443 },
          },
        ],
      },
    ];
    const { fleet, inventory } = synthesize(model);
    expect(fleet.unknowns).toEqual([
      expect.objectContaining({ resourceId: 'acl-0a1b2c3d4e5f60001', property: 'entries[0].CidrBlock' }),
    ]);
    const acl = only(inventory.networkAcls, (a) => a.networkAclId === 'acl-0a1b2c3d4e5f60001');
    expect(acl.subnetIds).toEqual([SUBNET_A]);
    expect(
      acl.entries.filter((e) => e.egress).map((e) => [e.ruleNumber, e.action, e.protocol, e.cidrBlock]),
    ).toEqual([
      [100, 'deny', '-1', '0.0.0.0/0'],
      [32767, 'deny', '-1', '0.0.0.0/0'],
    ]);
    expect(only(inventory.networkAcls, (a) => a.isDefault).subnetIds).not.toContain(SUBNET_A);
  });

  it('writes a policy holding an Unresolved value as a document that does not parse', () => {
    const model = privateVpcModel();
    model.roles[0] = role({
      inlinePolicies: [
        {
          policyName: 'deny-bucket',
          document: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Deny', Action: 's3:*', Resource: unresolved("Fn::ImportValue of 'data-Bucket'") },
            ],
          },
        },
      ],
    });
    const { fleet, inventory } = synthesize(model);
    expect(fleet.unknowns).toEqual([
      expect.objectContaining({
        resourceId: ROLE_ARN,
        property: 'inlinePolicies[0].document.Statement[0].Resource',
      }),
    ]);
    const inline = only(inventory.roles, (r) => r.arn === ROLE_ARN).inlinePolicies[0]!;
    expect(inline.policy).toHaveProperty('parseError');
  });

  it('writes a NAT gateway of unknown connectivity as private, which reaches no internet', () => {
    const model = privateVpcModel();
    model.natGateways[0]!.connectivityType = unresolved('known after apply');
    const { inventory } = synthesize(model);
    expect(inventory.natGateways[0]).toMatchObject({ connectivityType: 'private', publicIps: [] });
  });

  it('writes the DHMC setting only when the model declares it', () => {
    const model = privateVpcModel();
    model.serviceSettings = [
      {
        ...at('Dhmc'),
        settingId: '/ssm/managed-instance/default-ec2-instance-management-role',
        settingValue: 'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole',
      },
    ];
    const { inventory } = synthesize(model);
    expect(inventory.dhmcSettings).toEqual([
      expect.objectContaining({
        enabled: true,
        roleName: 'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole',
      }),
    ]);
  });

  it('gives an instance in a public subnet a public address, as MapPublicIpOnLaunch says', () => {
    const model = privateVpcModel();
    model.subnets[2]!.mapPublicIpOnLaunch = true;
    model.instances[0]!.subnetId = SUBNET_PUBLIC;
    const { inventory } = synthesize(model);
    expect(only(inventory.instances, (i) => i.instanceId === 'i-0a1b2c3d4e5f60001').publicIpAddress).toMatch(
      /^203\.0\.113\./,
    );
  });
});

describe('synthesizeFleet: what AWS creates, named or adopted by the template', () => {
  it("gives an instance declared without groups its VPC's default group", () => {
    const model = privateVpcModel();
    model.instances[0]!.securityGroupIds = [];
    const { fleet, inventory } = synthesize(model);
    expect(fleet.unknowns).toEqual([]);
    expect(only(inventory.instances, (i) => i.instanceId === 'i-0a1b2c3d4e5f60001').securityGroupIds).toEqual(
      [defaultSecurityGroupIdOf(VPC)],
    );
  });

  it('takes a declared group with the default group id as that group, written once as declared', () => {
    const model = privateVpcModel();
    model.securityGroups.push({
      ...at('DefaultSg'),
      groupId: defaultSecurityGroupIdOf(VPC),
      groupName: 'default',
      vpcId: VPC,
      ingress: [],
      egress: [],
      tags: [],
    });
    const { inventory } = synthesize(model);
    const group = only(inventory.securityGroups, (g) => g.groupId === defaultSecurityGroupIdOf(VPC));
    expect(group).toMatchObject({ ingress: [], egress: [] });
  });

  it('takes a declared table with the main table id as the main table, with its routes', () => {
    const model = privateVpcModel();
    model.routeTables.push({
      ...at('DefaultRoutes'),
      routeTableId: mainRouteTableIdOf(VPC),
      vpcId: VPC,
      routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0a1b2c3d4e5f60001' }],
      subnetIds: [],
    });
    const { fleet, inventory } = synthesize(model);
    expect(fleet.unknowns).toEqual([]);
    const main = only(inventory.routeTables, (t) => t.isMain);
    expect(main.routeTableId).toBe(mainRouteTableIdOf(VPC));
    expect(main.routes.map((r) => r.target.kind)).toEqual(['local', 'nat-gateway']);
    expect(fleet.locations[main.routeTableId]).toMatchObject({ address: 'DefaultRoutes' });
  });

  it('adds the IPv6 rules to the default ACL and to default egress in a VPC with IPv6', () => {
    const model = privateVpcModel();
    model.vpcs[0]!.ipv6CidrBlocks = ['2001:db8:1234::/56'];
    const { inventory } = synthesize(model);
    const acl = only(inventory.networkAcls, (a) => a.isDefault);
    expect(
      acl.entries.filter((e) => !e.egress).map((e) => [e.ruleNumber, e.action, e.ipv6CidrBlock]),
    ).toEqual([
      [100, 'allow', undefined],
      [101, 'allow', '::/0'],
      [32767, 'deny', undefined],
      [32768, 'deny', '::/0'],
    ]);
    expect(
      only(inventory.securityGroups, (g) => g.groupId === INSTANCE_SG).egress.map((r) => r.cidrIpv6),
    ).toEqual([undefined, '::/0']);
    expect(only(inventory.routeTables, (t) => t.isMain).routes.map((r) => r.destinationIpv6Cidr)).toEqual([
      undefined,
      '2001:db8:1234::/56',
    ]);
  });

  it('gives an endpoint declared without a policy the full-access default policy', () => {
    const { inventory } = synthesize(privateVpcModel());
    expect(inventory.vpcEndpoints[0]!.policy).toEqual({
      document: {
        Version: '2008-10-17',
        Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
      },
    });
  });

  it('names a Terraform plan, not a template, when a reference is undeclared', () => {
    const model = { ...privateVpcModel(), kind: 'terraform' as const };
    model.instances[0]!.iamInstanceProfileArn = `arn:aws:iam::${ACCOUNT}:instance-profile/shared`;
    const { fleet } = synthesize(model);
    expect(fleet.kind).toBe('terraform');
    expect(fleet.unknowns).toEqual([
      expect.objectContaining({
        property: 'iamInstanceProfileArn',
        reason: `'arn:aws:iam::${ACCOUNT}:instance-profile/shared' is not declared in the plan; give --context to resolve it`,
      }),
    ]);
  });

  it('records the unknowns of a target whose window is unknown, and reads target keys as plain names', () => {
    const model = privateVpcModel();
    model.maintenanceWindowTargets[1] = {
      ...model.maintenanceWindowTargets[1]!,
      windowId: unresolved('known after apply'),
      targets: [{ Key: '__proto__', Values: [unresolved('parameter Fleet has no value')] }],
    };
    const { fleet, inventory } = synthesize(model);
    expect(fleet.unknowns.map((u) => [u.resourceId, u.property])).toEqual([
      ['11111111-2222-4333-8444-666666666666', 'windowId'],
      ['11111111-2222-4333-8444-666666666666', 'targets[0].Values[0]'],
    ]);
    expect(inventory.maintenanceWindowTargets.map((t) => t.windowTargetId)).toEqual([
      '11111111-2222-4333-8444-555555555555',
    ]);
  });

  it('records the local route of every table of a VPC whose CIDR block is unknown', () => {
    const model = privateVpcModel();
    model.vpcs[0]!.cidrBlock = unresolved('parameter VpcCidr has no value');
    const { fleet, inventory } = synthesize(model);
    const main = only(inventory.routeTables, (t) => t.isMain);
    expect(fleet.unknowns.map((u) => [u.resourceId, u.property])).toEqual([
      [VPC, 'cidrBlock'],
      [main.routeTableId, 'localRoute'],
      ['rtb-0a1b2c3d4e5f60001', 'localRoute'],
      ['rtb-0a1b2c3d4e5f60002', 'localRoute'],
    ]);
    expect(main.routes).toEqual([]);
  });
});
