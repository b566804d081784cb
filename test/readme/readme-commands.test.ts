// The README's shell commands run: every command of every ```sh / ```bash block (and every `$ ` line of a transcript)
// either runs here — offline, the live ones against the loopback AWS endpoint — with the exit code and key output
// the README promises, or is listed in NOT_RUN with the reason it cannot. A command the README gains that is in
// neither table fails the first test; an entry the README no longer has fails it too.

import { execFile } from 'node:child_process';
import { cp } from 'node:fs/promises';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExampleFleet } from '../../src/generator/example-fleet.js';
import { exampleFleetDir, packageRoot } from '../../src/package-root.js';
import { runCli } from '../cli/cli-harness.js';
import { fleetToConfigItems } from '../collectors/config/fleet-to-config-items.js';
import { type AwsEndpoint, startAwsEndpoint } from '../support/aws-endpoint/start-aws-endpoint.js';
import { cliBundle } from '../support/cli-process.js';
import { publishedRanges } from '../support/ip-ranges-fixture.js';

/**
 * README commands this test does not run, each with why. Keys are commands as the README writes them, with
 * comments and line continuations removed and spaces collapsed. Add a README command here only when it cannot run
 * offline (real AWS, a terminal, minutes of work) — otherwise add it to RUNS.
 */
