// Fills the account/region a mapped response could not determine, from a later-known default (folder, option).

import { UNKNOWN_ACCOUNT, UNKNOWN_REGION, type Scope } from '../../inventory/model.js';
import type { MappedResponse } from './map-api-response.js';
import type { PartialScope } from './mapping-context.js';

/**
 * Replaces "unknown" account/region in a mapped response's resources and coverage scopes with the defaults.
 * Known values are never overwritten, and IAM's "global" region is a known value. Mutates `mapped`.
 */
export function fillUnknownScope(mapped: MappedResponse, defaults: PartialScope): void {
  const { accountId, region } = defaults;
  if (accountId === undefined && region === undefined) return;
  const needsFill = mapped.scopes.some(
    (s) =>
      (s.accountId === undefined && accountId !== undefined) ||
      (s.region === undefined && region !== undefined),
  );
  if (!needsFill) return;
  for (const scope of mapped.scopes) {
    if (scope.accountId === undefined && accountId !== undefined) scope.accountId = accountId;
    if (scope.region === undefined && region !== undefined) scope.region = region;
  }
  const fill = (item: Scope): void => {
    if (item.accountId === UNKNOWN_ACCOUNT && accountId !== undefined) item.accountId = accountId;
    if (item.region === UNKNOWN_REGION && region !== undefined) item.region = region;
  };
  for (const list of Object.values(mapped.resources) as Scope[][]) {
    for (const item of list) fill(item);
  }
  for (const item of mapped.vpcAttributes) fill(item);
}
