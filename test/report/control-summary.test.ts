// The per-control summary: pass / fail / not evaluated from the mapped rules' results (facts, parameters, waivers,
// errors), and on the example fleet through each shipped framework pack: JSON that validates, text, and a JSON
// report `ssmguard diff` still reads beside one without controls.

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import reportSchema from '../../schemas/report.schema.json' with { type: 'json' };
import { loadInput } from '../../src/cli/load-input.js';
import { loadRuleSet } from '../../src/cli/rule-set.js';
import { runScan } from '../../src/cli/run-scan.js';
import type { Inventory } from '../../src/inventory/model.js';
import { exampleFleetDir, shippedPoliciesDir } from '../../src/package-root.js';
import type { ControlFramework } from '../../src/policy/control-mappings.js';
import type { Report, ReportResult } from '../../src/report/build-report.js';
import { controlsAgainst, summariseControls } from '../../src/report/control-summary.js';
import { renderJson } from '../../src/report/render-json.js';
import { renderText } from '../../src/report/render-text.js';
import { runCli } from '../cli/cli-harness.js';

const FRAMEWORK: ControlFramework = {
  id: 'test-framework',
  title: 'Test framework',
  version: 'v1',
  sources: ['https://example.com/'],
  controls: [
    {
      id: 'C.1',
      title: 'Port 22 closed',
      rules: [
        {
          ruleId: 'ports',
          rationale: 'checks port 22',
          evidence: 'full',
          facts: { port: [22] },
          parameters: { ports: [22] },
        },
      ],
    },
    {
      id: 'C.2',
      title: 'Managed',
      rules: [
        { ruleId: 'online', rationale: 'observes it', evidence: 'full' },
        { ruleId: 'profile', rationale: 'a prerequisite', evidence: 'failures' },
      ],
    },
    {
      id: 'C.3',
      title: 'Prerequisites only',
      rules: [{ ruleId: 'profile', rationale: 'a prerequisite', evidence: 'failures' }],
    },
    { id: 'C.4', title: 'Not evidenced', rules: [], notEvidencedReason: 'no rule reads associations' },
    {
      id: 'C.5',
      title: 'Rule left out',
      rules: [{ ruleId: 'absent', rationale: 'not in the policy', evidence: 'full' }],
    },
  ],
};

const result = (
  ruleId: string,
  resourceId: string,
  status: ReportResult['status'],
  port?: number,
): ReportResult => ({
  ruleId,
  resourceType: 'AWS::EC2::Instance',
  resourceId,
  accountId: '111122223333',
  region: 'us-east-1',
  status,
  severity: 'high',
  evidence: port === undefined ? [] : [{ resourceId: 'sg-1', facts: { port, source: '0.0.0.0/0' } }],
});

const PARAMS = new Map<string, Record<string, unknown>>([
  ['ports', { ports: [22, 3389] }],
  ['online', {}],
  ['profile', {}],
]);

const byId = (controls: ReturnType<typeof summariseControls>) =>
  new Map(controls.map((c) => [c.controlId, c]));

