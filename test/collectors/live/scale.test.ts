// A 10,000-instance fleet at 20 ms per call: nothing lost, calls at the minimum, wall time reported (not
// asserted: endpoint and SDK share one CPU here, so it measures the machine as much as the collector).

import { beforeAll, expect, it } from 'vitest';
import { collectFleet } from '../../../src/collectors/live/collect-fleet.js';
import { generateFleet } from '../../../src/generator/generate-fleet.js';
import { startAwsEndpoint } from '../../support/aws-endpoint/start-aws-endpoint.js';
import { FAKE_CREDENTIALS, minimumApiCalls } from './live-test-kit.js';

beforeAll(() => {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});

it('collects 10,000 instances at 20 ms latency with the minimum number of calls', async () => {
  // Prepare
  const fleet = generateFleet({ seed: 10_000, instances: 10_000 });
  const endpoint = await startAwsEndpoint({ fleet, latencyMs: 20 });

  try {
    // Act
    const started = performance.now();
    const result = await collectFleet({
      regions: ['us-east-1'],
      endpointUrl: endpoint.url,
      credentials: FAKE_CREDENTIALS,
      maxAttempts: 1,
    });
    const seconds = (performance.now() - started) / 1000;

    // Assess
    const region = result.accounts[0]!.regions[0]!;
    expect(region.failures).toEqual([]);
    expect(region.DescribeInstances).toEqual(fleet.accounts[0]!.regions[0]!.DescribeInstances);
    expect(region.DescribeInstanceInformation).toEqual(
      fleet.accounts[0]!.regions[0]!.DescribeInstanceInformation,
    );
    const total = Object.values(result.apiCalls).reduce((sum, count) => sum + count, 0);
    const minimum = minimumApiCalls(fleet.accounts);
    expect(total).toBeLessThanOrEqual(Math.ceil(minimum * 1.03));
    console.info(`10,000 instances @20 ms: ${total} calls (minimum ${minimum}), ${seconds.toFixed(2)} s`);
  } finally {
    await endpoint.stop();
  }
}, 120_000);

it('survives throttling with the production retry mode (adaptive)', async () => {
  const fleet = generateFleet({ seed: 8, instances: 150 });
  const endpoint = await startAwsEndpoint({
    fleet,
    faults: [{ operation: 'ec2:DescribeInstances', kind: 'throttle', firstN: 1 }],
  });
  try {
    const result = await collectFleet({
      regions: ['us-east-1'],
      endpointUrl: endpoint.url,
      credentials: FAKE_CREDENTIALS,
      maxAttempts: 3,
    });
    expect(result.accounts[0]!.regions[0]!.failures).toEqual([]);
    expect(result.accounts[0]!.regions[0]!.DescribeInstances).toEqual(
      fleet.accounts[0]!.regions[0]!.DescribeInstances,
    );
    expect(result.apiCalls['ec2:DescribeInstances']).toBe(2);
  } finally {
    await endpoint.stop();
  }
}, 30_000);
