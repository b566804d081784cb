// Assembling the organization's tree (roots, OUs, accounts, attached SCPs) from Organizations responses.

import type { Organization } from '../../inventory/model.js';
import { ScpFileError } from './scp-file-error.js';

type Json = Record<string, unknown>;

/**
 * The Organizations responses that make a tree, as the AWS CLI prints them (or the live collector reads them):
 * `describe-organization`, `list-roots`, and per parent `list-organizational-units-for-parent` and
 * `list-accounts-for-parent`, per target `list-policies-for-target --filter SERVICE_CONTROL_POLICY`. The
 * parent and target ids are not in those responses, so files must name them (see `idInFileName`).
 */
export interface OrganizationPieces {
  organization?: { id: string; managementAccountId: string; origin: string };
  roots: string[];
  /** Parent id → the OUs and accounts listed under it. */
  children: Map<string, { ous: string[]; accounts: string[] }>;
  /** Target id (root, OU, account) → the SCP ids attached to it. */
  attached: Map<string, string[]>;
  origins: string[];
}

export function emptyPieces(): OrganizationPieces {
  return { roots: [], children: new Map(), attached: new Map(), origins: [] };
}

// Organizations id formats (API reference: Root.Id, OrganizationalUnit.Id, Account.Id).
const ID_IN_NAME =
  /(?:^|[^a-z0-9])(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})(?=$|[^a-z0-9-])/g;

/** The one root, OU or account id a file's name carries, or undefined (none, or more than one). */
export function idInFileName(baseName: string): string | undefined {
  const ids = [...new Set([...baseName.matchAll(ID_IN_NAME)].map((m) => m[1]!))];
  return ids.length === 1 ? ids[0] : undefined;
}

/**
 * Takes one parsed file into the pieces when it is an Organizations tree response, and says whether it was one.
 * `Policies` entries without `Content` are `list-policies-for-target` output only when the file names a target.
 */
export function takeOrganizationFile(
  body: unknown,
  file: string,
  baseName: string,
  pieces: OrganizationPieces,
): boolean {
  if (!isObject(body)) return false;
  const id = (): string => {
    const found = idInFileName(baseName);
    if (found === undefined)
      throw new ScpFileError(
        file,
        'Organizations output for one parent or target: name the file after that id (for example list-accounts-for-parent.ou-ab12-cdefgh34.json), as the response itself does not say',
      );
    return found;
  };
  if (isObject(body.Organization)) {
    const org = body.Organization;
    if (typeof org.Id !== 'string' || typeof org.MasterAccountId !== 'string')
      throw new ScpFileError(
        file,
        'describe-organization output needs Organization.Id and MasterAccountId',
        'Organization',
      );
    pieces.organization = { id: org.Id, managementAccountId: org.MasterAccountId, origin: file };
  } else if (Array.isArray(body.Roots)) {
    pieces.roots.push(...idsOf(body.Roots, file, 'Roots'));
  } else if (Array.isArray(body.OrganizationalUnits)) {
    childrenOf(pieces, id()).ous.push(...idsOf(body.OrganizationalUnits, file, 'OrganizationalUnits'));
  } else if (Array.isArray(body.Accounts)) {
    childrenOf(pieces, id()).accounts.push(...idsOf(body.Accounts, file, 'Accounts'));
  } else if (
    Array.isArray(body.Policies) &&
    body.Policies.every((p) => isObject(p) && p.Content === undefined && !isObject(p.Policy))
  ) {
    if (idInFileName(baseName) === undefined) return false;
    const target = id();
    const scps = (body.Policies as Json[]).filter(
      (p) => p.Type === undefined || p.Type === 'SERVICE_CONTROL_POLICY',
    );
    pieces.attached.set(target, [...(pieces.attached.get(target) ?? []), ...idsOf(scps, file, 'Policies')]);
  } else return false;
  pieces.origins.push(file);
  return true;
}

/**
 * The tree the pieces make, or undefined when they hold none. A tree must be whole: the organization (for the
 * management account), its roots, and the attached SCPs of every root, OU and account, since a level whose SCPs
 * are unknown cannot be judged. Throws ScpFileError naming what is missing.
 */
export function assembleOrganization(pieces: OrganizationPieces, where: string): Organization | undefined {
  if (pieces.origins.length === 0 && pieces.organization === undefined) return undefined;
  const org = pieces.organization;
  if (org === undefined)
    throw new ScpFileError(
      where,
      'the Organizations tree needs describe-organization output (aws organizations describe-organization)',
    );
  if (pieces.roots.length === 0)
    throw new ScpFileError(
      where,
      'the Organizations tree needs list-roots output (aws organizations list-roots)',
    );
  const parentOf: Record<string, string> = {};
  const nodes = [...pieces.roots];
  for (let i = 0; i < nodes.length; i += 1) {
    const parent = nodes[i]!;
    const kids = pieces.children.get(parent);
    for (const child of [...(kids?.ous ?? []), ...(kids?.accounts ?? [])]) {
      if (Object.hasOwn(parentOf, child)) continue;
      parentOf[child] = parent;
      nodes.push(child);
    }
  }
  const attachedScps: Record<string, string[]> = {};
  for (const node of nodes) {
    const attached = pieces.attached.get(node);
    if (attached === undefined)
      throw new ScpFileError(
        where,
        `the SCPs attached to ${node} were not given (aws organizations list-policies-for-target --target-id ${node} --filter SERVICE_CONTROL_POLICY)`,
      );
    attachedScps[node] = [...new Set(attached)];
  }
  for (const parent of pieces.children.keys())
    if (!nodes.includes(parent))
      throw new ScpFileError(
        where,
        `children are listed for ${parent}, which is not in the tree under the roots`,
      );
  return {
    organizationId: org.id,
    managementAccountId: org.managementAccountId,
    parentOf,
    attachedScps,
    origin: pieces.origins.join(', '),
  };
}

function childrenOf(pieces: OrganizationPieces, parent: string): { ous: string[]; accounts: string[] } {
  let entry = pieces.children.get(parent);
  if (entry === undefined) pieces.children.set(parent, (entry = { ous: [], accounts: [] }));
  return entry;
}

function idsOf(list: unknown[], file: string, at: string): string[] {
  return list.map((item, i) => {
    if (!isObject(item) || typeof item.Id !== 'string' || item.Id === '')
      throw new ScpFileError(file, 'each entry needs an Id', `${at}[${i}]`);
    return item.Id;
  });
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
