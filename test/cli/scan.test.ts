// The CLI end to end on files: demo story, JSON report, exit codes, bad input and hostile values.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleFleetDir } from '../../src/package-root.js';
import { writableSink } from '../../src/report/write-chunks.js';
import { runCli } from './cli-harness.js';

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ssmguard-cli-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of the example fleet's us-east-1 folder that a test may break. */
function fleetCopy(): { root: string; region: string } {
  const root = tempDir();
  cpSync(exampleFleetDir(), root, { recursive: true });
  return { root, region: join(root, '111122223333', 'us-east-1') };
}

describe('ssmguard demo', () => {
  it('names the missing instance profile as the root cause of the 200 example instances', async () => {
    const run = await runCli(['demo']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Root causes/);
    // Wrapped to 80 columns (not a terminal): the headline may take two lines.
    expect(run.stdout.replace(/\n +/g, ' ')).toMatch(
      /1\. \[CRITICAL\] No instance profile, and DHMC does not cover the instance — 200 instances/,
    );
    expect(run.stdout).toMatch(/aws ec2 associate-iam-instance-profile/);
    // Compliant-with-a-note results are listed apart, without their rule's severity badge.
    expect(run.stdout).toMatch(
      /Notes — compliant, but worth a look\n {2}1\. \[NOTE\] Sufficient but deprecated AmazonEC2RoleforSSM/,
    );
  });
});

describe('ssmguard scan', () => {
  it('writes the JSON report with the documented fields', async () => {
    const run = await runCli(['scan', exampleFleetDir(), '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Record<string, unknown> & { results: Record<string, unknown>[] };
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['schemaVersion', 'tool', 'source', 'summary', 'results']),
    );
    const finding = report.results.find(
      (r) => r.ruleId === 'ec2-instance-profile-attached' && r.status === 'NON_COMPLIANT',
    )!;
    expect(finding).toMatchObject({
      resourceType: 'AWS::EC2::Instance',
      accountId: '111122223333',
      region: 'us-east-1',
      severity: 'critical',
      reason: 'IAM.NO_INSTANCE_PROFILE',
    });
    expect(Object.keys(finding)).toEqual(
      expect.arrayContaining([
        'ruleId',
        'resourceType',
        'resourceId',
        'accountId',
        'region',
        'status',
        'severity',
        'reason',
        'message',
        'evidence',
        'remediation',
      ]),
    );
  });

  it('is deterministic: two scans give identical JSON', async () => {
    const a = await runCli(['scan', exampleFleetDir(), '--format', 'json']);
    const b = await runCli(['scan', exampleFleetDir(), '--format', 'json']);
    expect(a.stdout).toBe(b.stdout);
  });

  it.for([
    ['none', 0],
    ['critical', 1],
    ['info', 1],
  ] as const)('exits %s → %i with --fail-on', async ([failOn, code]) => {
    expect((await runCli(['scan', exampleFleetDir(), '--fail-on', failOn])).code).toBe(code);
  });

  it('writes the report to --output', async () => {
    const out = join(tempDir(), 'report.json');
    const run = await runCli([
      'scan',
      exampleFleetDir(),
      '--format',
      'json',
      '--output',
      out,
      '--fail-on',
      'none',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).schemaVersion).toBe(1);
  });

  it.for(['json', 'csv', 'junit', 'sarif', 'ocsf', 'markdown'])(
    'streams %s to --output and to stdout, the same bytes either way',
    async (format) => {
      // Prepare: a stdout that holds 1 KiB and takes each write on a later tick, so the CLI must wait for it.
      const out = join(tempDir(), `report.${format}`);
      const written: string[] = [];
      const slowStdout = new Writable({
        highWaterMark: 1024,
        decodeStrings: false,
        write(chunk: string, _encoding, done) {
          written.push(chunk);
          setImmediate(done);
        },
      });
      const argv = ['scan', exampleFleetDir(), '--format', format, '--fail-on', 'none'];
      // Act
      const toFile = await runCli([...argv, '--output', out]);
      const toStdout = await runCli(argv);
      const toStream = await runCli(argv, { stdoutSink: writableSink(slowStdout) });
      // Assess
      expect([toFile.code, toStdout.code, toStream.code]).toEqual([0, 0, 0]);
      expect(toStdout.stdout.length).toBeGreaterThan(1000);
      expect(readFileSync(out, 'utf8')).toBe(toStdout.stdout);
      expect(toStream.stdout).toBe('');
      expect(written.join('')).toBe(toStdout.stdout);
    },
  );

  it('exits 2 naming file, line and column for truncated JSON', async () => {
    const { root, region } = fleetCopy();
    const file = join(region, 'ec2-describe-route-tables.json');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 300));
    const run = await runCli(['scan', root]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ec2-describe-route-tables\.json:\d+:\d+: /);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 2 for a missing path', async () => {
    const run = await runCli(['scan', '/nonexistent/fleet']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/\/nonexistent\/fleet/);
  });

  it('lists a file of the wrong shape as skipped and goes on', async () => {
    const { root, region } = fleetCopy();
    writeFileSync(join(region, 'notes.json'), JSON.stringify({ hello: 'world' }));
    const run = await runCli(['scan', root, '--fail-on', 'none']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/skipped .*notes\.json/);
  });

  it('reports ERROR, never COMPLIANT, for rules whose data family is missing', async () => {
    const { root, region } = fleetCopy();
    rmSync(join(region, 'ssm-describe-instance-information.json'));
    const run = await runCli(['scan', root, '--format', 'json']);
    const results = (
      JSON.parse(run.stdout) as { results: { ruleId: string; status: string; message?: string }[] }
    ).results;
    const online = results.filter(
      (r) => r.ruleId === 'ec2-instance-ssm-online' && r.status !== 'NOT_APPLICABLE',
    );
    expect(online.length).toBeGreaterThan(0);
    expect(online.every((r) => r.status === 'ERROR')).toBe(true);
    expect(online[0]!.message).toMatch(/aws ssm describe-instance-information/);
    expect(run.code).toBe(1);
  });

  it('keeps hostile tag values inert in the text report', async () => {
    const { root, region } = fleetCopy();
    const file = join(region, 'ec2-describe-instances.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      Reservations: { Instances: { Tags?: { Key: string; Value: string }[] }[] }[];
    };
    doc.Reservations[0]!.Instances[0]!.Tags = [
      { Key: '__proto__', Value: 'polluted' },
      { Key: 'Name', Value: '\u001b[31mred\u001b[0m<script>alert(1)</script>' },
      { Key: 'PatchGroup', Value: 'InventoryServers' },
    ];
    writeFileSync(file, JSON.stringify(doc));
    const run = await runCli(['scan', root, '--fail-on', 'none']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\u001b');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('applies a policy pack: selection, severity and parameter overrides', async () => {
    const policy = join(tempDir(), 'policy.yaml');
    writeFileSync(
      policy,
      [
        'name: strict-ports',
        'description: Only the port rule, stricter.',
        'rules:',
        '  include: [ec2-instance-no-inbound-ssm-ports]',
        'overrides:',
        '  ec2-instance-no-inbound-ssm-ports:',
        '    severity: critical',
        '    parameters: { ports: [22] }',
      ].join('\n'),
    );
    const run = await runCli(['scan', exampleFleetDir(), '--policy', policy, '--format', 'json']);
    const report = JSON.parse(run.stdout) as {
      results: { ruleId: string; status: string; severity: string }[];
    };
    expect(new Set(report.results.map((r) => r.ruleId))).toEqual(
      new Set(['ec2-instance-no-inbound-ssm-ports']),
    );
    const findings = report.results.filter((r) => r.status === 'NON_COMPLIANT');
    expect(findings.length).toBe(2); // 22 directly, and the all-traffic rule; the 3000-4000 range holds no port 22
    expect(findings.every((r) => r.severity === 'critical')).toBe(true);
  });

  it('rejects a policy that names an unknown rule or parameter, with file and line', async () => {
    const policy = join(tempDir(), 'bad.yaml');
    writeFileSync(
      policy,
      'name: bad\ndescription: x\nrules:\n  include: [no-such-rule]\noverrides:\n  ec2-instance-ssm-online:\n    parameters: { maxPingAge: 3 }\n',
    );
    const run = await runCli(['scan', exampleFleetDir(), '--policy', policy]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad\.yaml:4:\d+ at rules\.include\[0\]: unknown rule id "no-such-rule"/);
    expect(run.stderr).toMatch(/has no parameter "maxPingAge"/);
  });

  it('rejects an unknown format as a usage error', async () => {
    const run = await runCli(['scan', exampleFleetDir(), '--format', 'pdf']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown --format "pdf"/);
  });
});

