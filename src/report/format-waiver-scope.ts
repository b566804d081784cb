// One wording of a waiver's scope ("account 111122223333, tag Team=legacy") for every human-readable format.

import type { WaiverScope } from '../policy/waivers.js';

/** Describes where a waiver applies; "everywhere" when it is scoped by rule only. Callers escape the result. */
export function formatWaiverScope(scope: WaiverScope): string {
  const parts = [
    scope.accountId !== undefined ? `account ${scope.accountId}` : '',
    scope.region !== undefined ? `region ${scope.region}` : '',
    scope.resourceId !== undefined ? `resource ${scope.resourceId}` : '',
    scope.tag !== undefined
      ? `tag ${scope.tag.key}${scope.tag.value !== undefined ? `=${scope.tag.value}` : ''}`
      : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'everywhere';
}
