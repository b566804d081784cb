// Every report format, byte for byte, on the example fleet and a generated fleet: speed work may change how a scan
// runs, never what it says. The hashes were taken before the #17 performance work; a change that is meant to alter
// a report updates them (vitest -u) and says why in its commit.

import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportHashes } from '../../bench/report-hashes.js';
import { generateFleet } from '../../src/generator/generate-fleet.js';
import { writeAwsCliFiles } from '../../src/generator/write-aws-cli-files.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('report bytes', () => {
  it('are unchanged on the example fleet, for every format', async () => {
    const hashes = await reportHashes(['examples/example-fleet']);
    await expect(`${JSON.stringify(hashes, null, 2)}\n`).toMatchFileSnapshot(
      '__snapshots__/example-fleet-report-hashes.json',
    );
  });

  it('are unchanged on a generated 2,000-instance fleet (two accounts, every region the generator uses)', async () => {
    // A fixed path: the reports name their input folder, so a random one would change their bytes.
    const dir = join(tmpdir(), 'ssmguard-report-bytes', 'fleet-2000');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    dirs.push(dir);
    await writeAwsCliFiles(generateFleet({ seed: 42, instances: 2000 }), dir);
    const hashes = await reportHashes([dir]);
    await expect(`${JSON.stringify(hashes, null, 2)}\n`).toMatchFileSnapshot(
      '__snapshots__/generated-2000-report-hashes.json',
    );
  }, 60_000);
});
