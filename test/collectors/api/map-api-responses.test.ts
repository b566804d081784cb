// Per-API mappers: AWS quirks, normalisation and wrong-shaped input.

import { describe, expect, it, test } from 'vitest';
import { mapActivations } from '../../../src/collectors/api/map-activations.js';
import { mapApiResponse } from '../../../src/collectors/api/map-api-response.js';
import { mapAuthorizationDetails } from '../../../src/collectors/api/map-authorization-details.js';
import { mapDescribeInstances } from '../../../src/collectors/api/map-describe-instances.js';
import { mapDescribeSubnets } from '../../../src/collectors/api/map-describe-subnets.js';
import { mapDescribeVpcs } from '../../../src/collectors/api/map-describe-vpcs.js';
import { mapInstanceInformation } from '../../../src/collectors/api/map-instance-information.js';
import { mapNetworkAcls } from '../../../src/collectors/api/map-network-acls.js';
import { mapRouteTables } from '../../../src/collectors/api/map-route-tables.js';
import { mapSecurityGroups, normaliseIpProtocol } from '../../../src/collectors/api/map-security-groups.js';
import { mapServiceSetting } from '../../../src/collectors/api/map-service-setting.js';
import { mapVpcAttribute } from '../../../src/collectors/api/map-vpc-attribute.js';
import { mapVpcEndpoints } from '../../../src/collectors/api/map-vpc-endpoints.js';
import { regionFromAvailabilityZone, toIsoTimestamp } from '../../../src/collectors/api/mapping-context.js';
import { API_RESPONSE_KINDS, type ApiResponseKind } from '../../../src/collectors/api/api-data.js';

const ACCOUNT = '111122223333';
const SCOPE = { accountId: ACCOUNT, region: 'us-east-1' };

function instance(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    InstanceId: 'i-0123456789abcdef0',
    State: { Code: 16, Name: 'running' },
    Placement: { AvailabilityZone: 'us-east-1a' },
    ...extra,
  };
}

function instancesBody(...instances: unknown[]): unknown {
  return { Reservations: [{ OwnerId: ACCOUNT, Instances: instances }] };
}

