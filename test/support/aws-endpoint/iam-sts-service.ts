// The awsQuery operations of IAM (GetAccountAuthorizationDetails) and STS (GetCallerIdentity, AssumeRole).

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
