// `ssmguard scan TEMPLATE --live`: the live account, read from the loopback AWS endpoint, is the template's
// context, and gives the verdicts an exported context gives.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildExampleFleet } from '../../src/generator/example-fleet.js';
import { exampleFleetDir } from '../../src/package-root.js';
import { runCli } from './cli-harness.js';
import { cleanUp, resultsOf, sealAwsEnvironment, serveFleet } from './live-cli-kit.js';

beforeEach(() => sealAwsEnvironment());
afterEach(cleanUp);

const example = buildExampleFleet();
const NOW = example.collectedAt;
const FIXTURES = new URL('../fixtures/template/cloudformation/', import.meta.url).pathname;

describe('scan TEMPLATE --live', () => {
  it('reads the context live and decides as with the exported context', async () => {
    const endpoint = await serveFleet(example);
    const template = `${FIXTURES}existing-subnet.yaml`;
    const parameters = `${FIXTURES}existing-subnet-parameters.json`;
    const common = [template, '--parameters', parameters, '--format', 'json', '--now', NOW];
    const live = await runCli([
      'scan',
      ...common,
      '--live',
      '--endpoint-url',
      endpoint.url,
      '--region',
      'us-east-1',
    ]);
    const exported = await runCli(['scan', ...common, '--context', exampleFleetDir()]);
    expect(live.code).toBe(exported.code);
    const results = resultsOf(live.stdout);
    expect(results.find((r) => r.ruleId === 'ec2-instance-network-path-to-ssm')?.status).toBe('COMPLIANT');
    expect(results.find((r) => r.ruleId === 'ec2-instance-no-inbound-ssm-ports')?.status).toBe(
      'NON_COMPLIANT',
    );
    expect(results).toEqual(resultsOf(exported.stdout));
  });

  it('refuses --live beside AWS CLI files, and --context beside --live', async () => {
    const endpoint = await serveFleet(example);
    const files = await runCli(['scan', exampleFleetDir(), '--live', '--endpoint-url', endpoint.url]);
    expect(files.code).toBe(2);
    expect(files.stderr).toMatch(/--live reads from AWS, not from files/);
    const both = await runCli([
      'scan',
      `${FIXTURES}existing-subnet.yaml`,
      '--live',
      '--endpoint-url',
      endpoint.url,
      '--context',
      exampleFleetDir(),
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--context PATH or --live, not both/);
  });
});
