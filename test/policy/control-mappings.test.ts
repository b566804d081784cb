// Control mappings: the shipped files load against their schemas and the verified id list, every shipped rule is
// evidence for a control or says why none fits, each framework has its policy pack, and bad files are refused
// naming the file and YAML path.

import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, test } from 'vitest';
import { parse } from 'yaml';
import { shippedPoliciesDir, shippedRulesDir } from '../../src/package-root.js';
import {
  isFullEvidence,
  loadControlCatalogue,
  rulesWithoutControl,
  shippedControlsDir,
  unknownMappedRules,
} from '../../src/policy/control-mappings.js';
import { loadRules } from '../../src/ruleset/load-rules.js';

const FRAMEWORKS = ['aws-fsbp', 'aws-securityhub-controls', 'cis-aws-foundations', 'nist-800-53'];

describe('shipped control mappings', () => {
  it('map every shipped rule to a control, or say why none fits, and name only real rules', async () => {
    // Prepare
    const catalogue = await loadControlCatalogue();
    const ruleIds = new Set((await loadRules([shippedRulesDir()])).map((r) => r.definition.id));
    // Act
    const unaccounted = rulesWithoutControl(catalogue, ruleIds);
    // Assess
    expect(
      unaccounted,
      `shipped rules with no control mapping in policies/controls/ and no reason in control-ids.yaml unmappedRules: ${unaccounted.join(', ')}`,
    ).toEqual([]);
    expect(unknownMappedRules(catalogue, ruleIds)).toEqual([]);
    expect(ruleIds.size).toBeGreaterThanOrEqual(18);
  });

  it('are versioned with each framework’s own version', async () => {
    const { frameworks } = await loadControlCatalogue();
    expect(frameworks.map((f) => `${f.id} ${f.version}`)).toEqual([
      'aws-fsbp v1.0.0',
      'aws-securityhub-controls 2026-12',
      'cis-aws-foundations v5.0.0',
      'nist-800-53 rev5',
    ]);
  });

  it('carry the verified ids and titles, a rationale per mapping, and a reason per control left unevidenced', async () => {
    const { frameworks } = await loadControlCatalogue();
    const control = (f: string, c: string) =>
      frameworks.find((x) => x.id === f)!.controls.find((x) => x.id === c)!;
    expect(control('aws-fsbp', 'SSM.1').title).toBe(
      'Amazon EC2 instances should be managed by AWS Systems Manager',
    );
    expect(control('aws-fsbp', 'EC2.8').rules.map((r) => r.ruleId)).toEqual(['ec2-instance-imdsv2-required']);
    expect(control('aws-fsbp', 'SSM.3').rules).toEqual([]);
    expect(control('aws-fsbp', 'SSM.3').notEvidencedReason).toMatch(/association/i);
    expect(control('cis-aws-foundations', '5.7').title).toBe(
      'Ensure that the EC2 Metadata Service only allows IMDSv2',
    );
    expect(control('aws-securityhub-controls', 'EC2.13').rules[0]!.facts).toEqual({
      port: [22],
      source: ['0.0.0.0/0', '::/0'],
    });
    expect(control('nist-800-53', 'SI-2').title).toBe('Flaw Remediation');
    for (const f of frameworks)
      for (const c of f.controls) {
        for (const r of c.rules) expect(r.rationale, `${f.id} ${c.id} ${r.ruleId}`).toMatch(/^[^\n]{10,}$/);
        if (c.rules.length === 0) expect(c.notEvidencedReason, `${f.id} ${c.id}`).toBeDefined();
      }
  });

  it('name each framework’s sources, published pages only', async () => {
    const { frameworks } = await loadControlCatalogue();
    for (const f of frameworks) {
      expect(f.sources.length, f.id).toBeGreaterThan(0);
      for (const s of f.sources) expect(s).toMatch(/^https:\/\//);
    }
  });

  test.for(FRAMEWORKS)(
    'the %s policy pack selects exactly its mapped rules and names its framework',
    async (framework) => {
      const { frameworks } = await loadControlCatalogue();
      const mapped = [
        ...new Set(
          frameworks.find((f) => f.id === framework)!.controls.flatMap((c) => c.rules.map((r) => r.ruleId)),
        ),
      ].sort();
      const pack = parse(await readFile(join(shippedPoliciesDir(), `${framework}.yaml`), 'utf8')) as {
        rules: { include: string[] };
        controls: string[];
      };
      expect([...pack.rules.include].sort()).toEqual(mapped);
      expect(pack.controls).toEqual([framework]);
    },
  );

  it('are full evidence only with the parameters a mapping asks for', async () => {
    const { frameworks } = await loadControlCatalogue();
    const ssm2 = frameworks.find((f) => f.id === 'aws-fsbp')!.controls.find((c) => c.id === 'SSM.2')!
      .rules[0]!;
    expect(isFullEvidence(ssm2, { includeAllMissing: false, rebootGraceHours: 24 })).toBe(false);
    expect(isFullEvidence(ssm2, { includeAllMissing: true, rebootGraceHours: 24 })).toBe(true);
    const ports = { ruleId: 'r', rationale: 'r', evidence: 'full' as const, parameters: { ports: [22] } };
    expect(isFullEvidence(ports, { ports: [22, 3389] })).toBe(true);
    expect(isFullEvidence(ports, { ports: [443] })).toBe(false);
    expect(isFullEvidence({ ...ports, evidence: 'failures' }, { ports: [22] })).toBe(false);
  });
});

describe('bad control mapping files', () => {
  test.for([
    {
      name: 'a control id not in the list',
      file: 'aws-fsbp.yaml',
      edit: (t: string) => t.replace('- id: SSM.1', '- id: SSM.99'),
      says: [
        'aws-fsbp.yaml',
        'controls[0].id',
        'control SSM.99 is not listed for aws-fsbp in control-ids.yaml',
      ],
    },
    {
      name: 'another version than the list',
      file: 'aws-fsbp.yaml',
      edit: (t: string) => t.replace('version: v1.0.0', 'version: v2.0.0'),
      says: ['aws-fsbp.yaml', 'at version', 'v2.0.0 is not the version control-ids.yaml lists (v1.0.0)'],
    },
    {
      name: 'a mapping without a rationale',
      file: 'aws-fsbp.yaml',
      edit: (t: string) => t.replace(/\n {8}rationale: Online in Systems Manager[^\n]*/, ''),
      says: ['aws-fsbp.yaml', 'controls[0].rules[0]', 'rationale'],
    },
    {
      name: 'a listed control neither mapped nor declared not evidenced',
      file: 'aws-fsbp.yaml',
      edit: (t: string) => t.replace(/\n {2}- id: EC2\.57\n[^\n]*/, ''),
      says: ['aws-fsbp.yaml', 'neither mapped nor in notEvidenced: EC2.57'],
    },
    {
      name: 'an unknown evidence kind',
      file: 'nist-800-53.yaml',
      edit: (t: string) => t.replace('        evidence: failures', '        evidence: some'),
      says: ['nist-800-53.yaml', 'evidence'],
    },
    {
      name: 'an id in the list without a source',
      file: 'control-ids.yaml',
      edit: (t: string) => t.replace(/\n {4}sources:\n {6}- https:\/\/csrc[^\n]*\n {6}- [^\n]*/, ''),
      says: ['control-ids.yaml', 'frameworks.nist-800-53', 'sources'],
    },
  ])('$name is refused, naming the file and YAML path', async ({ file, edit, says }) => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'ssmguard-controls-'));
    await cp(shippedControlsDir(), dir, { recursive: true });
    const path = join(dir, file);
    const before = await readFile(path, 'utf8');
    const after = edit(before);
    expect(after).not.toBe(before);
    await writeFile(path, after);
    // Act
    const error = await loadControlCatalogue(dir).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    // Assess
    expect(error).toBeInstanceOf(Error);
    for (const s of says) expect(error!.message).toContain(s);
  });
});
