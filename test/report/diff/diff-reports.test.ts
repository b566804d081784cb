// `ssmguard diff` over pairs of JSON reports: the example fleet, and copies with one thing changed (a profile
// detached, a port opened, a waiver expired, an instance terminated or removed). Each row asserts the change
// lines and the exit code, through the CLI as a pipeline would run it.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { loadInput } from '../../../src/cli/load-input.js';
import { loadRuleSet, type RuleSet } from '../../../src/cli/rule-set.js';
import { runScan } from '../../../src/cli/run-scan.js';
import { EXAMPLE_FLEET_FACTS as F } from '../../../src/generator/example-fleet-facts.js';
import type { Inventory } from '../../../src/inventory/model.js';
import { exampleFleetDir } from '../../../src/package-root.js';
import { renderJson } from '../../../src/report/render-json.js';
import { runCli } from '../../cli/cli-harness.js';

const WAIVER_POLICY = `
name: diff-test
description: Every rule, and a waiver for the open SSH port that expires on 2026-12-01.
rules:
  include: ["*"]
waivers:
  - id: ssh-until-december
    rule: ec2-instance-no-inbound-ssm-ports
    resource: ${F.sshOpenInstanceId}
    reason: Bastion until Session Manager is rolled out
    owner: secops@example.com
    expires: 2026-12-01
`;

let dir: string;
let fleet: Inventory;
let allRules: RuleSet;
let waiverRules: RuleSet;
let waiveNoPathRules: RuleSet;

/** Scans the inventory as `scan --format json` would, and writes the report to `dir/name.json`. */
async function reportFile(
  name: string,
  inventory: Inventory,
  ruleSet = allRules,
  now?: string,
): Promise<string> {
  // A modified copy is a different input: hash the model, not the files the fleet was read from.
  if (inventory !== fleet) delete inventory.source.inputHash;
  const scan = await runScan(inventory, ruleSet, { format: 'json', color: false, failOn: 'none', now });
  const file = join(dir, `${name}.json`);
  await writeFile(file, renderJson(scan.report));
  return file;
}

const instance = (inventory: Inventory, id: string) => inventory.instances.find((i) => i.instanceId === id)!;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssmguard-diff-'));
  fleet = (await loadInput([exampleFleetDir()], {})).inventory;
  allRules = await loadRuleSet({});
  const policyFile = join(dir, 'policy.yaml');
  await writeFile(policyFile, WAIVER_POLICY);
  waiverRules = await loadRuleSet({ policyFile });
  const waiveNoPath = join(dir, 'waive-no-path.yaml');
  await writeFile(
    waiveNoPath,
    `name: waive-no-path\ndescription: d\nrules:\n  include: ["*"]\nwaivers:\n  - rule: "*"\n    resource: ${F.noNetworkPathInstanceId}\n    reason: r\n    owner: ops@example.com\n    expires: 2027-01-01\n`,
  );
  waiveNoPathRules = await loadRuleSet({ policyFile: waiveNoPath });
});
afterAll(async () => {
  if (!process.env.KEEP) await rm(dir, { recursive: true, force: true });
});

interface Row {
  name: string;
  /** Builds the old and new report files. */
  pair: () => Promise<[string, string]>;
  args?: string[];
  exit: number;
  says: (string | RegExp)[];
  saysNot?: string[];
}

const web = F.healthyWebInstanceIds[0];

