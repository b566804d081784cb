// Runs the policy corpus through the evaluator with the instance's request context; reports the decided share.
import { describe, expect, it, test } from 'vitest';
import { requestContext } from '../../src/iam/conditions/index.js';
import { evaluateActions } from '../../src/iam/evaluate-actions.js';
import { CONTEXTS, CORPUS, type CorpusCase } from './corpus/agent-policy-corpus.js';
import { named } from './iam-test-helpers.js';

function decide(c: CorpusCase) {
  const result = evaluateActions({
    identityPolicies: [named('instance-role-inline', ...c.identity)],
    scpLayers: c.scps?.map((statements, i) => ({
      name: i === 0 ? 'root' : `ou-${i}`,
      policies: [named(`scp-${i}`, ...statements)],
    })),
    endpointPolicies:
      c.endpoint === undefined
        ? undefined
        : [
            {
              name: 'vpce-0ssm',
              services: ['ssm', 'ssmmessages', 'ec2messages', 's3'],
              policy: named('vpce-0ssm', ...c.endpoint),
            },
          ],
    actions: [],
    requests: [{ action: c.action, resource: c.resource, noResourceType: c.noResourceType }],
    context: requestContext(CONTEXTS[c.context]),
  });
  if (result.status !== 'EVALUATED') throw result.error;
  return result.decisions[0]!;
}

describe('policy corpus (expected decisions from the AWS documentation)', () => {
  it('holds at least 60 cases, each with an AWS documentation source', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    for (const c of CORPUS) expect(c.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });

  test.for(CORPUS)('$name → $expect', (c) => {
    const decision = decide(c);
    expect(decision.decision).toBe(c.expect);
    if (c.expect === 'CONDITIONAL') expect(decision.unknownKeys?.length).toBeGreaterThan(0);
  });

  it('decides most of the corpus (the share is reported in the closing note)', () => {
    const decided = CORPUS.filter((c) => decide(c).decision !== 'CONDITIONAL').length;
    // 63 of 69 at the time of writing; CONDITIONAL only where the key is unknowable offline.
    expect(decided / CORPUS.length).toBeGreaterThan(0.9);
  });
});
