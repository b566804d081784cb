// The CloudFormation mapper on hand-built resolved templates: ids and references agree, what AWS defaults is
// filled as documented, and what cannot be known stays Unresolved.

import { describe, expect, it, test } from 'vitest';
import type {
  CfnObject,
  CfnResource,
  CfnValue,
  ResolvedTemplate,
} from '../../../src/collectors/template/cfn-template.js';
import {
  cfnValueOf,
  derivedUuid,
  ec2Id,
  generatedName,
  maintenanceWindowId,
  patchBaselineId,
  referencedOf,
  type StackIdentity,
} from '../../../src/collectors/template/cfn-identity.js';
import { emptyDeployModel, mapCloudFormation } from '../../../src/collectors/template/cfn-map.js';
import {
  cfnBoolean,
  cfnDocument,
  cfnNumber,
  cfnString,
  cfnStringList,
  cfnTags,
} from '../../../src/collectors/template/cfn-values.js';
import {
  isUnresolved,
  unresolved,
  type DeployModel,
  type Unresolved,
} from '../../../src/collectors/template/deploy-model.js';

const FILE = 'templates/app.yaml';
const STACK: StackIdentity = { accountId: '111122223333', region: 'eu-west-1', stackName: 'app' };

let nextLine = 1;

/** A resolved resource from plain properties; each gets its own line, its properties the lines below it. */
function resource(
  logicalId: string,
  type: string,
  properties: CfnObject = {},
  condition: true | Unresolved = true,
): CfnResource {
  const line = nextLine;
  nextLine += 10;
  return {
    logicalId,
    type,
    properties,
    location: { file: FILE, line, address: logicalId },
    propertyLocation: () => ({ file: FILE, line: line + 2, address: logicalId }),
    condition,
  };
}

/** What a Ref (or GetAtt) of a resource resolves to, as the reader would ask the mapper. */
function ref(target: CfnResource, attribute?: string): CfnValue {
  return cfnValueOf(referencedOf(target), attribute, STACK);
}

function map(...resources: CfnResource[]): DeployModel {
  const template: ResolvedTemplate = { file: FILE, resources, warnings: [] };
  return mapCloudFormation(template, STACK);
}

const TRUST_EC2 = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

function reason(value: unknown): string {
  if (!isUnresolved(value)) throw new Error(`expected Unresolved, got ${JSON.stringify(value)}`);
  return value.reason;
}

interface ReaderCase {
  name: string;
  read: (value: CfnValue | undefined, what: string) => unknown;
  value: CfnValue | undefined;
  expected: unknown;
}

describe('value readers', () => {
  const unknown = unresolved('Fn::ImportValue of x');
  test.for<ReaderCase>([
    { name: 'string', read: cfnString, value: 'a', expected: 'a' },
    { name: 'string from a number', read: cfnString, value: 443, expected: '443' },
    { name: 'string, missing', read: cfnString, value: undefined, expected: undefined },
    { name: 'string, unknown', read: cfnString, value: unknown, expected: unknown },
    {
      name: 'string, wrong type',
      read: cfnString,
      value: ['a'],
      expected: unresolved('P is a list, not a string'),
    },
    { name: 'number from a string', read: cfnNumber, value: '22', expected: 22 },
    {
      name: 'number, wrong type',
      read: cfnNumber,
      value: 'ssh',
      expected: unresolved('P is the string "ssh", not a number'),
    },
    { name: 'boolean from a string', read: cfnBoolean, value: 'True', expected: true },
    {
      name: 'boolean, wrong type',
      read: cfnBoolean,
      value: 1,
      expected: unresolved('P is the number 1, not a boolean'),
    },
    {
      name: 'string list with an unknown item',
      read: cfnStringList,
      value: ['a', unknown],
      expected: ['a', unknown],
    },
    {
      name: 'string list, wrong type',
      read: cfnStringList,
      value: 'a',
      expected: unresolved('P is the string "a", not a list'),
    },
    {
      name: 'document from JSON text',
      read: cfnDocument,
      value: '{"Version":"2012-10-17"}',
      expected: { Version: '2012-10-17' },
    },
    {
      name: 'document, not JSON',
      read: cfnDocument,
      value: 'allow',
      expected: unresolved('P is the string "allow", not a policy document'),
    },
  ])('$name', ({ read, value, expected }) => {
    expect(read(value, 'P')).toEqual(expected);
  });

  it('reads tags, leaving out a tag whose key is unknown', () => {
    const tags = cfnTags(
      [{ Key: 'PatchGroup', Value: unknown }, { Key: unknown, Value: 'x' }, { Key: 'Name' }],
      'T',
    );
    expect(tags).toEqual([
      { Key: 'PatchGroup', Value: unknown },
      { Key: 'Name', Value: '' },
    ]);
  });
});

