// Bad inputs, one table: each row is an input, the exit code, the words its message must carry, and which results
// must not come out COMPLIANT. None may print a stack trace or an internal error, and none may read as clean.
// Add a row for every new way an input can be wrong (issue 10).

import { promises as fsPromises } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FleetApiData, RegionApiData } from '../../src/collectors/api/api-data.js';
import { EXAMPLE_FLEET_FACTS, buildExampleFleet } from '../../src/generator/example-fleet.js';
import { hasUnsafeCharacters } from '../../src/neutralise-controls.js';
import { exampleFleetDir, shippedPoliciesDir } from '../../src/package-root.js';
import type { FaultSpec } from '../support/aws-endpoint/faults.js';
import { publishedRanges } from '../support/ip-ranges-fixture.js';
import {
  fleetToConfigItems,
  fleetToPatchComplianceItems,
} from '../collectors/config/fleet-to-config-items.js';
import { runCli } from './cli-harness.js';
import { cleanUp, resultKey, sealAwsEnvironment, serveFleet, type ReportResult } from './live-cli-kit.js';

const REGION = path.join('111122223333', 'us-east-1');
const INSTANCES = path.join(REGION, 'ec2-describe-instances.json');
const NOW = '2026-11-20T12:00:00.000Z';

/** What a row's input gives the test: the arguments after `scan`, and where the input lives. */
interface Input {
  args: string[];
  /** The example fleet copy the row changed, if it started from one (for comparisons with the original). */
  fleet?: string;
}

interface BadInputRow {
  name: string;
  /** Builds the input under `dir` (a fresh folder per row). */
  input: (dir: string) => Promise<Input>;
  exit: 0 | 1 | 2;
  /** Words (or patterns) the output (stderr and the report) must contain. */
  says: (string | RegExp)[];
  /** Results (rule id and resource id) that must be present and not COMPLIANT. */
  notCompliant?: { ruleId: string; resourceId: string; status?: 'ERROR' | 'NON_COMPLIANT' }[];
  /**
   * Compared with the untouched example fleet: no NON_COMPLIANT or ERROR may become COMPLIANT, and every result
   * that changed must be ERROR (missing data is never a verdict); `same` asks for identical statuses.
   */
  againstFleet?: 'no-false-green' | 'same';
  /** Report format; JSON (default) lets the results be checked. */
  format?: 'json' | (typeof HUMAN_FORMATS)[number];
  /** Set up a fault the file system cannot produce for root (tests run as root), undone after the row. */
  fault?: () => void;
  /** ssmguard's own variables for the run (the CLI's `env`; AWS variables go through sealAwsEnvironment). */
  env?: Record<string, string>;
  /** Words (or patterns) the output must not contain. */
  saysNot?: (string | RegExp)[];
  /** No control or bidi character may reach the output raw (line ends aside): it is for people. */
  noRawControls?: boolean;
}

/** The report formats people read: none may pass a control character through (JSON, SARIF, OCSF keep values exact). */
const HUMAN_FORMATS = ['text', 'markdown', 'html', 'csv', 'junit'] as const;

/** What an attacker who can tag an instance (or fake an agent) could write: an OSC title, SGR, RLO and a C1 CSI. */
const HOSTILE_CONTROLS = '\u001b]0;pwned\u0007\u001b[31mred\u202eevil\u009b2J';

// --- input builders -------------------------------------------------------------------------------------------

async function folder(dir: string, files: Record<string, string | Buffer>): Promise<Input> {
  const root = path.join(dir, 'input');
  await mkdir(root, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
  return { args: [root] };
}

/** A copy of the example fleet, changed by `change` (given the copy's root). */
async function fleet(dir: string, change: (root: string) => Promise<void> = async () => {}): Promise<Input> {
  const root = path.join(dir, 'fleet');
  await cp(exampleFleetDir(), root, { recursive: true });
  await change(root);
  return { args: [root], fleet: root };
}

async function editJson(file: string, edit: (body: Record<string, unknown>) => void): Promise<void> {
  const body = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(body);
  await writeFile(file, JSON.stringify(body, null, 2));
}

type Json = Record<string, unknown>;
const instancesOf = (body: Json): Json[] =>
  (body.Reservations as Json[]).flatMap((r) => r.Instances as Json[]);

/** The first instance of the example fleet's describe-instances output, with its id. */
async function firstInstance(root: string): Promise<string> {
  const body = JSON.parse(await readFile(path.join(root, INSTANCES), 'utf8')) as Json;
  return instancesOf(body)[0]!.InstanceId as string;
}

async function windowFile(root: string, kind: 'targets' | 'tasks'): Promise<string> {
  const names = await readdir(path.join(root, REGION));
  return path.join(
    root,
    REGION,
    names.find((n) => n.includes(`maintenance-window-${kind}-`))!,
  );
}

/** The largest run-history file of a kind in the example fleet's region (one a patch run really reached). */
async function runHistoryFile(
  root: string,
  kind: 'execution-tasks' | 'execution-task-invocations',
): Promise<string> {
  const dir = path.join(root, REGION);
  const names = (await readdir(dir)).filter((n) => n.includes(`maintenance-window-${kind}-`));
  const sizes = await Promise.all(names.map(async (n) => (await readFile(path.join(dir, n))).length));
  return path.join(dir, names[sizes.indexOf(Math.max(...sizes))]!);
}

/**
 * A live scan of the example fleet through the loopback endpoint, configured by `aws` (environment variables)
 * and `config` (the shared config file's text); the endpoint comes from `--endpoint-url` unless `config` or
 * `aws` say where it is (the word ENDPOINT stands for its URL).
 */
async function liveExample(
  dir: string,
  options: {
    args?: string[];
    aws?: Record<string, string | undefined>;
    config?: string;
    faults?: FaultSpec[];
  } = {},
): Promise<Input> {
  const endpoint = await serveFleet(buildExampleFleet(), options.faults ? { faults: options.faults } : {});
  const configFile = path.join(dir, 'aws-config');
  await writeFile(configFile, (options.config ?? '').replaceAll('ENDPOINT', endpoint.url));
  const aws = Object.fromEntries(
    Object.entries(options.aws ?? {}).map(([name, value]) => [
      name,
      value?.replaceAll('ENDPOINT', endpoint.url),
    ]),
  );
  sealAwsEnvironment({ AWS_CONFIG_FILE: configFile, ...aws });
  const configured =
    options.config?.includes('ENDPOINT') ||
    Object.values(options.aws ?? {}).some((v) => v?.includes('ENDPOINT'));
  const regions = ['--region', 'us-east-1', '--region', 'eu-west-1'];
  return {
    args: [
      '--live',
      ...regions,
      ...(configured ? [] : ['--endpoint-url', endpoint.url]),
      ...(options.args ?? []),
    ],
  };
}

const PROFILE_KEYS = 'aws_access_key_id = AKIDLOOPBACKTEST\naws_secret_access_key = loopback-secret\n';
const NO_ENV_KEYS = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined };

