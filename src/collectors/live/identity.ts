// Who the scan runs as, which accounts it visits, and the assumed-role credentials for each of them.

import { paginateListAccounts, type OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { classifySdkError, LiveScanError } from './live-scan-error.js';

/** The account of the scan's own credentials; also proves the credentials work before any fan-out. */
export async function callerAccountId(sts: STSClient): Promise<string> {
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    if (!identity.Account)
      throw new LiveScanError('LIVE_CREDENTIALS_INVALID', 'sts:GetCallerIdentity returned no account');
    return identity.Account;
  } catch (error) {
    if (error instanceof LiveScanError) throw error;
    const failure = classifySdkError(error, 'sts:GetCallerIdentity');
    throw new LiveScanError(
      'LIVE_CREDENTIALS_INVALID',
      `sts:GetCallerIdentity failed (${failure.code}: ${failure.message})`,
      {
        cause: error,
      },
    );
  }
}

/** The ACTIVE member accounts of the caller's organization (the caller must be allowed to list them). */
export async function organizationAccountIds(organizations: OrganizationsClient): Promise<string[]> {
  const ids: string[] = [];
  try {
    // ListAccounts MaxResults is 1..20.
    for await (const page of paginateListAccounts({ client: organizations, pageSize: 20 }, {})) {
      for (const account of page.Accounts ?? []) {
        if (account.Id && (account.State ?? account.Status) !== 'SUSPENDED' && account.Status !== 'SUSPENDED')
          ids.push(account.Id);
      }
    }
  } catch (error) {
    const failure = classifySdkError(error, 'organizations:ListAccounts');
    throw new LiveScanError(
      'LIVE_NO_ACCOUNTS',
      `organizations:ListAccounts failed (${failure.code}: ${failure.message})`,
      {
        cause: error,
      },
    );
  }
  if (ids.length === 0)
    throw new LiveScanError('LIVE_NO_ACCOUNTS', 'organizations:ListAccounts returned no active accounts');
  return ids;
}

// Refresh assumed-role credentials this long before they expire, like the SDK's own providers.
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Credentials for `roleName` in `accountId`, re-assumed shortly before they expire so long scans keep
 * working. Concurrent callers share one in-flight AssumeRole.
 */
export function assumeRoleCredentials(
  sts: STSClient,
  accountId: string,
  roleName: string,
  sessionName = 'ssmguard-scan',
): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  const assume = async (): Promise<AwsCredentialIdentity> => {
    const output = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`,
        RoleSessionName: sessionName,
      }),
    );
    const credentials = output.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
      throw new LiveScanError(
        'LIVE_CREDENTIALS_INVALID',
        `sts:AssumeRole into ${accountId} returned no credentials`,
      );
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken !== undefined && { sessionToken: credentials.SessionToken }),
      ...(credentials.Expiration !== undefined && { expiration: credentials.Expiration }),
    };
  };
  return async () => {
    const cached = current && (await current.catch(() => undefined));
    if (!cached || (cached.expiration && cached.expiration.getTime() - Date.now() < REFRESH_MARGIN_MS)) {
      current = assume();
      current.catch(() => undefined);
    }
    return current as Promise<AwsCredentialIdentity>;
  };
}