export const NOT_RUN: Readonly<Record<string, string>> = {
  'mkdir org && cd org':
    'the Organizations collection steps, with placeholders (P, T, p-…) for the ids of a real organization; test/cli/live-organization.test.ts writes the same files and scans them with --scp',
  'aws organizations describe-organization --output json > describe-organization.json':
    'the Organizations collection steps, with placeholders (P, T, p-…) for the ids of a real organization; test/cli/live-organization.test.ts writes the same files and scans them with --scp',
  'aws organizations list-roots --output json > list-roots.json':
    'the Organizations collection steps, with placeholders (P, T, p-…) for the ids of a real organization; test/cli/live-organization.test.ts writes the same files and scans them with --scp',
  'aws organizations list-organizational-units-for-parent --parent-id P --output json > list-organizational-units-for-parent.P.json':
    'the Organizations collection steps, with placeholders (P, T, p-…) for the ids of a real organization; test/cli/live-organization.test.ts writes the same files and scans them with --scp',
  'aws organizations list-accounts-for-parent --parent-id P --output json > list-accounts-for-parent.P.json':
    'the Organizations collection steps, with placeholders (P, T, p-…) for the ids of a real organization; test/cli/live-organization.test.ts writes the same files and scans them with --scp',
  'aws organizations list-policies-for-target --target-id T --filter SERVICE_CONTROL_POLICY --output json > list-policies-for-target.T.json':
    'the Organizations collection steps, with placeholders (P, T, p-…) for the ids of a real organization; test/cli/live-organization.test.ts writes the same files and scans them with --scp',
  'aws organizations describe-policy --policy-id p-… --output json > describe-policy.p-….json':
    'the Organizations collection steps, with placeholders (P, T, p-…) for the ids of a real organization; test/cli/live-organization.test.ts writes the same files and scans them with --scp',
  'aws cloudformation deploy --template-file build/config-rules/conformance-pack.json --stack-name ssmguard-pack --capabilities CAPABILITY_NAMED_IAM --parameter-overrides FunctionArn=<FunctionArn output of the rules stack>':
    'deploys a stack to a real AWS account (the conformance pack is checked in test/package/)',
  'npm ci && npm start':
    'reinstalls node_modules under the running suite; .ci/run does `npm ci`, and `ssmguard demo` (what npm start runs) is run below',
  'npm test': 'is this test suite',
  'terraform plan -out plan.bin && terraform show -json plan.bin > plan.json':
    'needs terraform, its AWS provider and a configuration; test/fixtures/template/terraform/generate.sh writes the real plans the tests scan (plan.json here is one of them)',
  'npm run build': '.ci/run builds before the suite; the commands here run the CLI bundled from src/',
  'npm run typecheck': '.ci/run runs it before the suite',
  'npm run lint': '.ci/run runs it before the suite',
  'npm run bench': 'minutes of benchmarks on 100,000-instance fleets (bench/)',
  'ssmguard ip-ranges refresh --from ip-ranges.json':
    "rewrites the copy shipped in the package (here: the repository's data/); test/cli/ip-ranges.test.ts runs refresh with --out on a temporary file",
  'ssmguard ip-ranges refresh --from https://ip-ranges.amazonaws.com/ip-ranges.json --out my-ranges.json':
    'downloads from AWS (no network in tests); test/cli/ip-ranges.test.ts refreshes from a local file',
  'ssmguard fix --apply plan.json':
    'asks for confirmation on a terminal and needs --yes elsewhere; test/fix/apply.test.ts applies plans against the loopback endpoint',
  'ssmguard fix --apply plan.json [--yes] [--log FILE] [--profile P] [--endpoint-url URL] [--concurrency N]':
    'a synopsis (options in brackets); test/fix/apply.test.ts covers each option',
  'ssmguard fix --undo plan.apply-log.jsonl [--yes]': 'a synopsis; test/fix/apply.test.ts covers --undo',
  'ssmguard package --out build/config-rules [--policy policies/<pack>.yaml] [--rules ./our-rules]':
    'a synopsis; the plain form runs below, the options in test/package/',
  'aws s3 cp build/config-rules/ssmguard-config-rules.zip s3://YOUR-BUCKET/ssmguard/ssmguard-config-rules-<hash>.zip':
    'uploads to a real S3 bucket',
  'aws cloudformation deploy --template-file build/config-rules/template.json --stack-name ssmguard-config-rules --capabilities CAPABILITY_NAMED_IAM --parameter-overrides CodeBucket=YOUR-BUCKET':
    'deploys a stack to a real AWS account (the template is checked in test/package/)',
  'aws cloudformation deploy --template-file build/org-rules/member-role.json --stack-name ssmguard-config-rule-reader --capabilities CAPABILITY_NAMED_IAM --parameter-overrides AdministratorAccountId=<admin-account>':
    'deploys a stack to a real AWS account (the template is checked in test/package/)',
  'aws cloudformation deploy --template-file build/org-rules/template.json --stack-name ssmguard-config-org-rules --capabilities CAPABILITY_NAMED_IAM CAPABILITY_AUTO_EXPAND --parameter-overrides CodeBucket=YOUR-BUCKET MemberAccountIds=111111111111,222222222222':
    'deploys a stack to a real AWS account (the template is checked in test/package/)',
};

interface Expectation {
  exit: number;
  /** Words the command's stdout or stderr must contain. */
  says?: string[];
}

