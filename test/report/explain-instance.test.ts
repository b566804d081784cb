// explainInstance / renderExplanation: the report's chain of one instance, link by link: links from the rules'
// `link`s, verdict per link, the first broken readiness link and its fix, "not evaluated" for links no rule
// checks, "unverified" for paths ssmguard can't see, "waived" for a waived link.

import { describe, expect, it } from 'vitest';
import type { CompiledRule } from '../../src/engine/compile-rule.js';
import type { Evaluation } from '../../src/engine/types.js';
import type { Waiver } from '../../src/policy/waivers.js';
import { buildReport } from '../../src/report/build-report.js';
import {
  explainInstance as explainReport,
  renderExplanation,
  type InstanceExplanation,
} from '../../src/report/explain-instance.js';

interface ExplainRule {
  id: string;
  link: string;
  title: string;
}

/** Just what buildReport reads of a compiled rule. */
const compiled = (r: ExplainRule): CompiledRule =>
  ({
    id: r.id,
    severity: 'high',
    params: {},
    spec: { type: 'AWS::EC2::Instance' },
    loaded: {
      definition: { link: r.link, title: r.title, description: '', reasons: {}, remediation: { text: '' } },
    },
  }) as unknown as CompiledRule;

/** Explains one instance the way the CLI does: through the report model of its evaluations. */
function explainInstance(input: {
  instanceId: string;
  evaluations: readonly Evaluation[];
  rules: readonly ExplainRule[];
  instanceState?: string;
  waivers?: readonly Waiver[];
}): InstanceExplanation {
  const report = buildReport({
    evaluations: input.evaluations,
    rules: input.rules.map(compiled),
    source: { kind: 'aws-cli', inputs: [] } as never,
    evaluatedAt: '2026-11-20T12:00:00.000Z',
    policy: 'test',
    toolVersion: '0.0.0',
    waivers: input.waivers,
  });
  return explainReport({ report, instanceId: input.instanceId, instanceState: input.instanceState });
}

const rules: ExplainRule[] = [
  { id: 'profile', link: 'credentials', title: 'Instance has credentials' },
  { id: 'imds', link: 'imds', title: 'IMDS is enabled' },
  { id: 'egress', link: 'egress', title: 'Egress allows 443' },
  { id: 'net', link: 'network', title: 'Network path to SSM' },
  { id: 'online', link: 'outcome', title: 'Online in SSM' },
  { id: 'ports', link: 'exposure', title: 'No inbound SSM ports' },
];

const ev = (ruleId: string, status: Evaluation['status'], extra: Partial<Evaluation> = {}): Evaluation => ({
  ruleId,
  resourceType: 'AWS::EC2::Instance',
  resourceId: 'i-1',
  accountId: '111122223333',
  region: 'us-east-1',
  status,
  severity: 'high',
  evidence: [],
  ...extra,
});