const GARBAGE_GZIP = Buffer.concat([
  Buffer.from([0x1f, 0x8b, 0x08, 0x00]),
  Buffer.from('not deflate data at all'),
]);

// Instance ids the rows pin (taken from the example fleet when the table is built).
let instanceId = '';

/** The example fleet with HOSTILE_CONTROLS in the first instance's Name and PatchGroup tags and agent strings. */
function hostileControlFleet(dir: string): Promise<Input> {
  return fleet(dir, async (root) => {
    const id = await firstInstance(root);
    await editJson(path.join(root, INSTANCES), (body) => {
      const instance = instancesOf(body).find((i) => i.InstanceId === id)!;
      instance.Tags = [
        { Key: 'Name', Value: `web${HOSTILE_CONTROLS}` },
        { Key: 'PatchGroup', Value: `pg${HOSTILE_CONTROLS}` },
      ];
    });
    await editJson(path.join(root, REGION, 'ssm-describe-instance-information.json'), (body) => {
      const entry = (body.InstanceInformationList as Json[]).find((i) => i.InstanceId === id)!;
      entry.AgentVersion = `3.3${HOSTILE_CONTROLS}`;
    });
  });
}

/** The example fleet with a policy pack of every rule plus `waivers` (YAML list items) and pack-level `extra`. */
async function fleetWithPolicy(dir: string, waivers: string, extra = ''): Promise<Input> {
  const input = await fleet(dir);
  const policy = path.join(dir, 'policy.yaml');
  await writeFile(
    policy,
    `name: row-policy\ndescription: a bad-input row\nrules:\n  include: ["*"]\nwaivers:\n${waivers}${extra}`,
  );
  return { ...input, args: [...input.args, '--policy', policy] };
}

let profiledInstance = { id: '', arn: '' };