/** README commands that run, with the exit code and output the README leads a reader to expect. */
const RUNS: Readonly<Record<string, Expectation>> = {
  'ssmguard demo': { exit: 0, says: ['Root causes', 'HTML report:'] },
  'ssmguard scan ./audit-2026-11/ --format json --output report.json': {
    exit: 1,
    says: ['wrote json report to report.json'],
  },
  'ssmguard scan ./audit/ --policy policies/ssm-baseline.yaml --fail-on high': {
    exit: 1,
    says: ['Root causes'],
  },
  'ssmguard scan ./audit/ --rules ./our-rules/ --scp ./scps/': { exit: 1, says: ['Root causes'] },
  'ssmguard scan ./audit/ --policy policies/aws-fsbp.yaml': {
    exit: 1,
    says: [
      'Controls — AWS Foundational Security Best Practices v1.0.0',
      'SSM.1   FAIL           Amazon EC2 instances should be managed by AWS Systems\n                         Manager',
      'SSM.3   NOT EVALUATED',
    ],
  },
  'ssmguard scan ./config-snapshot.json.gz': { exit: 1, says: ['Root causes'] },
  'ssmguard scan ./audit/ --quiet': { exit: 1, says: ['instances have an unbroken readiness chain'] },
  'ssmguard scan --live --region eu-west-1': { exit: 0, says: ['0 instances in 111122223333/eu-west-1'] },
  'ssmguard scan --live --profile audit --region eu-west-1 --region us-east-1': {
    exit: 1,
    says: ['Root causes', 'account 111122223333,\neu-west-1, us-east-1'],
  },
  'ssmguard scan --live --region all --format json --output report.json': {
    exit: 1,
    says: ['wrote json report to report.json'],
  },
  'ssmguard scan --live --role-name ssmguard-scan --accounts 111122223333 444455556666 --region all': {
    exit: 1,
    says: ['444455556666'],
  },
  'ssmguard scan --live --role-name ssmguard-scan --organization --region eu-west-1 --region us-east-1': {
    exit: 1,
    says: ['Root causes'],
  },
  'ssmguard export --live --region all --out fleet.json.gz && ssmguard scan fleet.json.gz': {
    exit: 1,
    says: ['wrote fleet.json.gz: 231 instances', 'Root causes'],
  },
  'ssmguard export --live --region all --out fleet-2026-11-20.json.gz': {
    exit: 0,
    says: ['wrote fleet-2026-11-20.json.gz: 231 instances'],
  },
  'ssmguard scan fleet-2026-11-20.json.gz': { exit: 1, says: ['Root causes'] },
  'ssmguard export ./aws-cli-output/ --out fleet.json': {
    exit: 0,
    says: ['wrote fleet.json: 231 instances'],
  },
  'ssmguard explain i-01211cbb537e51e5f': {
    exit: 1,
    says: ['▶ network', 'First broken link: network — NET.ENDPOINT_SG_BLOCKS'],
  },
  'ssmguard diff last-review.json report.json': { exit: 0, says: ['Not worse'] },
  'ssmguard rules list': { exit: 0, says: ['ec2-instance-profile-attached', 'rules'] },
  'ssmguard rules validate ./our-rules': { exit: 0, says: ['valid: 1 rule file', '1 case file'] },
  'ssmguard policy validate policies/ssm-baseline.yaml': { exit: 0, says: ['valid: 1 policy pack'] },
  'ssmguard test ./our-rules': { exit: 0, says: ['3 passed, 0 failed'] },
  'ssmguard package --out build/config-rules': { exit: 0, says: ['ssmguard-config-rules'] },
  'ssmguard package --out build/org-rules --organization': { exit: 0, says: ['member-role.json'] },
  'ssmguard fix ./audit/ --format json --output plan.json': { exit: 0, says: ['wrote the json plan'] },
  'ssmguard scan ./audit/': { exit: 1, says: ['Root causes'] },
  'ssmguard scan ./audit/ --ip-ranges ip-ranges.json': { exit: 1, says: ['Root causes'] },
  'ssmguard scan ./audit/ --no-ip-ranges': { exit: 1, says: ['Root causes'] },
  'ssmguard scan stack.yaml': { exit: 1, says: ['Unknown until deployed', 'stack.yaml:'] },
  'ssmguard scan stack.yaml --parameters params.json': { exit: 1, says: ['IMDSv1 still allowed'] },
  'ssmguard scan plan.json': { exit: 1, says: ['aws_autoscaling_group.web[0]'] },
  'ssmguard scan stack.yaml --context ./aws-cli-output/': {
    exit: 1,
    says: ['No instance profile, and DHMC does not cover the instance'],
  },
  'ssmguard scan stack.yaml --live --region eu-west-1': {
    exit: 1,
    says: ['(account 111122223333,\neu-west-1)'],
  },
  'ssmguard scan stack.yaml --format sarif --output stack.sarif': {
    exit: 1,
    says: ['wrote sarif report to stack.sarif'],
  },
  'ssmguard ip-ranges show': {
    exit: 0,
    says: ['ip-ranges.json of 2026-08-22-15-17-05', 'the copy shipped with ssmguard', 'AMAZON prefixes'],
  },
};