describe('identity', () => {
  it('derives EC2 ids with the AWS prefix and 17 hex digits, stable per stack and logical id', () => {
    // Act
    const id = ec2Id('sg', STACK, 'WebGroup');

    // Assess
    expect(id).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(ec2Id('sg', STACK, 'WebGroup')).toBe(id);
    expect(ec2Id('sg', { ...STACK, stackName: 'other' }, 'WebGroup')).not.toBe(id);
    expect(maintenanceWindowId(STACK, 'Window')).toMatch(/^mw-[0-9a-f]{17}$/);
    expect(patchBaselineId(STACK, 'Baseline')).toMatch(/^pb-[0-9a-f]{17}$/);
    expect(derivedUuid(STACK, 'Target')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('generates stackName-LogicalId-SUFFIX names within the limit', () => {
    expect(generatedName(STACK, 'InstanceRole', 64)).toMatch(/^app-InstanceRole-[A-Z0-9]{13}$/);
    const long = generatedName({ ...STACK, stackName: 'a'.repeat(80) }, 'InstanceRole', 64);
    expect(long).toHaveLength(64);
    expect(long).toMatch(/-[A-Z0-9]{13}$/);
  });
});

describe('cfnValueOf', () => {
  const named = resource('NamedRole', 'AWS::IAM::Role', { RoleName: 'web-role', Path: '/app/' });
  const unnamed = resource('InstanceRole', 'AWS::IAM::Role', {});

  it('Ref of a named role is its RoleName; GetAtt Arn includes the path', () => {
    expect(ref(named)).toBe('web-role');
    expect(ref(named, 'Arn')).toBe('arn:aws:iam::111122223333:role/app/web-role');
  });

  it('Ref of an unnamed role is the generated name, and the ARN uses it', () => {
    const name = ref(unnamed);
    expect(name).toBe(generatedName(STACK, 'InstanceRole', 64));
    expect(ref(unnamed, 'Arn')).toBe(`arn:aws:iam::111122223333:role/${String(name)}`);
  });

  it('a role name unknown until deploy makes Ref and Arn unknown', () => {
    const role = resource('R', 'AWS::IAM::Role', { RoleName: unresolved('parameter RoleName has no value') });
    expect(reason(ref(role))).toBe('parameter RoleName has no value');
    expect(reason(ref(role, 'Arn'))).toBe('parameter RoleName has no value');
  });

  it('RoleId is assigned by IAM, so it is unknown', () => {
    expect(reason(ref(named, 'RoleId'))).toContain('assigned by IAM');
  });

  it('instance profile: Ref is the name, Arn the instance-profile ARN; managed policy Ref is the ARN', () => {
    const profile = resource('Profile', 'AWS::IAM::InstanceProfile', { InstanceProfileName: 'web' });
    const policy = resource('Policy', 'AWS::IAM::ManagedPolicy', { ManagedPolicyName: 'ssm' });
    expect(ref(profile)).toBe('web');
    expect(ref(profile, 'Arn')).toBe('arn:aws:iam::111122223333:instance-profile/web');
    expect(ref(policy)).toBe('arn:aws:iam::111122223333:policy/ssm');
    expect(ref(policy, 'PolicyArn')).toBe('arn:aws:iam::111122223333:policy/ssm');
  });

  it('uses the partition of the region', () => {
    const value = cfnValueOf(referencedOf(named), 'Arn', { ...STACK, region: 'cn-north-1' });
    expect(value).toBe('arn:aws-cn:iam::111122223333:role/app/web-role');
  });

  it('EC2 resources: Ref is the id; VPC and subnet attributes come from properties or stay unknown', () => {
    const vpc = resource('Vpc', 'AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
    const subnet = resource('Subnet', 'AWS::EC2::Subnet', { VpcId: ec2Id('vpc', STACK, 'Vpc') });
    expect(ref(vpc)).toBe(ec2Id('vpc', STACK, 'Vpc'));
    expect(ref(vpc, 'CidrBlock')).toBe('10.0.0.0/16');
    expect(ref(vpc, 'DefaultSecurityGroup')).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(ref(vpc, 'DefaultNetworkAcl')).toMatch(/^acl-[0-9a-f]{17}$/);
    expect(ref(subnet)).toBe(ec2Id('subnet', STACK, 'Subnet'));
    expect(ref(subnet, 'VpcId')).toBe(ec2Id('vpc', STACK, 'Vpc'));
    expect(reason(ref(subnet, 'AvailabilityZone'))).toContain('chooses the Availability Zone');
    for (const [type, prefix] of [
      ['AWS::EC2::Instance', 'i'],
      ['AWS::EC2::RouteTable', 'rtb'],
      ['AWS::EC2::NetworkAcl', 'acl'],
      ['AWS::EC2::InternetGateway', 'igw'],
      ['AWS::EC2::EgressOnlyInternetGateway', 'eigw'],
      ['AWS::EC2::NatGateway', 'nat'],
      ['AWS::EC2::VPCEndpoint', 'vpce'],
      ['AWS::EC2::LaunchTemplate', 'lt'],
    ] as const) {
      expect(ref(resource('X', type))).toBe(ec2Id(prefix, STACK, 'X'));
    }
  });

  it('security group: Ref is the id in a VPC, the name in the default VPC; GroupId is always the id', () => {
    const inVpc = resource('Sg', 'AWS::EC2::SecurityGroup', { VpcId: 'vpc-0123456789abcdef0' });
    const classic = resource('Sg', 'AWS::EC2::SecurityGroup', { GroupName: 'web' });
    expect(ref(inVpc)).toBe(ec2Id('sg', STACK, 'Sg'));
    expect(ref(classic)).toBe('web');
    expect(ref(classic, 'GroupId')).toBe(ec2Id('sg', STACK, 'Sg'));
  });

  it('launch template versions are "1"; SSM resources return their ids', () => {
    const lt = resource('Lt', 'AWS::EC2::LaunchTemplate');
    expect(ref(lt, 'LatestVersionNumber')).toBe('1');
    expect(ref(lt, 'DefaultVersionNumber')).toBe('1');
    expect(ref(resource('W', 'AWS::SSM::MaintenanceWindow'))).toBe(maintenanceWindowId(STACK, 'W'));
    expect(ref(resource('T', 'AWS::SSM::MaintenanceWindowTarget'))).toBe(derivedUuid(STACK, 'T'));
    expect(ref(resource('B', 'AWS::SSM::PatchBaseline'))).toBe(patchBaselineId(STACK, 'B'));
  });

  it('anything else is not evaluated', () => {
    expect(reason(ref(resource('Fn', 'AWS::Lambda::Function'), 'Arn'))).toBe(
      'Fn::GetAtt Fn.Arn is not evaluated',
    );
    expect(reason(ref(resource('Inst', 'AWS::EC2::Instance'), 'PrivateIp'))).toBe(
      'Fn::GetAtt Inst.PrivateIp is not evaluated',
    );
  });
});

describe('mapCloudFormation: model frame and notes', () => {
  it('names the template, account and region', () => {
    const model = map();
    expect(model).toEqual(emptyDeployModel('cloudformation', [FILE], '111122223333', 'eu-west-1'));
  });

  it('notes resource types it does not read, and custom resources', () => {
    const fn = resource('Fn', 'AWS::Lambda::Function', { Runtime: 'nodejs22.x' });
    const custom = resource('Lookup', 'Custom::AmiLookup', {});
    const model = map(fn, custom);
    expect(model.notes).toEqual([
      { address: 'Fn', message: 'AWS::Lambda::Function is not read by ssmguard', location: fn.location },
      {
        address: 'Lookup',
        message:
          'Lookup is a custom resource (Custom::AmiLookup): what it creates is unknown, and not judged',
        location: custom.location,
      },
    ]);
  });

  it("carries the reader's template warnings as notes at the top of the file", () => {
    const fn = resource('Fn', 'AWS::Lambda::Function');
    const template: ResolvedTemplate = {
      file: FILE,
      resources: [fn],
      warnings: ['Transform AWS::Serverless-2016-10-31 is not expanded'],
    };
    expect(mapCloudFormation(template, STACK).notes).toEqual([
      {
        address: '',
        message: 'Transform AWS::Serverless-2016-10-31 is not expanded',
        location: { file: FILE, line: 1, address: '' },
      },
      { address: 'Fn', message: 'AWS::Lambda::Function is not read by ssmguard', location: fn.location },
    ]);
  });

  it('maps a resource whose condition is unknown with exists Unresolved', () => {
    const sg = resource(
      'Sg',
      'AWS::EC2::SecurityGroup',
      { VpcId: 'vpc-1' },
      unresolved('condition IsProd is not known'),
    );
    const model = map(sg);
    const [group] = model.securityGroups;
    expect(reason(group?.exists)).toContain('condition IsProd is not known');
    expect(model.notes).toEqual([
      {
        address: 'Sg',
        message: 'Sg may not be created: condition IsProd is not known',
        location: sg.location,
      },
    ]);
    expect(
      map(resource('Sg', 'AWS::EC2::SecurityGroup', { VpcId: 'vpc-1' })).securityGroups[0],
    ).not.toHaveProperty('exists');
  });
});

describe('network', () => {
  const vpc = resource('Vpc', 'AWS::EC2::VPC', {
    CidrBlock: '10.0.0.0/16',
    EnableDnsSupport: true,
    EnableDnsHostnames: 'true',
  });
  const vpcId = ref(vpc);
  const subnet = resource('PrivateSubnet', 'AWS::EC2::Subnet', { VpcId: vpcId, CidrBlock: '10.0.1.0/24' });

  it('maps the VPC with its IPv6 block from AWS::EC2::VPCCidrBlock', () => {
    const block = resource('Ipv6', 'AWS::EC2::VPCCidrBlock', {
      VpcId: vpcId,
      AmazonProvidedIpv6CidrBlock: true,
    });
    const [mapped] = map(vpc, block).vpcs;
    expect(mapped).toMatchObject({
      address: 'Vpc',
      location: vpc.location,
      vpcId,
      cidrBlock: '10.0.0.0/16',
      enableDnsSupport: true,
      enableDnsHostnames: true,
    });
    expect(mapped?.ipv6CidrBlocks).toHaveLength(1);
    expect(reason(mapped?.ipv6CidrBlocks[0])).toContain('Amazon assigns the IPv6 block');
  });

  it('folds routes and subnet associations into their route table, each route with its own location', () => {
    const table = resource('PrivateRoutes', 'AWS::EC2::RouteTable', { VpcId: vpcId });
    const nat = resource('Nat', 'AWS::EC2::NatGateway', { SubnetId: 'subnet-public' });
    const route = resource('DefaultRoute', 'AWS::EC2::Route', {
      RouteTableId: ref(table),
      DestinationCidrBlock: '0.0.0.0/0',
      NatGatewayId: ref(nat),
    });
    const association = resource('Assoc', 'AWS::EC2::SubnetRouteTableAssociation', {
      RouteTableId: ref(table),
      SubnetId: ref(subnet),
    });
    const model = map(vpc, subnet, table, nat, route, association);
    expect(model.routeTables).toEqual([
      {
        address: 'PrivateRoutes',
        location: table.location,
        routeTableId: ref(table),
        vpcId,
        routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: ref(nat), location: route.location }],
        subnetIds: [ref(subnet)],
      },
    ]);
    expect(model.natGateways).toEqual([
      { address: 'Nat', location: nat.location, natGatewayId: ref(nat), subnetId: 'subnet-public' },
    ]);
  });

  it('a route that may not be created has an unknown target; a route on an outside table is noted', () => {
    const table = resource('Rt', 'AWS::EC2::RouteTable', { VpcId: vpcId });
    const maybe = resource(
      'MaybeRoute',
      'AWS::EC2::Route',
      { RouteTableId: ref(table), DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1' },
      unresolved('condition HasIgw is not known'),
    );
    const outside = resource('OutsideRoute', 'AWS::EC2::Route', {
      RouteTableId: 'rtb-0aaaabbbbccccdddd',
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: 'igw-1',
    });
    const model = map(table, maybe, outside);
    const [route] = model.routeTables[0]?.routes ?? [];
    expect(route?.DestinationCidrBlock).toBe('0.0.0.0/0');
    expect(reason(route?.GatewayId)).toContain('condition HasIgw is not known');
    expect(model.notes).toEqual([
      expect.objectContaining({
        address: 'MaybeRoute',
        message: expect.stringContaining('may not be created'),
      }),
      expect.objectContaining({
        address: 'OutsideRoute',
        message: expect.stringContaining('rtb-0aaaabbbbccccdddd'),
      }),
    ]);
  });

  it('reads NACL entries with protocol numbers as strings, egress default false, and associations', () => {
    const acl = resource('Acl', 'AWS::EC2::NetworkAcl', { VpcId: vpcId });
    const out = resource('Out443', 'AWS::EC2::NetworkAclEntry', {
      NetworkAclId: ref(acl),
      RuleNumber: 100,
      Protocol: 6,
      RuleAction: 'allow',
      Egress: true,
      CidrBlock: '0.0.0.0/0',
      PortRange: { From: 443, To: '443' },
    });
    const back = resource('InEphemeral', 'AWS::EC2::NetworkAclEntry', {
      NetworkAclId: ref(acl),
      RuleNumber: '110',
      Protocol: -1,
      RuleAction: 'deny',
      CidrBlock: '0.0.0.0/0',
    });
    const association = resource('AclAssoc', 'AWS::EC2::SubnetNetworkAclAssociation', {
      NetworkAclId: ref(acl),
      SubnetId: ref(subnet),
    });
    const [mapped] = map(acl, out, back, association).networkAcls;
    expect(mapped?.entries).toEqual([
      {
        RuleNumber: 100,
        Protocol: '6',
        RuleAction: 'allow',
        Egress: true,
        CidrBlock: '0.0.0.0/0',
        PortRange: { From: 443, To: 443 },
        location: out.location,
      },
      {
        RuleNumber: 110,
        Protocol: '-1',
        RuleAction: 'deny',
        Egress: false,
        CidrBlock: '0.0.0.0/0',
        location: back.location,
      },
    ]);
    expect(mapped?.subnetIds).toEqual([ref(subnet)]);
  });

  it('attaches internet gateways through VPCGatewayAttachment; egress-only gateways to their VPC', () => {
    const igw = resource('Igw', 'AWS::EC2::InternetGateway');
    const attach = resource('Attach', 'AWS::EC2::VPCGatewayAttachment', {
      VpcId: vpcId,
      InternetGatewayId: ref(igw),
    });
    const eigw = resource('Eigw', 'AWS::EC2::EgressOnlyInternetGateway', { VpcId: vpcId });
    expect(map(igw, attach, eigw).internetGateways).toEqual([
      { address: 'Igw', location: igw.location, internetGatewayId: ref(igw), attachedVpcIds: [vpcId] },
      {
        address: 'Eigw',
        location: eigw.location,
        internetGatewayId: ref(eigw),
        attachedVpcIds: [vpcId],
        egressOnly: true,
      },
    ]);
  });

  it('endpoints: type defaults to Gateway; an interface endpoint without PrivateDnsEnabled has it off', () => {
    const s3 = resource('S3', 'AWS::EC2::VPCEndpoint', {
      VpcId: vpcId,
      ServiceName: 'com.amazonaws.eu-west-1.s3',
      RouteTableIds: ['rtb-1'],
    });
    const ssm = resource('Ssm', 'AWS::EC2::VPCEndpoint', {
      VpcId: vpcId,
      ServiceName: 'com.amazonaws.eu-west-1.ssm',
      VpcEndpointType: 'Interface',
      SubnetIds: [ref(subnet)],
      SecurityGroupIds: ['sg-1'],
    });
    const messages = resource('Messages', 'AWS::EC2::VPCEndpoint', {
      VpcId: vpcId,
      ServiceName: 'com.amazonaws.eu-west-1.ssmmessages',
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: true,
      PolicyDocument: '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}',
    });
    const [gateway, iface, dns] = map(s3, ssm, messages).vpcEndpoints;
    expect(gateway).toMatchObject({ vpcEndpointType: 'Gateway', routeTableIds: ['rtb-1'], subnetIds: [] });
    expect(gateway).not.toHaveProperty('privateDnsEnabled');
    expect(iface).toMatchObject({
      vpcEndpointId: ref(ssm),
      vpcEndpointType: 'Interface',
      privateDnsEnabled: false,
      subnetIds: [ref(subnet)],
      securityGroupIds: ['sg-1'],
    });
    expect(dns?.privateDnsEnabled).toBe(true);
    expect(dns?.policyDocument).toEqual({
      Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
    });
  });

  it('a group without egress keeps AWS default egress (undefined); declared egress replaces it', () => {
    const open = resource('OpenGroup', 'AWS::EC2::SecurityGroup', { VpcId: vpcId, GroupDescription: 'x' });
    const closed = resource('ClosedGroup', 'AWS::EC2::SecurityGroup', {
      VpcId: vpcId,
      SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }],
      SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: '443', ToPort: '443', CidrIp: '10.0.0.0/16' }],
    });
    const [a, b] = map(open, closed).securityGroups;
    expect(a?.egress).toBeUndefined();
    expect(a?.ingress).toEqual([]);
    expect(a?.groupName).toBe(generatedName(STACK, 'OpenGroup', 255));
    expect(b?.ingress).toEqual([{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }]);
    expect(b?.egress).toEqual([{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/16' }]);
  });

  it('standalone ingress and egress rules join their group, located at their own resource', () => {
    const app = resource('AppGroup', 'AWS::EC2::SecurityGroup', { VpcId: vpcId });
    const endpoint = resource('EndpointGroup', 'AWS::EC2::SecurityGroup', { VpcId: vpcId });
    const ingress = resource('EndpointFromApp', 'AWS::EC2::SecurityGroupIngress', {
      GroupId: ref(endpoint, 'GroupId'),
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      SourceSecurityGroupId: ref(app, 'GroupId'),
    });
    const egress = resource('AppToEndpoint', 'AWS::EC2::SecurityGroupEgress', {
      GroupId: ref(app),
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      DestinationSecurityGroupId: ref(endpoint),
    });
    const [appGroup, endpointGroup] = map(app, endpoint, ingress, egress).securityGroups;
    expect(endpointGroup?.ingress).toEqual([
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, GroupIdPeer: ref(app), location: ingress.location },
    ]);
    expect(endpointGroup?.egress).toBeUndefined();
    // CloudFormation drops the default allow-all rule when a SecurityGroupEgress is added to the group.
    expect(appGroup?.egress).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        GroupIdPeer: ref(endpoint),
        location: egress.location,
      },
    ]);
  });

  it('an unknown inline rule list becomes one rule with an unknown protocol', () => {
    const group = resource('G', 'AWS::EC2::SecurityGroup', {
      VpcId: vpcId,
      SecurityGroupEgress: unresolved('Fn::ImportValue of shared-egress'),
    });
    const egress = map(group).securityGroups[0]?.egress;
    expect(egress).toHaveLength(1);
    expect(reason(egress?.[0]?.IpProtocol)).toBe('Fn::ImportValue of shared-egress');
  });
});

