// Script: regenerates examples/example-fleet/ from buildExampleFleet() (run with `npx tsx src/generator/write-example-fleet.ts`).

import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { buildExampleFleet } from './example-fleet.js';
import { writeAwsCliFiles } from './write-aws-cli-files.js';

// Where the committed example fleet lives.
const EXAMPLE_FLEET_DIR = fileURLToPath(new URL('../../examples/example-fleet/', import.meta.url));

async function main(): Promise<void> {
  await rm(EXAMPLE_FLEET_DIR, { recursive: true, force: true });
  const files = await writeAwsCliFiles(buildExampleFleet(), EXAMPLE_FLEET_DIR);
  console.log(`wrote ${files.length} files to ${EXAMPLE_FLEET_DIR}`);
}

await main();