/**
 * Blocks that run as one script (their commands share a shell: `cd`, loops), keyed by their first command, with a
 * check of what the whole script produced.
 */
const SCRIPTS: Readonly<Record<string, (sandbox: string) => Promise<void>>> = {
  // The collection script, with `aws` answered from the example fleet (test/readme/fake-aws-cli.mjs): what it
  // collects scans like the example fleet itself.
  'mkdir -p audit/111122223333/us-east-1 && cd audit/111122223333': async (sandbox) => {
    const now = buildExampleFleet().collectedAt;
    const collected = await runCli(['scan', join(sandbox, 'audit'), '--format', 'json', '--now', now]);
    const example = await runCli(['scan', exampleFleetDir(), '--format', 'json', '--now', now]);
    expect(collected.stderr).toBe('');
    expect(collected.code).toBe(example.code);
    expect(resultsOf(collected.stdout).length).toBeGreaterThan(1000);
    expect(resultsOf(collected.stdout)).toEqual(resultsOf(example.stdout));
  },
};

const resultsOf = (json: string): unknown[] =>
  (JSON.parse(json) as { results: Record<string, unknown>[] }).results.map(
    ({ ruleId, resourceId, status, reason, message }) => ({ ruleId, resourceId, status, reason, message }),
  );

interface Block {
  line: number;
  commands: string[];
}

/** Joins continuation lines, drops comments, and keeps a `for … done` loop as one command. */
function commandsOf(body: string): string[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of body.split('\n')) {
    const line = raw.replace(/\s+#\s.*$/, '').replace(/^\s*#.*$/, '');
    if (line.trim() === '' && pending === '') continue;
    pending += pending === '' ? line.trim() : ` ${line.trim()}`;
    if (pending.endsWith('\\')) {
      pending = pending.slice(0, -1).trimEnd();
      continue;
    }
    logical.push(pending);
    pending = '';
  }
  const commands: string[] = [];
  let loop: string[] = [];
  let depth = 0;
  for (const line of logical) {
    const opens = (line.match(/(^|;\s*|\s)do(\s|$)/g) ?? []).length;
    const closes = (line.match(/(^|;\s*|\s)done(\s*;|\s|$)/g) ?? []).length;
    if (depth === 0 && opens === closes) commands.push(line.replace(/\s+/g, ' '));
    else {
      loop.push(line);
      depth += opens - closes;
      if (depth === 0) {
        commands.push(loop.join('\n'));
        loop = [];
      }
    }
  }
  return commands;
}

/** The README's shell blocks, and its transcripts' `$ ` lines (each a block of its own). */
function readmeBlocks(readme: string): Block[] {
  const blocks: Block[] = [];
  for (const match of readme.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)) {
    const line = readme.slice(0, match.index).split('\n').length;
    const [, language, body] = match as unknown as [string, string, string];
    if (['sh', 'bash', 'shell', 'console'].includes(language))
      blocks.push({ line, commands: commandsOf(body) });
    else if (language === '') {
      const prompts = body.split('\n').filter((l) => l.startsWith('$ '));
      for (const prompt of prompts) blocks.push({ line, commands: commandsOf(prompt.slice(2)) });
    }
  }
  return blocks.filter((b) => b.commands.length > 0);
}

const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
const blocks = readmeBlocks(readme);

