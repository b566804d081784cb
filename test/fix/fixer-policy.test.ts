// policies/iam/ssmguard-fix-apply.json: generated from the change kinds' calls, it grants exactly the reads of
// the re-read plus, per change kind, the calls its apply and undo make, and iam:PassRole only on the roles
// ssmguard creates. (apply.test.ts proves a plan's own policy against the calls a real apply and undo make.)

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANGE_CALLS } from '../../src/fix/apply/change-calls.js';
import { FIX_READ_ACTIONS, genericFixerPolicy } from '../../src/fix/apply/fixer-policy.js';
import { evaluateActions } from '../../src/iam/index.js';
import type { PolicyDocument, PolicyStatement } from '../../src/inventory/model.js';
import { shippedPoliciesDir } from '../../src/package-root.js';

const shipped = JSON.parse(
  readFileSync(join(shippedPoliciesDir(), 'iam', 'ssmguard-fix-apply.json'), 'utf8'),
) as PolicyDocument;
const statements = (
  Array.isArray(shipped.Statement) ? shipped.Statement : [shipped.Statement]
) as PolicyStatement[];
const decide = (action: string, resource: string) => {
  const result = evaluateActions({
    identityPolicies: [{ id: 'fixer', policy: { document: shipped } }],
    actions: [action],
    resource,
  });
  return result.status === 'EVALUATED' ? result.decisions[0]!.decision : result.status;
};

describe('policies/iam/ssmguard-fix-apply.json', () => {
  it('is what the change kinds generate (regenerate with genericFixerPolicy() when they change)', () => {
    expect(shipped).toEqual(genericFixerPolicy());
  });

  it('grants every call the applier and undo make, and nothing else', () => {
    const needed = new Set([
      ...FIX_READ_ACTIONS,
      ...Object.values(CHANGE_CALLS).flatMap((c) => [...c.apply, ...c.undo]),
    ]);
    const granted = new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action!])));
    expect([...needed].filter((a) => !granted.has(a))).toEqual([]);
    expect([...granted].filter((a) => !needed.has(a))).toEqual([]);
  });

  it('lets iam:PassRole reach only the roles ssmguard creates', () => {
    expect(decide('iam:PassRole', 'arn:aws:iam::111122223333:role/ssmguard-ssm-instance-role')).toBe(
      'ALLOWED',
    );
    expect(
      decide(
        'iam:PassRole',
        'arn:aws:iam::111122223333:role/service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole',
      ),
    ).toBe('ALLOWED');
    expect(decide('iam:PassRole', 'arn:aws:iam::111122223333:role/AdminRole')).toBe('NOT_ALLOWED');
    expect(decide('iam:DeleteRole', 'arn:aws:iam::111122223333:role/AdminRole')).toBe('NOT_ALLOWED');
  });
});
