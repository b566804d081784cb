// Reads the `--scp` files and folders into SCPs plus the coverage entry that says SCPs were supplied.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FamilyCoverage, Inventory, Organization, ServiceControlPolicy } from '../../inventory/model.js';
import { InputFileError } from '../aws-cli/input-file-error.js';
import { parseJsonText, stripBom } from '../aws-cli/parse-json-text.js';
import { assembleOrganization, emptyPieces, takeOrganizationFile } from './organization-tree.js';
import { parseScpJson } from './parse-scp-json.js';
import { ScpFileError } from './scp-file-error.js';
import { compareText } from '../../compare-text.js';

/** What `--scp` supplied. */
export interface LoadedScps {
  policies: ServiceControlPolicy[];
  /** The files read, in order. */
  files: string[];
  warnings: string[];
  /** The organization's tree, when the files hold one (Organizations CLI output, named by parent or target). */
  organization?: Organization;
}

/**
 * Loads SCP files (see `parseScpJson` for the shapes); a folder contributes every `.json` file under it, in
 * name order. Throws ScpFileError for the first unusable file (JSON errors carry line and column). The same
 * policy id supplied twice is kept once, with a warning. When no supplied SCP has any Allow statement, a
 * warning explains that every action will be denied: AWS attaches FullAWSAccess by default, and an SCP set
 * without it allows nothing.
 */
export async function loadScpFiles(paths: readonly string[]): Promise<LoadedScps> {
  const files: string[] = [];
  for (const p of paths) files.push(...(await listJsonFiles(p)));
  const byId = new Map<string, ServiceControlPolicy>();
  const warnings: string[] = [];
  const pieces = emptyPieces();
  for (const file of files) {
    const body = await readJson(file);
    const baseName = path.basename(file).replace(/\.json$/i, '');
    if (takeOrganizationFile(body, file, baseName, pieces)) continue;
    const parsed = parseScpJson(body, file, baseName);
    warnings.push(...parsed.warnings);
    for (const policy of parsed.policies) {
      const seen = byId.get(policy.policyId);
      if (seen === undefined) byId.set(policy.policyId, policy);
      else
        warnings.push(
          `${file}: SCP ${policy.policyId} was already supplied; the first copy (and its targets) is used`,
        );
    }
  }
  const policies = [...byId.values()];
  if (policies.length > 0 && !policies.some(hasAllow)) {
    warnings.push(
      'no supplied SCP allows anything, so every action counts as denied by SCPs; AWS attaches FullAWSAccess by default — supply it too (aws organizations describe-policy --policy-id p-FullAWSAccess) if it is attached',
    );
  }
  const organization = assembleOrganization(pieces, paths.join(', '));
  if (organization !== undefined) checkAttachedSupplied(organization, policies, paths.join(', '));
  return { policies, files, warnings, ...(organization !== undefined && { organization }) };
}

/** Every SCP the tree attaches must be among the documents: a level with an unknown SCP cannot be judged. */
function checkAttachedSupplied(
  org: Organization,
  policies: readonly ServiceControlPolicy[],
  where: string,
): void {
  const supplied = new Set(policies.map((p) => p.policyId));
  for (const [target, ids] of Object.entries(org.attachedScps))
    for (const id of ids)
      if (!supplied.has(id))
        throw new ScpFileError(
          where,
          `SCP ${id} is attached to ${target}, but its document was not given (aws organizations describe-policy --policy-id ${id})`,
        );
}

/** Adds supplied SCPs to an inventory and records that the SCP family was read (for every account). */
export function addScpsToInventory(inventory: Inventory, scps: LoadedScps): void {
  inventory.serviceControlPolicies.push(...scps.policies);
  if (scps.organization !== undefined)
    inventory.organizations = [...(inventory.organizations ?? []), scps.organization];
  const coverage: FamilyCoverage = {
    family: 'org:service-control-policies',
    status: 'read',
    origin: scps.files.join(', '),
  };
  inventory.coverage.push(coverage);
}

function hasAllow(policy: ServiceControlPolicy): boolean {
  if (!('document' in policy.policy)) return false;
  const raw = policy.policy.document.Statement;
  return (Array.isArray(raw) ? raw : [raw]).some((s) => s.Effect === 'Allow');
}

async function listJsonFiles(input: string): Promise<string[]> {
  const info = await fs.stat(input).catch((error: unknown) => {
    throw new ScpFileError(
      input,
      `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      undefined,
      undefined,
      undefined,
      { cause: error },
    );
  });
  if (info.isFile()) return [input];
  const out: string[] = [];
  const entries = (await fs.readdir(input, { withFileTypes: true })).sort((a, b) =>
    compareText(a.name, b.name),
  );
  for (const entry of entries) {
    const full = path.join(input, entry.name);
    if (entry.isDirectory()) out.push(...(await listJsonFiles(full)));
    else if (/\.json$/i.test(entry.name)) out.push(full);
  }
  if (out.length === 0) throw new ScpFileError(input, 'folder holds no .json files');
  return out;
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = stripBom(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new ScpFileError(
      file,
      `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      undefined,
      undefined,
      undefined,
      { cause: error },
    );
  }
  try {
    return parseJsonText(text, file);
  } catch (error) {
    if (error instanceof InputFileError)
      throw new ScpFileError(file, error.detail, undefined, error.line, error.column, { cause: error });
    throw error;
  }
}