describe('iam', () => {
  it('maps a role with its boundary, managed and inline policies, and path', () => {
    const role = resource('InstanceRole', 'AWS::IAM::Role', {
      Path: '/ec2/',
      AssumeRolePolicyDocument: TRUST_EC2,
      ManagedPolicyArns: ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'],
      PermissionsBoundary: 'arn:aws:iam::111122223333:policy/boundary',
      Policies: [{ PolicyName: 'logs', PolicyDocument: { Version: '2012-10-17', Statement: [] } }],
      Tags: [{ Key: 'team', Value: 'web' }],
    });
    const name = generatedName(STACK, 'InstanceRole', 64);
    expect(map(role).roles).toEqual([
      {
        address: 'InstanceRole',
        location: role.location,
        roleName: name,
        arn: `arn:aws:iam::111122223333:role/ec2/${name}`,
        path: '/ec2/',
        assumeRolePolicyDocument: TRUST_EC2,
        managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'],
        inlinePolicies: [{ policyName: 'logs', document: { Version: '2012-10-17', Statement: [] } }],
        permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/boundary',
        tags: [{ Key: 'team', Value: 'web' }],
      },
    ]);
  });

  it('attaches ManagedPolicy.Roles, AWS::IAM::Policy and RolePolicy to the role they name', () => {
    const role = resource('Role', 'AWS::IAM::Role', { RoleName: 'web', AssumeRolePolicyDocument: TRUST_EC2 });
    const managed = resource('Core', 'AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [] },
      Roles: [ref(role)],
    });
    const inline = resource('Extra', 'AWS::IAM::Policy', {
      PolicyName: 'extra',
      PolicyDocument: { Statement: [{ Effect: 'Deny', Action: 'ssm:*', Resource: '*' }] },
      Roles: [ref(role), 'someone-elses-role'],
    });
    const rolePolicy = resource('More', 'AWS::IAM::RolePolicy', {
      PolicyName: 'more',
      PolicyDocument: { Statement: [] },
      RoleName: ref(role),
    });
    const model = map(role, managed, inline, rolePolicy);
    expect(model.roles[0]?.managedPolicyArns).toEqual([ref(managed)]);
    expect(model.roles[0]?.inlinePolicies.map((p) => p.policyName)).toEqual(['extra', 'more']);
    expect(model.managedPolicies).toEqual([
      {
        address: 'Core',
        location: managed.location,
        policyName: generatedName(STACK, 'Core', 128),
        arn: ref(managed),
        document: { Statement: [] },
      },
    ]);
    expect(model.notes).toEqual([
      expect.objectContaining({ address: 'Extra', message: expect.stringContaining('someone-elses-role') }),
    ]);
  });

  it('resolves an instance profile role name to the declared role ARN, and builds one for an outside role', () => {
    const role = resource('Role', 'AWS::IAM::Role', { Path: '/svc/', AssumeRolePolicyDocument: TRUST_EC2 });
    const profile = resource('Profile', 'AWS::IAM::InstanceProfile', { Roles: [ref(role)] });
    const outside = resource('OutsideProfile', 'AWS::IAM::InstanceProfile', {
      InstanceProfileName: 'legacy',
      Roles: ['LegacyRole'],
    });
    const model = map(role, profile, outside);
    expect(model.instanceProfiles).toEqual([
      {
        address: 'Profile',
        location: profile.location,
        instanceProfileName: generatedName(STACK, 'Profile', 128),
        arn: ref(profile, 'Arn'),
        path: '/',
        roleArns: [ref(role, 'Arn')],
      },
      {
        address: 'OutsideProfile',
        location: outside.location,
        instanceProfileName: 'legacy',
        arn: 'arn:aws:iam::111122223333:instance-profile/legacy',
        path: '/',
        roleArns: ['arn:aws:iam::111122223333:role/LegacyRole'],
      },
    ]);
  });

  it('a policy that may not be created gives the role an unknown document', () => {
    const role = resource('Role', 'AWS::IAM::Role', { RoleName: 'web', AssumeRolePolicyDocument: TRUST_EC2 });
    const policy = resource(
      'Deny',
      'AWS::IAM::Policy',
      { PolicyName: 'deny', PolicyDocument: { Statement: [] }, Roles: ['web'] },
      unresolved('condition Lockdown is not known'),
    );
    const [inline] = map(role, policy).roles[0]?.inlinePolicies ?? [];
    expect(reason(inline?.document)).toContain('condition Lockdown is not known');
  });
});

