// Live-scan benchmark section: a 10,000-instance generated fleet served by the loopback AWS endpoint with a
// fixed latency per call, collected by collectFleet with the CLI's settings; API calls against the minimum.

import { collectFleet } from '../src/collectors/live/collect-fleet.js';
import { generateFleet } from '../src/generator/generate-fleet.js';
import { minimumApiCalls, minimumPatchingCalls } from '../test/collectors/live/live-test-kit.js';
import { startAwsEndpoint } from '../test/support/aws-endpoint/start-aws-endpoint.js';

/** The reads of the patching chain: windows, their targets, tasks and run history, patch groups and states. */
export const PATCHING_OPERATIONS: ReadonlySet<string> = new Set([
  'ssm:DescribeMaintenanceWindows',
  'ssm:DescribeMaintenanceWindowTargets',
  'ssm:DescribeMaintenanceWindowTasks',
  'ssm:GetMaintenanceWindowTask',
  'ssm:DescribeMaintenanceWindowExecutions',
  'ssm:DescribeMaintenanceWindowExecutionTasks',
  'ssm:DescribeMaintenanceWindowExecutionTaskInvocations',
  'ssm:DescribePatchGroups',
  'ssm:DescribeInstancePatchStates',
  'ssm:DescribePatchBaselines',
  'ssm:GetPatchBaseline',
]);

export interface LiveBenchOptions {
  /** Default 10,000. */
  instances?: number;
  /** Delay the endpoint adds before every answer (default 20 ms), standing in for the network round trip. */
  latencyMs?: number;
  seed?: number;
}

export interface LiveBenchResult {
  /** HTTP requests the scan made (retries included). */
  apiCalls: number;
  /** The fewest requests that can read the fleet (largest pages, one call per per-VPC/per-window read). */
  minimumCalls: number;
  /** The same for the patching chain's reads alone (PATCHING_OPERATIONS). */
  minimumPatchingCalls: number;
  /** From the first call to the last answer. */
  wallMs: number;
  /** Requests per operation, for the slowest chain (ssm:DescribeInstanceInformation, 50 per page). */
  callsByOperation: Record<string, number>;
}

/**
 * One live collection at production settings (default concurrency 8, adaptive retry, the SDK's default
 * attempts) over the loopback endpoint, with fake credentials and IMDS off: nothing leaves the machine.
 */
export async function runLiveBench(options: LiveBenchOptions = {}): Promise<LiveBenchResult> {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const fleet = generateFleet({ seed: options.seed ?? 10_000, instances: options.instances ?? 10_000 });
  const endpoint = await startAwsEndpoint({ fleet, latencyMs: options.latencyMs ?? 20 });
  try {
    const started = performance.now();
    const collection = await collectFleet({
      regions: fleet.accounts[0]!.regions.map((region) => region.region),
      endpointUrl: endpoint.url,
      credentials: { accessKeyId: 'AKIDLOOPBACKBENCH', secretAccessKey: 'loopback-secret' },
    });
    const wallMs = performance.now() - started;
    const failures = collection.accounts.flatMap((account) => [
      ...account.failures,
      ...account.regions.flatMap((region) => region.failures),
    ]);
    if (failures.length > 0)
      throw new Error(`live bench: ${failures.length} families failed, first ${JSON.stringify(failures[0])}`);
    return {
      apiCalls: Object.values(collection.apiCalls).reduce((sum, count) => sum + count, 0),
      minimumCalls: minimumApiCalls(fleet.accounts),
      minimumPatchingCalls: minimumPatchingCalls(fleet.accounts),
      wallMs,
      callsByOperation: collection.apiCalls,
    };
  } finally {
    await endpoint.stop();
  }
}
