// Lists every failing result no change repairs as "needs a person", with the reason the fixer keeps its hands
// off and, for IAM, the deciding statement from the rule's evidence.

import type { Evaluation } from '../../engine/types.js';
import type { PlanContext } from './plan-context.js';

/** The outcome rule follows the links before it; it is not itself a link anyone fixes. */
const OUTCOME_RULE = 'ec2-instance-ssm-online';

const WHY: Record<string, string> = {
  'IAM.EXPLICIT_DENY': 'a Deny written by someone: ssmguard never removes or works around an explicit Deny',
  'IAM.BOUNDARY_DENY': 'a permissions boundary limits the role: widening it is a decision for its owner',
  'IAM.SCP_DENY': 'a service control policy denies it: only the organization administrator can change it',
  'IAM.CONDITIONAL': 'the decision hinges on a condition no inventory can settle',
  'NET.NO_EGRESS_443':
    'ssmguard does not widen security-group egress: allow outbound TCP 443 to the SSM endpoints',
  'NET.EGRESS_BLOCKS':
    'ssmguard does not widen security-group egress: allow outbound TCP 443 to the SSM endpoints',
  'NET.NACL_BLOCKS': 'ssmguard does not change network ACLs',
  'NET.BLACKHOLE_ROUTE': 'a route points at a missing target: repair or remove it by hand',
  'PATCH.NO_PATCH_GROUP_TAG': 'which patch group an instance belongs to is a decision for its owner',
};

export function listNeedsPerson(context: PlanContext): void {
  const { builder } = context;
  const listed = new Set(builder.needsPerson.map((p) => `${p.ruleId}|${p.resourceId}`));
  for (const result of context.results) {
    if (result.ruleId === OUTCOME_RULE || listed.has(`${result.ruleId}|${result.resourceId}`)) continue;
    if (builder.repairs(result)) continue;
    if (result.status === 'ERROR') {
      builder.person(
        result,
        `could not be evaluated (${result.error?.code ?? 'ERROR'}): ${result.error?.message ?? ''}`.trim(),
      );
      continue;
    }
    const why =
      WHY[result.reason ?? ''] ??
      `ssmguard fix does not repair ${result.ruleId} (${result.reason ?? 'no reason code'})`;
    builder.person(result, why, decidingStatement(context, result));
  }
}

/** The statement or resource that decides an IAM failure, as the rule's evidence names it. */
function decidingStatement(context: PlanContext, result: Evaluation): string | undefined {
  if (!result.ruleId.startsWith('ec2-instance-role-')) return undefined;
  const notes = result.evidence
    .filter((e) => e.path === 'role.permissions' && typeof e.note === 'string')
    .map((e) => (e.note as string).split('; ').slice(1).join('; '))
    .filter((note) => note !== '' && note !== 'no statement allows it');
  if (result.reason === 'IAM.BOUNDARY_DENY') {
    const instance = context.index.instance(result.resourceId);
    const role = instance ? context.index.roleOf(instance) : undefined;
    if (role?.permissionsBoundaryArn !== undefined)
      notes.unshift(`permissions boundary ${role.permissionsBoundaryArn}`);
  }
  const unique = [...new Set(notes)];
  return unique.length > 0 ? unique.join('; ') : undefined;
}
