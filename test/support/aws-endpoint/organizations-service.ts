// Organizations (awsJson1_1): ListAccounts over the fleet's accounts, and, when a tree is given, the calls that read
// it: DescribeOrganization, ListRoots, List{OrganizationalUnits,Accounts}ForParent, ListPoliciesForTarget, DescribePolicy.

import type { AwsRequest } from './aws-request.js';
import type { FleetIndex } from './fleet-index.js';
import { cutPage, type PageTokens, pageSize } from './pagination.js';
import { AwsWireError, missingParameter } from './wire-error.js';

/** An organization's tree as the loopback endpoint serves it (ids in AWS's formats). */
export interface LoopbackOrganization {
  organizationId: string;
  /** Default: the endpoint's caller account. */
  managementAccountId?: string;
  roots: { Id: string; Name: string }[];
  ous: { Id: string; Name: string; ParentId: string }[];
  /** Account id → its parent (root or OU). */
  accountParents: Record<string, string>;
  policies: { Id: string; Name: string; Content: string; AwsManaged?: boolean }[];
  /** Target id (root, OU, account) → attached policy ids. */
  attachments: Record<string, string[]>;
}

/** What an Organizations handler sees. */
export interface OrganizationsContext {
  request: Extract<AwsRequest, { protocol: 'json' }>;
  accountId: string;
  fleet: FleetIndex;
  tokens: PageTokens;
  organization?: LoopbackOrganization;
}

/** Answers ListAccounts with JSON (JoinedTimestamp as epoch seconds); MaxResults 1..20. */
export function handleOrganizations(context: OrganizationsContext): unknown {
  const { operation } = context.request;
  if (operation === 'ListAccounts') return listAccounts(context);
  const tree = TREE_OPERATIONS[operation];
  if (tree === undefined)
    throw new AwsWireError(
      'UnknownOperationException',
      `Unknown operation AWSOrganizationsV20161128.${operation}`,
    );
  return tree(context, context.organization ?? defaultOrganization(context.fleet));
}

/**
 * Without a given tree: what a new organization looks like, every fleet account under the root, and AWS's
 * FullAWSAccess attached to the root and to each account (Organizations attaches it when SCPs are enabled).
 */
function defaultOrganization(fleet: FleetIndex): LoopbackOrganization {
  const accounts = fleet.allAccounts().map((a) => a.accountId);
  const full = ['p-FullAWSAccess'];
  return {
    organizationId: 'o-exampleorgid',
    roots: [{ Id: 'r-exam', Name: 'Root' }],
    ous: [],
    accountParents: Object.fromEntries(accounts.map((id) => [id, 'r-exam'])),
    policies: [
      {
        Id: 'p-FullAWSAccess',
        Name: 'FullAWSAccess',
        AwsManaged: true,
        Content: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        }),
      },
    ],
    attachments: Object.fromEntries([['r-exam', full], ...accounts.map((id) => [id, full])]),
  };
}

// List calls take MaxResults 1..20 (Organizations API reference).
const LIMITS = { parameter: 'MaxResults', min: 1, max: 20, defaultSize: 20 };

type TreeOperation = (context: OrganizationsContext, org: LoopbackOrganization) => unknown;