describe('compute', () => {
  const profile = resource('Profile', 'AWS::IAM::InstanceProfile', { Roles: ['web'] });
  const group = resource('WebGroup', 'AWS::EC2::SecurityGroup', { VpcId: 'vpc-1' });

  it('an instance launched from a template without a profile has none; its own properties win', () => {
    const template = resource('WebTemplate', 'AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: {
        ImageId: 'ami-0123',
        SecurityGroupIds: [ref(group)],
        MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'optional' },
        TagSpecifications: [
          { ResourceType: 'instance', Tags: [{ Key: 'PatchGroup', Value: 'web' }] },
          { ResourceType: 'volume', Tags: [{ Key: 'ignored', Value: 'x' }] },
        ],
      },
    });
    const instance = resource('Web', 'AWS::EC2::Instance', {
      LaunchTemplate: { LaunchTemplateId: ref(template), Version: ref(template, 'LatestVersionNumber') },
      SubnetId: 'subnet-1',
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
      Tags: [{ Key: 'Name', Value: 'web' }],
    });
    const [mapped] = map(group, template, instance).instances;
    expect(mapped).toEqual({
      address: 'Web',
      location: instance.location,
      instanceId: ref(instance),
      subnetId: 'subnet-1',
      securityGroupIds: [ref(group)],
      imageId: 'ami-0123',
      platform: 'linux',
      metadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
      tags: [
        { Key: 'PatchGroup', Value: 'web' },
        { Key: 'Name', Value: 'web' },
      ],
    });
    expect(mapped).not.toHaveProperty('iamInstanceProfileArn');
  });

  it('resolves IamInstanceProfile names to ARNs, and reads subnet and groups from the primary interface', () => {
    const declared = resource('A', 'AWS::EC2::Instance', {
      IamInstanceProfile: ref(profile),
      NetworkInterfaces: [
        { DeviceIndex: '1', SubnetId: 'subnet-secondary', GroupSet: ['sg-2'] },
        { DeviceIndex: 0, SubnetId: 'subnet-primary', GroupSet: ['sg-1'], AssociatePublicIpAddress: false },
      ],
    });
    const outside = resource('B', 'AWS::EC2::Instance', {
      IamInstanceProfile: 'ops-profile',
      SubnetId: 'subnet-1',
      SecurityGroups: ['WebGroupName'],
    });
    const [a, b] = map(profile, declared, outside).instances;
    expect(a).toMatchObject({
      iamInstanceProfileArn: ref(profile, 'Arn'),
      subnetId: 'subnet-primary',
      securityGroupIds: ['sg-1'],
      associatePublicIpAddress: false,
    });
    expect(b?.iamInstanceProfileArn).toBe('arn:aws:iam::111122223333:instance-profile/ops-profile');
    const groups = b?.securityGroupIds;
    expect(Array.isArray(groups) && reason(groups[0])).toContain(
      "named 'WebGroupName' is outside the template",
    );
  });

  it('no subnet and no group declared are unknown; a Windows AMI parameter makes the platform windows', () => {
    const instance = resource('Win', 'AWS::EC2::Instance', {
      ImageId: unresolved(
        'dynamic reference {{resolve:ssm:/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base}}',
      ),
    });
    const [mapped] = map(instance).instances;
    expect(mapped?.platform).toBe('windows');
    expect(reason(mapped?.subnetId)).toContain('default subnet');
    expect(reason(mapped?.securityGroupIds)).toContain('default group');
  });

  it('an instance from a launch template outside the stack has an unknown profile', () => {
    const instance = resource('Web', 'AWS::EC2::Instance', {
      LaunchTemplate: { LaunchTemplateName: 'shared-template', Version: '$Latest' },
      SubnetId: 'subnet-1',
    });
    const [mapped] = map(instance).instances;
    expect(reason(mapped?.iamInstanceProfileArn)).toBe(
      'launch template shared-template is not in this template',
    );
    expect(mapped?.subnetId).toBe('subnet-1');
  });

  it('an Auto Scaling group launches one instance per subnet, with propagated tags and its group name', () => {
    const template = resource('AppTemplate', 'AWS::EC2::LaunchTemplate', {
      LaunchTemplateName: 'app',
      LaunchTemplateData: { ImageId: 'ami-1', NetworkInterfaces: [{ DeviceIndex: 0, Groups: [ref(group)] }] },
    });
    const asg = resource('AppGroup', 'AWS::AutoScaling::AutoScalingGroup', {
      LaunchTemplate: { LaunchTemplateName: 'app', Version: ref(template, 'DefaultVersionNumber') },
      VPCZoneIdentifier: ['subnet-a', 'subnet-b'],
      MinSize: '2',
      MaxSize: '2',
      Tags: [
        { Key: 'PatchGroup', Value: 'app', PropagateAtLaunch: true },
        { Key: 'CostCentre', Value: '42', PropagateAtLaunch: 'false' },
      ],
    });
    const instances = map(group, template, asg).instances;
    const groupName = ref(asg);
    expect(groupName).toBe(generatedName(STACK, 'AppGroup', 255));
    expect(instances.map((i) => [i.address, i.instanceId, i.subnetId, i.launchedBy, i.location])).toEqual([
      [
        'AppGroup[0]',
        ec2Id('i', STACK, 'AppGroup[0]'),
        'subnet-a',
        'AppGroup',
        { ...asg.location, address: 'AppGroup[0]' },
      ],
      [
        'AppGroup[1]',
        ec2Id('i', STACK, 'AppGroup[1]'),
        'subnet-b',
        'AppGroup',
        { ...asg.location, address: 'AppGroup[1]' },
      ],
    ]);
    expect(instances[0]?.instanceId).not.toBe(instances[1]?.instanceId);
    expect(instances[0]?.securityGroupIds).toEqual([ref(group)]);
    expect(instances[0]?.tags).toEqual([
      { Key: 'PatchGroup', Value: 'app' },
      { Key: 'aws:autoscaling:groupName', Value: groupName },
    ]);
    expect(instances[0]).not.toHaveProperty('iamInstanceProfileArn');
  });

  it('an Auto Scaling group with unknown subnets launches one instance whose subnet is unknown', () => {
    const asg = resource('Asg', 'AWS::AutoScaling::AutoScalingGroup', {
      LaunchConfigurationName: 'lc',
      VPCZoneIdentifier: unresolved('Fn::ImportValue of net-PrivateSubnets'),
    });
    const config = resource('Lc', 'AWS::AutoScaling::LaunchConfiguration', {
      LaunchConfigurationName: 'lc',
      IamInstanceProfile: ref(profile, 'Arn'),
      SecurityGroups: [ref(group)],
      MetadataOptions: { HttpTokens: 'required' },
    });
    const instances = map(profile, group, config, asg).instances;
    expect(instances).toHaveLength(1);
    expect(reason(instances[0]?.subnetId)).toBe('Fn::ImportValue of net-PrivateSubnets');
    expect(instances[0]).toMatchObject({
      address: 'Asg[0]',
      iamInstanceProfileArn: ref(profile, 'Arn'),
      securityGroupIds: [ref(group)],
      metadataOptions: { HttpTokens: 'required' },
    });
  });

  it('reads the launch template of a MixedInstancesPolicy', () => {
    const template = resource('Lt', 'AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: { IamInstanceProfile: { Name: ref(profile) } },
    });
    const asg = resource('Asg', 'AWS::AutoScaling::AutoScalingGroup', {
      MixedInstancesPolicy: {
        LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateId: ref(template), Version: '1' } },
      },
      VPCZoneIdentifier: ['subnet-a'],
    });
    expect(map(profile, template, asg).instances[0]?.iamInstanceProfileArn).toBe(ref(profile, 'Arn'));
  });
});