const ROWS: BadInputRow[] = [
  {
    name: 'an empty folder',
    input: (dir) => folder(dir, {}),
    exit: 2,
    says: ['no EC2 instance data', 'aws ec2 describe-instances', 'no input file was found'],
  },
  {
    name: 'a folder holding only readme.txt and package.json',
    input: (dir) =>
      folder(dir, { 'readme.txt': 'notes\n', 'package.json': '{"name": "x", "version": "1.0.0"}' }),
    exit: 2,
    says: ['no EC2 instance data', 'skipped 2 inputs', 'readme.txt: not a JSON file', 'package.json'],
  },
  {
    name: '{"Reservations": "nope"}',
    input: (dir) => folder(dir, { 'instances.json': '{"Reservations": "nope"}' }),
    exit: 2,
    says: ['no EC2 instance data', 'could not be used', 'Reservations', 'expected an array'],
  },
  {
    name: 'a top-level array [1,2,3]',
    input: (dir) => folder(dir, { 'instances.json': '[1,2,3]' }),
    exit: 2,
    says: ['no EC2 instance data', 'a JSON array'],
  },
  {
    name: '100,000 nested arrays',
    input: (dir) => folder(dir, { 'deep.json': `${'['.repeat(100_000)}${']'.repeat(100_000)}` }),
    exit: 2,
    says: ['no EC2 instance data', 'a JSON array'],
  },
  {
    name: '100,000 unclosed [',
    input: (dir) => folder(dir, { 'deep.json': '['.repeat(100_000) }),
    exit: 2,
    says: ['deep.json:1:100001', 'not valid JSON', 'looks truncated'],
  },
  {
    name: 'a truncated describe-instances file',
    input: (dir) =>
      fleet(dir, async (root) => {
        const text = await readFile(path.join(root, INSTANCES), 'utf8');
        await writeFile(path.join(root, INSTANCES), text.slice(0, Math.floor(text.length / 2)));
      }),
    exit: 2,
    says: ['ec2-describe-instances.json:', 'not valid JSON', 'looks truncated'],
  },
  {
    name: 'a .json.gz whose body is garbage',
    input: (dir) => folder(dir, { 'instances.json.gz': 'this is not gzip' }),
    exit: 2,
    says: ['instances.json.gz', 'named .gz but not gzip data'],
  },
  {
    name: 'a corrupt gzip among good files',
    input: (dir) => fleet(dir, (root) => writeFile(path.join(root, REGION, 'extra.json.gz'), GARBAGE_GZIP)),
    exit: 2,
    says: ['extra.json.gz', 'not a valid gzip file'],
  },
  {
    name: 'gzipped describe-instances output is read like plain output',
    input: (dir) =>
      fleet(dir, async (root) => {
        const file = path.join(root, INSTANCES);
        await writeFile(`${file}.gz`, gzipSync(await readFile(file)));
        await unlink(file);
      }),
    exit: 1,
    says: ['"ec2-instance-profile-attached"'],
    againstFleet: 'same',
  },
  {
    name: 'the same instance with different content in two files',
    input: (dir) =>
      fleet(dir, async (root) => {
        const body = JSON.parse(await readFile(path.join(root, INSTANCES), 'utf8')) as Json;
        const reservation = (body.Reservations as Json[])[0]!;
        const instance = {
          ...(reservation.Instances as Json[])[0]!,
          Tags: [{ Key: 'Name', Value: 'changed' }],
        };
        await writeFile(
          path.join(root, REGION, 'more-instances.json'),
          JSON.stringify({ Reservations: [{ ...reservation, Instances: [instance] }] }),
        );
      }),
    exit: 2,
    says: [
      /conflicting duplicate: i-[0-9a-f]+ \(111122223333\/us-east-1\) differs from the one in/,
      'more-instances.json',
      'ec2-describe-instances.json',
    ],
  },
  {
    name: 'the same instance with identical content in two files',
    input: (dir) =>
      fleet(dir, async (root) => {
        const body = JSON.parse(await readFile(path.join(root, INSTANCES), 'utf8')) as Json;
        const reservation = (body.Reservations as Json[])[0]!;
        await writeFile(
          path.join(root, REGION, 'more-instances.json'),
          JSON.stringify({
            Reservations: [{ ...reservation, Instances: [(reservation.Instances as Json[])[0]] }],
          }),
        );
      }),
    exit: 1,
    says: ['identical duplicate instances entry'],
    againstFleet: 'same',
  },
  {
    name: 'an instance profile ARN that is not in the IAM data',
    input: (dir) =>
      fleet(dir, (root) =>
        editJson(path.join(root, INSTANCES), (body) => {
          const instance = instancesOf(body).find((i) => i.IamInstanceProfile !== undefined)!;
          profiledInstance = {
            id: instance.InstanceId as string,
            arn: 'arn:aws:iam::111122223333:instance-profile/NotInTheExport',
          };
          instance.IamInstanceProfile = { Arn: profiledInstance.arn, Id: 'AIPAEXAMPLE' };
        }),
      ),
    exit: 1,
    says: [
      'instance profile arn:aws:iam::111122223333:instance-profile/NotInTheExport is not in the IAM data',
      "'aws iam get-account-authorization-details' for account 111122223333",
    ],
    notCompliant: [
      { ruleId: 'ec2-instance-role-trusts-ec2', resourceId: 'PROFILED', status: 'ERROR' },
      { ruleId: 'ec2-instance-role-grants-ssm-core', resourceId: 'PROFILED', status: 'ERROR' },
    ],
    againstFleet: 'no-false-green',
  },
  {
    name: 'PatchGroup: "" (an empty tag value)',
    input: (dir) =>
      fleet(dir, async (root) => {
        instanceId = await firstInstance(root);
        await editJson(path.join(root, INSTANCES), (body) => {
          instancesOf(body)[0]!.Tags = [{ Key: 'PatchGroup', Value: '' }];
        });
      }),
    exit: 1,
    says: ['PATCH.NO_PATCH_GROUP_TAG'],
    notCompliant: [
      { ruleId: 'ec2-instance-patch-group-tagged', resourceId: 'FIRST', status: 'NON_COMPLIANT' },
    ],
  },
  {
    name: "one window's targets file missing",
    input: (dir) => fleet(dir, async (root) => unlink(await windowFile(root, 'targets'))),
    exit: 1,
    says: [/no ssm:maintenance-window-targets data for window mw-[0-9a-f]{17}/],
    againstFleet: 'no-false-green',
  },
  {
    name: "one window's tasks file missing",
    input: (dir) => fleet(dir, async (root) => unlink(await windowFile(root, 'tasks'))),
    exit: 1,
    says: [/no ssm:maintenance-window-tasks data for window mw-[0-9a-f]{17}/],
    againstFleet: 'no-false-green',
  },
  {
    name: "a window run's task-runs file missing (describe-maintenance-window-execution-tasks)",
    input: (dir) => fleet(dir, async (root) => unlink(await runHistoryFile(root, 'execution-tasks'))),
    exit: 1,
    says: [
      /no ssm:maintenance-window-execution-tasks data for window execution [0-9a-f-]{36}/,
      'describe-maintenance-window-execution-tasks --window-execution-id',
    ],
    againstFleet: 'no-false-green',
  },
  {
    name: "a patch task run's invocations file missing (describe-maintenance-window-execution-task-invocations)",
    input: (dir) =>
      fleet(dir, async (root) => unlink(await runHistoryFile(root, 'execution-task-invocations'))),
    exit: 1,
    says: [/no ssm:maintenance-window-execution-task-invocations data for task execution [0-9a-f-]{36}/],
    againstFleet: 'no-false-green',
  },
  {
    name: 'an export without describe-instances',
    input: (dir) => fleet(dir, (root) => unlink(path.join(root, INSTANCES))),
    exit: 2,
    says: ['no EC2 instance data', 'read instead: ', 'ec2:network-acls', 'iam:authorization-details'],
  },
  {
    name: 'a region folder whose describe-instances file is missing',
    input: (dir) =>
      fleet(dir, async (root) => {
        const other = path.join(root, '111122223333', 'eu-west-1');
        await mkdir(other);
        await cp(path.join(root, REGION, 'ec2-describe-security-groups.json'), path.join(other, 'sg.json'));
      }),
    exit: 2,
    says: ['EC2 instance data is missing for part of the input', '111122223333/eu-west-1'],
  },
  {
    name: 'a symlink loop inside the input folder',
    input: (dir) => fleet(dir, (root) => symlink('..', path.join(root, REGION, 'loop'))),
    exit: 1,
    says: ['"ec2-instance-profile-attached"'],
    againstFleet: 'same',
  },
  {
    name: 'a dangling symlink in the input folder (a file that cannot be opened)',
    input: (dir) =>
      fleet(dir, (root) => symlink(path.join(dir, 'gone.json'), path.join(root, REGION, 'gone.json'))),
    exit: 2,
    says: ['gone.json', 'ENOENT'],
  },
  {
    name: 'a file the scan may not read (EACCES; simulated: tests run as root)',
    input: (dir) => fleet(dir),
    fault: () => {
      const real = fsPromises.readFile.bind(fsPromises);
      vi.spyOn(fsPromises, 'readFile').mockImplementation(((file: string, ...rest: unknown[]) => {
        if (String(file).endsWith('ec2-describe-security-groups.json')) {
          const error = Object.assign(new Error(`EACCES: permission denied, open '${String(file)}'`), {
            code: 'EACCES',
          });
          return Promise.reject(error);
        }
        return (real as (...a: unknown[]) => Promise<unknown>)(file, ...rest);
      }) as typeof fsPromises.readFile);
    },
    exit: 2,
    says: ['ec2-describe-security-groups.json', 'EACCES'],
  },
  {
    name: 'a FIFO given as the input file (it would block a read forever)',
    input: async (dir) => {
      const fifo = path.join(dir, 'instances.json');
      execFileSync('mkfifo', [fifo]);
      return { args: [fifo] };
    },
    exit: 2,
    says: ['instances.json', 'not a regular file or folder'],
  },
  {
    name: 'a folder given where a policy file is expected',
    input: async (dir) => ({ ...(await fleet(dir)), args: [path.join(dir, 'fleet'), '--policy', dir] }),
    exit: 2,
    says: ['cannot read policy', 'EISDIR'],
  },
  {
    name: 'two accounts mixed in one describe-instances file',
    input: (dir) =>
      fleet(dir, (root) =>
        editJson(path.join(root, INSTANCES), (body) => {
          const reservations = body.Reservations as Json[];
          instanceId = instancesOf({ Reservations: [reservations[1]] })[0]!.InstanceId as string;
          reservations[0]!.OwnerId = '444455556666';
        }),
      ),
    exit: 1,
    says: ['reservation of account 444455556666 in input for account 111122223333'],
    notCompliant: [{ ruleId: 'ec2-instance-profile-attached', resourceId: 'FIRST', status: 'ERROR' }],
    againstFleet: 'no-false-green',
  },
  {
    name: 'hostile tag values (control characters, __proto__, 10,000 characters)',
    input: (dir) =>
      fleet(dir, async (root) => {
        await editJson(path.join(root, INSTANCES), (body) => {
          instancesOf(body)[0]!.Tags = [
            { Key: '__proto__', Value: 'polluted' },
            { Key: 'constructor', Value: '{"polluted": true}' },
            { Key: 'Name', Value: '\u001b]0;pwned\u0007\u001b[31mred' },
            { Key: 'PatchGroup', Value: 'x'.repeat(10_000) },
          ];
        });
      }),
    exit: 1,
    says: ['"ec2-instance-profile-attached"'],
  },
  {
    name: 'describe-instances cut short by --max-items (NextToken)',
    input: (dir) =>
      fleet(dir, async (root) => {
        instanceId = await firstInstance(root);
        await editJson(path.join(root, INSTANCES), (body) => {
          body.NextToken = 'eyJOZXh0VG9rZW4iOiBudWxsfQ==';
        });
      }),
    exit: 1,
    says: ['RESPONSE_TRUNCATED', 'one page of several'],
    notCompliant: [{ ruleId: 'ec2-instance-profile-attached', resourceId: 'FIRST', status: 'ERROR' }],
    againstFleet: 'no-false-green',
  },
  // --- live scan configuration (issue 10 items 10, 16): as the AWS CLI reads it, checked before any call ---
  {
    name: 'live: only the profile endpoint_url says where AWS is (--profile audit, the default profile elsewhere)',
    input: (dir) =>
      liveExample(dir, {
        aws: NO_ENV_KEYS,
        config: `[default]\nendpoint_url = http://127.0.0.1:9\n${PROFILE_KEYS}[profile audit]\nendpoint_url = ENDPOINT\n${PROFILE_KEYS}`,
        args: ['--profile', 'audit'],
      }),
    exit: 1,
    says: ['ec2-instance-profile-attached'],
    againstFleet: 'same',
  },
  {
    name: 'live: --profile nosuch',
    input: (dir) => liveExample(dir, { args: ['--profile', 'nosuch'] }),
    exit: 2,
    says: ['profile nosuch not found (--profile)', 'aws-config'],
  },
  {
    name: 'live: AWS_PROFILE=nosuch',
    input: (dir) => liveExample(dir, { aws: { AWS_PROFILE: 'nosuch' } }),
    exit: 2,
    says: ['profile nosuch not found (AWS_PROFILE)'],
  },
  {
    name: 'live: 40 % of calls throttled in each protocol’s own format, default attempts (adaptive)',
    input: (dir) =>
      liveExample(dir, {
        aws: { AWS_MAX_ATTEMPTS: undefined },
        faults: [{ operation: '*', kind: 'throttle', fraction: 0.4, seed: 16 }],
      }),
    env: { SSMGUARD_RETRY_BASE_DELAY_MS: '1' },
    exit: 1,
    says: ['ec2-instance-profile-attached'],
    againstFleet: 'same',
  },
  {
    name: 'live: DescribeInstances throttled past the attempts in one region (blind there, not "0 instances")',
    input: (dir) =>
      liveExample(dir, {
        args: ['--max-attempts', '3'],
        faults: [{ operation: 'ec2:DescribeInstances', kind: 'throttle', region: 'us-east-1' }],
      }),
    env: { SSMGUARD_RETRY_BASE_DELAY_MS: '1' },
    exit: 2,
    says: [
      'EC2 instances could not be read',
      '111122223333/us-east-1: RequestLimitExceeded',
      '--max-attempts N',
    ],
  },
  {
    name: 'live: DescribeInstances denied',
    input: (dir) =>
      liveExample(dir, { faults: [{ operation: 'ec2:DescribeInstances', kind: 'access-denied' }] }),
    exit: 2,
    says: ['111122223333/us-east-1: UnauthorizedOperation', '111122223333/eu-west-1: UnauthorizedOperation'],
  },
  {
    name: 'live: --max-attempts 0',
    input: (dir) => liveExample(dir, { args: ['--max-attempts', '0'] }),
    exit: 2,
    says: ['--max-attempts must be a whole number of attempts from 1 to 100', 'got "0"'],
  },
  {
    name: 'live: --max-attempts ten',
    input: (dir) => liveExample(dir, { args: ['--max-attempts', 'ten'] }),
    exit: 2,
    says: ['--max-attempts must be a whole number', 'got "ten"'],
  },
  {
    name: 'live: --max-attempts 101',
    input: (dir) => liveExample(dir, { args: ['--max-attempts', '101'] }),
    exit: 2,
    says: ['from 1 to 100', 'got "101"'],
  },
  {
    name: '--max-attempts without --live',
    input: async () => ({ args: [exampleFleetDir(), '--max-attempts', '5'] }),
    exit: 2,
    says: ['--max-attempts only applies to a live scan'],
  },
  {
    name: 'live: AWS_MAX_ATTEMPTS=ten (the SDK alone would silently use its default)',
    input: (dir) => liveExample(dir, { aws: { AWS_MAX_ATTEMPTS: 'ten' } }),
    exit: 2,
    says: ['AWS_MAX_ATTEMPTS must be a whole number of attempts', 'got "ten"'],
  },
  {
    name: 'live: max_attempts = 0 in the profile',
    input: (dir) =>
      liveExample(dir, { aws: { AWS_MAX_ATTEMPTS: undefined }, config: '[default]\nmax_attempts = 0\n' }),
    exit: 2,
    says: ['max_attempts of profile default must be a whole number', 'got "0"'],
  },
  {
    name: 'live: AWS_RETRY_MODE=legacy',
    input: (dir) => liveExample(dir, { aws: { AWS_RETRY_MODE: 'legacy' } }),
    exit: 2,
    says: ['AWS_RETRY_MODE must be standard or adaptive', 'got "legacy"'],
  },
  {
    name: 'live: SSMGUARD_RETRY_BASE_DELAY_MS=soon',
    input: (dir) => liveExample(dir),
    env: { SSMGUARD_RETRY_BASE_DELAY_MS: 'soon' },
    exit: 2,
    says: ['SSMGUARD_RETRY_BASE_DELAY_MS must be whole milliseconds'],
  },
  {
    name: 'a rule "*" waiver over the whole account: waived instances are not ready, and not a failure',
    input: (dir) =>
      fleetWithPolicy(
        dir,
        '  - id: everything\n    rule: "*"\n    account: "111122223333"\n    reason: r\n    owner: ops@example.com\n    expires: 2027-01-15\n',
      ),
    format: 'text',
    exit: 0,
    says: [
      '22 of 231 instances have an unbroken readiness chain; 209 are not ready (waived',
      'everything (*, account 111122223333): waives 716 results',
    ],
    saysNot: ['231 of 231', 'every evaluated resource is compliant'],
  },
  {
    name: 'a waiver that expires five years after the evaluation time',
    input: (dir) =>
      fleetWithPolicy(
        dir,
        '  - id: forever\n    rule: ec2-instance-profile-attached\n    account: "111122223333"\n    reason: r\n    owner: ops@example.com\n    expires: 2031-11-20\n',
      ),
    exit: 2,
    says: ['policy.yaml:11:5 at waivers[0].expires', 'waiver "forever" expires 2031-11-20', 'at most 1 year'],
  },
  {
    name: 'a waiver owner that is neither an email address nor a team the pack declares',
    input: (dir) =>
      fleetWithPolicy(
        dir,
        '  - id: nobody\n    rule: ec2-instance-profile-attached\n    account: "111122223333"\n    reason: r\n    owner: "@platform"\n    expires: 2027-01-15\n',
        'waiverSettings:\n  teams: ["@security"]\n',
      ),
    exit: 2,
    says: [
      'policy.yaml:10:5 at waivers[0].owner',
      'owner "@platform" is neither an email address nor a team',
      '@security',
    ],
  },
  {
    name: 'a window task registered with TaskInvocationParameters, without its get-maintenance-window-task file',
    input: (dir) =>
      fleet(dir, async (root) => {
        const regionDir = path.join(root, REGION);
        for (const name of await readdir(regionDir))
          if (name.startsWith('ssm-get-maintenance-window-task-')) await unlink(path.join(regionDir, name));
      }),
    exit: 1,
    says: [
      'cannot read the Operation',
      'aws ssm get-maintenance-window-task --window-id mw-02be179098db205d2',
    ],
    notCompliant: [
      { ruleId: 'ssm-maintenance-window-patches', resourceId: 'mw-02be179098db205d2', status: 'ERROR' },
    ],
    againstFleet: 'no-false-green',
  },
  {
    name: 'IAM and route-table data missing: "could not evaluate" counts instances, each listed once',
    input: async (dir) => {
      const input = await fleet(dir, async (root) => {
        await unlink(path.join(root, '111122223333', 'iam-get-account-authorization-details.json'));
        await unlink(path.join(root, REGION, 'ec2-describe-route-tables.json'));
      });
      // Unwrapped, so a cause and its rules are one line each for the patterns below.
      return { ...input, args: [...input.args, '--width', '0'] };
    },
    format: 'text',
    exit: 1,
    says: [
      'Could not evaluate: 231 instances and 1 other resource (548 results)',
      // The patch-window link of the instances the production window selects reads its task's role too.
      /DATA_MISSING \(needs iam:GetAccountAuthorizationDetails\) — 31 instances\n.*rules ec2-instance-patch-window-installs, ec2-instance-role-grants-ssm-core, ec2-instance-role-trusts-ec2\n/,
      // The window whose task runs as its own role needs IAM too: its own cause, not counted as an instance.
      /DATA_MISSING \(needs iam:GetAccountAuthorizationDetails\) — 1 resource\n.*rule ssm-maintenance-window-patches/,
    ],
    saysNot: [/(i-[0-9a-f]{17}), \1\b/, /\b(?:[3-9]\d\d|23[2-9]|2[4-9]\d) instances/],
  },
  ...HUMAN_FORMATS.map((format): BadInputRow => ({
    name: `tag values and agent strings with ESC, BEL and U+202E: no raw control character in ${format}`,
    input: hostileControlFleet,
    format,
    exit: 1,
    // Shown as visible escapes (Markdown escapes the backslash and bracket once more), not dropped.
    says: [format === 'markdown' ? '\\\\u001b\\]0;pwned\\\\u0007' : '\\u001b]0;pwned\\u0007'],
    noRawControls: true,
  })),
  {
    name: 'tag values and agent strings with ESC, BEL and U+202E: the JSON report keeps the exact values',
    input: hostileControlFleet,
    exit: 1,
    says: [
      JSON.stringify(`3.3${HOSTILE_CONTROLS}`).slice(1, -1),
      JSON.stringify(`web${HOSTILE_CONTROLS}`).slice(1, -1),
    ],
  },
  {
    name: 'a file name with control characters: the skip message shows them as escapes',
    input: (dir) =>
      fleet(dir, async (root) => {
        await writeFile(path.join(root, 'notes\u001b]0;pwned\u0007.txt'), 'not AWS output');
      }),
    exit: 1,
    says: ['notes\\u001b]0;pwned\\u0007.txt'],
    noRawControls: true,
  },
  // --ip-ranges (issue 12): a ranges file that cannot be used stops the scan before any input is read.
  {
    name: '--ip-ranges with a file missing syncToken',
    input: async (dir) => {
      const ranges = path.join(dir, 'ip-ranges.json');
      await writeFile(ranges, publishedRanges({ syncToken: undefined }));
      return { args: [exampleFleetDir(), '--ip-ranges', ranges] };
    },
    exit: 2,
    says: ['ip-ranges file', 'ip-ranges.json', 'not AWS ip-ranges.json', 'missing "syncToken"'],
  },
  {
    name: '--ip-ranges with a malformed prefix',
    input: async (dir) => {
      const ranges = path.join(dir, 'ip-ranges.json');
      const bad = [
        { ip_prefix: '52.4.0/14', region: 'us-east-1', service: 'AMAZON', network_border_group: 'us-east-1' },
      ];
      await writeFile(ranges, publishedRanges({ prefixes: bad }));
      return { args: [exampleFleetDir(), '--ip-ranges', ranges] };
    },
    exit: 2,
    says: ['ip-ranges.json', '/prefixes/0/ip_prefix', '"52.4.0/14" is not an IPv4 prefix'],
  },
  {
    name: '--ip-ranges with a truncated file',
    input: async (dir) => {
      const ranges = path.join(dir, 'ip-ranges.json');
      await writeFile(ranges, publishedRanges().slice(0, 120));
      return { args: [exampleFleetDir(), '--ip-ranges', ranges] };
    },
    exit: 2,
    says: ['ip-ranges.json', 'line 1', 'not valid JSON', 'looks truncated'],
  },
  {
    name: '--ip-ranges naming a file that does not exist',
    input: async (dir) => ({
      args: [exampleFleetDir(), '--ip-ranges', path.join(dir, 'no-such-ranges.json')],
    }),
    exit: 2,
    says: ['no-such-ranges.json', 'cannot be read (ENOENT)'],
  },
  // --- AWS Config patch compliance (issue 13): items without an operation or its time ---
  {
    name: 'a Config snapshot with AWS::SSM::PatchCompliance items: "patched recently" cannot be verified from them',
    input: (dir) => configSnapshot(dir, { resources: true }),
    exit: 1,
    says: ['cannot be verified', 'AWS::SSM::PatchCompliance', 'describe-instance-patch-states'],
    notCompliant: [
      {
        ruleId: 'ec2-instance-patched-recently',
        resourceId: EXAMPLE_FLEET_FACTS.healthyWebInstanceIds[0]!,
        status: 'ERROR',
      },
    ],
  },
  {
    name: 'a Config snapshot with AWS::SSM::PatchCompliance items only',
    input: (dir) => configSnapshot(dir, { resources: false }),
    exit: 2,
    says: ['no EC2 instance data', 'read instead: ssm:instance-patch-states'],
  },
  {
    name: 'a policy naming a control framework ssmguard has no mapping for',
    input: (dir) => fleetWithPolicy(dir, '  []\n', 'controls: [aws-fsbp, pci-dss]\n'),
    exit: 2,
    says: [
      'policy.yaml:7:22 at controls[1]',
      'unknown control framework "pci-dss"',
      'aws-fsbp, aws-securityhub-controls, cis-aws-foundations, nist-800-53',
    ],
  },
  {
    name: 'a policy whose controls is one name, not a list',
    input: (dir) => fleetWithPolicy(dir, '  []\n', 'controls: aws-fsbp\n'),
    exit: 2,
    says: ['policy.yaml:7:1 at controls: must be array'],
  },
  {
    name: 'the FSBP pack without the patch states: SSM.2 is not evaluated, never a pass',
    input: async (dir) => {
      const input = await fleet(dir, (root) =>
        unlink(path.join(root, REGION, 'ssm-describe-instance-patch-states.json')),
      );
      return {
        ...input,
        args: [...input.args, '--policy', path.join(shippedPoliciesDir(), 'aws-fsbp.yaml'), '--width', '0'],
      };
    },
    format: 'text',
    exit: 1,
    says: [
      /SSM\.2 +NOT EVALUATED +Amazon EC2 instances managed by Systems Manager should have a patch/,
      'could not be evaluated: i-',
    ],
    saysNot: [/SSM\.2 +PASS/],
  },
];

