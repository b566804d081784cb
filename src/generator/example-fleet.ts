// The shipped example fleet: the 200-instance "no instance profile" story plus one instance per other fault.

import type { FleetApiData } from '../collectors/api/api-data.js';
import { cliTimestamp } from './aws-formats.js';
import { EXAMPLE_FLEET_FACTS as F, exampleInventoryInstanceId } from './example-fleet-facts.js';
import { GaadBuilder } from './gaad-builder.js';
import {
  AWS_POLICY_ARN,
  EC2MESSAGES_ACTIONS,
  SSM_CORE_SSM_ACTIONS,
  SSMMESSAGES_ACTIONS,
  allowStatement,
  policyDocument,
  trustPolicy,
} from './iam-policies.js';
import { addPatchingStory, PATCHING_STORY_SEED } from './example-patching-story.js';
import { Random } from './random.js';
import {
  RegionBuilder,
  type InstanceRef,
  type InstanceSpec,
  type SecurityGroupRef,
  type SubnetRef,
} from './region-builder.js';

export { EXAMPLE_FLEET_FACTS, exampleInventoryInstanceId } from './example-fleet-facts.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const AL2023_AMI = 'ami-0c02fb55956c7d316';
const WINDOWS_AMI = 'ami-0be0e902919675894';
const S3_PREFIX_LIST = 'pl-63a5400a';
const AGENT = '3.3.1802.0';

/**
 * Builds the example fleet (account 111122223333, us-east-1). Deterministic: every call returns the same data.
 * See EXAMPLE_FLEET_FACTS for what each notable instance demonstrates.
 */
