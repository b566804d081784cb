// Organizations ListAccounts (awsJson1_1): every fleet account is a member of one organization.

import type { AwsRequest } from './aws-request.js';
import type { FleetIndex } from './fleet-index.js';
import { cutPage, type PageTokens, pageSize } from './pagination.js';
import { AwsWireError } from './wire-error.js';

/** What an Organizations handler sees. */
export interface OrganizationsContext {
  request: Extract<AwsRequest, { protocol: 'json' }>;
  accountId: string;
  fleet: FleetIndex;
  tokens: PageTokens;
}

/** Answers ListAccounts with JSON (JoinedTimestamp as epoch seconds); MaxResults 1..20. */
export function handleOrganizations(context: OrganizationsContext): unknown {
  const { body, operation } = context.request;
  if (operation !== 'ListAccounts') {
    throw new AwsWireError(
      'UnknownOperationException',
      `Unknown operation AWSOrganizationsV20161128.${operation}`,
    );
  }
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