describe('README commands', () => {
  it('are each run here or listed in NOT_RUN with a reason, and the tables hold nothing the README lacks', () => {
    const seen = new Set<string>();
    const uncovered: string[] = [];
    for (const block of blocks) {
      if (SCRIPTS[block.commands[0]!]) {
        seen.add(block.commands[0]!);
        continue;
      }
      for (const command of block.commands) {
        seen.add(command);
        if (!RUNS[command] && !NOT_RUN[command]) uncovered.push(`README.md:${block.line}: ${command}`);
      }
    }
    expect(uncovered).toEqual([]);
    const stale = [...Object.keys(RUNS), ...Object.keys(NOT_RUN), ...Object.keys(SCRIPTS)].filter(
      (command) => !seen.has(command),
    );
    expect(stale).toEqual([]);
    for (const reason of Object.values(NOT_RUN)) expect(reason.length).toBeGreaterThan(10);
  });

  describe('run offline', () => {
    let endpoint: AwsEndpoint;
    let template: string;
    let ssmguardBundle: string;

    beforeAll(async () => {
      endpoint = await startAwsEndpoint({ fleet: buildExampleFleet() });
      ssmguardBundle = await cliBundle();
      template = await makeTemplate();
    }, 300_000);
    afterAll(async () => {
      await endpoint.stop();
      rmSync(template, { recursive: true, force: true });
    });

    // Each command runs in a sandbox of its own, so they run in parallel (vitest's maxConcurrency) and none sees
    // another's files; a script block runs whole.
    const units = blocks.flatMap((block) =>
      SCRIPTS[block.commands[0]!]
        ? [{ line: block.line, commands: block.commands, script: true }]
        : block.commands
            .filter((command) => RUNS[command] !== undefined)
            .map((command) => ({ line: block.line, commands: [command], script: false })),
    );

    it.concurrent.for(units)('README.md:$line $commands.0', { timeout: 300_000 }, async (unit) => {
      const sandbox = makeSandbox(template, ssmguardBundle, unit.script ? [] : unit.commands);
      const env = sandboxEnv(sandbox, endpoint.url);
      if (unit.script) {
        const run = await bash(unit.commands.join('\n'), sandbox, env, true);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        await SCRIPTS[unit.commands[0]!]!(sandbox);
        return;
      }
      const [command] = unit.commands as [string];
      const expected = RUNS[command]!;
      const run = await bash(command, sandbox, env, false);
      const output = `${run.stdout}${run.stderr}`;
      const shown = run.code === expected.exit ? '' : output.slice(-2000);
      expect({ exit: run.code, output: shown }).toEqual({ exit: expected.exit, output: '' });
      for (const words of expected.says ?? []) expect(output).toContain(words);
      expect(output).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
    });
  });
});

/** Files a command may name, copied into its sandbox. */
const TEMPLATE_FILES = [
  'config-snapshot.json.gz',
  'last-review.json',
  'report.json',
  'fleet-2026-11-20.json.gz',
  'ip-ranges.json',
  'stack.yaml',
  'params.json',
  'plan.json',
];

/** What every sandbox shares: the inputs the README's commands name, relative to where they run. */
async function makeTemplate(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ssmguard-readme-template-'));
  await cp(exampleFleetDir(), join(dir, 'fleet'), { recursive: true });
  await cp(join(packageRoot(), 'policies'), join(dir, 'policies'), { recursive: true });
  // The README's example rule and its cases, as `our-rules/`.
  mkdirSync(join(dir, 'our-rules'));
  for (const match of readme.matchAll(/```yaml\n# our-rules\/(\S+\.yaml)\n([\s\S]*?)```/g))
    writeFileSync(join(dir, 'our-rules', match[1]!), `# our-rules/${match[1]!}\n${match[2]!}`);
  mkdirSync(join(dir, 'scps'));
  writeFileSync(
    join(dir, 'scps', 'full-aws-access.json'),
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
  );
  const snapshot = {
    fileVersion: '1.0',
    configSnapshotId: '9e7b2c1a-0000-4000-8000-000000000001',
    configurationItems: fleetToConfigItems(buildExampleFleet()),
  };
  writeFileSync(join(dir, 'config-snapshot.json.gz'), gzipSync(JSON.stringify(snapshot)));
  writeFileSync(join(dir, 'ip-ranges.json'), publishedRanges());
  // A template and a plan to scan before deploy: the example fleet's scenarios, and the story as a Terraform plan.
  const fixtures = join(packageRoot(), 'test', 'fixtures', 'template');
  copyFileSync(join(fixtures, 'cloudformation', 'example-scenarios.yaml'), join(dir, 'stack.yaml'));
  writeFileSync(
    join(dir, 'params.json'),
    JSON.stringify([{ ParameterKey: 'Environment', ParameterValue: 'Development' }]),
  );
  copyFileSync(join(fixtures, 'terraform', 'asg-no-profile', 'plan.json'), join(dir, 'plan.json'));
  // The files commands of the README read that an earlier command (or an earlier review) wrote.
  const review = await runCli(['scan', exampleFleetDir(), '--format', 'json']);
  writeFileSync(join(dir, 'last-review.json'), review.stdout);
  writeFileSync(join(dir, 'report.json'), review.stdout);
  await runCli(['export', exampleFleetDir(), '--out', join(dir, 'fleet-2026-11-20.json.gz')]);
  // A profile named "audit" in the sandbox's own AWS config, with the loopback's fake keys.
  writeFileSync(join(dir, 'aws-config'), '[profile audit]\nregion = us-east-1\n');
  writeFileSync(
    join(dir, 'aws-credentials'),
    '[audit]\naws_access_key_id = AKIDLOOPBACKTEST\naws_secret_access_key = loopback-secret\n',
  );
  return dir;
}