/** A gzipped Config snapshot of the example fleet's patch compliance, with or without its other resources. */
async function configSnapshot(dir: string, options: { resources: boolean }): Promise<Input> {
  const fleet = buildExampleFleet();
  const items = [
    ...(options.resources ? fleetToConfigItems(fleet) : []),
    ...fleetToPatchComplianceItems(fleet),
  ];
  const file = path.join(dir, '111122223333_Config_us-east-1_ConfigSnapshot_20261120T120000Z_5d1c.json.gz');
  await writeFile(
    file,
    gzipSync(JSON.stringify({ fileVersion: '1.0', configSnapshotId: '5d1c', configurationItems: items })),
  );
  return { args: [file] };
}

// --- the runner ------------------------------------------------------------------------------------------------

let work: string;
let fleetResults: Map<string, ReportResult>;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ssmguard-bad-inputs-'));
  const run = await runCli(['scan', exampleFleetDir(), '--format', 'json', '--now', NOW]);
  fleetResults = new Map(resultsOf(run.stdout).map((r) => [resultKey(r), r]));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await cleanUp();
});

function resultsOf(stdout: string): ReportResult[] {
  return (JSON.parse(stdout) as { results: ReportResult[] }).results;
}

/** Resource ids the rows name symbolically, known once their input is built. */
function resolveId(id: string): string {
  if (id === 'FIRST') return instanceId;
  if (id === 'PROFILED') return profiledInstance.id;
  return id;
}

