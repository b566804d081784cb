// Terminal safety of every human-facing output that is not a scan report (those are rows of bad-inputs.test.ts):
// explain, diff, the fix plan's text and script, and messages on stderr. A fleet whose tags and agent strings hold
// ESC, BEL, C1 and bidi-override characters must reach none of them raw; the JSON outputs keep the exact values.

import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { EXAMPLE_FLEET_FACTS as F } from '../../src/generator/example-fleet-facts.js';
import { hasUnsafeCharacters } from '../../src/neutralise-controls.js';
import { exampleFleetDir } from '../../src/package-root.js';
import { runCli } from './cli-harness.js';

/** What an attacker who can tag an instance (or run a fake agent) could write: an OSC title, SGR, RLO, C1 CSI. */
export const HOSTILE = '\u001b]0;pwned\u0007\u001b[31mred\u202eevil\u009b2J';
const NOW = '2026-11-20T12:00:00.000Z';
const REGION = path.join('111122223333', 'us-east-1');
const TARGET = F.healthyWebInstanceIds[0];

type Json = Record<string, unknown>;

/**
 * A copy of the example fleet where TARGET (a healthy web instance) loses its instance profile (so it is newly
 * broken and its name shows in a diff) and carries hostile Name and PatchGroup tags and agent strings.
 */
export async function hostileFleet(root: string): Promise<string> {
  await cp(exampleFleetDir(), root, { recursive: true });
  const instancesFile = path.join(root, REGION, 'ec2-describe-instances.json');
  const body = JSON.parse(await readFile(instancesFile, 'utf8')) as { Reservations: { Instances: Json[] }[] };
  const instance = body.Reservations.flatMap((r) => r.Instances).find((i) => i.InstanceId === TARGET)!;
  delete instance.IamInstanceProfile;
  instance.Tags = [
    { Key: 'Name', Value: `web${HOSTILE}` },
    { Key: 'PatchGroup', Value: `pg${HOSTILE}` },
  ];
  await writeFile(instancesFile, JSON.stringify(body));
  const infoFile = path.join(root, REGION, 'ssm-describe-instance-information.json');
  const info = JSON.parse(await readFile(infoFile, 'utf8')) as { InstanceInformationList: Json[] };
  const entry = info.InstanceInformationList.find((i) => i.InstanceId === TARGET)!;
  Object.assign(entry, { AgentVersion: `3.3${HOSTILE}`, PlatformName: `Linux${HOSTILE}` });
  await writeFile(infoFile, JSON.stringify(info));
  return root;
}

/** No character neutraliseControls escapes, other than the line feeds that end lines. */
function expectNoRawControls(text: string): void {
  const lines = text.split('\n');
  const bad = lines.findIndex((l) => hasUnsafeCharacters(l));
  expect(bad, `line ${bad + 1}: ${JSON.stringify(lines[bad])}`).toBe(-1);
}

let work: string;
let fleet: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ssmguard-output-safety-'));
  fleet = await hostileFleet(path.join(work, 'fleet'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('output safety', () => {
  it('explain shows hostile agent strings as visible escapes in text, and exactly in JSON', async () => {
    // Act
    const text = await runCli(['explain', TARGET, fleet, '--now', NOW]);
    const json = await runCli(['explain', TARGET, fleet, '--now', NOW, '--format', 'json']);
    // Assess
    expect(text.code).toBe(1);
    expectNoRawControls(text.stdout);
    expect(text.stdout).toContain('3.3\\u001b]0;pwned\\u0007\\u001b[31mred\\u202eevil\\u009b2J');
    expect(json.stdout).toContain(JSON.stringify(`3.3${HOSTILE}`).slice(1, -1));
  });

  it('diff text and Markdown name the newly broken hostile instance without raw control characters', async () => {
    // Prepare
    const base = await runCli(['scan', exampleFleetDir(), '--format', 'json', '--now', NOW]);
    const changed = await runCli(['scan', fleet, '--format', 'json', '--now', NOW]);
    await writeFile(path.join(work, 'old.json'), base.stdout);
    await writeFile(path.join(work, 'new.json'), changed.stdout);
    const files = [path.join(work, 'old.json'), path.join(work, 'new.json')];
    // Act
    const text = await runCli(['diff', ...files]);
    const markdown = await runCli(['diff', ...files, '--format', 'markdown']);
    const json = await runCli(['diff', ...files, '--format', 'json']);
    // Assess
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${TARGET} (web\\u001b]0;pwned`);
    expectNoRawControls(text.stdout);
    expect(markdown.stdout).toContain('pwned');
    expectNoRawControls(markdown.stdout);
    expect(
      (JSON.parse(json.stdout) as { instances: { newlyBroken: { name?: string }[] } }).instances.newlyBroken,
    ).toContainEqual(expect.objectContaining({ name: `web${HOSTILE}` }));
  });

  it('the fix plan text and script carry no raw control characters; the JSON plan keeps them exact', async () => {
    // Act
    const text = await runCli(['fix', fleet, '--format', 'text', '--now', NOW]);
    const script = await runCli(['fix', fleet, '--format', 'script', '--now', NOW]);
    const json = await runCli(['fix', fleet, '--format', 'json', '--now', NOW]);
    // Assess
    expect(text.stdout).toContain('3.3\\u001b]0;pwned');
    expectNoRawControls(text.stdout);
    expectNoRawControls(script.stdout);
    expect(json.stdout).toContain(JSON.stringify(HOSTILE).slice(1, -1));
  });

  it('messages on stderr show a hostile file name as visible escapes', async () => {
    // Prepare: a file whose name holds an OSC title sequence, beside the fleet.
    const name = `notes\u001b]0;pwned\u0007.txt`;
    await writeFile(path.join(fleet, name), 'not AWS output');
    // Act
    const run = await runCli(['scan', fleet, '--format', 'json', '--now', NOW]);
    // Assess
    expect(run.stderr).toContain('notes\\u001b]0;pwned\\u0007.txt');
    expectNoRawControls(run.stderr);
  });
});