const sandboxes: string[] = [];
afterAll(() => {
  for (const dir of sandboxes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder per command: the shared inputs it names, and `ssmguard` / `aws` on the PATH. */
function makeSandbox(template: string, bundle: string, commands: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'ssmguard-readme-'));
  sandboxes.push(dir);
  for (const name of ['aws-config', 'aws-credentials']) symlinkSync(join(template, name), join(dir, name));
  const mentioned = (name: string): boolean => commands.some((command) => command.includes(name));
  // Folders are links into the template's copies (so a command writing through one never touches the repo);
  // files a command names are copied, since it may overwrite them.
  for (const name of ['audit', 'audit-2026-11', 'aws-cli-output'])
    if (mentioned(name)) symlinkSync(join(template, 'fleet'), join(dir, name));
  for (const name of ['policies', 'our-rules', 'scps'])
    if (mentioned(name)) symlinkSync(join(template, name), join(dir, name));
  for (const name of TEMPLATE_FILES) if (mentioned(name)) copyFileSync(join(template, name), join(dir, name));
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'ssmguard'), `#!/bin/sh\nexec '${process.execPath}' '${bundle}' "$@"\n`);
  writeFileSync(
    join(bin, 'aws'),
    `#!/bin/sh\nexec '${process.execPath}' '${join(packageRoot(), 'test', 'readme', 'fake-aws-cli.mjs')}' "$@"\n`,
  );
  chmodSync(join(bin, 'ssmguard'), 0o755);
  chmodSync(join(bin, 'aws'), 0o755);
  return dir;
}

/** A sealed AWS environment: fake keys, the loopback endpoint for every service, no IMDS, the sandbox's own config. */
function sandboxEnv(sandbox: string, endpointUrl: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env))
    if (value !== undefined && !name.startsWith('AWS_')) env[name] = value;
  return {
    ...env,
    PATH: `${join(sandbox, '.bin')}:${process.env.PATH ?? ''}`,
    HOME: sandbox,
    NO_COLOR: '1',
    AWS_ACCESS_KEY_ID: 'AKIDLOOPBACKTEST',
    AWS_SECRET_ACCESS_KEY: 'loopback-secret',
    AWS_ENDPOINT_URL: endpointUrl,
    AWS_CONFIG_FILE: join(sandbox, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(sandbox, 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    FAKE_AWS_FLEET: exampleFleetDir(),
  };
}

function bash(
  command: string,
  cwd: string,
  env: Record<string, string>,
  failFast: boolean,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [failFast ? '-euo' : '-o', 'pipefail', '-c', command],
      { cwd, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