describe('explainInstance', () => {
  it('marks the first broken readiness link and carries its fix', () => {
    // Prepare
    const evaluations = [
      ev('profile', 'COMPLIANT'),
      ev('imds', 'COMPLIANT'),
      ev('egress', 'COMPLIANT'),
      ev('net', 'NON_COMPLIANT', {
        reason: 'NET.NO_ROUTE',
        message: 'no route',
        remediation: { text: 'add a NAT route', command: 'aws ec2 create-route' },
      }),
      ev('online', 'NON_COMPLIANT', { reason: 'SSM.NOT_REGISTERED', message: 'not registered' }),
      ev('ports', 'NON_COMPLIANT', { reason: 'NET.INBOUND_SSM_PORT', message: 'port 22 open' }),
      ev('net', 'NON_COMPLIANT', { resourceId: 'i-2', message: 'other instance' }),
    ];
    // Act
    const x = explainInstance({ instanceId: 'i-1', evaluations, rules, instanceState: 'running' });
    // Assess
    expect(x.firstBroken).toEqual({
      link: 'network',
      ruleId: 'net',
      reason: 'NET.NO_ROUTE',
      message: 'no route',
      remediation: { text: 'add a NAT route', command: 'aws ec2 create-route' },
    });
    expect(x.ready).toBe(false);
    const verdicts = Object.fromEntries(x.links.map((l) => [l.link, l.verdict]));
    expect(verdicts).toEqual({
      state: 'ok',
      credentials: 'ok',
      trust: 'not evaluated',
      permissions: 'not evaluated',
      imds: 'ok',
      registration: 'not evaluated',
      egress: 'ok',
      network: 'broken',
      outcome: 'broken',
      exposure: 'broken',
      agent: 'not evaluated',
      patching: 'not evaluated',
      'patch-window': 'not evaluated',
      'patch-baseline': 'not evaluated',
      'patch-egress': 'not evaluated',
      'patch-run': 'not evaluated',
      'patch-outcome': 'not evaluated',
    });
    expect(x.links.filter((l) => l.firstBroken).map((l) => l.link)).toEqual(['network']);
    expect(x.links.find((l) => l.link === 'network')!.results).toHaveLength(1);
  });

  it('does not treat an independent finding (exposure) as the first broken link', () => {
    const x = explainInstance({
      instanceId: 'i-1',
      evaluations: [ev('ports', 'NON_COMPLIANT', { message: 'port 22 open' }), ev('net', 'COMPLIANT')],
      rules,
    });
    expect(x.firstBroken).toBeUndefined();
    expect(x.ready).toBe(true);
  });

  it('shows a "cannot be verified" network result as unverified, not ok and not broken', () => {
    const x = explainInstance({
      instanceId: 'i-1',
      evaluations: [
        ev('net', 'NOT_APPLICABLE', {
          message:
            'Cannot be verified from this account: route table rtb-1 sends 0.0.0.0/0 to transit gateway tgw-1.',
        }),
      ],
      rules,
    });
    expect(x.links.find((l) => l.link === 'network')!.verdict).toBe('unverified');
    expect(renderExplanation(x, { color: false })).toMatch(
      /No broken link in the readiness chain. Not confirmed: .*network \(unverified\)/,
    );
  });

  it('reports ERROR links as error and picks up links of rules added later (generic over `link`)', () => {
    const x = explainInstance({
      instanceId: 'i-1',
      evaluations: [ev('perm', 'ERROR', { error: { code: 'DATA_MISSING', message: 'no IAM data' } })],
      rules: [...rules, { id: 'perm', link: 'permissions', title: 'Role grants SSM core' }],
    });
    const link = x.links.find((l) => l.link === 'permissions')!;
    expect(link.verdict).toBe('error');
    expect(link.results[0]!.message).toBe('no IAM data');
  });

  it('applies the policy waivers as the report does: a waived link says WAIVED and names its waiver', () => {
    // Prepare
    const waiver: Waiver = {
      id: 'net-exception',
      ruleId: 'net',
      scope: { resourceId: 'i-1' },
      reason: 'migration',
      owner: 'ops@example.com',
      expires: '2027-01-01',
      expiresAtMs: Date.parse('2027-01-01T00:00:00Z'),
      yamlPath: 'waivers[0]',
    };
    // Act
    const x = explainInstance({
      instanceId: 'i-1',
      evaluations: [ev('net', 'NON_COMPLIANT', { message: 'no route' })],
      rules,
      waivers: [waiver],
    });
    // Assess
    expect(x.links.find((l) => l.link === 'network')).toMatchObject({
      verdict: 'waived',
      firstBroken: false,
    });
    expect(x.firstBroken).toBeUndefined();
    // A waived link is still broken: the instance is not ready, whatever the waiver says about the risk.
    expect(x.ready).toBe(false);
    expect(x.readiness).toBe('waived');
    expect(x.firstWaived).toMatchObject({ link: 'network', ruleId: 'net', waiverId: 'net-exception' });
    const text = renderExplanation(x, { color: false });
    expect(text).toMatch(/network +WAIVED +no route \(net\)/);
    expect(text).toContain('waived by net-exception');
    expect(text).toContain('Not ready (waived): network is broken');
    expect(text).not.toContain('No broken link');
  });

  it('uses the inventory state when no rule checks the state link', () => {
    const x = explainInstance({ instanceId: 'i-1', evaluations: [], rules, instanceState: 'stopped' });
    expect(x.links[0]).toMatchObject({ link: 'state', verdict: 'n/a' });
  });
});

describe('renderExplanation', () => {
  it('prints one line per link, evidence under the broken one, and the fix', () => {
    const x = explainInstance({
      instanceId: 'i-1',
      instanceState: 'running',
      rules,
      evaluations: [
        ev('profile', 'COMPLIANT', { message: 'has a profile' }),
        ev('net', 'NON_COMPLIANT', {
          reason: 'NET.ENDPOINT_SG_BLOCKS',
          message: 'endpoint SG blocks',
          evidence: [
            {
              resourceId: 'sg-vpce',
              path: 'vpcEndpoint.securityGroups[*].ingress',
              actual: 'allows inbound TCP 443 only from 10.99.0.0/16',
              expected: 'tcp/443 from 10.0.1.0/24',
            },
          ],
          remediation: {
            text: 'Allow 443 from the instances.',
            command: 'aws ec2 authorize-security-group-ingress --group-id sg-vpce',
          },
        }),
      ],
    });
    const text = renderExplanation(x, { color: false });
    expect(text).toContain('ssmguard explain i-1 (111122223333, us-east-1)');
    expect(text).toMatch(/ {2}credentials +OK +has a profile \(profile\)/);
    expect(text).toMatch(/▶ network +BROKEN +endpoint SG blocks \(net\) +← first broken link/);
    expect(text).toContain(
      '· sg-vpce vpcEndpoint.securityGroups[*].ingress allows inbound TCP 443 only from 10.99.0.0/16 (expected tcp/443 from 10.0.1.0/24)',
    );
    expect(text).toMatch(/ {2}trust +NOT EVALUATED +no rule checks this link yet/);
    expect(text).toContain('First broken link: network — NET.ENDPOINT_SG_BLOCKS (rule net)');
    expect(text).toContain('    $ aws ec2 authorize-security-group-ingress --group-id sg-vpce');
    expect(text).not.toContain('\u001b[');
  });

  it('strips terminal control sequences from resource-derived text', () => {
    const x = explainInstance({
      instanceId: 'i-1',
      rules,
      evaluations: [ev('net', 'NON_COMPLIANT', { message: 'tag \u001b[31mred' })],
    });
    expect(renderExplanation(x, { color: false })).not.toContain('\u001b');
  });
});
