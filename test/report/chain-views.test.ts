// The report's per-instance chains and `explain` are two views of one chain model: same links, same verdicts,
// same first broken link, same readiness; a link only a rule names shows up in both.

import { describe, expect, it } from 'vitest';
import { loadInput } from '../../src/cli/load-input.js';
import { loadRuleSet } from '../../src/cli/rule-set.js';
import { runScan } from '../../src/cli/run-scan.js';
import type { CompiledRule } from '../../src/engine/compile-rule.js';
import type { Evaluation } from '../../src/engine/types.js';
import { exampleFleetDir } from '../../src/package-root.js';
import { buildReport, type Report, type ReportStatus } from '../../src/report/build-report.js';
import { explainInstance, type LinkVerdict } from '../../src/report/explain-instance.js';

const VERDICTS: Record<ReportStatus, LinkVerdict[]> = {
  NON_COMPLIANT: ['broken'],
  ERROR: ['error'],
  WAIVED: ['waived'],
  COMPLIANT: ['ok', 'unverified'],
  NOT_APPLICABLE: ['n/a', 'unverified'],
};

async function exampleFleetReport(): Promise<Report> {
  const input = await loadInput([exampleFleetDir()], {});
  const ruleSet = await loadRuleSet({});
  const scan = await runScan(input.inventory, ruleSet, { format: 'json', color: false, failOn: 'none' });
  return scan.report;
}

describe('chain views', () => {
  it('agree on every instance of the example fleet: links, verdicts, first broken link and readiness', async () => {
    // Prepare
    const report = await exampleFleetReport();
    let ready = 0;
    for (const chain of report.chains) {
      // Act
      const x = explainInstance({ report, instanceId: chain.instanceId });
      // Assess
      const evaluated = x.links.filter((l) => l.verdict !== 'not evaluated');
      expect(evaluated.map((l) => l.link)).toEqual(chain.links.map((l) => l.link));
      evaluated.forEach((l, i) => expect(VERDICTS[chain.links[i]!.status]).toContain(l.verdict));
      expect(x.firstBroken && { link: x.firstBroken.link, ruleId: x.firstBroken.ruleId }).toEqual(
        chain.firstBroken,
      );
      expect(x.links.filter((l) => l.firstBroken).map((l) => l.link)).toEqual(
        chain.firstBroken ? [chain.firstBroken.link] : [],
      );
      if (x.ready) ready += 1;
    }
    expect(ready).toBe(report.summary.readyInstances);
    expect(report.chains.some((c) => c.firstBroken)).toBe(true);
  });

  it('show a link only a user rule names in both, after the declared links, and let it break the chain', () => {
    // Prepare
    const rule = (id: string, link: string): CompiledRule =>
      ({
        id,
        severity: 'high',
        params: {},
        spec: { type: 'AWS::EC2::Instance' },
        loaded: { definition: { link, title: id, description: '', reasons: {}, remediation: { text: '' } } },
      }) as unknown as CompiledRule;
    const ev = (ruleId: string, status: Evaluation['status']): Evaluation => ({
      ruleId,
      resourceType: 'AWS::EC2::Instance',
      resourceId: 'i-1',
      accountId: '111122223333',
      region: 'us-east-1',
      status,
      severity: 'high',
      evidence: [],
      message: `${ruleId} ${status}`,
    });
    // Act
    const report = buildReport({
      evaluations: [ev('online', 'COMPLIANT'), ev('hop', 'NON_COMPLIANT')],
      rules: [rule('online', 'outcome'), rule('hop', 'custom-hop')],
      source: { kind: 'aws-cli', inputs: [] } as never,
      evaluatedAt: '2026-11-20T12:00:00.000Z',
      policy: 'test',
      toolVersion: '0.0.0',
    });
    const x = explainInstance({ report, instanceId: 'i-1' });
    // Assess
    expect(report.chains[0]!.links).toEqual([
      { link: 'outcome', status: 'COMPLIANT' },
      { link: 'custom-hop', status: 'NON_COMPLIANT' },
    ]);
    expect(report.chains[0]!.firstBroken).toEqual({ link: 'custom-hop', ruleId: 'hop' });
    expect(x.links.at(-1)).toMatchObject({ link: 'custom-hop', verdict: 'broken', firstBroken: true });
    expect(x.ready).toBe(false);
    expect(report.summary.readyInstances).toBe(0);
  });

  it('count an instance with a readiness link that could not be evaluated as not ready, in both', () => {
    const report = buildReport({
      evaluations: [
        {
          ruleId: 'perm',
          resourceType: 'AWS::EC2::Instance',
          resourceId: 'i-1',
          accountId: '111122223333',
          region: 'us-east-1',
          status: 'ERROR',
          severity: 'high',
          evidence: [],
          error: { code: 'DATA_MISSING', message: 'no IAM data' },
        },
      ],
      rules: [
        {
          id: 'perm',
          severity: 'high',
          params: {},
          spec: { type: 'AWS::EC2::Instance' },
          loaded: {
            definition: {
              link: 'permissions',
              title: 'p',
              description: '',
              reasons: {},
              remediation: { text: '' },
            },
          },
        } as unknown as CompiledRule,
      ],
      source: { kind: 'aws-cli', inputs: [] } as never,
      evaluatedAt: '2026-11-20T12:00:00.000Z',
      policy: 'test',
      toolVersion: '0.0.0',
    });
    const x = explainInstance({ report, instanceId: 'i-1' });
    expect(x.links.find((l) => l.link === 'permissions')!.verdict).toBe('error');
    expect(x.firstBroken).toBeUndefined();
    expect(x.ready).toBe(false);
    expect(report.summary.readyInstances).toBe(0);
  });
});
