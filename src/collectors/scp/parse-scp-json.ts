// Recognising and validating the JSON shapes an SCP can be supplied in, into the inventory's ServiceControlPolicy.

// The evaluator's own validator: an SCP ssmguard accepts is one it can evaluate.
import { compilePolicy } from '../../iam/compile-policy.js';
import { decodePolicyDocument } from '../../inventory/policy-document.js';
import type { MaybePolicyDocument, ServiceControlPolicy } from '../../inventory/model.js';
import { ScpFileError } from './scp-file-error.js';

type Json = Record<string, unknown>;

const SCP_TYPE = 'SERVICE_CONTROL_POLICY';
const ACCOUNT_ID = /^\d{12}$/;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Reads one parsed `--scp` file. Accepted shapes:
 * 1. a plain policy document (`{"Version", "Statement"}`): one SCP named after the file, for every account;
 * 2. `aws organizations describe-policy` output (`{"Policy": {"PolicySummary": {Id, Name, Type}, "Content"}}`),
 *    for every account;
 * 3. an Organizations export: `{"Policies": [entry…]}` or a JSON array of entries, each a describe-policy
 *    `Policy` (or its `PolicySummary` + `Content` inline) plus the `Targets` that
 *    `aws organizations list-targets-for-policy` prints. ROOT targets apply to every account, ACCOUNT targets
 *    to that account; an ORGANIZATIONAL_UNIT target needs the OU's account ids in an `Accounts` list, because
 *    OU membership is not in the SCP data. Without `Targets` a policy applies to every account.
 * Every document is compiled by the IAM evaluator, so a malformed SCP fails here, naming the file and the JSON
 * path, rather than turning every IAM evaluation into an ERROR later. Returns the policies and warnings.
 */
export function parseScpJson(
  body: unknown,
  file: string,
  baseName: string,
): { policies: ServiceControlPolicy[]; warnings: string[] } {
  const warnings: string[] = [];
  if (isObject(body) && body.Statement !== undefined) {
    const policy = validDocument(body, file, '(root)');
    return {
      policies: [{ policyId: `file:${baseName}`, name: baseName, targetAccountIds: [], policy }],
      warnings,
    };
  }
  if (isObject(body) && isObject(body.Policy)) {
    return { policies: [fromDescribePolicy(body.Policy, undefined, file, 'Policy')], warnings };
  }
  const entries = Array.isArray(body)
    ? body
    : isObject(body) && Array.isArray(body.Policies)
      ? body.Policies
      : undefined;
  const prefix = Array.isArray(body) ? '' : 'Policies';
  if (entries === undefined) {
    throw new ScpFileError(
      file,
      'not an SCP: expected a policy document ({"Statement": …}), `aws organizations describe-policy` output ({"Policy": …}) or an export ({"Policies": […]})',
    );
  }
  const policies: ServiceControlPolicy[] = [];
  entries.forEach((entry: unknown, i) => {
    const at = `${prefix}[${i}]`;
    if (!isObject(entry)) throw new ScpFileError(file, 'an export entry must be an object', at);
    const policy = isObject(entry.Policy) ? entry.Policy : entry;
    if (policy.Content === undefined && (isObject(policy.PolicySummary) || typeof policy.Id === 'string')) {
      throw new ScpFileError(
        file,
        'lists a policy without its Content (list-policies-for-target output?): give `aws organizations describe-policy --policy-id ID` for each policy',
        at,
      );
    }
    const scp = fromDescribePolicy(policy, entry.Targets, file, isObject(entry.Policy) ? `${at}.Policy` : at);
    if (entry.Targets !== undefined && scp.targetAccountIds.length === 0 && !targetsRoot(entry.Targets)) {
      warnings.push(`${file} at ${at}: SCP ${scp.name} is attached to no target; ignored`);
      return;
    }
    policies.push(scp);
  });
  return { policies, warnings };
}

function fromDescribePolicy(policy: Json, targets: unknown, file: string, at: string): ServiceControlPolicy {
  const summary = isObject(policy.PolicySummary) ? policy.PolicySummary : undefined;
  if (summary === undefined) throw new ScpFileError(file, 'missing PolicySummary ({Id, Name})', at);
  if (typeof summary.Id !== 'string' || summary.Id === '')
    throw new ScpFileError(file, 'PolicySummary.Id must be a policy id ("p-…")', at);
  if (summary.Type !== undefined && summary.Type !== SCP_TYPE) {
    throw new ScpFileError(
      file,
      `policy ${summary.Id} is a ${String(summary.Type)}, not a ${SCP_TYPE}`,
      `${at}.PolicySummary.Type`,
    );
  }
  const name = typeof summary.Name === 'string' && summary.Name !== '' ? summary.Name : summary.Id;
  return {
    policyId: summary.Id,
    name,
    targetAccountIds:
      targets === undefined ? [] : targetAccounts(targets, file, at.replace(/\.Policy$/, '.Targets')),
    policy: validDocument(policy.Content, file, `${at}.Content`),
  };
}

function targetsRoot(targets: unknown): boolean {
  return Array.isArray(targets) && targets.some((t) => isObject(t) && t.Type === 'ROOT');
}

/** Account ids a Targets list covers; [] (every account) when the policy is attached to the root. */
function targetAccounts(targets: unknown, file: string, at: string): string[] {
  if (!Array.isArray(targets))
    throw new ScpFileError(file, 'Targets must be a list (as list-targets-for-policy prints it)', at);
  if (targetsRoot(targets)) return [];
  const accounts = new Set<string>();
  targets.forEach((target: unknown, i) => {
    const where = `${at}[${i}]`;
    if (!isObject(target) || typeof target.TargetId !== 'string')
      throw new ScpFileError(file, 'a target needs a TargetId', where);
    if (target.Type === 'ACCOUNT') {
      if (!ACCOUNT_ID.test(target.TargetId))
        throw new ScpFileError(file, `ACCOUNT target ${target.TargetId} is not a 12-digit account id`, where);
      accounts.add(target.TargetId);
    } else if (target.Type === 'ORGANIZATIONAL_UNIT') {
      const members = target.Accounts;
      if (!Array.isArray(members) || !members.every((a) => typeof a === 'string' && ACCOUNT_ID.test(a))) {
        throw new ScpFileError(
          file,
          `OU target ${target.TargetId} needs "Accounts": [12-digit ids] (from aws organizations list-accounts-for-parent --parent-id ${target.TargetId}); OU membership is not in the SCP data`,
          where,
        );
      }
      for (const account of members as string[]) accounts.add(account);
    } else {
      throw new ScpFileError(
        file,
        `target Type must be ROOT, ORGANIZATIONAL_UNIT or ACCOUNT, got ${JSON.stringify(target.Type)}`,
        where,
      );
    }
  });
  return [...accounts].sort();
}

/** Decodes (JSON string, URL-encoded string or object) and compiles a document; throws naming where it broke. */
function validDocument(raw: unknown, file: string, at: string): MaybePolicyDocument {
  if (raw === undefined) throw new ScpFileError(file, 'missing the policy document (Content)', at);
  const policy = decodePolicyDocument(raw);
  if ('parseError' in policy) throw new ScpFileError(file, policy.parseError, at);
  const compiled = compilePolicy(policy.document);
  if (!compiled.ok) {
    throw new ScpFileError(
      file,
      compiled.problem,
      compiled.statementIndex === undefined ? at : `${at}.Statement[${compiled.statementIndex}]`,
    );
  }
  return policy;
}
