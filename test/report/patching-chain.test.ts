// Root causes follow the patching chain after the readiness chain: an offline instance is explained by its first
// broken readiness link (its patch findings are symptoms), an online one by its first broken patching link only.

import { describe, expect, it } from 'vitest';
import { loadRuleSet } from '../../src/cli/rule-set.js';
import type { Evaluation, EvaluationStatus } from '../../src/engine/types.js';
import { buildReport } from '../../src/report/build-report.js';
import { CHAIN_LINKS } from '../../src/report/chain/chain-links.js';

const { rules } = await loadRuleSet({});

function result(instanceId: string, ruleId: string, status: EvaluationStatus, reason?: string): Evaluation {
  return {
    ruleId,
    resourceType: 'AWS::EC2::Instance',
    resourceId: instanceId,
    accountId: '111122223333',
    region: 'us-east-1',
    status,
    severity: rules.find((r) => r.id === ruleId)!.severity,
    ...(reason !== undefined && { reason, cause: { key: reason } }),
    message: `${ruleId} ${status}`,
    evidence: [],
  };
}

function report(evaluations: Evaluation[]) {
  return buildReport({
    evaluations: [...evaluations].sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)),
    rules,
    source: { kind: 'fixture', inputs: [], accounts: ['111122223333'], regions: ['us-east-1'] },
    evaluatedAt: '2026-11-20T12:00:00.000Z',
    policy: 'test',
    toolVersion: '0.0.0-test',
  });
}

const OFFLINE = 'i-0000000000000000a';
const ONLINE_STALE = 'i-0000000000000000b';
const UNTARGETED = 'i-0000000000000000c';

describe('the patching chain in root causes', () => {
  it('declares the patching links in chain order after the readiness chain, with a slot for the last run', () => {
    const patching = CHAIN_LINKS.filter((l) => l.role === 'patching').map((l) => l.id);
    expect(patching).toEqual([
      'patching',
      'patch-window',
      'patch-baseline',
      'patch-egress',
      'patch-run',
      'patch-outcome',
    ]);
    const ids = CHAIN_LINKS.map((l) => l.id);
    expect(ids.indexOf('patching')).toBeGreaterThan(ids.indexOf('outcome'));
  });

  it('explains each instance by its first broken link: readiness first, then the patching chain in order', () => {
    // Act
    const { rootCauses, chains } = report([
      // Offline: no profile; its patch links fail as a consequence.
      result(OFFLINE, 'ec2-instance-profile-attached', 'NON_COMPLIANT', 'IAM.NO_INSTANCE_PROFILE'),
      result(OFFLINE, 'ec2-instance-ssm-online', 'NON_COMPLIANT', 'SSM.CONNECTION_LOST'),
      result(OFFLINE, 'ec2-instance-patch-targeted-by-tag', 'NON_COMPLIANT', 'PATCH.NOT_TARGETED_BY_TAG'),
      result(OFFLINE, 'ec2-instance-patched-recently', 'NON_COMPLIANT', 'PATCH.PATCH_STATE_STALE'),
      // Online and targeted, but its last Install is old.
      result(ONLINE_STALE, 'ec2-instance-profile-attached', 'COMPLIANT'),
      result(ONLINE_STALE, 'ec2-instance-ssm-online', 'COMPLIANT'),
      result(ONLINE_STALE, 'ec2-instance-patch-targeted-by-tag', 'COMPLIANT'),
      result(ONLINE_STALE, 'ec2-instance-patched-recently', 'NON_COMPLIANT', 'PATCH.PATCH_STATE_STALE'),
      // Online but no window targets it: the stale patch state follows from that.
      result(UNTARGETED, 'ec2-instance-profile-attached', 'COMPLIANT'),
      result(UNTARGETED, 'ec2-instance-ssm-online', 'COMPLIANT'),
      result(UNTARGETED, 'ec2-instance-patch-targeted-by-tag', 'NON_COMPLIANT', 'PATCH.NOT_TARGETED_BY_TAG'),
      result(UNTARGETED, 'ec2-instance-patched-recently', 'NON_COMPLIANT', 'PATCH.PATCH_STATE_STALE'),
    ]);

    // Assess: one cause per instance, at its first broken link.
    const causesOf = (id: string) =>
      rootCauses.filter((c) => c.resourceIds.includes(id)).map((c) => [c.kind, c.ruleId]);
    expect(causesOf(OFFLINE)).toEqual([['readiness', 'ec2-instance-profile-attached']]);
    expect(causesOf(ONLINE_STALE)).toEqual([['patching', 'ec2-instance-patched-recently']]);
    expect(causesOf(UNTARGETED)).toEqual([['patching', 'ec2-instance-patch-targeted-by-tag']]);
    // The patch links still show in each chain, and readiness is untouched by them.
    const offline = chains.find((c) => c.instanceId === OFFLINE)!;
    expect(offline.links.map((l) => l.link)).toEqual(['credentials', 'outcome', 'patching', 'patch-outcome']);
    expect(chains.find((c) => c.instanceId === ONLINE_STALE)!.readiness).toBe('ready');
  });

  it('names no patching cause behind a patching link that could not be evaluated (it may be the real cause)', () => {
    // Act: the window link is ERROR (its tasks were not read); the stale patch state comes after it.
    const unread: Evaluation = {
      ...result(ONLINE_STALE, 'ec2-instance-patch-window-installs', 'ERROR'),
      error: { code: 'DATA_MISSING', message: 'no tasks file for mw-0aaaaaaaaaaaaaaa1' },
    };
    const { rootCauses } = report([
      result(ONLINE_STALE, 'ec2-instance-profile-attached', 'COMPLIANT'),
      result(ONLINE_STALE, 'ec2-instance-ssm-online', 'COMPLIANT'),
      unread,
      result(ONLINE_STALE, 'ec2-instance-patched-recently', 'NON_COMPLIANT', 'PATCH.PATCH_STATE_STALE'),
    ]);

    // Assess: only the ERROR is reported for it.
    expect(rootCauses.map((c) => c.kind)).toEqual(['error']);
  });

  it('lists patching causes in chain order, not by severity', () => {
    // Act: a low-severity break on the first patching link, a high one on the last.
    const { rootCauses } = report([
      result(ONLINE_STALE, 'ec2-instance-profile-attached', 'COMPLIANT'),
      result(ONLINE_STALE, 'ec2-instance-patched-recently', 'NON_COMPLIANT', 'PATCH.PATCH_STATE_STALE'),
      result(UNTARGETED, 'ec2-instance-profile-attached', 'COMPLIANT'),
      result(UNTARGETED, 'ec2-instance-patch-group-tagged', 'NON_COMPLIANT', 'PATCH.NO_PATCH_GROUP_TAG'),
    ]);

    // Assess
    expect(rootCauses.filter((c) => c.kind === 'patching').map((c) => [c.ruleId, c.severity])).toEqual([
      ['ec2-instance-patch-group-tagged', 'low'],
      ['ec2-instance-patched-recently', 'high'],
    ]);
  });
});
