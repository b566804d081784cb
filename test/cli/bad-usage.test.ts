// Ordinary mistakes on the command line: each row gives the arguments, the exit code and the key words of the
// message; none may crash, say "internal error", or print a report that reads as clean.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, test } from 'vitest';
import { exampleFleetDir } from '../../src/package-root.js';
import { runSsmguardProcess } from '../support/cli-process.js';
import { runCli } from './cli-harness.js';

const scratch = mkdtempSync(join(tmpdir(), 'ssmguard-bad-usage-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const existingFile = join(scratch, 'existing-file');
writeFileSync(existingFile, 'not a folder\n');
const existingFolder = join(scratch, 'a-folder');
mkdirSync(existingFolder);

// A billion laughs: each level refers to the one before nine times.
const levels = 'abcdefgh';
const aliasBombYaml = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  ...[...levels.slice(1)].map(
    (level, i) => `${level}: &${level} [${Array(9).fill(`*${levels[i]!}`).join(', ')}]`,
  ),
].join('\n');
const aliasBomb = join(scratch, 'bomb-policy.yaml');
writeFileSync(aliasBomb, aliasBombYaml);
const aliasBombRules = join(scratch, 'bomb-rules');
mkdirSync(aliasBombRules);
writeFileSync(join(aliasBombRules, 'ec2-bomb.yaml'), `id: ec2-bomb\n${aliasBombYaml}\n`);

const fleet = exampleFleetDir();

// `rules validate` and `policy validate` (issue 10 item 11): every problem, case files as cases, policy packs alone.
const threeProblems = join(scratch, 'three-problems');
mkdirSync(threeProblems);
writeFileSync(
  join(threeProblems, 'ec2-instance-three.yaml'),
  [
    'id: ec2-instance-three',
    'title: Three problems in one file',
    'resourceType: AWS::EC2::Instance',
    'severity: huge',
    'link: imds',
    'description: Three independent mistakes.',
    'colour: red',
    'check: { path: metadataOptions.httpEndpoint, equalz: enabled }',
    'reason: EC2.IMDS_DISABLED',
    'reasons: { EC2.IMDS_DISABLED: disabled }',
    'message: "m"',
    'remediation: { text: Enable it. }',
    '',
  ].join('\n'),
);
const badCases = join(scratch, 'ec2-instance-imds-available.test.yaml');
writeFileSync(
  badCases,
  '- name: ok\n  resource: {}\n  expect: COMPLIANT\n- name: bad\n  resource: {}\n  expect: PASS\n  colour: red\n',
);
const onlyReadme = join(scratch, 'only-readme');
mkdirSync(onlyReadme);
writeFileSync(join(onlyReadme, 'readme.txt'), 'no rules here\n');
const longWaiver = join(scratch, 'long-waiver.yaml');
writeFileSync(
  longWaiver,
  'name: long-waiver\ndescription: d\nrules:\n  include: ["*"]\nwaivers:\n  - id: forever\n    rule: ec2-instance-profile-attached\n    account: "111122223333"\n    reason: r\n    owner: ops@example.com\n    expires: 2031-11-20\n',
);
const badPolicy = join(scratch, 'bad-policy.yaml');
writeFileSync(
  badPolicy,
  'name: bad\ndescription: x\ncolour: red\nrules:\n  include: [ec2-instance-nosuch]\noverrides:\n  ec2-instance-no-inbound-ssm-ports:\n    parameters: { ports: "22" }\n',
);

test.for([
  {
    name: '--output into a folder that does not exist',
    args: ['scan', fleet, '--output', '/no/such/dir/x'],
    exit: 2,
    says: ['/no/such/dir/x', 'no such file or folder'],
  },
  {
    name: '--output naming an existing folder',
    args: ['scan', fleet, '--format', 'json', '--output', existingFolder],
    exit: 2,
    says: [existingFolder, 'is a folder'],
  },
  {
    name: 'demo --html into a folder that does not exist',
    args: ['demo', '--html', '/no/such/dir/x.html'],
    exit: 2,
    says: ['/no/such/dir/x.html', 'no such file or folder'],
  },
  {
    name: 'package --out naming an existing file',
    args: ['package', '--out', existingFile],
    exit: 2,
    says: [existingFile, 'is a file'],
  },
  {
    name: 'package --instance-role that is not an IAM role name',
    args: ['package', '--out', '/tmp/ssmguard-never-written', '--instance-role', 'no spaces/allowed'],
    exit: 2,
    says: ['--instance-role', 'not an IAM role name'],
  },
  {
    name: 'a policy pack that is a YAML alias bomb',
    args: ['scan', fleet, '--policy', aliasBomb],
    exit: 2,
    says: ['bomb-policy.yaml', 'aliases'],
  },
  {
    name: 'rules list --format csv',
    args: ['rules', 'list', '--format', 'csv'],
    exit: 2,
    says: ['csv', 'text, json'],
  },
  {
    name: 'explain --format csv',
    args: ['explain', 'i-0123456789abcdef0', '--format', 'csv'],
    exit: 2,
    says: ['csv', 'text, json'],
  },
  { name: '--now 1', args: ['scan', fleet, '--now', '1'], exit: 2, says: ['--now', '"1"', 'ISO 8601'] },
  {
    name: '--now in the year 99999',
    args: ['scan', fleet, '--now', '99999-01-01'],
    exit: 2,
    says: ['--now', '99999-01-01'],
  },
  {
    name: '--now on a day that does not exist',
    args: ['scan', fleet, '--now', '2027-02-30'],
    exit: 2,
    says: ['2027-02-30', 'not a real date'],
  },
  {
    name: '--now at 24:00',
    args: ['scan', fleet, '--now', '2026-11-20T24:00:00Z'],
    exit: 2,
    says: ['not a real time'],
  },
  {
    name: '--now without a time zone',
    args: ['scan', fleet, '--now', '2026-11-20T12:00:00'],
    exit: 2,
    says: ['time zone'],
  },
  {
    name: '--now before EC2 existed',
    args: ['explain', 'i-0123456789abcdef0', '--now', '1999-12-31'],
    exit: 2,
    says: ['outside 2006'],
  },
  {
    name: '--account of 5 digits',
    args: ['scan', fleet, '--account', '12345'],
    exit: 2,
    says: ['--account', '12-digit', '12345'],
  },
  {
    name: '--region all without --live',
    args: ['scan', fleet, '--region', 'all'],
    exit: 2,
    says: ['--region all', '--live'],
  },
  {
    name: '--region that is no region name',
    args: ['scan', fleet, '--region', 'Europe'],
    exit: 2,
    says: ['Europe', 'not an AWS region name'],
  },
  {
    name: '--output json (a format name, not a file)',
    args: ['scan', fleet, '--output', 'json'],
    exit: 2,
    says: ['--output json', '--format json', './json'],
  },
  {
    name: 'scan - together with another path',
    args: ['scan', '-', fleet],
    exit: 2,
    says: ['standard input', 'only PATH'],
  },
  {
    name: 'rules validate: a rule file with three problems reports all three',
    args: ['rules', 'validate', threeProblems],
    exit: 2,
    says: [
      'ec2-instance-three.yaml:4:1 at severity: "huge" is not allowed',
      'ec2-instance-three.yaml:7:1 at colour: unknown field "colour"',
      'ec2-instance-three.yaml:8:46 at check.equalz: unknown key "equalz"',
      '3 problems in 1 file',
    ],
  },
  {
    name: 'rules validate: a .test.yaml given alone is checked as cases',
    args: ['rules', 'validate', badCases],
    exit: 2,
    says: [
      'test.yaml:6:3 at [1].expect',
      'test.yaml:7:3 at [1].colour: unknown field',
      'rule-cases.schema.json',
    ],
  },
  {
    name: 'rules validate: an empty folder',
    args: ['rules', 'validate', existingFolder],
    exit: 2,
    says: ['nothing to validate', existingFolder],
  },
  {
    name: 'rules validate: a folder without rule files',
    args: ['rules', 'validate', onlyReadme],
    exit: 2,
    says: ['nothing to validate', 'only-readme'],
  },
  {
    name: 'policy validate: a policy pack alone, every problem, against the policy schema',
    args: ['policy', 'validate', badPolicy],
    exit: 2,
    says: [
      'bad-policy.yaml:3:1 at colour: unknown field "colour"',
      '3 problems in 1 file',
      'policy.schema.json',
    ],
  },
  {
    name: 'policy validate: a folder instead of a file',
    args: ['policy', 'validate', existingFolder],
    exit: 2,
    says: [existingFolder, 'EISDIR'],
  },
  {
    name: 'policy validate: a waiver expiring five years after --now (the horizon is one year)',
    args: ['policy', 'validate', longWaiver, '--now', '2026-11-20T12:00:00Z'],
    exit: 2,
    says: [
      'long-waiver.yaml:11:5 at waivers[0].expires',
      'waiver "forever" expires 2031-11-20, after 2027-11-20',
    ],
  },
  {
    name: 'policy validate: the same waiver is fine judged in 2031 (within a year of --now)',
    args: ['policy', 'validate', longWaiver, '--now', '2031-01-01T00:00:00Z'],
    exit: 0,
    says: [],
  },
  {
    name: 'scan --policy with a broken pack points to the policy schema',
    args: ['scan', fleet, '--policy', badPolicy],
    exit: 2,
    says: ['bad-policy.yaml:3:1', 'schemas/policy.schema.json', 'ssmguard policy validate'],
  },
])('$name → exit $exit', async ({ args, exit, says }) => {
  const run = await runCli(args);
  expect(run.code).toBe(exit);
  for (const word of says) expect(run.stderr).toContain(word);
  expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(run.stdout).not.toMatch(/No findings|every evaluated resource is compliant/);
});

describe('a reader that closes the pipe early', () => {
  test.concurrent.for([
    { name: 'rules list | head -1', args: ['rules', 'list'], exit: 0 },
    { name: 'test rules/ec2 | head -1', args: ['test', 'rules/ec2'], exit: 0 },
    { name: 'scan --format csv | head -1', args: ['scan', fleet, '--format', 'csv'], exit: 1 },
  ])('$name ends quietly with the command’s own exit code', { timeout: 120_000 }, async ({ args, exit }) => {
    const run = await runSsmguardProcess(args, {
      pipeTo: 'head -1',
      env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    expect(run.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(exit);
  });
});

it('names the file of a rule folder holding an alias bomb', async () => {
  const run = await runCli(['rules', 'validate', aliasBombRules]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('ec2-bomb.yaml');
});