describe('ssm', () => {
  const window = resource('PatchWindow', 'AWS::SSM::MaintenanceWindow', {
    Name: 'patch',
    Schedule: 'cron(0 3 ? * SUN *)',
    Duration: 3,
    Cutoff: '1',
    AllowUnassociatedTargets: false,
  });

  it('maps a window, a tag target and a Run Command task with its parameters', () => {
    const target = resource('WebTargets', 'AWS::SSM::MaintenanceWindowTarget', {
      WindowId: ref(window),
      ResourceType: 'INSTANCE',
      Targets: [{ Key: 'tag:PatchGroup', Values: ['web'] }],
    });
    const task = resource('Install', 'AWS::SSM::MaintenanceWindowTask', {
      WindowId: ref(window),
      TaskType: 'RUN_COMMAND',
      TaskArn: 'AWS-RunPatchBaseline',
      Priority: 1,
      Targets: [{ Key: 'WindowTargetIds', Values: [ref(target)] }],
      TaskInvocationParameters: {
        MaintenanceWindowRunCommandParameters: {
          Parameters: { Operation: ['Install'], RebootOption: 'RebootIfNeeded' },
        },
      },
    });
    const model = map(window, target, task);
    expect(model.maintenanceWindows).toEqual([
      {
        address: 'PatchWindow',
        location: window.location,
        windowId: ref(window),
        name: 'patch',
        schedule: 'cron(0 3 ? * SUN *)',
        duration: 3,
        cutoff: 1,
      },
    ]);
    expect(model.maintenanceWindowTargets).toEqual([
      {
        address: 'WebTargets',
        location: target.location,
        windowTargetId: ref(target),
        windowId: ref(window),
        resourceType: 'INSTANCE',
        targets: [{ Key: 'tag:PatchGroup', Values: ['web'] }],
      },
    ]);
    expect(model.maintenanceWindowTasks).toEqual([
      {
        address: 'Install',
        location: task.location,
        windowTaskId: derivedUuid(STACK, 'Install'),
        windowId: ref(window),
        taskType: 'RUN_COMMAND',
        taskArn: 'AWS-RunPatchBaseline',
        priority: 1,
        targets: [{ Key: 'WindowTargetIds', Values: [ref(target)] }],
        parameters: { Operation: ['Install'], RebootOption: ['RebootIfNeeded'] },
      },
    ]);
  });

  it('reads the legacy TaskParameters, and an unknown parameter set as an unknown Operation', () => {
    const legacy = resource('Legacy', 'AWS::SSM::MaintenanceWindowTask', {
      WindowId: ref(window),
      TaskType: 'RUN_COMMAND',
      TaskArn: 'AWS-RunPatchBaseline',
      TaskParameters: { Operation: { Values: ['Scan'] } },
    });
    const unknown = resource('Unknown', 'AWS::SSM::MaintenanceWindowTask', {
      WindowId: ref(window),
      TaskType: 'RUN_COMMAND',
      TaskArn: 'AWS-RunPatchBaseline',
      TaskInvocationParameters: unresolved('Fn::If on condition Scan is not known'),
    });
    const [a, b] = map(legacy, unknown).maintenanceWindowTasks;
    expect(a?.parameters).toEqual({ Operation: ['Scan'] });
    expect(reason(b?.parameters.Operation)).toBe('Fn::If on condition Scan is not known');
  });

  it('a patch baseline without OperatingSystem is a Windows baseline; patch groups and rules pass through', () => {
    const rules = {
      PatchRules: [
        {
          ApproveAfterDays: 7,
          PatchFilterGroup: { PatchFilters: [{ Key: 'CLASSIFICATION', Values: ['SecurityUpdates'] }] },
        },
      ],
    };
    const windows = resource('WinBaseline', 'AWS::SSM::PatchBaseline', {
      Name: 'win',
      PatchGroups: ['web'],
      ApprovalRules: rules,
    });
    const linux = resource('AlBaseline', 'AWS::SSM::PatchBaseline', {
      Name: 'al2023',
      OperatingSystem: 'AMAZON_LINUX_2023',
      ApprovedPatches: ['kernel'],
      DefaultBaseline: true,
    });
    expect(map(windows, linux).patchBaselines).toEqual([
      {
        address: 'WinBaseline',
        location: windows.location,
        baselineId: ref(windows),
        name: 'win',
        operatingSystem: 'WINDOWS',
        patchGroups: ['web'],
        approvalRules: rules,
      },
      {
        address: 'AlBaseline',
        location: linux.location,
        baselineId: ref(linux),
        name: 'al2023',
        operatingSystem: 'AMAZON_LINUX_2023',
        patchGroups: [],
        approvedPatches: ['kernel'],
        defaultBaseline: true,
      },
    ]);
  });

  it('notes an association without judging it', () => {
    const association = resource('Inventory', 'AWS::SSM::Association', {
      Name: 'AWS-GatherSoftwareInventory',
    });
    expect(map(association).notes).toEqual([
      {
        address: 'Inventory',
        message: 'AWS::SSM::Association Inventory is read but not judged before deploy',
        location: association.location,
      },
    ]);
  });
});
