// The seeded synthetic fleet generator: realistic EC2/IAM/SSM API outputs for any fleet size, same seed → same data.

import type { AccountApiData, FleetApiData, RegionApiData } from '../collectors/api/api-data.js';
import { cliTimestamp } from './aws-formats.js';
import { GaadBuilder, type RoleRef } from './gaad-builder.js';
import {
  AWS_POLICY_ARN,
  EC2MESSAGES_ACTIONS,
  SSM_CORE_SSM_ACTIONS,
  SSMMESSAGES_ACTIONS,
  allowStatement,
  policyDocument,
  trustPolicy,
  type PolicyDocumentJson,
} from './iam-policies.js';
import { Random, seedFromString } from './random.js';
import {
  RegionBuilder,
  type InstanceSpec,
  type PermissionSpec,
  type SecurityGroupRef,
  type SubnetRef,
  type VpcRef,
} from './region-builder.js';

/** What to generate. Only `seed` and `instances` are required. */
export interface GenerateFleetOptions {
  seed: number;
  /** Total EC2 instances across all accounts and regions. */
  instances: number;
  /** Number of accounts; defaults to one per 25,000 instances (at least one). */
  accounts?: number;
  /** Regions generated in every account; defaults to ["us-east-1"]. */
  regions?: string[];
  /** Average instances per IAM role (each role has one instance profile); defaults to 40. */
  instancesPerRole?: number;
  /** Average instances per VPC; defaults to 500. */
  instancesPerVpc?: number;
  /** Collection time; defaults to "2026-11-20T12:00:00.000Z". LaunchTime and LastPingDateTime are relative to it. */
  collectedAt?: string;
}

const DEFAULT_COLLECTED_AT = '2026-11-20T12:00:00.000Z';
const MINUTE = 60_000;
const DAY = 86_400_000;
const S3_PREFIX_LISTS: Record<string, string> = {
  'us-east-1': 'pl-63a5400a',
  'us-west-2': 'pl-68a54001',
  'eu-west-1': 'pl-6da54004',
};
const APPS = [
  'orders',
  'payments',
  'search',
  'catalog',
  'inventory',
  'billing',
  'auth',
  'media',
  'reports',
  'etl',
  'api',
  'web',
  'cache',
  'queue',
  'analytics',
  'crm',
  'ledger',
  'shipping',
  'pricing',
  'notify',
] as const;
const ENVIRONMENTS = [
  ['prod', 'Production', 6],
  ['stage', 'Staging', 2.5],
  ['dev', 'Development', 1.5],
] as const;
const LINUX_TYPES = [
  't3.medium',
  't3.large',
  'm6i.large',
  'm6i.xlarge',
  'c6i.large',
  'r6i.large',
  'm7g.large',
  't4g.medium',
];
const WINDOWS_TYPES = ['m6i.large', 'm6i.xlarge', 't3.large', 'r6i.xlarge'];
const LINUX_AMIS = [
  'ami-0c02fb55956c7d316',
  'ami-0a3c3a20c09d6f377',
  'ami-05c13eab67c5d8861',
  'ami-0fa1ca9559f1892ec',
];
const WINDOWS_AMIS = ['ami-0be0e902919675894', 'ami-0f9c44e98edf38a2b'];
const AGENT_VERSIONS = ['3.3.1802.0', '3.3.1611.0', '3.3.1345.0', '3.2.2303.0'];

type RoleKind =
  | 'core'
  | 'core-boundary'
  | 'boundary-denies'
  | 'inline'
  | 'inline-missing-channel'
  | 'customer-managed'
  | 'legacy-policy'
  | 'inline-deny'
  | 'wrong-trust'
  | 'no-ssm';

/** Role kinds whose effective permissions let the agent register (it can call ssm:UpdateInstanceInformation). */
const REGISTERING_ROLE_KINDS = new Set<RoleKind>([
  'core',
  'core-boundary',
  'inline',
  'inline-missing-channel',
  'customer-managed',
  'legacy-policy',
]);

type VpcKind = 'nat' | 'nat+endpoints' | 'endpoints' | 'endpoints-blocked' | 'isolated' | 'nat-blackhole';

interface GeneratedRole {
  kind: RoleKind;
  ref: RoleRef;
  app: string;
}

