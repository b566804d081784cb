// The awsQuery operations of IAM (GetAccountAuthorizationDetails, and the per-resource reads the Lambda's scoped
// collector makes) and STS (GetCallerIdentity, AssumeRole), served from the account's GAAD data.

import type { ApiJson } from '../../../src/collectors/api/api-data.js';
import type { AwsRequest } from './aws-request.js';
import { assumedRoleAccessKeyId, type FleetIndex } from './fleet-index.js';
import { cutPage, type PageTokens, pageSize } from './pagination.js';
import { AwsWireError, missingParameter } from './wire-error.js';

/** What an IAM/STS handler sees. */
export interface QueryContext {
  request: Extract<AwsRequest, { protocol: 'query' }>;
  accountId: string;
  fleet: FleetIndex;
  tokens: PageTokens;
  /** Bumped per AssumeRole so every session gets distinct keys. */
  nextSession: () => number;
}

const GAAD_FILTERS = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const;
type GaadFilter = (typeof GAAD_FILTERS)[number];

/** Answers an IAM action with the members of its `<XResult>`. */
export function handleIam(context: QueryContext): ApiJson {
  const { request } = context;
  const perResource = PER_RESOURCE[request.operation];
  if (perResource !== undefined) return perResource(context, iamData(context));
  if (request.operation !== 'GetAccountAuthorizationDetails') {
    throw new AwsWireError(
      'InvalidAction',
      `Could not find operation ${request.operation} for version 2010-05-08`,
    );
  }
  const { params } = request;
  const filters = [...params.entries()]
    .filter(([key]) => /^Filter\.member\.\d+$/.test(key))
    .map(([, value]) => value);
  for (const value of filters) {
    if (!(GAAD_FILTERS as readonly string[]).includes(value)) {
      throw new AwsWireError(
        'ValidationError',
        `1 validation error detected: Value '[${value}]' at 'filter' failed to satisfy constraint: Member must satisfy enum value set: [${GAAD_FILTERS.join(', ')}]`,
      );
    }
  }
  const wanted = (filter: GaadFilter): boolean => filters.length === 0 || filters.includes(filter);
  const details = context.fleet.account(context.accountId)?.GetAccountAuthorizationDetails ?? {};
  const list = (key: string): ApiJson[] => (Array.isArray(details[key]) ? (details[key] as ApiJson[]) : []);
  const isAwsManaged = (policy: ApiJson): boolean => String(policy.Arn ?? '').startsWith('arn:aws:iam::aws:');
  // One sequence over all requested entity kinds: MaxItems counts entries of every list together.
  const entries: { list: string; item: ApiJson }[] = [
    ...(wanted('User') ? list('UserDetailList').map((item) => ({ list: 'UserDetailList', item })) : []),
    ...(wanted('Group') ? list('GroupDetailList').map((item) => ({ list: 'GroupDetailList', item })) : []),
    ...(wanted('Role') ? list('RoleDetailList').map((item) => ({ list: 'RoleDetailList', item })) : []),
    ...list('Policies')
      .filter((policy) => (isAwsManaged(policy) ? wanted('AWSManagedPolicy') : wanted('LocalManagedPolicy')))
      .map((item) => ({ list: 'Policies', item })),
  ];
  const size = pageSize(
    'iam',
    { parameter: 'MaxItems', min: 1, max: 1000, defaultSize: 100 },
    params.get('MaxItems') ?? undefined,
  );
  const scope = `iam:GetAccountAuthorizationDetails:${context.accountId}:${filters.join(',')}`;
  const page = cutPage('iam', context.tokens, scope, entries, size, params.get('Marker') ?? undefined);
  const pick = (name: string): ApiJson[] =>
    page.items.filter((entry) => entry.list === name).map((entry) => entry.item);
  return {
    UserDetailList: pick('UserDetailList'),
    GroupDetailList: pick('GroupDetailList'),
    RoleDetailList: pick('RoleDetailList'),
    Policies: pick('Policies'),
    IsTruncated: page.nextToken !== undefined,
    Marker: page.nextToken,
  };
}