describe('summariseControls', () => {
  it('fails a control with the resources at fault, counting only failures that carry its facts', () => {
    // Act
    const controls = byId(
      summariseControls(
        [FRAMEWORK],
        [
          result('ports', 'i-22', 'NON_COMPLIANT', 22),
          result('ports', 'i-3389', 'NON_COMPLIANT', 3389),
          result('ports', 'i-ok', 'COMPLIANT'),
        ],
        PARAMS,
      ),
    );
    // Assess
    const c1 = controls.get('C.1')!;
    expect(c1.status).toBe('fail');
    expect(c1.failing).toEqual(['i-22']);
    expect(c1.passing).toBe(2); // i-3389 was checked for port 22 and has none open
    expect(c1.statusDetail).toBe('1 resource at fault');
  });

  it('passes a control when a full-evidence rule passed and nothing failed, listing waived resources', () => {
    const controls = byId(
      summariseControls(
        [FRAMEWORK],
        [
          result('online', 'i-1', 'COMPLIANT'),
          result('online', 'i-2', 'WAIVED'),
          result('profile', 'i-1', 'COMPLIANT'),
        ],
        PARAMS,
      ),
    );
    const c2 = controls.get('C.2')!;
    expect(c2.status).toBe('pass');
    expect(c2.waived).toEqual(['i-2']);
    expect(c2.passing).toBe(1);
    expect(c2.statusDetail).toBe('1 resource meets it');
  });

  it('fails a control through a prerequisite, but never passes it through one alone', () => {
    const failed = byId(
      summariseControls(
        [FRAMEWORK],
        [result('online', 'i-1', 'COMPLIANT'), result('profile', 'i-1', 'NON_COMPLIANT')],
        PARAMS,
      ),
    );
    expect(failed.get('C.2')!.status).toBe('fail');
    expect(failed.get('C.2')!.failing).toEqual(['i-1']);
    const onlyPrerequisites = byId(
      summariseControls([FRAMEWORK], [result('profile', 'i-1', 'COMPLIANT')], PARAMS),
    );
    expect(onlyPrerequisites.get('C.3')!.status).toBe('not evaluated');
    expect(onlyPrerequisites.get('C.3')!.statusDetail).toBe(
      'only rules that can show failures ran (profile), and none failed',
    );
  });

  it('leaves a control not evaluated when a resource could not be evaluated, naming it', () => {
    const controls = byId(
      summariseControls(
        [FRAMEWORK],
        [result('online', 'i-1', 'COMPLIANT'), result('online', 'i-2', 'ERROR')],
        PARAMS,
      ),
    );
    expect(controls.get('C.2')!.status).toBe('not evaluated');
    expect(controls.get('C.2')!.unevaluated).toEqual(['i-2']);
    expect(controls.get('C.2')!.statusDetail).toBe('1 resource could not be evaluated');
  });

  it('says why a control has no evidence: none mapped, its rules not run, or every result not applicable', () => {
    const controls = byId(
      summariseControls([FRAMEWORK], [result('online', 'i-1', 'NOT_APPLICABLE')], PARAMS),
    );
    expect(controls.get('C.4')!).toMatchObject({
      status: 'not evaluated',
      statusDetail: 'no rule reads associations',
    });
    expect(controls.get('C.5')!).toMatchObject({
      status: 'not evaluated',
      statusDetail: 'no rule of this policy evidences it',
      notRun: ['absent'],
    });
    expect(controls.get('C.2')!.statusDetail).toBe('every result of its rules was not applicable');
  });

  it('counts a rule run without the parameters a mapping needs as failures-only evidence', () => {
    const params = new Map(PARAMS).set('ports', { ports: [443] });
    const controls = byId(summariseControls([FRAMEWORK], [result('ports', 'i-1', 'COMPLIANT')], params));
    expect(controls.get('C.1')!.status).toBe('not evaluated');
    expect(controls.get('C.1')!.rules).toEqual([
      { ruleId: 'ports', rationale: 'checks port 22', evidence: 'failures' },
    ]);
  });

  it('names the controls a failure counts against by its facts', () => {
    const refs = [
      { framework: 'f', controlId: 'ssh', evidence: 'full' as const, facts: { port: [22] } },
      { framework: 'f', controlId: 'rdp', evidence: 'full' as const, facts: { port: [3389] } },
      { framework: 'f', controlId: 'any', evidence: 'failures' as const },
    ];
    expect(
      controlsAgainst(result('ports', 'i-1', 'NON_COMPLIANT', 3389), refs).map((r) => r.controlId),
    ).toEqual(['rdp', 'any']);
    expect(controlsAgainst(result('ports', 'i-1', 'WAIVED', 22), refs).map((r) => r.controlId)).toEqual([
      'ssh',
      'any',
    ]);
    expect(controlsAgainst(result('ports', 'i-1', 'COMPLIANT'), refs)).toEqual([]);
  });
});