interface GeneratedVpc {
  kind: VpcKind;
  /** Both VPC DNS attributes on (interface endpoints' private DNS needs them). */
  dnsOk: boolean;
  vpc: VpcRef;
  publicSubnets: SubnetRef[];
  privateSubnets: SubnetRef[];
  appGroups: { ref: SecurityGroupRef; egressHttpsOk: boolean }[];
}

function splitEvenly(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/**
 * Generates a fleet of `instances` EC2 instances with the IAM, network and SSM context around them: roles with a
 * realistic mix of AmazonSSMManagedInstanceCore, custom inline policies, permissions boundaries and a few broken
 * ones; VPCs with NAT, interface endpoints or no path; shared security groups (a few exposing SSH/RDP);
 * DescribeInstanceInformation consistent with each instance's configuration; activations, maintenance windows
 * (mostly tag-based, some by instance id), patch groups and the DHMC setting. The same options always give
 * byte-identical output. 100,000 instances take a few seconds.
 */
export function generateFleet(options: GenerateFleetOptions): FleetApiData {
  if (!Number.isInteger(options.instances) || options.instances < 0) {
    throw new RangeError(`instances must be a non-negative integer, got ${options.instances}`);
  }
  const collectedAt = options.collectedAt ?? DEFAULT_COLLECTED_AT;
  const now = Date.parse(collectedAt);
  if (Number.isNaN(now)) throw new RangeError(`collectedAt is not a timestamp: ${collectedAt}`);
  const regions = options.regions ?? ['us-east-1'];
  if (regions.length === 0) throw new RangeError('regions must not be empty');
  const accountCount = options.accounts ?? Math.max(1, Math.ceil(options.instances / 25_000));
  const seed = options.seed >>> 0;
  const fleetRandom = new Random(seedFromString('accounts', seed));
  const accountIds = new Set<string>();
  while (accountIds.size < accountCount)
    accountIds.add(String(fleetRandom.int(100_000_000_000, 999_999_999_999)));

  const perAccount = splitEvenly(options.instances, accountCount);
  const accounts: AccountApiData[] = [...accountIds].map((accountId, accountIndex) =>
    generateAccount(accountId, accountIndex, perAccount[accountIndex] ?? 0, regions, seed, now, options),
  );
  return { accounts, collectedAt };
}

function generateAccount(
  accountId: string,
  accountIndex: number,
  instanceCount: number,
  regions: string[],
  seed: number,
  now: number,
  options: GenerateFleetOptions,
): AccountApiData {
  const random = new Random(seedFromString(`account/${accountId}`, seed));
  const iam = new GaadBuilder(accountId, random);
  const roleCount = Math.max(1, Math.round(instanceCount / (options.instancesPerRole ?? 40)));
  const roles = generateRoles(iam, random, roleCount, now);

  const anyDhmc = regions.map((region) =>
    new Random(seedFromString(`dhmc/${accountId}/${region}`, seed)).chance(0.3),
  );
  if (anyDhmc.some(Boolean)) {
    iam.addRole({
      name: 'AWSSystemsManagerDefaultEC2InstanceManagementRole',
      path: '/service-role/',
      trust: trustPolicy('ssm.amazonaws.com'),
      managedPolicyArns: [AWS_POLICY_ARN.dhmcDefault],
      description: 'Default Host Management Configuration role',
      createDate: cliTimestamp(now - 400 * DAY),
      lastUsed: { date: cliTimestamp(now - 5 * MINUTE), region: regions[0] ?? 'us-east-1' },
    });
  }
  iam.addRole({
    name: 'SSMServiceRole',
    trust: trustPolicy('ssm.amazonaws.com'),
    managedPolicyArns: [AWS_POLICY_ARN.ssmCore],
    description: 'Role for hybrid activations',
    createDate: cliTimestamp(now - 500 * DAY),
  });

  const perRegion = splitEvenly(instanceCount, regions.length);
  const regionData: RegionApiData[] = regions.map((region, regionIndex) =>
    generateRegion({
      accountId,
      accountIndex,
      region,
      instanceCount: perRegion[regionIndex] ?? 0,
      roles,
      dhmcEnabled: anyDhmc[regionIndex] ?? false,
      random: new Random(seedFromString(`region/${accountId}/${region}`, seed)),
      now,
      instancesPerVpc: options.instancesPerVpc ?? 500,
    }),
  );
  return { accountId, GetAccountAuthorizationDetails: iam.build(), regions: regionData };
}

function generateRoles(iam: GaadBuilder, random: Random, count: number, now: number): GeneratedRole[] {
  const ec2Trust = trustPolicy('ec2.amazonaws.com');
  const workloadBoundary = iam.addCustomerManagedPolicy({
    name: 'WorkloadBoundary',
    path: '/boundaries/',
    description: 'Permissions boundary for workload roles',
    createDate: cliTimestamp(now - 600 * DAY),
    defaultVersionId: 'v2',
    versions: [
      {
        versionId: 'v2',
        createDate: cliTimestamp(now - 200 * DAY),
        document: policyDocument(
          allowStatement(
            [
              'ssm:*',
              'ssmmessages:*',
              'ec2messages:*',
              's3:*',
              'logs:*',
              'cloudwatch:*',
              'kms:Decrypt',
              'secretsmanager:GetSecretValue',
            ],
            'WorkloadServices',
          ),
        ),
      },
      {
        versionId: 'v1',
        createDate: cliTimestamp(now - 600 * DAY),
        document: policyDocument(allowStatement(['s3:*', 'logs:*', 'cloudwatch:*'], 'WorkloadServices')),
      },
    ],
  });
  const sandboxBoundary = iam.addCustomerManagedPolicy({
    name: 'SandboxBoundary',
    path: '/boundaries/',
    description: 'Permissions boundary for sandbox roles',
    createDate: cliTimestamp(now - 300 * DAY),
    defaultVersionId: 'v2',
    versions: [
      {
        versionId: 'v2',
        createDate: cliTimestamp(now - 90 * DAY),
        document: policyDocument(
          allowStatement(['s3:*', 'logs:*', 'dynamodb:*', 'sqs:*'], 'SandboxServices'),
        ),
      },
      {
        versionId: 'v1',
        createDate: cliTimestamp(now - 300 * DAY),
        document: policyDocument(allowStatement(['*'], 'Everything')),
      },
    ],
  });
  const ssmAgentPolicy = iam.addCustomerManagedPolicy({
    name: 'SsmAgentAccess',
    path: '/',
    description: 'Least-privilege Systems Manager agent access',
    createDate: cliTimestamp(now - 500 * DAY),
    defaultVersionId: 'v3',
    versions: [
      {
        versionId: 'v3',
        createDate: cliTimestamp(now - 120 * DAY),
        document: policyDocument(
          allowStatement(SSM_CORE_SSM_ACTIONS, 'Agent'),
          allowStatement(SSMMESSAGES_ACTIONS, 'Channels'),
          allowStatement(EC2MESSAGES_ACTIONS, 'Messages'),
        ),
      },
      {
        versionId: 'v2',
        createDate: cliTimestamp(now - 300 * DAY),
        document: policyDocument(
          allowStatement(SSM_CORE_SSM_ACTIONS, 'Agent'),
          allowStatement(EC2MESSAGES_ACTIONS, 'Messages'),
        ),
      },
      {
        versionId: 'v1',
        createDate: cliTimestamp(now - 500 * DAY),
        document: policyDocument(
          allowStatement(['ssm:UpdateInstanceInformation', 'ssm:ListAssociations'], 'Agent'),
        ),
      },
    ],
  });

  const roles: GeneratedRole[] = [];
  for (let i = 0; i < count; i++) {
    const kind = random.weighted<RoleKind>([
      ['core', 55],
      ['core-boundary', 10],
      ['boundary-denies', 2],
      ['inline', 14],
      ['inline-missing-channel', 3],
      ['customer-managed', 7],
      ['legacy-policy', 4],
      ['inline-deny', 1.5],
      ['wrong-trust', 1],
      ['no-ssm', 2.5],
    ]);
    const app = random.pick(APPS);
    const env = random.weighted(ENVIRONMENTS.map(([short, , w]) => [short, w] as const));
    const name = `${app}-${env}-ec2-${String(i + 1).padStart(4, '0')}`;
    const managed: string[] = [];
    const inline: { name: string; document: PolicyDocumentJson }[] = [];
    let boundaryArn: string | undefined;
    let trust = ec2Trust;
    switch (kind) {
      case 'core':
        managed.push(AWS_POLICY_ARN.ssmCore);
        break;
      case 'core-boundary':
        managed.push(AWS_POLICY_ARN.ssmCore);
        boundaryArn = workloadBoundary;
        break;
      case 'boundary-denies':
        managed.push(AWS_POLICY_ARN.ssmCore);
        boundaryArn = sandboxBoundary;
        break;
      case 'inline':
      case 'inline-missing-channel':
        inline.push({
          name: `${app}-ssm-agent`,
          document: policyDocument(
            allowStatement(SSM_CORE_SSM_ACTIONS, 'SsmAgent'),
            allowStatement(
              kind === 'inline'
                ? SSMMESSAGES_ACTIONS
                : SSMMESSAGES_ACTIONS.filter((a) => a !== 'ssmmessages:OpenDataChannel'),
              'Channels',
            ),
            allowStatement(EC2MESSAGES_ACTIONS, 'Messages'),
          ),
        });
        break;
      case 'customer-managed':
        managed.push(ssmAgentPolicy);
        break;
      case 'legacy-policy':
        managed.push(AWS_POLICY_ARN.ec2RoleForSsm);
        break;
      case 'inline-deny':
        managed.push(AWS_POLICY_ARN.ssmCore);
        inline.push({
          name: 'deny-remote-access',
          document: policyDocument({
            Sid: 'DenyRemoteAccess',
            Effect: 'Deny',
            Action: ['ssm:*', 'ssmmessages:*'],
            Resource: '*',
          }),
        });
        break;
      case 'wrong-trust':
        managed.push(AWS_POLICY_ARN.ssmCore);
        trust = trustPolicy('lambda.amazonaws.com');
        break;
      case 'no-ssm':
        break;
    }
    if (random.chance(0.4)) managed.push(AWS_POLICY_ARN.cloudWatchAgent);
    if (random.chance(0.2)) managed.push(AWS_POLICY_ARN.s3ReadOnly);
    if (random.chance(0.5)) {
      inline.push({
        name: `${app}-app-access`,
        document: policyDocument({
          Sid: 'AppData',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
          Resource: [`arn:aws:s3:::${app}-${env}-data`, `arn:aws:s3:::${app}-${env}-data/*`],
        }),
      });
    }
    const created = now - random.int(30, 1500) * DAY;
    const spec = {
      name,
      trust,
      managedPolicyArns: managed,
      inlinePolicies: inline,
      instanceProfileName: name,
      createDate: cliTimestamp(created),
      tags: [
        ['Application', app],
        ['Environment', env],
      ] as [string, string][],
      ...(boundaryArn === undefined ? {} : { boundaryArn }),
      ...(REGISTERING_ROLE_KINDS.has(kind)
        ? { lastUsed: { date: cliTimestamp(now - random.int(1, 30) * MINUTE), region: 'us-east-1' } }
        : {}),
    };
    roles.push({ kind, ref: iam.addRole(spec), app });
  }
  return roles;
}

interface RegionContext {
  accountId: string;
  accountIndex: number;
  region: string;
  instanceCount: number;
  roles: GeneratedRole[];
  dhmcEnabled: boolean;
  random: Random;
  now: number;
  instancesPerVpc: number;
}

function generateRegion(ctx: RegionContext): RegionApiData {
  const { random, now, region } = ctx;
  const ec2 = new RegionBuilder(ctx.accountId, region, random, now - random.int(400, 1200) * DAY);
  const zones = ec2.zones();
  const prefixList = S3_PREFIX_LISTS[region] ?? `pl-${random.hex(8)}`;
  // Hybrid nodes are emitted after the instances: EC2 instances registered through an activation, then on-prem servers.
  const hybridNodes: { ip: string; name: string; windows: boolean }[] = [];
  // Three private /20 subnets and three public ones hold about 12,000 addresses per VPC.
  const vpcCount = Math.max(1, Math.ceil(ctx.instanceCount / Math.min(ctx.instancesPerVpc, 10_000)));
  const vpcs: GeneratedVpc[] = [];
  for (let v = 0; v < vpcCount; v++) {
    const kind: VpcKind =
      v === 0
        ? 'nat'
        : random.weighted<VpcKind>([
            ['nat', 58],
            ['nat+endpoints', 12],
            ['endpoints', 20],
            ['endpoints-blocked', 3],
            ['isolated', 5],
            ['nat-blackhole', 2],
          ]);
    vpcs.push(generateVpc(ec2, random, v, kind, zones, prefixList));
  }

  // Instances, with their SSM state derived from their configuration.
  const instanceRefs: { id: string; patchGroup?: string; running: boolean }[] = [];
  const patchGroups = new Set<string>();
  let reservationId = ec2.id('r');
  let reservationLeft = 0;
  for (let n = 0; n < ctx.instanceCount; n++) {
    if (reservationLeft <= 0) {
      reservationId = ec2.id('r');
      reservationLeft = random.chance(0.7) ? 1 : random.int(2, 12);
    }
    reservationLeft--;
    const network = vpcs[Math.floor(random.next() * vpcs.length)] as GeneratedVpc;
    const isPublic = random.chance(0.1);
    const subnet = random.pick(isPublic ? network.publicSubnets : network.privateSubnets);
    const groupCount = random.chance(0.7) ? 1 : 2;
    const groups = [random.pick(network.appGroups)];
    if (groupCount === 2) groups.push(random.pick(network.appGroups));
    const uniqueGroups = [...new Map(groups.map((g) => [g.ref.groupId, g])).values()];
    const role = random.chance(0.92) ? random.pick(ctx.roles) : undefined;
    const app = role?.app ?? random.pick(APPS);
    const env = random.weighted(ENVIRONMENTS.map(([short, long, w]) => [[short, long], w] as const));
    const windows = random.chance(0.15);
    const state = random.weighted<InstanceSpec['state']>([
      ['running', 90],
      ['stopped', 6.5],
      ['pending', 1],
      ['stopping', 1],
      ['terminated', 1.5],
    ]);
    const httpEndpoint = random.chance(0.01) ? 'disabled' : 'enabled';
    const httpTokens = random.chance(0.65) ? 'required' : 'optional';
    const patchKeyRoll = random.next();
    const patchGroup = `${app}-${env[0]}`;
    const tags: [string, string][] = [
      ['Name', `${app}-${env[0]}-${String(n + 1).padStart(6, '0')}`],
      ['Environment', env[1]],
      ['Application', app],
    ];
    let taggedGroup: string | undefined;
    if (patchKeyRoll < 0.85) {
      tags.push(['PatchGroup', patchGroup]);
      taggedGroup = patchGroup;
    } else if (patchKeyRoll < 0.89) {
      tags.push(['Patch Group', patchGroup]);
      taggedGroup = patchGroup;
    }
    if (taggedGroup !== undefined) patchGroups.add(taggedGroup);
    tags.push(['CostCenter', `cc-${1000 + APPS.indexOf(app as (typeof APPS)[number]) * 10}`]);
    if (reservationLeft > 0 || random.chance(0.3))
      tags.push(['aws:autoscaling:groupName', `${app}-${env[0]}-asg`]);
    const launchTimeMs =
      state === 'pending' ? now - random.int(5, 60) * 1000 : now - random.int(3_600, 700 * 86_400) * 1000;
    const spec: InstanceSpec = {
      subnet,
      securityGroups: uniqueGroups.map((g) => g.ref),
      state,
      instanceType: random.pick(windows ? WINDOWS_TYPES : LINUX_TYPES),
      imageId: random.pick(windows ? WINDOWS_AMIS : LINUX_AMIS),
      platform: windows ? 'windows' : 'linux',
      launchTimeMs,
      tags,
      publicIp: isPublic,
      httpTokens,
      httpEndpoint,
      hopLimit: random.chance(0.8) ? 2 : 1,
      reservationId,
      stateChangeMs: launchTimeMs + Math.floor((now - launchTimeMs) * random.next()),
      ...(role?.ref.instanceProfile === undefined ? {} : { instanceProfile: role.ref.instanceProfile }),
      ...(random.chance(0.3) ? { keyName: `${app}-${env[0]}-key` } : {}),
    };
    const ref = ec2.addInstance(spec);
    instanceRefs.push({
      id: ref.instanceId,
      running: state === 'running',
      ...(taggedGroup === undefined ? {} : { patchGroup: taggedGroup }),
    });
    if (state !== 'running') continue;

    const networkOk =
      (network.kind === 'nat' ||
        network.kind === 'nat+endpoints' ||
        (network.kind === 'endpoints' && network.dnsOk) ||
        isPublic) &&
      uniqueGroups.some((g) => g.egressHttpsOk);
    const credentialsOk =
      role !== undefined
        ? REGISTERING_ROLE_KINDS.has(role.kind)
        : ctx.dhmcEnabled && httpTokens === 'required';
    const healthy = networkOk && credentialsOk && httpEndpoint === 'enabled';
    const roll = random.next();
    const ping: 'Online' | 'ConnectionLost' | undefined = healthy
      ? roll < 0.97
        ? 'Online'
        : 'ConnectionLost'
      : roll < 0.6
        ? 'ConnectionLost'
        : undefined;
    if (ping === undefined) continue;
    if (random.chance(0.001)) {
      // An EC2 instance registered through a hybrid activation: it shows up only as an mi- node.
      hybridNodes.push({ ip: ref.privateIp, name: ref.privateDnsName, windows });
      continue;
    }
    ec2.addInstanceInformation({
      instanceId: ref.instanceId,
      pingStatus: ping,
      lastPingMs:
        ping === 'Online'
          ? now - random.int(5_000, 300_000)
          : now - random.int(1, 90) * DAY - random.int(0, 86_399_999),
      agentVersion: random.pick(AGENT_VERSIONS),
      isLatestVersion: false,
      platformType: windows ? 'Windows' : 'Linux',
      platformName: windows ? 'Microsoft Windows Server 2022 Datacenter' : 'Amazon Linux',
      platformVersion: windows ? '10.0.20348' : '2023',
      ipAddress: ref.privateIp,
      computerName: windows ? `EC2AMAZ-${random.hex(7).toUpperCase()}` : ref.privateDnsName,
      ...(ping === 'ConnectionLost' ? { associationStatus: 'Failed' as const } : {}),
    });
  }

  // Hybrid activations and the nodes registered with them (on-premises servers, plus EC2 instances registered that way).
  const activationCount = 1 + Math.floor(ctx.instanceCount / 5000);
  const activationIds: string[] = [];
  for (let a = 0; a < activationCount; a++) {
    const expired = a > 0 && random.chance(0.3);
    const createdMs = expired ? now - random.int(60, 700) * DAY : now - random.int(1, 25) * DAY;
    const limit = random.pick([1, 5, 10, 50, 100]);
    activationIds.push(
      ec2.addActivation(
        {
          description: `Data-center servers batch ${a + 1}`,
          defaultInstanceName: `dc-server-${a + 1}`,
          iamRole: 'SSMServiceRole',
          registrationLimit: limit,
          registrationsCount: random.chance(0.1) ? limit + random.int(1, 3) : random.int(0, limit),
          createdMs,
          expirationMs: createdMs + random.int(1, 30) * DAY,
        },
        now,
      ),
    );
  }
  const onPremCount = Math.ceil(ctx.instanceCount * 0.003);
  for (let h = 0; h < onPremCount; h++) {
    hybridNodes.push({
      ip: `192.168.${random.int(0, 255)}.${random.int(1, 254)}`,
      name: `srv${String(h + 1).padStart(4, '0')}.corp.example.com`,
      windows: random.chance(0.3),
    });
  }
  for (const node of hybridNodes) {
    ec2.addInstanceInformation({
      instanceId: `mi-0${random.hex(16)}`,
      pingStatus: random.chance(0.9) ? 'Online' : 'ConnectionLost',
      lastPingMs: now - random.int(5_000, 600_000),
      agentVersion: random.pick(AGENT_VERSIONS),
      isLatestVersion: false,
      platformType: node.windows ? 'Windows' : 'Linux',
      platformName: node.windows
        ? 'Microsoft Windows Server 2019 Datacenter'
        : 'Red Hat Enterprise Linux Server',
      platformVersion: node.windows ? '10.0.17763' : '9.4',
      ipAddress: node.ip,
      computerName: node.name,
      hybrid: {
        activationId: random.pick(activationIds),
        iamRole: 'SSMServiceRole',
        registrationMs: now - random.int(1, 300) * DAY,
        name: 'dc-server',
      },
    });
  }

  // Patch groups, maintenance windows (mostly tag-based; some list instance ids), DHMC.
  const groups = [...patchGroups].sort();
  for (const group of groups) {
    ec2.addPatchGroup(group, {
      id: `pb-0${random.hex(16)}`,
      name: `${group}-linux`,
      operatingSystem: 'AMAZON_LINUX_2023',
      description: 'Security updates after 7 days',
      isDefault: false,
    });
    if (random.chance(0.3)) {
      ec2.addPatchGroup(group, {
        id: `pb-0${random.hex(16)}`,
        name: `${group}-windows`,
        operatingSystem: 'WINDOWS',
        description: 'Critical updates after 7 days',
        isDefault: false,
      });
    }
  }
  const windowCount = Math.max(1, Math.ceil(ctx.instanceCount / 2000));
  const running = instanceRefs.filter((r) => r.running);
  let groupCursor = 0;
  for (let w = 0; w < windowCount; w++) {
    const byInstanceId = running.length > 0 && random.chance(0.15);
    const day = random.pick(['SUN', 'SAT', 'WED']);
    const hour = random.int(0, 6);
    const targets = [];
    if (byInstanceId) {
      const ids = Array.from(
        { length: Math.min(running.length, random.int(2, 50)) },
        () => random.pick(running).id,
      );
      targets.push({ name: 'hand-picked', key: 'InstanceIds', values: [...new Set(ids)] });
    } else {
      const take = Math.max(1, Math.ceil(groups.length / windowCount));
      const values = groups.slice(groupCursor, groupCursor + take);
      groupCursor += take;
      targets.push({
        name: 'patch-groups',
        key: 'tag:PatchGroup',
        values: values.length > 0 ? values : ['default'],
      });
      if (random.chance(0.2) && values.length > 0)
        targets.push({ name: 'legacy-patch-groups', key: 'tag:Patch Group', values });
    }
    const enabled = random.chance(0.9);
    ec2.addMaintenanceWindow({
      name: `patch-window-${String(w + 1).padStart(3, '0')}`,
      schedule: `cron(0 ${hour} ? * ${day} *)`,
      durationHours: random.int(2, 6),
      cutoffHours: 1,
      enabled,
      nextExecution: `2026-11-2${random.int(1, 7)}T0${hour}:00Z`,
      targets,
      tasks: [
        {
          name: 'patch-install',
          taskArn: 'AWS-RunPatchBaseline',
          targetIndices: targets.map((_, i) => i),
          priority: 1,
          operation: 'Install',
          // Every other window's task registered as the console does: its Operation only in GetMaintenanceWindowTask.
          ...(w % 2 === 1 && { registeredWith: 'TaskInvocationParameters' as const }),
        },
        ...(random.chance(0.3)
          ? [{ name: 'inventory-refresh', taskArn: 'AWS-RunShellScript', targetIndices: [0], priority: 2 }]
          : []),
      ],
    });
  }
  ec2.setDhmc(
    ctx.dhmcEnabled ? 'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole' : '$None',
    now - random.int(10, 400) * DAY,
    ctx.dhmcEnabled ? `arn:aws:sts::${ctx.accountId}:assumed-role/Admin/platform-admin` : 'System',
  );
  return ec2.build();
}

function generateVpc(
  ec2: RegionBuilder,
  random: Random,
  index: number,
  kind: VpcKind,
  zones: string[],
  prefixList: string,
): GeneratedVpc {
  const second = index % 256;
  const cidr = `10.${second}.0.0/16`;
  const name = `vpc-${String(index + 1).padStart(3, '0')}-${kind}`;
  const dnsOk = !(kind === 'endpoints' && random.chance(0.05));
  const vpc = ec2.addVpc({ name, cidr, dnsSupport: true, dnsHostnames: dnsOk });
  const publicSubnets = zones.map((az, z) =>
    ec2.addSubnet(vpc, {
      name: `${name}-public-${az.slice(-1)}`,
      cidr: `10.${second}.${z * 16}.0/20`,
      availabilityZone: az,
      mapPublicIpOnLaunch: true,
    }),
  );
  const privateSubnets = zones.map((az, z) =>
    ec2.addSubnet(vpc, {
      name: `${name}-private-${az.slice(-1)}`,
      cidr: `10.${second}.${64 + z * 16}.0/20`,
      availabilityZone: az,
    }),
  );
  const igw = `igw-0${random.hex(16)}`;
  ec2.addRouteTable(vpc, {
    name: `${name}-public`,
    routes: [{ kind: 'internet-gateway', gatewayId: igw }],
    subnets: publicSubnets,
  });

  const privateTables: string[] = [];
  if (kind === 'nat' || kind === 'nat+endpoints' || kind === 'nat-blackhole') {
    for (const [z, subnet] of privateSubnets.entries()) {
      privateTables.push(
        ec2.addRouteTable(vpc, {
          name: `${name}-private-${zones[z]?.slice(-1) ?? z}`,
          routes: [
            {
              kind: 'nat-gateway',
              natGatewayId: `nat-0${random.hex(16)}`,
              state: kind === 'nat-blackhole' ? 'blackhole' : 'active',
            },
          ],
          subnets: [subnet],
        }),
      );
    }
  } else if (kind !== 'isolated') {
    privateTables.push(
      ec2.addRouteTable(vpc, { name: `${name}-private`, routes: [], subnets: privateSubnets }),
    );
  }
  // 'isolated': private subnets keep the main table (local route only).
  if (privateTables.length > 0 && random.chance(0.7)) {
    ec2.addVpcEndpoint(vpc, {
      type: 'Gateway',
      service: 's3',
      routeTableIds: privateTables,
      prefixListId: prefixList,
    });
  }
  if (kind === 'nat+endpoints' || kind === 'endpoints' || kind === 'endpoints-blocked') {
    const endpointSg = ec2.addSecurityGroup(vpc, {
      name: `${name}-endpoints`,
      description: 'Interface endpoints',
      ingress: [
        {
          protocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          cidrs: [kind === 'endpoints-blocked' ? '10.250.0.0/16' : cidr],
        },
      ],
    });
    const services = ['ssm', 'ssmmessages', 'ec2messages', ...(random.chance(0.5) ? ['kms', 'logs'] : [])];
    for (const service of services) {
      ec2.addVpcEndpoint(vpc, {
        type: 'Interface',
        service,
        subnets: privateSubnets,
        groups: [endpointSg],
        privateDns: true,
      });
    }
  }
  if (random.chance(0.15)) {
    ec2.addNetworkAcl(vpc, {
      name: `${name}-private`,
      subnets: privateSubnets,
      entries: [
        {
          ruleNumber: 100,
          protocol: '6',
          action: 'allow',
          egress: true,
          cidr: '0.0.0.0/0',
          ports: [443, 443],
        },
        { ruleNumber: 110, protocol: '6', action: 'allow', egress: true, cidr: '0.0.0.0/0', ports: [80, 80] },
        { ruleNumber: 120, protocol: '6', action: 'allow', egress: true, cidr: cidr, ports: [1024, 65535] },
        { ruleNumber: 100, protocol: '6', action: 'allow', egress: false, cidr: cidr, ports: [0, 65535] },
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
  }

  const appGroups: GeneratedVpc['appGroups'] = [];
  const groupCount = 6;
  for (let g = 0; g < groupCount; g++) {
    const app = random.pick(APPS);
    const ingress: PermissionSpec[] = [
      random.pick<PermissionSpec>([
        { protocol: 'tcp', fromPort: 8080, toPort: 8080, cidrs: [cidr] },
        { protocol: 'tcp', fromPort: 443, toPort: 443, cidrs: [cidr] },
        { protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrs: [cidr] },
        {
          protocol: 'tcp',
          fromPort: 22,
          toPort: 22,
          cidrs: ['10.0.0.0/8'],
          description: 'SSH from the corporate network',
        },
      ]),
    ];
    const exposure = random.next();
    if (exposure < 0.03) ingress.push({ protocol: 'tcp', fromPort: 22, toPort: 22, cidrs: ['0.0.0.0/0'] });
    else if (exposure < 0.04)
      ingress.push({ protocol: 'tcp', fromPort: 3389, toPort: 3389, cidrs: ['0.0.0.0/0'] });
    else if (exposure < 0.05) ingress.push({ protocol: '-1', ipv6Cidrs: ['::/0'] });
    else if (exposure < 0.08)
      ingress.push({ protocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'] });
    const egressRoll = random.next();
    const egress: PermissionSpec[] =
      egressRoll < 0.03
        ? [{ protocol: 'tcp', fromPort: 80, toPort: 80, cidrs: ['0.0.0.0/0'] }]
        : egressRoll < 0.13
          ? [
              { protocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'] },
              { protocol: 'tcp', fromPort: 443, toPort: 443, prefixListIds: [prefixList] },
            ]
          : [{ protocol: '-1', cidrs: ['0.0.0.0/0'] }];
    appGroups.push({
      ref: ec2.addSecurityGroup(vpc, {
        name: `${name}-${app}-${g + 1}`,
        description: `${app} hosts`,
        ingress,
        egress,
      }),
      egressHttpsOk: egressRoll >= 0.03,
    });
  }
  return { kind, dnsOk, vpc, publicSubnets, privateSubnets, appGroups };
}
