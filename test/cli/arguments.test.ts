// Arguments that mean what the README says: `--output -`, `scan -` (standard input), `explain --live`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { buildExampleFleet } from '../../src/generator/example-fleet.js';
import { exampleFleetDir } from '../../src/package-root.js';
import { runCli } from './cli-harness.js';
import { cleanUp, sealAwsEnvironment, serveFleet } from './live-cli-kit.js';

afterEach(cleanUp);

const instancesFile = join(exampleFleetDir(), '111122223333', 'us-east-1', 'ec2-describe-instances.json');

describe('--output -', () => {
  it('writes the report to standard output, the same bytes as without --output', async () => {
    const plain = await runCli(['scan', exampleFleetDir(), '--format', 'csv']);
    const dash = await runCli(['scan', exampleFleetDir(), '--format', 'csv', '--output', '-']);
    expect(dash.code).toBe(plain.code);
    expect(dash.stdout).toBe(plain.stdout);
    expect(dash.stderr).not.toMatch(/wrote/);
  });
});

describe('scan -', () => {
  it('reads AWS CLI JSON from standard input like the same file given by name', async () => {
    const byName = await runCli([
      'scan',
      instancesFile,
      '--format',
      'json',
      '--account',
      '111122223333',
      '--region',
      'us-east-1',
    ]);
    const piped = await runCli(
      ['scan', '-', '--format', 'json', '--account', '111122223333', '--region', 'us-east-1'],
      {
        stdin: () => Readable.from([readFileSync(instancesFile)]),
      },
    );
    expect(piped.code).toBe(byName.code);
    const results = (run: { stdout: string }) => (JSON.parse(run.stdout) as { results: unknown[] }).results;
    expect(results(piped)).toEqual(results(byName));
    expect(results(piped).length).toBeGreaterThan(0);
  });

  it('refuses empty standard input', async () => {
    const run = await runCli(['scan', '-'], { stdin: () => Readable.from([]) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/standard input\) was empty/);
  });
});

describe('explain --live', () => {
  it('walks the chain of an instance read from the live endpoint', async () => {
    // Prepare
    sealAwsEnvironment();
    const example = buildExampleFleet();
    const endpoint = await serveFleet(example);
    const region = example.accounts[0]!.regions.find((r) => r.region === 'us-east-1')!;
    const instanceId = 'i-01211cbb537e51e5f'; // the README's example: its network link is broken

    // Act
    const live = await runCli([
      'explain',
      instanceId,
      '--live',
      '--endpoint-url',
      endpoint.url,
      '--region',
      region.region,
      '--now',
      example.collectedAt,
    ]);
    const offline = await runCli(['explain', instanceId, '--now', example.collectedAt]);

    // Assess
    expect(live.stderr).toBe('');
    expect(live.stdout).toContain(instanceId);
    expect(live.stdout).toBe(offline.stdout);
    expect(live.code).toBe(offline.code);
  });
});