describe('controls on the example fleet', () => {
  let fleet: Inventory;
  const reports = new Map<string, Report>();
  const scanWith = async (pack: string): Promise<Report> => {
    if (!reports.has(pack)) {
      const ruleSet = await loadRuleSet({ policyFile: join(shippedPoliciesDir(), `${pack}.yaml`) });
      reports.set(
        pack,
        (await runScan(fleet, ruleSet, { format: 'json', color: false, failOn: 'none' })).report,
      );
    }
    return reports.get(pack)!;
  };

  beforeAll(async () => {
    fleet = (await loadInput([exampleFleetDir()], {})).inventory;
  });

  it('fails FSBP SSM.1 with every instance whose readiness chain is broken at fault', async () => {
    const report = await scanWith('aws-fsbp');
    const status = Object.fromEntries(report.controls!.map((c) => [c.controlId, c.status]));
    expect(status).toEqual({
      'SSM.1': 'fail',
      'SSM.2': 'fail',
      'EC2.8': expect.stringMatching(/^(pass|fail)$/),
      'SSM.3': 'not evaluated',
      'EC2.57': 'not evaluated',
    });
    const ssm1 = report.controls!.find((c) => c.controlId === 'SSM.1')!;
    const broken = report.chains.filter((c) => c.firstBroken).map((c) => c.instanceId);
    expect(broken.length).toBeGreaterThan(100);
    for (const id of broken) expect(ssm1.failing).toContain(id);
  });

  it('puts an instance at fault for EC2.13 only for port 22, and for EC2.14 only for 3389', async () => {
    const report = await scanWith('aws-securityhub-controls');
    const openOn = (port: number) =>
      report.results
        .filter((r) => r.status === 'NON_COMPLIANT' && r.evidence.some((e) => e.facts?.port === port))
        .map((r) => r.resourceId)
        .sort();
    const control = (id: string) => report.controls!.find((c) => c.controlId === id)!;
    expect(control('EC2.13').failing).toEqual(openOn(22));
    expect(control('EC2.14').failing).toEqual(openOn(3389));
    expect(control('EC2.13').failing).not.toEqual(control('EC2.14').failing);
    // Security Hub judges every group; the rule judges attached ones, so a clean result is never a pass here.
    for (const c of report.controls!) expect(c.rules.every((r) => r.evidence === 'failures')).toBe(true);
  });

  it('writes them to JSON that validates and to text, and lists each rule’s controls', async () => {
    const report = await scanWith('nist-800-53');
    const doc = JSON.parse(renderJson(report)) as {
      controls: { controlId: string; status: string }[];
      rules: { ruleId: string; controls: { framework: string; controlId: string }[] }[];
    };
    const validate = new Ajv2020({ strict: true, validateFormats: false }).compile(reportSchema);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.controls.map((c) => c.controlId)).toEqual([
      'AC-17',
      'CM-6',
      'CM-7',
      'CM-8',
      'IA-5',
      'SC-7',
      'SI-2',
    ]);
    expect(
      doc.rules
        .find((r) => r.ruleId === 'ec2-instance-no-inbound-ssm-ports')!
        .controls.map((c) => c.controlId),
    ).toEqual(['AC-17', 'CM-7', 'SC-7']);
    const text = renderText(report, { color: false });
    expect(text).toContain(
      'Controls — NIST SP 800-53 Security and Privacy Controls for Information Systems and Organizations rev5',
    );
    expect(text).toMatch(/\n {2}SI-2 {3}FAIL {11}Flaw Remediation\n {24}\d+ resources at fault: /);
  });

  it('are absent without a policy naming frameworks', async () => {
    const { report } = await runScan(fleet, await loadRuleSet({}), {
      format: 'json',
      color: false,
      failOn: 'none',
    });
    expect(report.controls).toBeUndefined();
    expect(report.rules.every((r) => r.controls === undefined)).toBe(true);
    expect(renderJson(report)).not.toContain('"controls"');
    expect(renderText(report, { color: false })).not.toContain('Controls —');
  });

  it('leave `ssmguard diff` reading a report with controls beside one without', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ssmguard-controls-diff-'));
    const report = await scanWith('aws-fsbp');
    const withControls = join(dir, 'with.json');
    const without = join(dir, 'without.json');
    await writeFile(withControls, renderJson(report));
    const { controls: _dropped, ...older } = report;
    await writeFile(
      without,
      renderJson({ ...older, rules: report.rules.map(({ controls: _c, ...r }) => r) }),
    );
    for (const [a, b] of [
      [without, withControls],
      [withControls, without],
    ]) {
      const run = await runCli(['diff', a!, b!]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
  });
});
