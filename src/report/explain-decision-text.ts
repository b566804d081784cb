// The text lines of an IAM decision's explanation under an evidence line of `ssmguard explain`.

import type { DecisionExplanation, ExplainedStatement } from '../iam/explain-decision.js';

/**
 * One line per layer that took part (identity, boundary, each SCP level, each endpoint), then one per statement
 * with its effect and whether it decided, then each condition clause: the policy's values, the request's value
 * and the outcome. The caller indents and neutralises the text.
 */
export function explanationLines(x: DecisionExplanation): string[] {
  const lines: string[] = [];
  for (const layer of x.layers) {
    const where = layer.level !== undefined ? `${layer.layer} ${layer.level}` : layer.layer;
    if (layer.statements.length === 0)
      lines.push(`${where}: ${layer.blocks ? 'allows nothing' : 'no statement'}`);
    for (const statement of layer.statements) {
      lines.push(`${where}: ${statementText(statement)}`);
      for (const c of statement.conditions ?? [])
        lines.push(
          `    ${c.operator} ${c.key} ${JSON.stringify(c.values.length === 1 ? c.values[0] : c.values)} (request: ${c.context}) → ${String(c.result)}`,
        );
    }
  }
  if (x.unknownKeys !== undefined && x.unknownKeys.length > 0)
    lines.push(`depends on: ${x.unknownKeys.join(', ')}`);
  return lines;
}

function statementText(s: ExplainedStatement): string {
  const ref = `statement #${s.statementIndex + 1}${s.sid !== undefined ? ` (${s.sid})` : ''}`;
  const role = s.role === 'decides' ? 'decides' : 'does not apply (conditions false)';
  return `${s.policy} ${ref} ${s.effect} — ${role}${s.resourceScoped ? ', only for some resources' : ''}`;
}
