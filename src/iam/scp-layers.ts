// Turning the inventory's flat SCP list into evaluator layers for one account.

import type { ServiceControlPolicy } from '../inventory/model.js';
import type { ScpLayer } from './evaluate-actions.js';

/**
 * The SCPs that apply to an account, as one layer: at least one of them must allow each action, and a Deny in any
 * of them denies it. The inventory does not record the OU hierarchy, so the per-level rule ("some SCP at every
 * level must allow") collapses to this one level; callers that know the hierarchy build one layer per level.
 * Returns no layers when no SCP targets the account: SCPs were not read for it, or it is outside the
 * organisation, and an unknown SCP set must not turn into a denial.
 */
export function scpLayersForAccount(accountId: string, scps: readonly ServiceControlPolicy[]): ScpLayer[] {
  const applicable = scps.filter(
    (scp) => scp.targetAccountIds.length === 0 || scp.targetAccountIds.includes(accountId),
  );
  if (applicable.length === 0) return [];
  return [
    {
      name: `account ${accountId}`,
      policies: applicable.map((scp) => ({
        id: scp.name !== '' ? scp.name : scp.policyId,
        policy: scp.policy,
      })),
    },
  ];
}