describe('bad inputs', () => {
  it.each(ROWS.map((row, index) => [row.name, index] as const))('%s', async (_name, index) => {
    const row = ROWS[index]!;
    const dir = path.join(work, `row-${index}`);
    await mkdir(dir, { recursive: true });
    const input = await row.input(dir);
    row.fault?.();
    const format = row.format ?? 'json';
    const run = await runCli(
      ['scan', ...input.args, '--format', format, '--now', NOW],
      row.env ? { env: row.env } : {},
    );
    const output = `${run.stderr}\n${run.stdout}`;

    expect(run.code, output.slice(0, 2000)).toBe(row.exit);
    for (const words of row.says) {
      if (typeof words === 'string') expect(output).toContain(words);
      else expect(output).toMatch(words);
    }
    for (const words of row.saysNot ?? []) {
      if (typeof words === 'string') expect(output).not.toContain(words);
      else expect(output).not.toMatch(words);
    }
    if (row.noRawControls) {
      // Line ends are the output's own (CSV ends rows with CRLF); anything else is a character from the input.
      const raw = output
        .replace(/\r\n/g, '\n')
        .split('\n')
        .find((line) => hasUnsafeCharacters(line));
      expect(raw, JSON.stringify(raw)).toBeUndefined();
    }
    expect(output).not.toMatch(/internal error/);
    expect(output).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
    expect(output).not.toContain('every evaluated resource is compliant');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (row.exit === 2) {
      expect(run.stdout).toBe(''); // no report at all, so nothing reads as compliant
      return;
    }
    if (format !== 'json') return;
    const results = resultsOf(run.stdout);
    for (const expected of row.notCompliant ?? []) {
      const resourceId = resolveId(expected.resourceId);
      const result = results.find((r) => r.ruleId === expected.ruleId && r.resourceId === resourceId);
      expect(result, `${expected.ruleId} ${resourceId}`).toBeDefined();
      expect(result!.status).not.toBe('COMPLIANT');
      if (expected.status !== undefined) expect(result!.status).toBe(expected.status);
    }
    if (row.againstFleet === undefined) return;
    for (const result of results) {
      const before = fleetResults.get(resultKey(result));
      if (row.againstFleet === 'same') {
        expect(before?.status, resultKey(result)).toBe(result.status);
        continue;
      }
      if (before === undefined) {
        // A resource the change moved (another account): it may not pass where the original did not.
        continue;
      }
      if (before.status !== 'COMPLIANT') expect(result.status, resultKey(result)).not.toBe('COMPLIANT');
      if (before.status !== result.status && before.status !== 'NOT_APPLICABLE')
        expect(result.status, resultKey(result)).toBe('ERROR');
    }
    if (row.againstFleet === 'same') expect(results.length).toBe(fleetResults.size);
  });

  it('a live scan that finds no instances says so, and does not call it compliant', async () => {
    sealAwsEnvironment();
    const endpoint = await serveFleet(emptyFleet());
    const run = await runCli([
      'scan',
      '--live',
      '--endpoint-url',
      endpoint.url,
      '--region',
      'eu-west-1',
      '--now',
      NOW,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('0 instances in 111122223333/eu-west-1');
    expect(`${run.stderr}${run.stdout}`).not.toMatch(/internal error/);
  });
});

/** An account with one region holding nothing at all. */
function emptyFleet(): FleetApiData {
  const region: RegionApiData = {
    accountId: '111122223333',
    region: 'eu-west-1',
    DescribeInstances: { Reservations: [] },
    DescribeSecurityGroups: { SecurityGroups: [] },
    DescribeVpcs: { Vpcs: [] },
    DescribeVpcAttribute: [],
    DescribeSubnets: { Subnets: [] },
    DescribeRouteTables: { RouteTables: [] },
    DescribeNetworkAcls: { NetworkAcls: [] },
    DescribeVpcEndpoints: { VpcEndpoints: [] },
    DescribeNatGateways: { NatGateways: [] },
    DescribeInternetGateways: { InternetGateways: [] },
    DescribeEgressOnlyInternetGateways: { EgressOnlyInternetGateways: [] },
    DescribeInstanceInformation: { InstanceInformationList: [] },
    DescribeActivations: { ActivationList: [] },
    DescribeMaintenanceWindows: { WindowIdentities: [] },
    DescribeMaintenanceWindowTargets: [],
    DescribeMaintenanceWindowTasks: [],
    DescribePatchGroups: { Mappings: [] },
    DescribeInstancePatchStates: { InstancePatchStates: [] },
    GetServiceSetting: {
      ServiceSetting: {
        SettingId: '/ssm/managed-instance/default-ec2-instance-management-role',
        SettingValue: '$None',
      },
    },
  };
  return {
    collectedAt: NOW,
    accounts: [
      {
        accountId: '111122223333',
        GetAccountAuthorizationDetails: { RoleDetailList: [], Policies: [] },
        regions: [region],
      },
    ],
  };
}