const rows: Row[] = [
  {
    name: 'the same report twice: nothing changed',
    pair: async () => [await reportFile('base', fleet), await reportFile('same', fleet)],
    exit: 0,
    says: [/^Not worse: 0 newly broken, 0 fixed, \d+ still broken\.$/m, 'Instances still broken ('],
    saysNot: ['Instances newly broken', 'Root causes appeared', 'Resources added', 'Resources removed'],
  },
  {
    name: 'a profile detached',
    pair: async () => {
      const changed = structuredClone(fleet);
      delete instance(changed, web).iamInstanceProfileArn;
      return [await reportFile('base', fleet), await reportFile('profile-detached', changed)];
    },
    exit: 1,
    says: [
      /^Worse: 1 newly broken, 0 fixed, /m,
      'Instances newly broken (1):',
      new RegExp(
        `^ {2}1\\. ${web} \\(web-[^)]*\\) 111122223333/us-east-1: credentials \\(ec2-instance-profile-attached\\), was ready$`,
        'm',
      ),
      'Root causes grew (',
      `(+${web})`,
      'Results newly failing (',
      `ec2-instance-profile-attached ${web} 111122223333/us-east-1: COMPLIANT → NON_COMPLIANT (IAM.NO_INSTANCE_PROFILE)`,
    ],
  },
  {
    name: 'the fix of that profile, the other way round',
    pair: async () => {
      const changed = structuredClone(fleet);
      delete instance(changed, web).iamInstanceProfileArn;
      return [await reportFile('profile-detached', changed), await reportFile('base', fleet)];
    },
    exit: 0,
    says: [
      /^Not worse: 0 newly broken, 1 fixed, /m,
      'Instances fixed (1):',
      `${web}`,
      'Root causes shrank (',
    ],
    saysNot: ['Instances newly broken'],
  },
  {
    name: 'a port opened to the internet',
    pair: async () => {
      const changed = structuredClone(fleet);
      const sgId = instance(changed, web).securityGroupIds[0]!;
      changed.securityGroups
        .find((g) => g.groupId === sgId)!
        .ingress.push({ protocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' });
      return [await reportFile('base', fleet), await reportFile('port-opened', changed)];
    },
    exit: 1,
    says: [
      /^Worse: 0 newly broken, 0 fixed, /m,
      'Root causes appeared (1):',
      /1\. \[high\] .* on sg-[0-9a-f]+ \(ec2-instance-no-inbound-ssm-ports NET\.INBOUND_SSM_PORT\): 0 → \d+/,
      `ec2-instance-no-inbound-ssm-ports ${web} 111122223333/us-east-1: COMPLIANT → NON_COMPLIANT (NET.INBOUND_SSM_PORT)`,
    ],
    saysNot: ['Instances newly broken'],
  },
  {
    name: 'a port opened, with --fail-on critical: reported, but exit 0',
    pair: async () => {
      const changed = structuredClone(fleet);
      const sgId = instance(changed, web).securityGroupIds[0]!;
      changed.securityGroups
        .find((g) => g.groupId === sgId)!
        .ingress.push({ protocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' });
      return [await reportFile('base', fleet), await reportFile('port-opened', changed)];
    },
    args: ['--fail-on', 'critical'],
    exit: 0,
    says: ['Root causes appeared (1):', /^Not worse: /m],
  },
  {
    name: 'a waiver expired in between',
    pair: async () => [
      await reportFile('waiver-valid', fleet, waiverRules, '2026-11-20T12:00:00Z'),
      await reportFile('waiver-expired', fleet, waiverRules, '2026-12-15T12:00:00Z'),
    ],
    exit: 1,
    says: [
      'Waivers expired in between (1):',
      `1. ssh-until-december (ec2-instance-no-inbound-ssm-ports) expired 2026-12-01, was applied: 1 resource(s) no longer waived (${F.sshOpenInstanceId})`,
      `ec2-instance-no-inbound-ssm-ports ${F.sshOpenInstanceId} 111122223333/us-east-1: WAIVED → NON_COMPLIANT`,
    ],
  },
  {
    name: 'a broken instance waived: still broken, never fixed',
    pair: async () => [await reportFile('base', fleet), await reportFile('waived', fleet, waiveNoPathRules)],
    exit: 0,
    says: [
      // 209 broken before; the waived one is among the 209 still broken after, not among the fixed.
      /^Not worse: 0 newly broken, 0 fixed, 209 still broken\.$/m,
      /^new .*22 of 231 instances ready \(1 not ready, waived\)/m,
      `ec2-instance-network-path-to-ssm ${F.noNetworkPathInstanceId} 111122223333/us-east-1: NON_COMPLIANT → WAIVED`,
    ],
    saysNot: ['Instances fixed'],
  },
  {
    name: 'an instance terminated (still listed, not applicable everywhere)',
    pair: async () => {
      const changed = structuredClone(fleet);
      instance(changed, F.noNetworkPathInstanceId).state = 'terminated';
      return [await reportFile('base', fleet), await reportFile('terminated', changed)];
    },
    exit: 0,
    says: [
      'Instances gone while broken (terminated or out of scope) (1):',
      `${F.noNetworkPathInstanceId}`,
      'Root causes disappeared (',
      'NET.NO_ROUTE',
    ],
    saysNot: ['Instances fixed', 'Instances newly broken'],
  },
  {
    name: 'an instance removed from the inventory',
    pair: async () => {
      const changed = structuredClone(fleet);
      changed.instances = changed.instances.filter((i) => i.instanceId !== F.noNetworkPathInstanceId);
      return [await reportFile('base', fleet), await reportFile('removed', changed)];
    },
    exit: 0,
    says: [
      'Resources removed (1):',
      `1. AWS::EC2::Instance ${F.noNetworkPathInstanceId} 111122223333/us-east-1`,
      'Instances gone while broken (terminated or out of scope) (1):',
    ],
    saysNot: ['Instances fixed', 'Resources added'],
  },
  {
    name: 'an instance added back: a resource added, broken from the start',
    pair: async () => {
      const changed = structuredClone(fleet);
      changed.instances = changed.instances.filter((i) => i.instanceId !== F.noNetworkPathInstanceId);
      return [await reportFile('removed', changed), await reportFile('base', fleet)];
    },
    exit: 1,
    says: [
      'Resources added (1):',
      `AWS::EC2::Instance ${F.noNetworkPathInstanceId}`,
      new RegExp(
        `${F.noNetworkPathInstanceId} .*: network \\(ec2-instance-network-path-to-ssm\\), was not in the report`,
      ),
    ],
  },
];

describe('ssmguard diff', () => {
  test.for(rows)('$name', async ({ pair, args = [], exit, says, saysNot = [] }) => {
    // Prepare
    const [oldFile, newFile] = await pair();
    // Act
    const { code, stdout: text, stderr } = await runCli(['diff', oldFile, newFile, ...args]);
    // Assess
    expect(stderr).toBe('');
    for (const s of says) {
      if (typeof s === 'string') expect(text).toContain(s);
      else expect(text).toMatch(s);
    }
    for (const s of saysNot) expect(text).not.toContain(s);
    expect(code).toBe(exit);
  });

  it('writes the same changes as JSON and Markdown', async () => {
    const changed = structuredClone(fleet);
    delete instance(changed, web).iamInstanceProfileArn;
    const [oldFile, newFile] = [
      await reportFile('base', fleet),
      await reportFile('profile-detached', changed),
    ];
    const json = await runCli(['diff', oldFile, newFile, '--format', 'json']);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as {
      schemaVersion: number;
      worse: boolean;
      old: { inputHash: string };
      new: { inputHash: string };
      instances: { newlyBroken: { instanceId: string; after: { link: string; severity: string } }[] };
    };
    expect(doc.schemaVersion).toBe(1);
    expect(doc.worse).toBe(true);
    expect(doc.old.inputHash).not.toBe(doc.new.inputHash);
    expect(doc.instances.newlyBroken).toEqual([
      expect.objectContaining({
        instanceId: web,
        after: expect.objectContaining({ link: 'credentials', severity: 'critical' }),
      }),
    ]);
    const md = await runCli(['diff', oldFile, newFile, '--format', 'markdown']);
    expect(md.code).toBe(1);
    expect(md.stdout).toContain('## Instances newly broken (1)');
    expect(md.stdout).toMatch(new RegExp(`^1\\. ${web} `, 'm'));
  });
});

describe('ssmguard diff on bad input', () => {
  test.for([
    { name: 'a missing file', content: undefined, says: ['cannot read report', 'missing.json', 'ENOENT'] },
    { name: 'not JSON', content: '{"schemaVersion": 1,', says: ['bad.json:1:', 'not valid JSON'] },
    {
      name: 'JSON, but not a report',
      content: '{"instances": []}',
      says: ['bad.json', 'not an ssmguard JSON report'],
    },
    {
      name: 'a future schema version',
      content: '{"schemaVersion": 99}',
      says: ['schemaVersion 99 is not supported'],
    },
    {
      name: 'a report missing its results',
      content: '{"schemaVersion": 1, "tool": {"name": "ssmguard", "version": "1"}}',
      says: ['bad.json', 'does not match the report schema'],
    },
  ])('$name: exit 2, naming the file', async ({ content, says }) => {
    const good = await reportFile('base', fleet);
    const bad = join(dir, content === undefined ? 'missing.json' : 'bad.json');
    if (content !== undefined) await writeFile(bad, content);
    const run = await runCli(['diff', good, bad]);
    expect(run.code).toBe(2);
    for (const s of says) expect(run.stderr).toContain(s);
    expect(run.stdout).toBe('');
  });
});