export function buildExampleFleet(): FleetApiData {
  const now = Date.parse(F.collectedAt);
  const random = new Random(20261120);
  const infraCreated = Date.parse('2024-02-12T09:30:00.000Z');
  const iam = new GaadBuilder(F.accountId, random);
  const ec2 = new RegionBuilder(F.accountId, F.region, random, infraCreated);
  const iso = (ms: number): string => cliTimestamp(ms);

  // ---- IAM -------------------------------------------------------------------------------------------------
  const ec2Trust = trustPolicy('ec2.amazonaws.com');
  const healthyRole = iam.addRole({
    name: F.roles.healthy,
    trust: ec2Trust,
    managedPolicyArns: [AWS_POLICY_ARN.ssmCore, AWS_POLICY_ARN.cloudWatchAgent],
    instanceProfileName: 'SSMInstanceProfile',
    description: 'Instance role for Systems Manager managed EC2 instances',
    createDate: iso(infraCreated),
    tags: [['ManagedBy', 'platform-team']],
    lastUsed: { date: iso(now - 2 * MINUTE), region: F.region },
  });
  const paymentsRole = iam.addRole({
    name: F.roles.missingSsmMessagesAction,
    trust: ec2Trust,
    inlinePolicies: [
      {
        name: 'payments-ssm-least-privilege',
        document: policyDocument(
          allowStatement(SSM_CORE_SSM_ACTIONS, 'SsmAgentCore'),
          // Hand-trimmed copy of the core policy: OpenDataChannel was dropped, so Session Manager sessions fail.
          allowStatement(
            SSMMESSAGES_ACTIONS.filter((a) => a !== 'ssmmessages:OpenDataChannel'),
            'SessionManagerChannels',
          ),
          allowStatement(EC2MESSAGES_ACTIONS, 'RunCommandMessages'),
        ),
      },
      {
        name: 'payments-app-secrets',
        document: policyDocument({
          Sid: 'ReadPaymentsSecrets',
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue'],
          Resource: `arn:aws:secretsmanager:${F.region}:${F.accountId}:secret:payments/*`,
        }),
      },
    ],
    instanceProfileName: 'PaymentsAppProfile',
    createDate: iso(infraCreated + 40 * DAY),
    lastUsed: { date: iso(now - 3 * MINUTE), region: F.region },
  });
  const hrRole = iam.addRole({
    name: F.roles.explicitDeny,
    trust: ec2Trust,
    managedPolicyArns: [AWS_POLICY_ARN.ssmCore],
    inlinePolicies: [
      {
        name: 'security-freeze',
        document: policyDocument({
          Sid: 'DenySystemsManagerUntilApproved',
          Effect: 'Deny',
          Action: ['ssm:*', 'ssmmessages:*', 'ec2messages:*'],
          Resource: '*',
        }),
      },
    ],
    instanceProfileName: 'HrPortalProfile',
    createDate: iso(infraCreated + 60 * DAY),
    lastUsed: { date: iso(now - 19 * DAY), region: F.region },
  });
  const boundaryArn = iam.addCustomerManagedPolicy({
    name: 'DeveloperBoundary',
    path: '/boundaries/',
    description: 'Permissions boundary for developer-created roles',
    createDate: iso(infraCreated + 10 * DAY),
    defaultVersionId: 'v3',
    versions: [
      {
        versionId: 'v3',
        createDate: iso(now - 45 * DAY),
        document: policyDocument(
          allowStatement(['s3:*', 'logs:*', 'cloudwatch:*', 'dynamodb:*', 'sqs:*'], 'DeveloperServices'),
        ),
      },
      {
        versionId: 'v2',
        createDate: iso(infraCreated + 200 * DAY),
        document: policyDocument(
          allowStatement(
            [
              's3:*',
              'logs:*',
              'cloudwatch:*',
              'dynamodb:*',
              'sqs:*',
              'ssm:*',
              'ssmmessages:*',
              'ec2messages:*',
            ],
            'DeveloperServices',
          ),
        ),
      },
      {
        versionId: 'v1',
        createDate: iso(infraCreated + 10 * DAY),
        document: policyDocument(allowStatement(['*'], 'Everything')),
      },
    ],
  });
  const devToolsRole = iam.addRole({
    name: F.roles.boundaryDeny,
    trust: ec2Trust,
    managedPolicyArns: [AWS_POLICY_ARN.ssmCore],
    boundaryArn,
    instanceProfileName: 'DevToolsProfile',
    createDate: iso(infraCreated + 90 * DAY),
  });
  const etlRole = iam.addRole({
    name: F.roles.wrongTrust,
    trust: trustPolicy('lambda.amazonaws.com'),
    managedPolicyArns: [AWS_POLICY_ARN.ssmCore, AWS_POLICY_ARN.lambdaBasic],
    instanceProfileName: 'EtlWorkerProfile',
    description: 'Copied from the ETL Lambda role',
    createDate: iso(infraCreated + 120 * DAY),
  });
  const legacyRole = iam.addRole({
    name: F.roles.deprecatedPolicy,
    trust: ec2Trust,
    managedPolicyArns: [AWS_POLICY_ARN.ec2RoleForSsm],
    instanceProfileName: 'LegacyAppProfile',
    createDate: '2018-06-04T14:12:09+00:00',
    lastUsed: { date: iso(now - 4 * MINUTE), region: F.region },
  });
  iam.addRole({
    name: F.roles.hybridActivation,
    trust: trustPolicy('ssm.amazonaws.com'),
    managedPolicyArns: [AWS_POLICY_ARN.ssmCore],
    description: 'Role for hybrid activations',
    createDate: iso(infraCreated + 30 * DAY),
    lastUsed: { date: iso(now - MINUTE), region: F.region },
  });
  iam.addRole({
    name: 'OrganizationAccountAccessRole',
    trust: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'sts:AssumeRole' },
      ],
    },
    managedPolicyArns: [AWS_POLICY_ARN.administrator],
    createDate: '2019-11-05T10:00:00+00:00',
    lastUsed: { date: iso(now - 6 * DAY), region: F.region },
  });

  // ---- Network: production VPC (public, NAT-routed private, no-path private) -------------------------------
  const prod = ec2.addVpc({ name: 'production', cidr: '10.0.0.0/16', vpcId: F.vpcs.production });
  const publicA = ec2.addSubnet(prod, {
    name: 'production-public-a',
    cidr: '10.0.0.0/24',
    availabilityZone: 'us-east-1a',
    mapPublicIpOnLaunch: true,
    subnetId: F.subnets.publicA,
  });
  const publicB = ec2.addSubnet(prod, {
    name: 'production-public-b',
    cidr: '10.0.1.0/24',
    availabilityZone: 'us-east-1b',
    mapPublicIpOnLaunch: true,
    subnetId: F.subnets.publicB,
  });
  const appA = ec2.addSubnet(prod, {
    name: 'production-app-a',
    cidr: '10.0.10.0/24',
    availabilityZone: 'us-east-1a',
    subnetId: F.subnets.privateNatA,
  });
  const appB = ec2.addSubnet(prod, {
    name: 'production-app-b',
    cidr: '10.0.11.0/24',
    availabilityZone: 'us-east-1b',
    subnetId: F.subnets.privateNatB,
  });
  const invA = ec2.addSubnet(prod, {
    name: 'inventory-a',
    cidr: '10.0.16.0/22',
    availabilityZone: 'us-east-1a',
    subnetId: F.inventory.subnetIds[0],
  });
  const invB = ec2.addSubnet(prod, {
    name: 'inventory-b',
    cidr: '10.0.20.0/22',
    availabilityZone: 'us-east-1b',
    subnetId: F.inventory.subnetIds[1],
  });
  const legacyC = ec2.addSubnet(prod, {
    name: 'legacy-batch-c',
    cidr: '10.0.30.0/24',
    availabilityZone: 'us-east-1c',
    subnetId: F.subnets.privateNoPath,
  });
  const igw = 'igw-0e5b3a7c9d1f24680';
  const nat = 'nat-04c1d7e9a2b3f5061';
  ec2.addRouteTable(prod, {
    name: 'production-public',
    routes: [{ kind: 'internet-gateway', gatewayId: igw }],
    subnets: [publicA, publicB],
  });
  const natTable = ec2.addRouteTable(prod, {
    name: 'production-private-nat',
    routes: [{ kind: 'nat-gateway', natGatewayId: nat }],
    subnets: [appA, appB, invA, invB],
  });
  ec2.addVpcEndpoint(prod, {
    type: 'Gateway',
    service: 's3',
    routeTableIds: [natTable],
    prefixListId: S3_PREFIX_LIST,
  });
  // legacy-batch-c has no explicit association: it uses the main table, which only has the local route.

  const albSg = ec2.addSecurityGroup(prod, {
    name: 'production-alb',
    description: 'Internet-facing load balancer',
    ingress: [
      {
        protocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrs: ['0.0.0.0/0'],
        description: 'HTTPS from the internet',
      },
    ],
  });
  const webSg = ec2.addSecurityGroup(prod, {
    name: 'production-web',
    description: 'Web servers behind the ALB',
    ingress: [
      {
        protocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        groupIds: [albSg.groupId],
        description: 'HTTPS from the ALB',
      },
    ],
  });
  const appSg = ec2.addSecurityGroup(prod, {
    name: 'production-app',
    description: 'Internal application servers',
    ingress: [
      {
        protocol: 'tcp',
        fromPort: 8080,
        toPort: 8080,
        cidrs: ['10.0.0.0/16'],
        description: 'App traffic from the VPC',
      },
    ],
  });
  const inventorySg = ec2.addSecurityGroup(prod, {
    name: 'inventory-servers',
    description: 'Inventory service fleet',
    ingress: [
      { protocol: 'tcp', fromPort: 8443, toPort: 8443, cidrs: ['10.0.0.0/16'], description: 'Inventory API' },
    ],
  });
  const edgeSg = ec2.addSecurityGroup(prod, {
    name: 'edge-http',
    description: 'Public HTTP redirector',
    ingress: [
      {
        protocol: 'tcp',
        fromPort: 80,
        toPort: 80,
        cidrs: ['0.0.0.0/0'],
        description: 'HTTP redirect to HTTPS',
      },
    ],
  });
  const sshSg = ec2.addSecurityGroup(prod, {
    name: 'bastion-ssh',
    description: 'SSH access to the bastion',
    groupId: F.securityGroups.sshFromAnywhere,
    ingress: [
      { protocol: 'tcp', fromPort: 22, toPort: 22, cidrs: ['0.0.0.0/0'], description: 'SSH from anywhere' },
    ],
  });
  const rdpSg = ec2.addSecurityGroup(prod, {
    name: 'win-app-range',
    description: 'Windows application ports',
    groupId: F.securityGroups.portRange3000To4000,
    ingress: [
      { protocol: 'tcp', fromPort: 3000, toPort: 4000, cidrs: ['0.0.0.0/0'], description: 'App port range' },
    ],
  });
  const allV6Sg = ec2.addSecurityGroup(prod, {
    name: 'sandbox-open',
    description: 'Developer sandbox, temporary',
    groupId: F.securityGroups.allTrafficIpv6,
    ingress: [{ protocol: '-1', ipv6Cidrs: ['::/0'] }],
  });
  const egress80Sg = ec2.addSecurityGroup(prod, {
    name: 'reports-restricted-egress',
    description: 'Reports server: outbound HTTP only',
    groupId: F.securityGroups.egressPort80Only,
    ingress: [{ protocol: 'tcp', fromPort: 8080, toPort: 8080, cidrs: ['10.0.0.0/16'] }],
    egress: [
      { protocol: 'tcp', fromPort: 80, toPort: 80, cidrs: ['0.0.0.0/0'], description: 'HTTP to the mirror' },
    ],
  });

  // ---- Network: shared-services VPC, reachable only through complete interface endpoints -------------------
  const shared = ec2.addVpc({
    name: 'shared-services',
    cidr: '10.1.0.0/16',
    vpcId: F.vpcs.sharedServicesEndpoints,
  });
  const isoA = ec2.addSubnet(shared, {
    name: 'shared-private-a',
    cidr: '10.1.1.0/24',
    availabilityZone: 'us-east-1a',
    subnetId: F.subnets.privateEndpointsA,
  });
  const isoB = ec2.addSubnet(shared, {
    name: 'shared-private-b',
    cidr: '10.1.2.0/24',
    availabilityZone: 'us-east-1b',
    subnetId: F.subnets.privateEndpointsB,
  });
  const isoTable = ec2.addRouteTable(shared, { name: 'shared-private', routes: [], subnets: [isoA, isoB] });
  ec2.addNetworkAcl(shared, {
    name: 'shared-private-https',
    subnets: [isoA, isoB],
    entries: [
      { ruleNumber: 100, protocol: '6', action: 'allow', egress: true, cidr: '0.0.0.0/0', ports: [443, 443] },
      {
        ruleNumber: 110,
        protocol: '6',
        action: 'allow',
        egress: true,
        cidr: '10.1.0.0/16',
        ports: [1024, 65535],
      },
      {
        ruleNumber: 100,
        protocol: '6',
        action: 'allow',
        egress: false,
        cidr: '10.1.0.0/16',
        ports: [443, 443],
      },
      {
        ruleNumber: 110,
        protocol: '6',
        action: 'allow',
        egress: false,
        cidr: '0.0.0.0/0',
        ports: [1024, 65535],
      },
    ],
  });
  const vpceOkSg = ec2.addSecurityGroup(shared, {
    name: 'ssm-endpoints',
    description: 'Interface endpoints for Systems Manager',
    groupId: F.securityGroups.endpointsAllowVpc,
    ingress: [
      {
        protocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrs: ['10.1.0.0/16'],
        description: 'HTTPS from the VPC',
      },
    ],
  });
  const isoAppSg = ec2.addSecurityGroup(shared, {
    name: 'shared-app',
    description: 'Shared services hosts, HTTPS egress inside the VPC and to S3',
    ingress: [{ protocol: 'tcp', fromPort: 8443, toPort: 8443, cidrs: ['10.1.0.0/16'] }],
    egress: [
      {
        protocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrs: ['10.1.0.0/16'],
        description: 'Interface endpoints',
      },
      { protocol: 'tcp', fromPort: 443, toPort: 443, prefixListIds: [S3_PREFIX_LIST] },
    ],
  });
  for (const service of ['ssm', 'ssmmessages', 'ec2messages']) {
    ec2.addVpcEndpoint(shared, {
      type: 'Interface',
      service,
      subnets: [isoA, isoB],
      groups: [vpceOkSg],
      privateDns: true,
    });
  }
  ec2.addVpcEndpoint(shared, {
    type: 'Gateway',
    service: 's3',
    routeTableIds: [isoTable],
    prefixListId: S3_PREFIX_LIST,
  });

  // ---- Network: analytics VPC, endpoints present but their security group blocks the instances -------------
  const analytics = ec2.addVpc({
    name: 'analytics',
    cidr: '10.2.0.0/16',
    vpcId: F.vpcs.analyticsBlockedEndpoints,
  });
  const analyticsA = ec2.addSubnet(analytics, {
    name: 'analytics-private-a',
    cidr: '10.2.1.0/24',
    availabilityZone: 'us-east-1a',
    subnetId: F.subnets.privateEndpointSgBlocks,
  });
  ec2.addRouteTable(analytics, { name: 'analytics-private', routes: [], subnets: [analyticsA] });
  const vpceBlockSg = ec2.addSecurityGroup(analytics, {
    name: 'analytics-endpoints',
    description: 'Interface endpoints (copied from the old data-center VPC)',
    groupId: F.securityGroups.endpointsBlocking,
    ingress: [
      {
        protocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrs: ['10.99.0.0/16'],
        description: 'HTTPS from dc-network',
      },
    ],
  });
  const analyticsSg = ec2.addSecurityGroup(analytics, {
    name: 'analytics-app',
    description: 'Analytics workers',
    ingress: [],
  });
  for (const service of ['ssm', 'ssmmessages', 'ec2messages']) {
    ec2.addVpcEndpoint(analytics, {
      type: 'Interface',
      service,
      subnets: [analyticsA],
      groups: [vpceBlockSg],
      privateDns: true,
    });
  }

  // ---- Instances ---------------------------------------------------------------------------------------------
  const profile = healthyRole.instanceProfile;
  const base = (
    instanceId: string,
    name: string,
    subnet: SubnetRef,
    groups: SecurityGroupRef[],
    extra: Partial<InstanceSpec> & { patchGroup?: string | null; environment?: string } = {},
  ): InstanceSpec => {
    const { patchGroup = 'AppServers', environment = 'Production', ...rest } = extra;
    const tags: [string, string][] = [
      ['Name', name],
      ['Environment', environment],
    ];
    if (patchGroup !== null) tags.push(['PatchGroup', patchGroup]);
    tags.push(['Owner', 'platform-team']);
    return {
      instanceId,
      subnet,
      securityGroups: groups,
      state: 'running',
      instanceType: 't3.medium',
      imageId: AL2023_AMI,
      platform: 'linux',
      launchTimeMs: Date.parse('2026-06-03T08:15:00.000Z'),
      tags,
      instanceProfile: profile,
      httpTokens: 'required',
      ...rest,
    };
  };
  const online = (ref: InstanceRef, minutesAgo: number): void => {
    const windows = ref.platform === 'windows';
    ec2.addInstanceInformation({
      instanceId: ref.instanceId,
      pingStatus: 'Online',
      lastPingMs: now - minutesAgo * MINUTE - 123,
      agentVersion: windows ? '3.3.1611.0' : AGENT,
      isLatestVersion: !windows,
      platformType: windows ? 'Windows' : 'Linux',
      platformName: windows ? 'Microsoft Windows Server 2022 Datacenter' : 'Amazon Linux',
      platformVersion: windows ? '10.0.20348' : '2023',
      ipAddress: ref.privateIp,
      computerName: windows ? `EC2AMAZ-${ref.instanceId.slice(-7).toUpperCase()}` : ref.privateDnsName,
    });
  };
  const lost = (ref: InstanceRef, lastPingMs: number, agentVersion = '3.3.1142.0'): void => {
    ec2.addInstanceInformation({
      instanceId: ref.instanceId,
      pingStatus: 'ConnectionLost',
      lastPingMs,
      agentVersion,
      isLatestVersion: false,
      platformType: 'Linux',
      platformName: 'Amazon Linux',
      platformVersion: '2023',
      ipAddress: ref.privateIp,
      computerName: ref.privateDnsName,
      associationStatus: 'Failed',
      lastAssociationMs: lastPingMs - 2 * 3_600_000,
    });
  };

  // The story: 200 inventory servers, launched from a template without an instance profile.
  const inventoryLaunch = Date.parse('2026-03-09T10:00:00.000Z');
  const lateLaunch = Date.parse('2026-10-12T10:00:00.000Z');
  const profileRemoved = Date.parse('2026-09-14T16:42:00.000Z');
  let reservationId = '';
  for (let n = 1; n <= F.inventory.count; n++) {
    if ((n - 1) % 20 === 0) reservationId = ec2.id('r');
    const early = n <= F.inventory.connectionLostCount;
    const ref = ec2.addInstance({
      instanceId: exampleInventoryInstanceId(n),
      subnet: n % 2 === 1 ? invA : invB,
      securityGroups: [inventorySg],
      state: 'running',
      instanceType: 'm6i.large',
      imageId: AL2023_AMI,
      platform: 'linux',
      launchTimeMs: (early ? inventoryLaunch : lateLaunch) + Math.floor((n - 1) / 20) * 7 * MINUTE,
      tags: [
        ['Name', `${F.inventory.namePrefix}${String(n).padStart(3, '0')}`],
        ['Environment', F.inventory.environment],
        ['PatchGroup', F.inventory.patchGroup],
        ['Application', 'inventory'],
        ['aws:ec2launchtemplate:id', 'lt-0d3f5a7b9c1e24680'],
        ['aws:ec2launchtemplate:version', early ? '3' : '4'],
      ],
      httpTokens: 'required',
      reservationId,
    });
    // Online until the profile was removed in a cleanup; the later batch never registered at all.
    if (early) lost(ref, profileRemoved + (n % 37) * 11_000 + n, '3.3.1142.0');
  }

  // Healthy web servers behind the ALB, NAT egress.
  const webNames = ['web-01', 'web-02', 'web-03'];
  F.healthyWebInstanceIds.forEach((id, i) => {
    const ref = ec2.addInstance(
      base(id, webNames[i] ?? 'web', i % 2 === 0 ? appA : appB, [webSg], {
        patchGroup: 'WebServers',
        instanceType: 'm6i.xlarge',
      }),
    );
    online(ref, 1 + i);
  });
  online(
    ec2.addInstance(
      base(F.healthyPublicInstanceId, 'edge-redirect-01', publicA, [edgeSg], {
        publicIp: true,
        patchGroup: 'WebServers',
      }),
    ),
    2,
  );

  // Inbound exposure, otherwise healthy.
  online(
    ec2.addInstance(
      base(F.sshOpenInstanceId, 'bastion-01', publicA, [sshSg], { publicIp: true, keyName: 'ops-bastion' }),
    ),
    1,
  );
  online(
    ec2.addInstance(
      base(F.rdpRangeInstanceId, 'win-app-01', publicB, [rdpSg], {
        publicIp: true,
        platform: 'windows',
        imageId: WINDOWS_AMI,
        instanceType: 'm6i.large',
        keyName: 'windows-admin',
      }),
    ),
    3,
  );
  online(
    ec2.addInstance(
      base(F.allTrafficIpv6InstanceId, 'dev-sandbox-01', publicB, [allV6Sg], {
        publicIp: true,
        environment: 'Development',
      }),
    ),
    2,
  );

  // Single-fault instances (instance, network).
  lost(
    ec2.addInstance(
      base(F.imdsDisabledInstanceId, 'imds-off-01', appA, [appSg], { httpEndpoint: 'disabled' }),
    ),
    Date.parse('2026-11-02T07:13:45.000Z'),
  );
  lost(
    ec2.addInstance(base(F.egressPort80OnlyInstanceId, 'reports-01', appB, [egress80Sg])),
    Date.parse('2026-10-21T22:05:12.000Z'),
  );
  lost(
    ec2.addInstance(base(F.endpointSgBlocksInstanceId, 'analytics-01', analyticsA, [analyticsSg])),
    Date.parse('2026-11-18T03:30:00.000Z'),
  );
  ec2.addInstance(base(F.noNetworkPathInstanceId, 'legacy-batch-01', legacyC, [appSg]));

  // Healthy through interface endpoints only.
  online(ec2.addInstance(base(F.healthyEndpointInstanceIds[0], 'shared-tools-01', isoA, [isoAppSg])), 2);
  online(ec2.addInstance(base(F.healthyEndpointInstanceIds[1], 'shared-tools-02', isoB, [isoAppSg])), 4);

  // Single-fault instances (IAM).
  const withRole = (role: { instanceProfile?: { Arn: string; Id: string } }): Partial<InstanceSpec> =>
    role.instanceProfile === undefined ? {} : { instanceProfile: role.instanceProfile };
  online(
    ec2.addInstance(
      base(F.missingSsmMessagesActionInstanceId, 'payments-01', appA, [appSg], withRole(paymentsRole)),
    ),
    1,
  );
  lost(
    ec2.addInstance(base(F.explicitDenyInstanceId, 'hr-portal-01', appB, [appSg], withRole(hrRole))),
    Date.parse('2026-11-01T09:00:31.000Z'),
  );
  ec2.addInstance(
    base(F.boundaryDenyInstanceId, 'dev-tools-01', appA, [appSg], {
      ...withRole(devToolsRole),
      environment: 'Development',
    }),
  );
  ec2.addInstance(base(F.wrongTrustInstanceId, 'etl-worker-01', appB, [appSg], withRole(etlRole)));
  online(
    ec2.addInstance(
      base(F.deprecatedPolicyInstanceId, 'legacy-app-01', appA, [appSg], {
        ...withRole(legacyRole),
        launchTimeMs: Date.parse('2021-04-19T13:45:00.000Z'),
      }),
    ),
    2,
  );

  // Hybrid: an EC2 instance registered through an activation (shows only as mi-), and a real on-prem node.
  const migrated = ec2.addInstance(base(F.ec2AsHybridInstanceId, 'migrated-crm-01', appB, [appSg]));
  const activationRegistered = Date.parse('2026-10-28T15:20:00.000Z');
  ec2.addInstanceInformation({
    instanceId: F.ec2AsHybridManagedInstanceId,
    pingStatus: 'Online',
    lastPingMs: now - 2 * MINUTE - 456,
    agentVersion: AGENT,
    isLatestVersion: true,
    platformType: 'Linux',
    platformName: 'Amazon Linux',
    platformVersion: '2023',
    ipAddress: migrated.privateIp,
    computerName: migrated.privateDnsName,
    hybrid: {
      activationId: F.activeActivationId,
      iamRole: F.roles.hybridActivation,
      registrationMs: activationRegistered,
      name: 'datacenter-server',
    },
  });
  ec2.addInstanceInformation({
    instanceId: F.onPremManagedInstanceId,
    pingStatus: 'Online',
    lastPingMs: now - 3 * MINUTE - 789,
    agentVersion: AGENT,
    isLatestVersion: true,
    platformType: 'Linux',
    platformName: 'Red Hat Enterprise Linux Server',
    platformVersion: '9.4',
    ipAddress: '192.168.20.15',
    computerName: 'nas-backup-01.corp.example.com',
    hybrid: {
      activationId: F.activeActivationId,
      iamRole: F.roles.hybridActivation,
      registrationMs: activationRegistered - 2 * DAY,
      name: 'datacenter-server',
    },
  });
  ec2.addActivation(
    {
      activationId: F.activeActivationId,
      description: 'Data-center servers',
      defaultInstanceName: 'datacenter-server',
      iamRole: F.roles.hybridActivation,
      registrationLimit: 10,
      registrationsCount: 2,
      createdMs: Date.parse('2026-10-25T09:00:00.000Z'),
      // Activations last at most 30 days.
      expirationMs: Date.parse('2026-11-24T09:00:00.000Z'),
    },
    now,
  );
  ec2.addActivation(
    {
      activationId: F.expiredActivationId,
      description: 'Migration wave 2025',
      defaultInstanceName: 'migration-2025',
      iamRole: F.roles.hybridActivation,
      registrationLimit: 5,
      registrationsCount: 3,
      createdMs: Date.parse('2025-05-02T11:30:00.000Z'),
      expirationMs: Date.parse('2025-06-01T11:30:00.000Z'),
    },
    now,
  );
  ec2.addActivation(
    {
      activationId: F.overLimitActivationId,
      description: 'Lab bulk registration',
      defaultInstanceName: 'lab-host',
      iamRole: F.roles.hybridActivation,
      registrationLimit: 5,
      registrationsCount: 6,
      createdMs: Date.parse('2026-11-10T08:00:00.000Z'),
      expirationMs: Date.parse('2026-12-10T08:00:00.000Z'),
    },
    now,
  );

  // Patching targets.
  F.instanceIdTargetedInstanceIds.forEach((id, i) => {
    online(
      ec2.addInstance(
        base(id, `billing-0${i + 1}`, i === 0 ? appA : appB, [appSg], { patchGroup: 'BillingServers' }),
      ),
      2 + i,
    );
  });
  online(
    ec2.addInstance(
      base(F.noPatchGroupTagInstanceId, 'scratch-01', appA, [appSg], {
        patchGroup: null,
        environment: 'Staging',
      }),
    ),
    3,
  );
  const finance = base(F.patchGroupWithSpaceInstanceId, 'finance-01', appB, [appSg], { patchGroup: null });
  finance.tags.push(['Patch Group', 'FinanceServers']);
  online(ec2.addInstance(finance), 1);

  // Lifecycle: a stopped instance and a pending one (not listed by SSM).
  ec2.addInstance(
    base(F.stoppedInstanceId, 'build-runner-01', appA, [appSg], {
      state: 'stopped',
      stateChangeMs: Date.parse('2026-11-02T18:22:10.000Z'),
    }),
  );
  ec2.addInstance(
    base(F.pendingInstanceId, 'web-04', appB, [webSg], {
      state: 'pending',
      patchGroup: 'WebServers',
      launchTimeMs: now - 20_000,
    }),
  );

  // ---- The patching story: three Online, healthy instances that are still not patched ---------------------------
  // A detour of the random sequence (its own seed), so no other resource's id moves.
  random.detour(PATCHING_STORY_SEED, () =>
    addPatchingStory(ec2, { base, online, appA, appB, webSg, prod, nat }),
  );

  // ---- SSM: maintenance windows, patch groups, DHMC -------------------------------------------------------------
  const nextSunday = '2026-11-22T03:00:00Z';
  const maintenanceWindowRoleArn = `arn:aws:iam::${F.accountId}:role/service-role/${F.roles.maintenanceWindow}`;
  ec2.addMaintenanceWindow({
    windowId: F.inventory.maintenanceWindowId,
    name: 'patch-inventory-servers',
    description: 'Weekly patching of the inventory fleet',
    schedule: 'cron(0 3 ? * SUN *)',
    durationHours: 3,
    cutoffHours: 1,
    nextExecution: nextSunday,
    targets: [{ name: 'inventory-servers', key: 'tag:PatchGroup', values: [F.inventory.patchGroup] }],
    tasks: [
      {
        name: 'patch-install',
        taskArn: 'AWS-RunPatchBaseline',
        targetIndices: [0],
        priority: 1,
        operation: 'Install',
      },
    ],
  });
  ec2.addMaintenanceWindow({
    windowId: F.productionWindowId,
    name: 'patch-production-fleet',
    description: 'Weekly patching of production servers, by patch group',
    schedule: 'cron(0 4 ? * SUN *)',
    durationHours: 4,
    cutoffHours: 1,
    nextExecution: '2026-11-22T04:00:00Z',
    targets: [
      {
        name: 'web-and-app',
        key: 'tag:PatchGroup',
        values: ['WebServers', 'AppServers', F.patchingStory.wrongOsPatchGroup],
      },
      { name: 'finance', key: 'tag:Patch Group', values: ['FinanceServers'] },
      { name: 'staging', key: 'tag:Environment', values: ['Staging'] },
    ],
    tasks: [
      {
        name: 'patch-install',
        taskArn: 'AWS-RunPatchBaseline',
        targetIndices: [0, 1, 2],
        priority: 1,
        operation: 'Install',
        // Registered as the console does (TaskInvocationParameters): only GetMaintenanceWindowTask shows the
        // Operation. It runs as its own service role, which trusts Systems Manager.
        registeredWith: 'TaskInvocationParameters',
        serviceRoleArn: maintenanceWindowRoleArn,
      },
    ],
  });
  ec2.addMaintenanceWindow({
    windowId: F.instanceIdTargetWindowId,
    name: 'patch-billing-hosts',
    description: 'Billing hosts, listed by hand',
    schedule: 'cron(0 5 ? * SAT *)',
    durationHours: 2,
    cutoffHours: 1,
    nextExecution: '2026-11-21T05:00:00Z',
    targets: [{ name: 'billing-hosts', key: 'InstanceIds', values: [...F.instanceIdTargetedInstanceIds] }],
    tasks: [
      {
        name: 'patch-install',
        taskArn: 'AWS-RunPatchBaseline',
        targetIndices: [0],
        priority: 1,
        operation: 'Install',
      },
    ],
  });
  const al2023Baseline = {
    id: 'pb-0e4c2a8f6b1d3c5a7',
    name: 'production-al2023',
    operatingSystem: 'AMAZON_LINUX_2023',
    description: 'Security and bugfix updates, 7-day approval delay',
    isDefault: false,
  };
  const windowsBaseline = {
    id: F.patchingStory.windowsBaselineId,
    name: 'production-windows',
    operatingSystem: 'WINDOWS',
    description: 'Critical and security updates, 7-day approval delay',
    isDefault: false,
  };
  for (const group of [
    'AppServers',
    'BatchServers',
    'BillingServers',
    'FinanceServers',
    'InventoryServers',
    'ReportingServers',
    'WebServers',
  ]) {
    ec2.addPatchGroup(group, al2023Baseline);
    if (group === 'AppServers') ec2.addPatchGroup(group, windowsBaseline);
  }
  // The patching story's wrong-OS group: its Linux instances fall back to the default baseline.
  ec2.addPatchGroup(F.patchingStory.wrongOsPatchGroup, windowsBaseline);
  ec2.setDhmc(F.dhmcSettingValue, infraCreated, 'System');
  // Added last: a role draws random ids, and the roles above keep theirs.
  iam.addRole({
    name: F.roles.maintenanceWindow,
    path: '/service-role/',
    trust: trustPolicy('ssm.amazonaws.com'),
    description: 'The service role the production patching window runs its tasks as',
    createDate: iso(infraCreated + 45 * DAY),
    lastUsed: { date: '2026-11-15T04:00:12+00:00', region: F.region },
  });

  return {
    collectedAt: F.collectedAt,
    accounts: [
      { accountId: F.accountId, GetAccountAuthorizationDetails: iam.build(), regions: [ec2.build()] },
    ],
  };
}