const TREE_OPERATIONS: Record<string, TreeOperation> = {
  DescribeOrganization: (context, org) => {
    const management = org.managementAccountId ?? context.fleet.callerAccountId;
    return {
      Organization: {
        Id: org.organizationId,
        Arn: `arn:aws:organizations::${management}:organization/${org.organizationId}`,
        FeatureSet: 'ALL',
        MasterAccountId: management,
        MasterAccountArn: `arn:aws:organizations::${management}:account/${org.organizationId}/${management}`,
        MasterAccountEmail: `aws+${management}@example.com`,
      },
    };
  },
  ListRoots: (context, org) =>
    paged(
      context,
      'Roots',
      'ListRoots',
      org.roots.map((r) => ({ ...r, PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] })),
    ),
  ListOrganizationalUnitsForParent: (context, org) => {
    const parent = parentId(context, org);
    return paged(
      context,
      'OrganizationalUnits',
      `ous:${parent}`,
      org.ous.filter((o) => o.ParentId === parent).map(({ Id, Name }) => ({ Id, Name })),
    );
  },
  ListAccountsForParent: (context, org) => {
    const parent = parentId(context, org);
    const accounts = Object.entries(org.accountParents)
      .filter(([, p]) => p === parent)
      .map(([Id]) => ({ Id, Name: `account-${Id}`, Status: 'ACTIVE' }));
    return paged(context, 'Accounts', `accounts:${parent}`, accounts);
  },
  ListPoliciesForTarget: (context, org) => {
    const { body } = context.request;
    if (typeof body.TargetId !== 'string') throw missingParameter('organizations', 'TargetId');
    if (body.Filter !== 'SERVICE_CONTROL_POLICY')
      throw new AwsWireError(
        'InvalidInputException',
        'You provided a value that does not match the required pattern (Filter).',
      );
    const target = body.TargetId;
    if (!isNode(org, target))
      throw new AwsWireError(
        'TargetNotFoundException',
        `We can't find a root, OU, account, or policy with the TargetId that you specified.`,
      );
    const policies = (org.attachments[target] ?? []).map((id) => summary(org, id));
    return paged(context, 'Policies', `policies:${target}`, policies);
  },
  DescribePolicy: (context, org) => {
    const id = context.request.body.PolicyId;
    if (typeof id !== 'string') throw missingParameter('organizations', 'PolicyId');
    const policy = org.policies.find((p) => p.Id === id);
    if (policy === undefined)
      throw new AwsWireError(
        'PolicyNotFoundException',
        `We can't find a policy with the PolicyId that you specified.`,
      );
    return { Policy: { PolicySummary: summary(org, id), Content: policy.Content } };
  },
};

function parentId(context: OrganizationsContext, org: LoopbackOrganization): string {
  const parent = context.request.body.ParentId;
  if (typeof parent !== 'string') throw missingParameter('organizations', 'ParentId');
  if (!org.roots.some((r) => r.Id === parent) && !org.ous.some((o) => o.Id === parent))
    throw new AwsWireError(
      'ParentNotFoundException',
      `We can't find a root or OU with the ParentId that you specified.`,
    );
  return parent;
}

function isNode(org: LoopbackOrganization, id: string): boolean {
  return (
    org.roots.some((r) => r.Id === id) ||
    org.ous.some((o) => o.Id === id) ||
    Object.hasOwn(org.accountParents, id)
  );
}

function summary(org: LoopbackOrganization, id: string): Record<string, unknown> {
  const policy = org.policies.find((p) => p.Id === id);
  return {
    Id: id,
    Arn: `arn:aws:organizations::aws:policy/service_control_policy/${id}`,
    Name: policy?.Name ?? id,
    Type: 'SERVICE_CONTROL_POLICY',
    AwsManaged: policy?.AwsManaged ?? false,
  };
}

function paged(context: OrganizationsContext, listKey: string, scope: string, items: unknown[]): unknown {
  const { body } = context.request;
  const size = pageSize('organizations', LIMITS, body.MaxResults);
  const page = cutPage(
    'organizations',
    context.tokens,
    `organizations:${scope}:${context.accountId}`,
    items,
    size,
    body.NextToken,
  );
  return { [listKey]: page.items, NextToken: page.nextToken };
}

function listAccounts(context: OrganizationsContext): unknown {
  const { body } = context.request;
  const size = pageSize(
    'organizations',
    { parameter: 'MaxResults', min: 1, max: 20, defaultSize: 20 },
    body.MaxResults,
  );
  const management = context.fleet.callerAccountId;
  const accounts = context.fleet.allAccounts().map((account, index) => ({
    Id: account.accountId,
    Arn: `arn:aws:organizations::${management}:account/o-exampleorgid/${account.accountId}`,
    Email: `aws+${account.accountId}@example.com`,
    Name: `account-${index + 1}`,
    Status: 'ACTIVE',
    JoinedMethod: account.accountId === management ? 'INVITED' : 'CREATED',
    JoinedTimestamp: Date.parse('2024-01-01T00:00:00.000Z') / 1000,
  }));
  const page = cutPage(
    'organizations',
    context.tokens,
    `organizations:ListAccounts:${context.accountId}`,
    accounts,
    size,
    body.NextToken,
  );
  return { Accounts: page.items, NextToken: page.nextToken };
}