describe('mapDescribeInstances', () => {
  it('takes the account from the reservation owner and the region from the availability zone', () => {
    // Act
    const { items, scopes } = mapDescribeInstances(instancesBody(instance()), {}, 'f.json');

    // Assess
    expect(items[0]).toMatchObject({
      accountId: ACCOUNT,
      region: 'us-east-1',
      availabilityZone: 'us-east-1a',
    });
    expect(scopes).toEqual([{ accountId: ACCOUNT, region: 'us-east-1' }]);
  });

  it('lets the caller’s region win over content', () => {
    const { items } = mapDescribeInstances(instancesBody(instance()), { region: 'eu-west-1' }, 'f');
    expect(items[0]).toMatchObject({ region: 'eu-west-1' });
  });

  it('drops a reservation of another account than the caller’s, with an issue (several accounts mixed)', () => {
    const { items, issues } = mapDescribeInstances(
      instancesBody(instance()),
      { accountId: '999988887777', region: 'eu-west-1' },
      'f',
    );
    expect(items).toEqual([]);
    expect(issues[0]).toMatchObject({ code: 'ENTRY_INVALID', path: 'Reservations[0].OwnerId' });
  });

  test.for([
    ['windows', 'windows'],
    ['Windows', 'windows'],
    ['WINDOWS', 'windows'],
    [undefined, 'linux'],
    ['linux', 'linux'],
  ] as const)('maps Platform %s to %s', ([platform, expected]) => {
    const { items } = mapDescribeInstances(
      instancesBody(instance(platform === undefined ? {} : { Platform: platform })),
      SCOPE,
      'f',
    );
    expect(items[0]?.platform).toBe(expected);
  });

  it('derives the state from State.Code (masking the high byte) when the name is unknown', () => {
    const { items, issues } = mapDescribeInstances(
      instancesBody(instance({ State: { Code: 256 + 80, Name: 'hibernated?' } })),
      SCOPE,
      'f',
    );
    expect(items[0]?.state).toBe('stopped');
    expect(issues).toEqual([]);
  });

  it('unions instance-level and per-ENI security groups and collects IPv6 addresses from every ENI', () => {
    // Prepare
    const body = instancesBody(
      instance({
        SecurityGroups: [{ GroupId: 'sg-a' }],
        NetworkInterfaces: [
          {
            NetworkInterfaceId: 'eni-1',
            Groups: [{ GroupId: 'sg-a' }],
            Attachment: { DeviceIndex: 0 },
            Ipv6Addresses: [{ Ipv6Address: '2600::1' }],
            PrivateIpAddress: '10.0.0.1',
          },
          {
            NetworkInterfaceId: 'eni-2',
            Groups: [{ GroupId: 'sg-b' }],
            Attachment: { DeviceIndex: 1 },
            Ipv6Addresses: [{ Ipv6Address: '2600::2' }],
            Association: { PublicIp: '54.1.2.3' },
          },
        ],
      }),
    );

    // Act
    const { items } = mapDescribeInstances(body, SCOPE, 'f');

    // Assess
    expect(items[0]?.securityGroupIds).toEqual(['sg-a', 'sg-b']);
    expect(items[0]?.ipv6Addresses).toEqual(['2600::1', '2600::2']);
    expect(items[0]?.networkInterfaces[1]).toMatchObject({
      deviceIndex: 1,
      publicIp: '54.1.2.3',
      securityGroupIds: ['sg-b'],
    });
    expect(items[0]?.networkInterfaces[0]?.privateIpAddresses).toEqual(['10.0.0.1']);
  });

  it('reports a wrong-shaped response without throwing', () => {
    const result = mapDescribeInstances({ Reservations: 'oops' }, SCOPE, 'bad.json');
    expect(result.readable).toBe(false);
    expect(result.items).toEqual([]);
    expect(result.issues).toEqual([
      {
        code: 'RESPONSE_INVALID',
        origin: 'bad.json',
        path: 'Reservations',
        message: 'expected an array, got a string',
      },
    ]);
  });

  it('drops bad entries with an issue naming the JSON path, and maps the rest', () => {
    // Prepare
    const body = {
      Reservations: [
        { OwnerId: ACCOUNT, Instances: [instance(), { InstanceId: 'i-2' }, null] },
        7,
        { Instances: [instance({ InstanceId: 'i-3', State: 'running' })] },
      ],
    };

    // Act
    const { items, issues } = mapDescribeInstances(body, SCOPE, 'f.json');

    // Assess
    expect(items.map((i) => i.instanceId)).toEqual(['i-0123456789abcdef0']);
    expect(issues.map((i) => `${i.code} ${i.path}`)).toEqual([
      'ENTRY_INVALID Reservations[0].Instances[1].State',
      'ENTRY_INVALID Reservations[0].Instances[2]',
      'ENTRY_INVALID Reservations[1]',
      'FIELD_INVALID Reservations[2].Instances[0].State',
      'ENTRY_INVALID Reservations[2].Instances[0].State',
    ]);
    expect(issues.every((i) => i.origin === 'f.json')).toBe(true);
  });

  it('keeps hostile tag keys and values as plain data', () => {
    // Prepare
    const long = 'x'.repeat(100_000);
    const tags = [
      { Key: '__proto__', Value: 'polluted' },
      { Key: 'constructor', Value: 'prototype' },
      { Key: 'Name', Value: '<script>alert(1)</script>' },
      { Key: 'long', Value: long },
    ];

    // Act
    const { items } = mapDescribeInstances(instancesBody(instance({ Tags: tags })), SCOPE, 'f');

    // Assess
    const mapped = items[0]!.tags;
    expect(Object.getPrototypeOf(mapped)).toBeNull();
    expect(Object.keys(mapped)).toEqual(['__proto__', 'constructor', 'Name', 'long']);
    expect(mapped['__proto__']).toBe('polluted');
    expect(mapped.Name).toBe('<script>alert(1)</script>');
    expect(mapped.long).toHaveLength(100_000);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('normalises ISO strings, SDK Date objects and epoch seconds to the same model', () => {
    // Prepare
    const iso = mapDescribeInstances(
      instancesBody(instance({ LaunchTime: '2026-02-10T08:15:30+00:00' })),
      SCOPE,
      'f',
    );
    const date = mapDescribeInstances(
      instancesBody(instance({ LaunchTime: new Date('2026-02-10T08:15:30Z') })),
      SCOPE,
      'f',
    );
    const epoch = mapDescribeInstances(instancesBody(instance({ LaunchTime: 1770711330 })), SCOPE, 'f');

    // Assess
    expect(iso.items[0]?.launchTime).toBe('2026-02-10T08:15:30.000Z');
    expect(date.items).toEqual(iso.items);
    expect(epoch.items).toEqual(iso.items);
  });

  it('maps IMDS options and reports values outside the enum', () => {
    const { items, issues } = mapDescribeInstances(
      instancesBody(
        instance({
          MetadataOptions: {
            HttpTokens: 'required',
            HttpEndpoint: 'maybe',
            HttpPutResponseHopLimit: 1,
            InstanceMetadataTags: 'enabled',
          },
        }),
      ),
      SCOPE,
      'f',
    );
    expect(items[0]?.metadataOptions).toEqual({
      httpTokens: 'required',
      httpPutResponseHopLimit: 1,
      instanceMetadataTags: 'enabled',
    });
    expect(issues.map((i) => i.path)).toEqual(['Reservations[0].Instances[0].MetadataOptions.HttpEndpoint']);
  });
});

describe('toIsoTimestamp and regionFromAvailabilityZone', () => {
  test.for([
    ['2026-03-01T09:58:12.437000+00:00', '2026-03-01T09:58:12.437Z'],
    [1717000000.123, '2024-05-29T16:26:40.123Z'],
    [1717000000123, '2024-05-29T16:26:40.123Z'],
    ['not a date', undefined],
    ['', undefined],
    [null, undefined],
    [Number.NaN, undefined],
  ] as const)('%s → %s', ([input, expected]) => {
    expect(toIsoTimestamp(input)).toBe(expected);
  });

  test.for([
    ['us-east-1a', 'us-east-1'],
    ['ap-southeast-4c', 'ap-southeast-4'],
    ['us-gov-west-1b', 'us-gov-west-1'],
    ['cn-northwest-1a', 'cn-northwest-1'],
    ['us-west-2-lax-1a', 'us-west-2'],
    ['us-east-1-wl1-bos-wlz-1', 'us-east-1'],
    ['nowhere', undefined],
  ] as const)('zone %s is in region %s', ([zone, region]) => {
    expect(regionFromAvailabilityZone(zone)).toBe(region);
  });
});

describe('mapSecurityGroups', () => {
  test.for([
    ['-1', 'all'],
    ['6', 'tcp'],
    ['17', 'udp'],
    ['1', 'icmp'],
    ['58', 'icmpv6'],
    ['TCP', 'tcp'],
    ['50', '50'],
    ['__proto__', '__proto__'],
  ] as const)('normalises protocol %s to %s', ([raw, expected]) => {
    expect(normaliseIpProtocol(raw)).toBe(expected);
  });

  it('emits one rule per peer and covers every port for "all" or port-less rules', () => {
    // Prepare
    const body = {
      SecurityGroups: [
        {
          GroupId: 'sg-1',
          OwnerId: ACCOUNT,
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: 443,
              ToPort: 443,
              IpRanges: [{ CidrIp: '10.0.0.0/16', Description: 'vpc' }],
              UserIdGroupPairs: [{ GroupId: 'sg-2', UserId: ACCOUNT }],
            },
          ],
          IpPermissionsEgress: [
            {
              IpProtocol: '-1',
              IpRanges: [{ CidrIp: '0.0.0.0/0' }],
              Ipv6Ranges: [{ CidrIpv6: '::/0' }],
              PrefixListIds: [{ PrefixListId: 'pl-1' }],
            },
            { IpProtocol: '17' },
            { IpProtocol: 'tcp', FromPort: -1, ToPort: -1, IpRanges: [{ CidrIp: '10.1.0.0/16' }] },
          ],
        },
      ],
    };

    // Act
    const { items, issues } = mapSecurityGroups(body, {}, 'f');

    // Assess
    expect(issues).toEqual([]);
    expect(items[0]?.ingress).toEqual([
      { protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/16', description: 'vpc' },
      { protocol: 'tcp', fromPort: 443, toPort: 443, referencedGroupId: 'sg-2' },
    ]);
    expect(items[0]?.egress).toEqual([
      { protocol: 'all', fromPort: 0, toPort: 65535, cidrIpv4: '0.0.0.0/0' },
      { protocol: 'all', fromPort: 0, toPort: 65535, cidrIpv6: '::/0' },
      { protocol: 'all', fromPort: 0, toPort: 65535, prefixListId: 'pl-1' },
      { protocol: 'tcp', fromPort: 0, toPort: 65535, cidrIpv4: '10.1.0.0/16' },
    ]);
  });

  it('keeps ICMP type/code as AWS reports them', () => {
    const body = {
      SecurityGroups: [
        {
          GroupId: 'sg-1',
          IpPermissions: [
            { IpProtocol: 'icmp', FromPort: 8, ToPort: -1, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
          ],
        },
      ],
    };
    expect(mapSecurityGroups(body, SCOPE, 'f').items[0]?.ingress[0]).toMatchObject({
      protocol: 'icmp',
      fromPort: 8,
      toPort: -1,
    });
  });
});

describe('mapRouteTables', () => {
  it('types every route target and reads main and subnet associations', () => {
    // Prepare
    const routes = [
      { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' },
      { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active' },
      { DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: 'eigw-1', State: 'active' },
      { DestinationIpv6CidrBlock: '::/1', GatewayId: 'eigw-2', State: 'active' },
      { DestinationCidrBlock: '0.0.0.0/1', NatGatewayId: 'nat-1', State: 'blackhole' },
      {
        DestinationCidrBlock: '10.9.0.0/16',
        InstanceId: 'i-nat',
        NetworkInterfaceId: 'eni-nat',
        State: 'active',
      },
      { DestinationCidrBlock: '10.8.0.0/16', NetworkInterfaceId: 'eni-fw', State: 'active' },
      { DestinationCidrBlock: '172.16.0.0/12', TransitGatewayId: 'tgw-1', State: 'active' },
      { DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: 'pcx-1', State: 'active' },
      { DestinationCidrBlock: '192.168.0.0/16', GatewayId: 'vgw-1', State: 'active' },
      { DestinationPrefixListId: 'pl-63a5400a', GatewayId: 'vpce-1', State: 'active' },
      { DestinationCidrBlock: '10.7.0.0/16', CarrierGatewayId: 'cagw-1', State: 'active' },
      { DestinationCidrBlock: '10.6.0.0/16', State: 'active' },
    ];
    const body = {
      RouteTables: [
        {
          RouteTableId: 'rtb-1',
          VpcId: 'vpc-1',
          Associations: [
            { Main: true, AssociationState: { State: 'associated' } },
            { Main: false, SubnetId: 'subnet-1', AssociationState: { State: 'associated' } },
            { Main: false, SubnetId: 'subnet-old', AssociationState: { State: 'disassociated' } },
          ],
          Routes: routes,
        },
      ],
    };

    // Act
    const { items, issues } = mapRouteTables(body, SCOPE, 'f');

    // Assess
    expect(items[0]?.isMain).toBe(true);
    expect(items[0]?.subnetIds).toEqual(['subnet-1']);
    expect(items[0]?.routes.map((r) => r.target)).toEqual([
      { kind: 'local' },
      { kind: 'internet-gateway', id: 'igw-1' },
      { kind: 'egress-only-internet-gateway', id: 'eigw-1' },
      { kind: 'egress-only-internet-gateway', id: 'eigw-2' },
      { kind: 'nat-gateway', id: 'nat-1' },
      { kind: 'instance', id: 'i-nat' },
      { kind: 'network-interface', id: 'eni-fw' },
      { kind: 'transit-gateway', id: 'tgw-1' },
      { kind: 'vpc-peering', id: 'pcx-1' },
      { kind: 'virtual-private-gateway', id: 'vgw-1' },
      { kind: 'vpc-endpoint', id: 'vpce-1' },
      { kind: 'other', id: 'cagw-1' },
    ]);
    expect(items[0]?.routes[4]?.state).toBe('blackhole');
    expect(items[0]?.routes[10]?.destinationPrefixListId).toBe('pl-63a5400a');
    expect(issues.map((i) => i.path)).toEqual(['RouteTables[0].Routes[12]']);
  });
});

describe('network mappers', () => {
  it('keeps NACL protocols as number strings and lower-cases the action', () => {
    const body = {
      NetworkAcls: [
        {
          NetworkAclId: 'acl-1',
          VpcId: 'vpc-1',
          IsDefault: true,
          Associations: [{ SubnetId: 'subnet-1' }],
          Entries: [
            {
              RuleNumber: 100,
              Protocol: '6',
              RuleAction: 'allow',
              Egress: true,
              CidrBlock: '0.0.0.0/0',
              PortRange: { From: 443, To: 443 },
            },
            { RuleNumber: 32767, Protocol: -1, RuleAction: 'DENY', Egress: false, Ipv6CidrBlock: '::/0' },
            { RuleNumber: 'x' },
          ],
        },
      ],
    };
    const { items, issues } = mapNetworkAcls(body, SCOPE, 'f');
    expect(items[0]?.entries).toEqual([
      {
        ruleNumber: 100,
        protocol: '6',
        action: 'allow',
        egress: true,
        cidrBlock: '0.0.0.0/0',
        portFrom: 443,
        portTo: 443,
      },
      { ruleNumber: 32767, protocol: '-1', action: 'deny', egress: false, ipv6CidrBlock: '::/0' },
    ]);
    expect(items[0]?.subnetIds).toEqual(['subnet-1']);
    expect(issues.map((i) => i.path)).toEqual([
      'NetworkAcls[0].Entries[2].RuleNumber',
      'NetworkAcls[0].Entries[2]',
    ]);
  });

  it('lower-cases endpoint state, decodes the policy and reads the region from the service name', () => {
    const body = {
      VpcEndpoints: [
        {
          VpcEndpointId: 'vpce-1',
          VpcEndpointType: 'Interface',
          VpcId: 'vpc-1',
          ServiceName: 'com.amazonaws.eu-west-3.ssm',
          State: 'Available',
          PrivateDnsEnabled: true,
          SubnetIds: ['subnet-1'],
          Groups: [{ GroupId: 'sg-1', GroupName: 'ep' }],
          PolicyDocument: '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}',
        },
      ],
    };
    const { items } = mapVpcEndpoints(body, {}, 'f');
    expect(items[0]).toMatchObject({
      region: 'eu-west-3',
      state: 'available',
      securityGroupIds: ['sg-1'],
      routeTableIds: [],
      privateDnsEnabled: true,
    });
    expect(items[0]?.policy).toEqual({
      document: { Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] },
    });
  });

  it('keeps only live CIDR associations of a VPC and leaves DNS attributes unread', () => {
    const body = {
      Vpcs: [
        {
          VpcId: 'vpc-1',
          CidrBlock: '10.0.0.0/16',
          CidrBlockAssociationSet: [
            { CidrBlock: '10.0.0.0/16', CidrBlockState: { State: 'associated' } },
            { CidrBlock: '10.1.0.0/16', CidrBlockState: { State: 'disassociated' } },
          ],
          IsDefault: true,
        },
      ],
    };
    const vpc = mapDescribeVpcs(body, SCOPE, 'f').items[0];
    expect(vpc?.cidrBlocks).toEqual(['10.0.0.0/16']);
    expect(vpc?.isDefault).toBe(true);
    expect(vpc && 'enableDnsSupport' in vpc).toBe(false);
  });

  it('reads the subnet region from its zone', () => {
    const body = {
      Subnets: [
        {
          SubnetId: 'subnet-1',
          VpcId: 'vpc-1',
          AvailabilityZone: 'ap-southeast-4b',
          MapPublicIpOnLaunch: true,
          OwnerId: ACCOUNT,
        },
      ],
    };
    expect(mapDescribeSubnets(body, {}, 'f').items[0]).toMatchObject({
      accountId: ACCOUNT,
      region: 'ap-southeast-4',
      mapPublicIpOnLaunch: true,
      ipv6Native: false,
    });
  });

  test.for([
    [
      { VpcId: 'vpc-1', EnableDnsSupport: { Value: true } },
      { vpcId: 'vpc-1', enableDnsSupport: true },
    ],
    [
      { VpcId: 'vpc-1', EnableDnsHostnames: { Value: false } },
      { vpcId: 'vpc-1', enableDnsHostnames: false },
    ],
  ] as const)('maps a DescribeVpcAttribute response %#', ([body, expected]) => {
    expect(mapVpcAttribute(body, SCOPE, 'f').items).toEqual([{ ...SCOPE, ...expected }]);
  });

  it('marks a DescribeVpcAttribute response without a boolean value unreadable', () => {
    const result = mapVpcAttribute({ VpcId: 'vpc-1', EnableDnsSupport: { Value: 'yes' } }, SCOPE, 'f');
    expect(result.readable).toBe(false);
  });
});

describe('mapAuthorizationDetails', () => {
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  };
  const inline = {
    Version: '2012-10-17',
    Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
  };
  function gaad(encode: (doc: unknown) => unknown): unknown {
    return {
      RoleDetailList: [
        {
          Path: '/app/',
          RoleName: 'web',
          RoleId: 'AROA1',
          Arn: `arn:aws:iam::${ACCOUNT}:role/app/web`,
          AssumeRolePolicyDocument: encode(trust),
          RolePolicyList: [{ PolicyName: 'inline', PolicyDocument: encode(inline) }],
          AttachedManagedPolicies: [
            {
              PolicyName: 'AmazonSSMManagedInstanceCore',
              PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
            },
          ],
          PermissionsBoundary: {
            PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
            PermissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/b`,
          },
          InstanceProfileList: [
            {
              Path: '/app/',
              InstanceProfileName: 'web',
              Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/app/web`,
              Roles: [{ Arn: `arn:aws:iam::${ACCOUNT}:role/app/web` }],
            },
          ],
          Tags: [{ Key: 'team', Value: 'web' }],
        },
      ],
      Policies: [
        {
          PolicyName: 'AmazonSSMManagedInstanceCore',
          Arn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
          DefaultVersionId: 'v2',
          PolicyVersionList: [
            {
              VersionId: 'v3',
              IsDefaultVersion: false,
              Document: encode({ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }),
            },
            { VersionId: 'v2', IsDefaultVersion: true, Document: encode(inline) },
            { VersionId: 'v1', IsDefaultVersion: false, Document: encode(trust) },
          ],
        },
        {
          PolicyName: 'b',
          Arn: `arn:aws:iam::${ACCOUNT}:policy/b`,
          DefaultVersionId: 'v1',
          PolicyVersionList: [],
        },
      ],
    };
  }

  it('maps roles, profiles and policies in region "global", whatever region the scope says', () => {
    // Act
    const result = mapAuthorizationDetails(
      gaad((d) => encodeURIComponent(JSON.stringify(d))),
      { region: 'us-east-1' },
      'iam.json',
    );

    // Assess
    const role = result.items[0]!;
    expect(role).toMatchObject({
      accountId: ACCOUNT,
      region: 'global',
      path: '/app/',
      roleId: 'AROA1',
      permissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/b`,
    });
    expect(role.trustPolicy).toEqual({ document: trust });
    expect(role.inlinePolicies).toEqual([{ policyName: 'inline', policy: { document: inline } }]);
    expect(role.instanceProfileArns).toEqual([`arn:aws:iam::${ACCOUNT}:instance-profile/app/web`]);
    expect(result.instanceProfiles).toEqual([
      {
        accountId: ACCOUNT,
        region: 'global',
        instanceProfileName: 'web',
        arn: `arn:aws:iam::${ACCOUNT}:instance-profile/app/web`,
        path: '/app/',
        roleArns: [`arn:aws:iam::${ACCOUNT}:role/app/web`],
      },
    ]);
    expect(result.scopes).toEqual([{ accountId: ACCOUNT, region: 'global' }]);
  });

  it('keeps only the default version of a managed policy and knows AWS-managed ARNs', () => {
    const [core, boundary] = mapAuthorizationDetails(
      gaad((d) => d),
      {},
      'iam.json',
    ).managedPolicies;
    expect(core).toEqual({
      accountId: ACCOUNT,
      region: 'global',
      policyName: 'AmazonSSMManagedInstanceCore',
      arn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
      defaultVersionId: 'v2',
      defaultVersion: { document: inline },
      isAwsManaged: true,
    });
    expect(boundary).toMatchObject({ isAwsManaged: false, defaultVersionId: 'v1' });
    expect(boundary && 'defaultVersion' in boundary).toBe(false);
  });

  it('maps URL-encoded and plain-object documents to the same model', () => {
    const encoded = mapAuthorizationDetails(
      gaad((d) => encodeURIComponent(JSON.stringify(d))),
      {},
      'f',
    );
    const plain = mapAuthorizationDetails(
      gaad((d) => d),
      {},
      'f',
    );
    const jsonString = mapAuthorizationDetails(
      gaad((d) => JSON.stringify(d)),
      {},
      'f',
    );
    expect(plain.items).toEqual(encoded.items);
    expect(plain.managedPolicies).toEqual(encoded.managedPolicies);
    expect(jsonString.items).toEqual(encoded.items);
  });

  it('keeps an undecodable document with its parse error', () => {
    const body = {
      RoleDetailList: [
        { RoleName: 'r', Arn: `arn:aws:iam::${ACCOUNT}:role/r`, AssumeRolePolicyDocument: '%7B%E0%A4%A' },
      ],
    };
    expect(mapAuthorizationDetails(body, {}, 'f').items[0]?.trustPolicy).toMatchObject({
      parseError: expect.stringContaining('URL-encoding'),
    });
  });

  it('flags a single GAAD page as truncated', () => {
    const mapped = mapApiResponse(
      'iam:GetAccountAuthorizationDetails',
      { RoleDetailList: [], IsTruncated: true, Marker: 'abc' },
      {},
      'page1.json',
    );
    expect(mapped.issues.map((i) => i.code)).toEqual(['RESPONSE_TRUNCATED']);
  });
});

describe('SSM mappers', () => {
  it('normalises DescribeInstanceInformation timestamps from epoch seconds, Dates and ISO strings alike', () => {
    // Prepare
    const node = (ping: unknown, registered: unknown): unknown => ({
      InstanceInformationList: [
        {
          InstanceId: 'mi-0123456789abcdef0',
          PingStatus: 'Online',
          LastPingDateTime: ping,
          RegistrationDate: registered,
          ResourceType: 'ManagedInstance',
          IamRole: 'SSMServiceRole',
          ActivationId: 'a-1',
          IPAddress: '10.0.0.5',
        },
      ],
    });

    // Act
    const fromWire = mapInstanceInformation(node(1717000000.123, 1716000000), SCOPE, 'f').items;
    const fromSdk = mapInstanceInformation(
      node(new Date(1717000000123), new Date(1716000000000)),
      SCOPE,
      'f',
    ).items;
    const fromCli = mapInstanceInformation(
      node('2024-05-29T16:26:40.123000+00:00', '2024-05-18T02:40:00+00:00'),
      SCOPE,
      'f',
    ).items;

    // Assess
    expect(fromWire).toEqual(fromCli);
    expect(fromSdk).toEqual(fromCli);
    expect(fromCli[0]).toMatchObject({
      lastPingDateTime: '2024-05-29T16:26:40.123Z',
      registrationDate: '2024-05-18T02:40:00.000Z',
      iamRole: 'SSMServiceRole',
      ipAddress: '10.0.0.5',
    });
  });

  it('reads activation limits and expiry', () => {
    const body = {
      ActivationList: [
        {
          ActivationId: 'a-1',
          IamRole: 'r',
          RegistrationLimit: 10,
          RegistrationsCount: 3,
          Expired: true,
          ExpirationDate: 1719000000,
        },
      ],
    };
    expect(mapActivations(body, SCOPE, 'f').items[0]).toMatchObject({
      registrationLimit: 10,
      registrationsCount: 3,
      expired: true,
      expirationDate: '2024-06-21T20:00:00.000Z',
    });
  });

  test.for([
    ['$None', { enabled: false }],
    ['', { enabled: false }],
    [
      'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole',
      { enabled: true, roleName: 'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole' },
    ],
    ['MyDhmcRole', { enabled: true, roleName: 'MyDhmcRole' }],
  ] as const)('maps DHMC SettingValue %j', ([value, expected]) => {
    const body = {
      ServiceSetting: {
        SettingId: '/ssm/managed-instance/default-ec2-instance-management-role',
        SettingValue: value,
        Status: 'Customized',
      },
    };
    expect(mapServiceSetting(body, SCOPE, 'f').items).toEqual([
      { ...SCOPE, ...expected, status: 'Customized' },
    ]);
  });

  it('reads the DHMC scope from the setting ARN', () => {
    const arn =
      'arn:aws:ssm:eu-central-1:123456789012:servicesetting/ssm/managed-instance/default-ec2-instance-management-role';
    const { items } = mapServiceSetting(
      { ServiceSetting: { SettingId: arn, SettingValue: '$None' } },
      {},
      'f',
    );
    expect(items).toEqual([{ accountId: '123456789012', region: 'eu-central-1', enabled: false }]);
  });

  it('refuses a service setting other than DHMC', () => {
    const result = mapServiceSetting(
      { ServiceSetting: { SettingId: '/ssm/managed-instance/activation-tier', SettingValue: 'standard' } },
      SCOPE,
      'f',
    );
    expect(result.readable).toBe(false);
    expect(result.items).toEqual([]);
  });
});

describe('mapApiResponse', () => {
  test.for(Object.keys(API_RESPONSE_KINDS) as ApiResponseKind[])(
    '%s survives hostile input without throwing',
    (kind) => {
      for (const body of [
        null,
        42,
        'x',
        [],
        {},
        { Reservations: { length: 1 } },
        { ServiceSetting: [] },
        { VpcId: 1 },
      ]) {
        const mapped = mapApiResponse(kind, body, {}, 'f');
        expect(mapped.family).toBe(API_RESPONSE_KINDS[kind].family);
        expect(mapped.readable).toBe(false);
      }
    },
  );
});
