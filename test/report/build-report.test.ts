// The report model beyond root causes: readiness chains, scope summaries, provenance and the input hash, and the
// scan pipeline wiring waivers from --policy.

import { describe, expect, it } from 'vitest';

import { loadInput } from '../../src/cli/load-input.js';
import { loadRuleSet } from '../../src/cli/rule-set.js';
import { runScan } from '../../src/cli/run-scan.js';
import { inventoryHash } from '../../src/report/input-hash.js';
import { buildSampleInventory, SAMPLE_IDS } from '../fixtures/inventory/sample-inventory.js';
import { NAMED_CHECKS } from '../../src/engine/checks/index.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { parsePolicyPack, resolvePolicy } from '../../src/policy/policy-pack.js';
import { buildReport, CHAIN_ORDER, INDEPENDENT_LINKS } from '../../src/report/build-report.js';
import { renderText } from '../../src/report/render-text.js';
import { resourceContextFromInventory } from '../../src/report/resource-context.js';
import { loadRules } from '../../src/ruleset/load-rules.js';
import { exampleFleetDir, packageRoot, shippedRulesDir } from '../../src/package-root.js';
import { buildFixedReport, FIXED_EVALUATED_AT, FIXED_POLICY } from '../fixtures/report/fixed-report.js';

describe('buildReport', () => {
  it('gives every instance a chain with one verdict per link, in chain order, and its first broken link', async () => {
    // Act
    const report = await buildFixedReport();
    // Assess
    expect(report.chains.map((c) => c.instanceId)).toEqual([
      SAMPLE_IDS.webInstance,
      SAMPLE_IDS.windowsInstance,
      SAMPLE_IDS.bastionInstance,
      SAMPLE_IDS.stoppedInstance,
    ]);
    const bastion = report.chains.find((c) => c.instanceId === SAMPLE_IDS.bastionInstance)!;
    expect(bastion.links).toEqual([
      { link: 'credentials', status: 'NON_COMPLIANT' },
      { link: 'imds', status: 'COMPLIANT' },
      { link: 'outcome', status: 'NON_COMPLIANT' },
      { link: 'exposure', status: 'WAIVED' },
      { link: 'patching', status: 'NON_COMPLIANT' },
    ]);
    expect(bastion.firstBroken).toEqual({ link: 'credentials', ruleId: 'ec2-instance-profile-attached' });
    expect(bastion.vpcId).toBe(SAMPLE_IDS.vpc);
    const order = [...CHAIN_ORDER, ...INDEPENDENT_LINKS] as readonly string[];
    for (const c of report.chains) {
      const ranks = c.links.map((l) => order.indexOf(l.link));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
    expect(report.chains.find((c) => c.instanceId === SAMPLE_IDS.webInstance)!.firstBroken).toBeUndefined();
  });

  it('summarises by account, region and VPC, with ready instances', async () => {
    // Act
    const { scopes, summary } = await buildFixedReport();
    // Assess
    expect(scopes.accounts).toEqual([
      expect.objectContaining({
        accountId: '111122223333',
        instances: 4,
        readyInstances: 2,
        counts: summary.byStatus,
      }),
    ]);
    expect(scopes.regions).toEqual([
      expect.objectContaining({ accountId: '111122223333', region: 'eu-west-1', instances: 4 }),
    ]);
    expect(scopes.vpcs).toEqual([
      expect.objectContaining({
        vpcId: SAMPLE_IDS.vpc,
        instances: 4,
        readyInstances: 2,
        counts: summary.byStatus,
      }),
    ]);
  });

  it('does not count an instance whose readiness chain could not be evaluated as ready', async () => {
    // Prepare: SSM instance information unreadable, so the web instance's outcome link is ERROR, not Online.
    const inventory = buildSampleInventory();
    inventory.coverage = inventory.coverage.map((c) =>
      c.family === 'ssm:instance-information'
        ? { ...c, status: 'error', error: { code: 'AccessDeniedException', message: 'denied' } }
        : c,
    );
    const rules = resolvePolicy(
      await loadRules([shippedRulesDir()]),
      parsePolicyPack('policies/fixed-report.yaml', FIXED_POLICY),
      NAMED_CHECKS,
    );
    // Act
    const report = buildReport({
      evaluations: evaluate(inventory, rules, { nowMs: Date.parse(FIXED_EVALUATED_AT) }),
      rules,
      source: inventory.source,
      evaluatedAt: FIXED_EVALUATED_AT,
      policy: 'test',
      toolVersion: '0.0.0-test',
      resources: resourceContextFromInventory(inventory),
    });
    // Assess
    const web = report.chains.find((c) => c.instanceId === SAMPLE_IDS.webInstance)!;
    expect(web.links).toContainEqual({ link: 'outcome', status: 'ERROR' });
    expect(web.firstBroken).toBeUndefined();
    expect(report.summary.readyInstances).toBe(1);
    expect(report.scopes.accounts[0]!.readyInstances).toBe(1);
  });

  it('records provenance: sources, accounts, regions, input hash, tool version, policy and rules', async () => {
    const { provenance } = await buildFixedReport();
    expect(provenance).toMatchObject({
      source: {
        inputs: ['fixtures/sample-inventory.json'],
        accounts: ['111122223333'],
        regions: ['eu-west-1'],
      },
      evaluatedAt: '2025-03-01T09:30:00.000Z',
      policy: 'fixed-report',
      policyFile: 'policies/fixed-report.yaml',
      toolVersion: '0.0.0-test',
      inputHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    expect(provenance.rules.map((r) => r.id)).toHaveLength(5);
  });
});

describe('inventoryHash', () => {
  it('ignores key order and where the files were read from, but not content', () => {
    // Prepare
    const a = buildSampleInventory();
    const b = buildSampleInventory();
    b.source = { ...b.source, inputs: ['/elsewhere/file.json'] };
    b.coverage = b.coverage.map((c) => ({ ...c, origin: 'other/path.json' }));
    b.instances[0] = Object.fromEntries(Object.entries(b.instances[0]!).reverse()) as (typeof b.instances)[0];
    const c = buildSampleInventory();
    c.instances[0]!.tags.Name = 'changed';
    // Act / Assess
    expect(inventoryHash(b)).toBe(inventoryHash(a));
    expect(inventoryHash(c)).not.toBe(inventoryHash(a));
  });
});

describe('runScan', () => {
  it('applies the waivers of --policy, hashes the input and knows each instance VPC', async () => {
    // Prepare
    const { inventory } = await loadInput([exampleFleetDir()]);
    const ruleSet = await loadRuleSet({
      policyFile: `${packageRoot()}/policies/examples/example-fleet-waivers.yaml`,
    });
    // Act
    const { report, failed } = await runScan(inventory, ruleSet, {
      format: 'json',
      color: false,
      failOn: 'medium',
    });
    // Assess
    expect(report.waivers.map((w) => [w.id, w.state])).toEqual([
      ['legacy-rdp-gateway', 'applied'],
      ['patch-tag-migration', 'expired'],
      ['retired-team-exception', 'unused'],
    ]);
    expect(
      report.results.find(
        (r) => r.resourceId === 'i-039ad9b1e137c4d3c' && r.ruleId === 'ec2-instance-no-inbound-ssm-ports',
      )!.status,
    ).toBe('WAIVED');
    // AWS CLI input is hashed from the files' bytes as they are read.
    expect(report.provenance.inputHash).toBe(inventory.source.inputHash);
    expect(report.provenance.inputHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(report.scopes.vpcs.length).toBeGreaterThan(1);
    expect(report.scopes.vpcs.every((v) => v.vpcId?.startsWith('vpc-'))).toBe(true);
    expect(failed).toBe(true);
  });
});

describe('unverifiable results', () => {
  it('groups NOT_APPLICABLE results that carry a reason as "unverified" causes, apart from failures', async () => {
    // Prepare: route the sample fleet's default routes to a transit gateway, whose far side this account cannot see.
    const inventory = buildSampleInventory();
    for (const table of inventory.routeTables) {
      for (const route of table.routes)
        if (route.destinationCidr === '0.0.0.0/0')
          route.target = { kind: 'transit-gateway', id: 'tgw-0123456789abcdef0' };
    }
    inventory.vpcEndpoints = [];
    const ruleSet = await loadRuleSet({});
    // Act
    const { report } = await runScan(inventory, ruleSet, { format: 'json', color: false, failOn: 'none' });
    // Assess
    const unverified = report.rootCauses.filter((c) => c.kind === 'unverified');
    expect(unverified.length).toBeGreaterThan(0);
    // The SSM path and the patch egress (S3 and the repositories) both leave the account through the gateway.
    const UNVERIFIABLE = ['NET.PATH_UNVERIFIABLE', 'PATCH.EGRESS_UNVERIFIABLE'];
    expect(unverified.every((c) => UNVERIFIABLE.includes(c.reason ?? ''))).toBe(true);
    expect(
      report.rootCauses
        .filter((c) => c.kind !== 'unverified')
        .some((c) => UNVERIFIABLE.includes(c.reason ?? '')),
    ).toBe(false);
  });
});

describe('notes on compliant results', () => {
  it('lists a sufficient but deprecated policy as a note, not as a failure', async () => {
    const { inventory } = await loadInput([exampleFleetDir()]);
    const { report } = await runScan(inventory, await loadRuleSet({}), {
      format: 'json',
      color: false,
      failOn: 'none',
    });
    const note = report.rootCauses.find((c) => c.reason === 'IAM.DEPRECATED_POLICY');
    expect(note).toMatchObject({ kind: 'note', ruleId: 'ec2-instance-role-grants-ssm-core' });
    expect(note!.example).toMatch(/sufficient but deprecated/);
    const results = report.results.filter((r) => r.reason === 'IAM.DEPRECATED_POLICY');
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.status === 'COMPLIANT' && r.message !== undefined)).toBe(true);
  });
});

describe('waived readiness links', () => {
  /** The sample inventory's report, with `waivers` (YAML list items) in a pack of the five fixed rules. */
  async function reportWith(waivers: string) {
    const inventory = buildSampleInventory();
    const policy = parsePolicyPack(
      'policies/p.yaml',
      `${FIXED_POLICY.split('waivers:')[0]}waivers:\n${waivers}`,
    );
    const rules = resolvePolicy(await loadRules([shippedRulesDir()]), policy, NAMED_CHECKS);
    return buildReport({
      evaluations: evaluate(inventory, rules, { nowMs: Date.parse(FIXED_EVALUATED_AT) }),
      rules,
      source: inventory.source,
      evaluatedAt: FIXED_EVALUATED_AT,
      policy: 'p',
      toolVersion: '0.0.0-test',
      waivers: policy.waivers,
      resources: resourceContextFromInventory(inventory),
    });
  }

  it('counts an instance whose broken readiness links are all waived as not ready (waived), never ready', async () => {
    // Act: every rule waived for the bastion, whose credentials and outcome links are broken.
    const report = await reportWith(
      `  - rule: "*"\n    resource: ${SAMPLE_IDS.bastionInstance}\n    reason: r\n    owner: o@example.com\n    expires: 2025-06-30\n`,
    );
    // Assess
    const bastion = report.chains.find((c) => c.instanceId === SAMPLE_IDS.bastionInstance)!;
    expect(bastion.firstBroken).toBeUndefined();
    expect(bastion.firstWaived).toEqual({ link: 'credentials', ruleId: 'ec2-instance-profile-attached' });
    expect(bastion.readiness).toBe('waived');
    expect(report.summary.readyInstances).toBe(2); // as without the waiver
    expect(report.summary.waivedInstances).toBe(1);
    expect(report.scopes.accounts[0]!.readyInstances).toBe(2);
    // Waived results fail no gate: that stays as it was.
    expect(
      report.results.filter(
        (r) => r.resourceId === SAMPLE_IDS.bastionInstance && r.status === 'NON_COMPLIANT',
      ),
    ).toEqual([]);
  });

  it('leaves readiness alone when the waived link is an independent finding (an open port)', async () => {
    // Act: only the bastion's inbound-port finding is waived; its credentials link stays broken.
    const report = await reportWith(
      `  - rule: ec2-instance-no-inbound-ssm-ports\n    resource: ${SAMPLE_IDS.bastionInstance}\n    reason: r\n    owner: o@example.com\n    expires: 2025-06-30\n`,
    );
    // Assess
    const bastion = report.chains.find((c) => c.instanceId === SAMPLE_IDS.bastionInstance)!;
    expect(bastion.readiness).toBe('broken');
    expect(bastion.firstWaived).toBeUndefined();
    expect(report.summary.waivedInstances).toBe(0);
  });
});

describe('could not evaluate', () => {
  it('counts distinct resources, not results, and lists each resource once per cause with every rule it hit', async () => {
    // Prepare: no IAM data at all, so the trust and permission rules both ERROR for the same instances.
    const inventory = buildSampleInventory();
    inventory.coverage = inventory.coverage.map((c) =>
      c.family === 'iam:authorization-details'
        ? { ...c, status: 'error', error: { code: 'AccessDenied', message: 'denied' } }
        : c,
    );
    const rules = resolvePolicy(await loadRules([shippedRulesDir()]), undefined, NAMED_CHECKS);
    // Act
    const report = buildReport({
      evaluations: evaluate(inventory, rules, { nowMs: Date.parse(FIXED_EVALUATED_AT) }),
      rules,
      source: inventory.source,
      evaluatedAt: FIXED_EVALUATED_AT,
      policy: 'test',
      toolVersion: '0.0.0-test',
      resources: resourceContextFromInventory(inventory),
    });
    // Assess
    const errors = report.results.filter((r) => r.status === 'ERROR');
    const distinct = new Set(errors.map((r) => `${r.resourceType} ${r.resourceId}`));
    expect(errors.length).toBeGreaterThan(distinct.size); // several rules per resource: the case at hand
    expect(report.summary.unevaluated).toEqual({
      resources: distinct.size,
      instances: new Set(
        errors.filter((r) => r.resourceType === 'AWS::EC2::Instance').map((r) => r.resourceId),
      ).size,
      results: errors.length,
    });
    const causes = report.rootCauses.filter((c) => c.kind === 'error');
    for (const c of causes) expect(c.resourceIds).toEqual([...new Set(c.resourceIds)]);
    expect(causes.some((c) => c.ruleIds.length > 1)).toBe(true);
    expect(renderText(report, { color: false })).toContain(
      `Could not evaluate: ${report.summary.unevaluated.instances} instances`,
    );
  });
});
