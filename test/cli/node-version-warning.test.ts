// The SDK's NodeVersionSupportWarning (Node.js < 22) in a real CLI process: at most once per run however many
// clients a live scan builds, gone with the SDK's own switch, and no other process warning hidden with it.
// (The test workers set the switch in vitest.config.ts, so `npm test` does not print it; these runs remove it.)

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildExampleFleet } from '../../src/generator/example-fleet.js';
import { runSsmguardProcess } from '../support/cli-process.js';
import { cleanUp, sealAwsEnvironment, serveFleet, tempDir } from './live-cli-kit.js';

beforeEach(() => sealAwsEnvironment());
afterEach(cleanUp);

const example = buildExampleFleet();
const SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
/** The SDK warns below Node.js 22 (@aws-sdk/core emitWarningIfUnsupportedVersion). */
const WARNS = Number(process.versions.node.split('.')[0]) < 22;

const occurrences = (text: string, word: string): number => text.split(word).length - 1;

/** A live scan of every region of the example fleet (an STS, an IAM and an EC2 and SSM client per region). */
async function liveScan(env: Record<string, string | undefined>) {
  const endpoint = await serveFleet(example);
  const regions = example.accounts[0]!.regions.flatMap((region) => ['--region', region.region]);
  return runSsmguardProcess(
    [
      'scan',
      '--live',
      ...regions,
      '--endpoint-url',
      endpoint.url,
      '--format',
      'json',
      '--now',
      example.collectedAt,
    ],
    { env },
  );
}

describe('the SDK Node.js version warning', () => {
  it(`appears ${WARNS ? 'exactly once' : 'not at all'} in a live scan run on Node.js ${process.versions.node}`, async () => {
    // Prepare: a preloaded module emits an unrelated warning, which must still show.
    const probe = join(tempDir(), 'probe.mjs');
    writeFileSync(probe, "process.emitWarning('ssmguard-probe-warning');\n");

    // Act
    const run = await liveScan({ [SWITCH]: undefined, NODE_OPTIONS: `--import=${probe}` });

    // Assess
    expect(run.exitCode).toBe(1);
    expect(occurrences(run.stderr, 'NodeVersionSupportWarning')).toBe(WARNS ? 1 : 0);
    expect(occurrences(run.stderr, 'ssmguard-probe-warning')).toBe(1);
  }, 120_000);

  it(`is not printed with ${SWITCH}=true, while other warnings are`, async () => {
    const probe = join(tempDir(), 'probe.mjs');
    writeFileSync(probe, "process.emitWarning('ssmguard-probe-warning');\n");
    const run = await liveScan({ [SWITCH]: 'true', NODE_OPTIONS: `--import=${probe}` });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).not.toContain('NodeVersionSupportWarning');
    expect(occurrences(run.stderr, 'ssmguard-probe-warning')).toBe(1);
  }, 120_000);
});
