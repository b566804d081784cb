// Reads account ids and regions from folder names (…/111122223333/us-east-1/…).

import type { PartialScope } from '../api/mapping-context.js';

const ACCOUNT_SEGMENT = /^\d{12}$/;
// us-east-1, eu-west-3, ap-southeast-4, us-gov-west-1, cn-north-1, cn-northwest-1, us-isob-east-1, il-central-1.
const REGION_SEGMENT =
  /^[a-z]{2}(?:-gov|-iso[a-z]?)?-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;

/** True for a 12-digit AWS account id. */
export function isAccountId(value: string): boolean {
  return ACCOUNT_SEGMENT.test(value);
}

/** True for an AWS region name (commercial, GovCloud, China and ISO partitions). */
export function isRegionName(value: string): boolean {
  return REGION_SEGMENT.test(value);
}

/** What one folder name says about scope: a 12-digit name is an account, a region name is a region. */
export function scopeFromSegment(segment: string): PartialScope {
  if (isAccountId(segment)) return { accountId: segment };
  if (isRegionName(segment)) return { region: segment };
  return {};
}
