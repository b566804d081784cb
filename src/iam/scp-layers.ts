// Turning the inventory's SCPs (and, when known, the organization's tree) into evaluator layers for one account.

import type { Organization, ServiceControlPolicy } from '../inventory/model.js';
import type { ScpLayer } from './evaluate-actions.js';

/** The SCP layers of one account, and what the reviewer should be told about how they were chosen. */
export interface AccountScps {
  /** Undefined: no SCP layer applies (the management account, or an account no supplied SCP targets). */
  layers: ScpLayer[] | undefined;
  note: string;
}

/** An SCP the tree says is attached somewhere, but whose document was not supplied: the layer cannot be judged. */
export class ScpNotSuppliedError extends Error {
  readonly code = 'IAM.SCP_NOT_SUPPLIED';
  constructor(
    readonly policyId: string,
    readonly targetId: string,
  ) {
    super(
      `SCP ${policyId} is attached to ${targetId}, but its document is not in the data (aws organizations describe-policy --policy-id ${policyId})`,
    );
    this.name = 'ScpNotSuppliedError';
  }
}

/**
 * The SCP layers for an account. With the organization's tree: one layer per level, from the root through each
 * OU to the account itself, each holding the SCPs attached at that level: AWS requires an Allow at every level and
 * lets a Deny at any level win; the management account is not subject to SCPs at all.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html (management account)
 * Without the tree the per-level rule collapses to one level of the SCPs that target the account. No layers when
 * no SCP targets the account: an unknown SCP set must not turn into a denial.
 */
export function scpLayersForAccount(
  accountId: string,
  scps: readonly ServiceControlPolicy[],
  organizations: readonly Organization[] = [],
): AccountScps {
  const organization = organizations.find(
    (o) => o.managementAccountId === accountId || Object.hasOwn(o.parentOf, accountId),
  );
  if (organization !== undefined) return treeLayers(accountId, scps, organization);
  const applicable = scps.filter(
    (scp) => scp.targetAccountIds.length === 0 || scp.targetAccountIds.includes(accountId),
  );
  if (applicable.length === 0)
    return { layers: undefined, note: `no supplied SCP applies to account ${accountId}` };
  const layer = { name: `account ${accountId}`, policies: applicable.map(namedPolicy) };
  return { layers: [layer], note: `SCPs evaluated for account ${accountId}: ${policyIds([layer])}` };
}

function treeLayers(
  accountId: string,
  scps: readonly ServiceControlPolicy[],
  org: Organization,
): AccountScps {
  if (org.managementAccountId === accountId)
    return {
      layers: undefined,
      note: `account ${accountId} is the management account of ${org.organizationId}: SCPs do not apply to it`,
    };
  const byId = new Map(scps.map((scp) => [scp.policyId, scp]));
  const layers = levelsOf(accountId, org).map((targetId): ScpLayer => {
    const attached = org.attachedScps[targetId] ?? [];
    return {
      name: levelName(targetId),
      policies: attached.map((policyId) => {
        const scp = byId.get(policyId);
        if (scp === undefined) throw new ScpNotSuppliedError(policyId, levelName(targetId));
        return namedPolicy(scp);
      }),
    };
  });
  return {
    layers,
    note: `SCPs evaluated for account ${accountId} of ${org.organizationId}, level by level: ${layers
      .map((l) => `${l.name} (${l.policies.map((p) => p.id).join(', ') || 'none attached'})`)
      .join(' → ')}`,
  };
}

/** Root first, the account last. A cycle or a dangling parent in the data stops the walk where it breaks. */
function levelsOf(accountId: string, org: Organization): string[] {
  const path = [accountId];
  const seen = new Set(path);
  for (let id = org.parentOf[accountId]; id !== undefined && !seen.has(id); id = org.parentOf[id]) {
    path.push(id);
    seen.add(id);
  }
  return path.reverse();
}

function levelName(targetId: string): string {
  if (targetId.startsWith('r-')) return `root ${targetId}`;
  if (targetId.startsWith('ou-')) return `OU ${targetId}`;
  return `account ${targetId}`;
}

function namedPolicy(scp: ServiceControlPolicy): ScpLayer['policies'][number] {
  return { id: scp.name !== '' ? scp.name : scp.policyId, policy: scp.policy };
}

function policyIds(layers: readonly ScpLayer[]): string {
  return layers.flatMap((l) => l.policies.map((p) => p.id)).join(', ');
}
