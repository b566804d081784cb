// Reads the organization's tree and its SCPs live (scan --live --organization), for SCPs evaluated level by level.

import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  type OrganizationsClient,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListPoliciesForTarget,
  paginateListRoots,
} from '@aws-sdk/client-organizations';
import type { Inventory, Organization, ServiceControlPolicy } from '../../inventory/model.js';
import { assembleOrganization, emptyPieces } from '../scp/organization-tree.js';
import { parseScpJson } from '../scp/parse-scp-json.js';
import { ScpFileError } from '../scp/scp-file-error.js';
import { classifySdkError } from './live-scan-error.js';

/** Why the tree could not be read: the call that failed (with the permission it needs) and AWS's answer. */
export interface OrganizationFailure {
  operation: string;
  code: string;
  message: string;
}

/** The tree and the documents of every SCP attached in it, or why they could not be read. */
export type OrganizationRead =
  | { status: 'read'; organization: Organization; policies: ServiceControlPolicy[] }
  | { status: 'error'; failure: OrganizationFailure };

/** The calls (and so the permissions) of the tree read; policies/iam/ssmguard-scan-*.json grant them. */
export const ORGANIZATION_TREE_PERMISSIONS = [
  'organizations:DescribeOrganization',
  'organizations:DescribePolicy',
  'organizations:ListAccountsForParent',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:ListPoliciesForTarget',
  'organizations:ListRoots',
] as const;

// Organizations' list calls take MaxResults 1..20 (API reference, e.g. ListRoots).
const PAGE = 20;

/**
 * DescribeOrganization (the management account), ListRoots, then level by level ListOrganizationalUnitsForParent
 * and ListAccountsForParent, ListPoliciesForTarget (SERVICE_CONTROL_POLICY) for every root, OU and account, and
 * DescribePolicy once per attached SCP. Any failed call makes the whole read an error: a tree with an unread
 * level would judge that level by a guess.
 */
export async function collectOrganization(client: OrganizationsClient): Promise<OrganizationRead> {
  let operation = 'organizations:DescribeOrganization';
  try {
    const pieces = emptyPieces();
    const described = await client.send(new DescribeOrganizationCommand({}));
    const org = described.Organization;
    if (org?.Id === undefined || org.MasterAccountId === undefined)
      throw new Error('DescribeOrganization returned no organization id or management account');
    pieces.organization = { id: org.Id, managementAccountId: org.MasterAccountId, origin: 'live' };
    pieces.origins.push('live');
    operation = 'organizations:ListRoots';
    for await (const page of paginateListRoots({ client, pageSize: PAGE }, {}))
      pieces.roots.push(...(page.Roots ?? []).flatMap((r) => (r.Id ? [r.Id] : [])));
    let level = [...pieces.roots];
    const nodes = [...level];
    while (level.length > 0) {
      const next: string[] = [];
      for (const parent of level) {
        operation = 'organizations:ListOrganizationalUnitsForParent';
        const ous: string[] = [];
        for await (const page of paginateListOrganizationalUnitsForParent(
          { client, pageSize: PAGE },
          { ParentId: parent },
        ))
          ous.push(...(page.OrganizationalUnits ?? []).flatMap((o) => (o.Id ? [o.Id] : [])));
        operation = 'organizations:ListAccountsForParent';
        const accounts: string[] = [];
        for await (const page of paginateListAccountsForParent(
          { client, pageSize: PAGE },
          { ParentId: parent },
        ))
          accounts.push(...(page.Accounts ?? []).flatMap((a) => (a.Id ? [a.Id] : [])));
        pieces.children.set(parent, { ous, accounts });
        next.push(...ous);
        nodes.push(...ous, ...accounts);
      }
      level = next;
    }
    operation = 'organizations:ListPoliciesForTarget';
    for (const target of nodes) {
      const ids: string[] = [];
      for await (const page of paginateListPoliciesForTarget(
        { client, pageSize: PAGE },
        { TargetId: target, Filter: 'SERVICE_CONTROL_POLICY' },
      ))
        ids.push(...(page.Policies ?? []).flatMap((p) => (p.Id ? [p.Id] : [])));
      pieces.attached.set(target, ids);
    }
    const organization = assembleOrganization(pieces, 'live')!;
    operation = 'organizations:DescribePolicy';
    const policies: ServiceControlPolicy[] = [];
    for (const policyId of new Set(Object.values(organization.attachedScps).flat())) {
      const output = await client.send(new DescribePolicyCommand({ PolicyId: policyId }));
      policies.push(
        ...parseScpJson({ Policy: output.Policy }, `organizations:DescribePolicy ${policyId}`, policyId)
          .policies,
      );
    }
    return { status: 'read', organization, policies };
  } catch (error) {
    // Data that does not make a whole tree (a level listed without its parent…) is as unreadable as a refusal.
    if (error instanceof ScpFileError)
      return { status: 'error', failure: { operation, code: error.code, message: error.detail } };
    return { status: 'error', failure: { operation, ...classifySdkError(error, operation) } };
  }
}

/**
 * Adds what the live read found to the inventory: the SCPs and the tree, with the SCP family read for every
 * account; or the failure, which makes the SCP family an error, so the IAM rules say ERROR with the permission
 * that was missing rather than judging without the SCPs the caller asked for.
 */
export function addOrganizationToInventory(inventory: Inventory, read: OrganizationRead): void {
  if (read.status === 'error') {
    inventory.coverage.push({
      family: 'org:service-control-policies',
      status: 'error',
      error: { code: read.failure.code, message: read.failure.message, permission: read.failure.operation },
      origin: read.failure.operation,
    });
    return;
  }
  inventory.serviceControlPolicies.push(...read.policies);
  inventory.organizations = [...(inventory.organizations ?? []), read.organization];
  inventory.coverage.push({
    family: 'org:service-control-policies',
    status: 'read',
    origin: `organizations (live): ${read.organization.organizationId}`,
  });
}