/** The account's GAAD lists, indexed for the per-resource reads. */
interface IamData {
  roles: ApiJson[];
  policies: ApiJson[];
}

function iamData(context: QueryContext): IamData {
  const details = context.fleet.account(context.accountId)?.GetAccountAuthorizationDetails ?? {};
  const list = (key: string): ApiJson[] => (Array.isArray(details[key]) ? (details[key] as ApiJson[]) : []);
  return { roles: list('RoleDetailList'), policies: list('Policies') };
}

function required(context: QueryContext, name: string): string {
  const value = context.request.params.get(name);
  if (!value) throw missingParameter('iam', name);
  return value;
}

// IAM answers a missing entity with NoSuchEntity (HTTP 404), naming it.
function noSuchEntity(message: string): AwsWireError {
  return new AwsWireError('NoSuchEntity', message, 404);
}

function roleNamed(context: QueryContext, data: IamData): ApiJson {
  const name = required(context, 'RoleName');
  const role = data.roles.find((r) => r.RoleName === name);
  if (role === undefined) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

function policyWithArn(context: QueryContext, data: IamData): ApiJson {
  const arn = required(context, 'PolicyArn');
  const policy = data.policies.find((p) => p.Arn === arn);
  if (policy === undefined) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return policy;
}

/** A list answered in pages of MaxItems (default 100) with Marker/IsTruncated, like every IAM List* call. */
function listPage(context: QueryContext, key: string, items: unknown[]): ApiJson {
  const { params } = context.request;
  const size = pageSize(
    'iam',
    { parameter: 'MaxItems', min: 1, max: 1000, defaultSize: 100 },
    params.get('MaxItems') ?? undefined,
  );
  const scope = `iam:${context.request.operation}:${context.accountId}:${params.get('RoleName') ?? ''}`;
  const page = cutPage('iam', context.tokens, scope, items, size, params.get('Marker') ?? undefined);
  return { [key]: page.items, IsTruncated: page.nextToken !== undefined, Marker: page.nextToken };
}

const ROLE_MEMBERS = [
  'Path',
  'RoleName',
  'RoleId',
  'Arn',
  'CreateDate',
  'AssumeRolePolicyDocument',
  'Description',
  'MaxSessionDuration',
  'PermissionsBoundary',
  'Tags',
  'RoleLastUsed',
] as const;

function pick(item: ApiJson, members: readonly string[]): ApiJson {
  return Object.fromEntries(members.filter((m) => item[m] !== undefined).map((m) => [m, item[m]]));
}

/** IAM's per-resource reads, answered from the GAAD data (the same roles, profiles and policies). */
const PER_RESOURCE: Record<string, (context: QueryContext, data: IamData) => ApiJson> = {
  GetInstanceProfile(context, data) {
    const name = required(context, 'InstanceProfileName');
    for (const role of data.roles) {
      const profiles = Array.isArray(role.InstanceProfileList) ? (role.InstanceProfileList as ApiJson[]) : [];
      const profile = profiles.find((p) => p.InstanceProfileName === name);
      if (profile !== undefined) return { InstanceProfile: profile };
    }
    throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  },
  GetRole: (context, data) => ({ Role: pick(roleNamed(context, data), ROLE_MEMBERS) }),
  ListAttachedRolePolicies(context, data) {
    const role = roleNamed(context, data);
    return listPage(
      context,
      'AttachedPolicies',
      (role.AttachedManagedPolicies as unknown[] | undefined) ?? [],
    );
  },
  ListRolePolicies(context, data) {
    const role = roleNamed(context, data);
    const inline = (role.RolePolicyList as ApiJson[] | undefined) ?? [];
    return listPage(
      context,
      'PolicyNames',
      inline.map((p) => p.PolicyName),
    );
  },
  GetRolePolicy(context, data) {
    const role = roleNamed(context, data);
    const name = required(context, 'PolicyName');
    const inline = ((role.RolePolicyList as ApiJson[] | undefined) ?? []).find((p) => p.PolicyName === name);
    if (inline === undefined) throw noSuchEntity(`The role policy with name ${name} cannot be found.`);
    return { RoleName: role.RoleName, PolicyName: name, PolicyDocument: inline.PolicyDocument };
  },
  // Roles only (this fleet data has no users or groups); without PolicyUsageFilter, attachments and boundaries both.
  ListEntitiesForPolicy(context, data) {
    const arn = policyWithArn(context, data).Arn;
    const usage = context.request.params.get('PolicyUsageFilter');
    const roles = data.roles.filter((role) => {
      const attached = ((role.AttachedManagedPolicies as ApiJson[] | undefined) ?? []).some(
        (p) => p.PolicyArn === arn,
      );
      const boundary = (role.PermissionsBoundary as ApiJson | undefined)?.PermissionsBoundaryArn === arn;
      return usage === 'PermissionsPolicy'
        ? attached
        : usage === 'PermissionsBoundary'
          ? boundary
          : attached || boundary;
    });
    return {
      ...listPage(
        context,
        'PolicyRoles',
        roles.map((r) => ({ RoleName: r.RoleName, RoleId: r.RoleId })),
      ),
      PolicyUsers: [],
      PolicyGroups: [],
    };
  },
  ListInstanceProfilesForRole(context, data) {
    const role = roleNamed(context, data);
    return listPage(context, 'InstanceProfiles', (role.InstanceProfileList as unknown[] | undefined) ?? []);
  },
  GetPolicy(context, data) {
    const { PolicyVersionList: _versions, ...policy } = policyWithArn(context, data);
    return { Policy: policy };
  },
  GetPolicyVersion(context, data) {
    const policy = policyWithArn(context, data);
    const versionId = required(context, 'VersionId');
    const version = ((policy.PolicyVersionList as ApiJson[] | undefined) ?? []).find(
      (v) => v.VersionId === versionId,
    );
    if (version === undefined)
      throw noSuchEntity(
        `Policy ${String(policy.Arn)} version ${versionId} does not exist or is not attachable.`,
      );
    return { PolicyVersion: version };
  },
};

/** Answers an STS action with the members of its `<XResult>`. */
export function handleSts(context: QueryContext): ApiJson {
  const { request, accountId } = context;
  const { params } = request;
  if (request.operation === 'GetCallerIdentity') {
    return {
      UserId: `AIDA${accountId}`,
      Account: accountId,
      Arn: `arn:aws:iam::${accountId}:user/ssmguard-test`,
    };
  }
  if (request.operation !== 'AssumeRole') {
    throw new AwsWireError(
      'InvalidAction',
      `Could not find operation ${request.operation} for version 2011-06-15`,
    );
  }
  const roleArn = params.get('RoleArn');
  const sessionName = params.get('RoleSessionName');
  if (!roleArn) throw missingParameter('sts', 'RoleArn');
  if (!sessionName) throw missingParameter('sts', 'RoleSessionName');
  const match = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
  if (!match) throw new AwsWireError('ValidationError', `${roleArn} is invalid`);
  const target = match[1] as string;
  if (!context.fleet.account(target)) {
    throw new AwsWireError(
      'AccessDenied',
      `User: arn:aws:iam::${accountId}:user/ssmguard-test is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      403,
    );
  }
  const duration = Number(params.get('DurationSeconds') ?? 3600);
  const roleName = (match[2] as string).split('/').pop() as string;
  return {
    Credentials: {
      AccessKeyId: assumedRoleAccessKeyId(target, context.nextSession()),
      SecretAccessKey: 'fake-secret-access-key',
      SessionToken: `fake-session-token-${target}`,
      Expiration: new Date(Date.now() + duration * 1000).toISOString(),
    },
    AssumedRoleUser: {
      AssumedRoleId: `AROA${target}:${sessionName}`,
      Arn: `arn:aws:sts::${target}:assumed-role/${roleName}/${sessionName}`,
    },
  };
}