describe('rule commands', () => {
  it('lists the shipped rules', async () => {
    const run = await runCli(['rules', 'list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ec2-instance-profile-attached\s+critical\s+credentials/);
  });

  it('validates a folder and reports bad files with line numbers', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ec2-instance-bad.yaml'), 'id: ec2-instance-bad\ntitle: [\n');
    const run = await runCli(['rules', 'validate', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ec2-instance-bad\.yaml:\d+:\d+/);
  });

  it('runs the cases of a user rule folder', async () => {
    const run = await runCli(['test', join(exampleFleetDir(), '..', '..', 'rules', 'ec2')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\d+ passed, 0 failed/);
  });
});

describe('a reader that closes the pipe early', () => {
  it('keeps the verdict and prints no error (ssmguard scan … | head)', async () => {
    const closedPipe = (): Promise<void> =>
      Promise.reject(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    const run = await runCli(['scan', exampleFleetDir(), '--format', 'json'], { stdoutSink: closedPipe });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
  });
});

describe('a describe-instances file with a malformed entry', () => {
  it('judges no instance of that scope on the partial data: ERROR naming the file and path', async () => {
    // Prepare: one instance whose State is a number (hand-edited or tampered output)
    const { root, region } = fleetCopy();
    const file = join(region, 'ec2-describe-instances.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      Reservations: { Instances: Record<string, unknown>[] }[];
    };
    doc.Reservations[0]!.Instances[0]!.State = 16;
    writeFileSync(file, JSON.stringify(doc));
    // Act
    const run = await runCli(['scan', root, '--format', 'json']);
    // Assess
    const results = (
      JSON.parse(run.stdout) as { results: { resourceType: string; status: string; message?: string }[] }
    ).results;
    const instanceResults = results.filter((r) => r.resourceType === 'AWS::EC2::Instance');
    expect(instanceResults.length).toBeGreaterThan(0);
    expect(instanceResults.every((r) => r.status === 'ERROR')).toBe(true);
    expect(instanceResults[0]!.message).toMatch(
      /ec2-describe-instances\.json at Reservations\[0\]\.Instances\[0\]/,
    );
    expect(run.stderr).toMatch(/warning: .*ec2-describe-instances\.json/);
    expect(run.code).toBe(1);
  });
});
