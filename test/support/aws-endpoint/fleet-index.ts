// Finds the fleet data a request addresses: the account from its access key, the region from its signature.

import type { AccountApiData, FleetApiData, RegionApiData } from '../../../src/collectors/api/api-data.js';
import { AwsWireError } from './wire-error.js';

/**
 * Fake credentials name their account: `AKIA<12 digits>…` or `ASIA<12 digits>…` (what AssumeRole hands
 * out). Any other key id is the caller's own account (the first fleet account unless configured).
 */
export class FleetIndex {
  private readonly accounts = new Map<string, AccountApiData>();

  constructor(
    readonly fleet: FleetApiData,
    readonly callerAccountId: string = fleet.accounts[0]?.accountId ?? '000000000000',
  ) {
    for (const account of fleet.accounts) this.accounts.set(account.accountId, account);
  }

  /** The account a set of credentials belongs to; an unknown encoded account is an invalid token. */
  accountIdFor(accessKeyId: string): string {
    const encoded = /^(?:AKIA|ASIA)(\d{12})/.exec(accessKeyId)?.[1];
    if (encoded === undefined) return this.callerAccountId;
    if (!this.accounts.has(encoded)) {
      throw new AwsWireError(
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
        403,
      );
    }
    return encoded;
  }

  account(accountId: string): AccountApiData | undefined {
    return this.accounts.get(accountId);
  }

  allAccounts(): AccountApiData[] {
    return [...this.accounts.values()];
  }

  /** A region's data; a region the fleet does not list is an empty (but enabled) region. */
  region(accountId: string, region: string): RegionApiData | undefined {
    return this.accounts.get(accountId)?.regions.find((entry) => entry.region === region);
  }
}

/** Fake temporary credentials for an assumed role in `accountId`, recognisable by `FleetIndex`. */
export function assumedRoleAccessKeyId(accountId: string, sequence: number): string {
  return `ASIA${accountId}${String(sequence).padStart(4, '0')}`;
}
