// Counts the HTTP requests a scan makes per operation, retries included, through an SDK middleware.

import type { Pluggable } from '@smithy/types';
import { compareText } from '../../compare-text.js';

const SERVICE_PREFIX: Record<string, string> = {
  EC2Client: 'ec2',
  IAMClient: 'iam',
  SSMClient: 'ssm',
  STSClient: 'sts',
  OrganizationsClient: 'organizations',
  ConfigServiceClient: 'config',
};

/** A tally of requests keyed `"ec2:DescribeInstances"`, and the plugin that fills it. */
export interface ApiCallCounter {
  counts: Map<string, number>;
  /** Add to a client with `client.middlewareStack.use(counter.plugin())`. */
  plugin<Input extends object, Output extends object>(): Pluggable<Input, Output>;
  snapshot(): Record<string, number>;
}

/**
 * The middleware sits in `finalizeRequest` with low priority, inside the retry middleware (high
 * priority in the same step), so every attempt that goes on the wire is counted once. `onCall` hears of each
 * one as it leaves (for a progress display), with the running total.
 */
export function createApiCallCounter(onCall?: (operation: string, total: number) => void): ApiCallCounter {
  const counts = new Map<string, number>();
  let total = 0;
  const plugin = <Input extends object, Output extends object>(): Pluggable<Input, Output> => ({
    applyToStack: (stack) => {
      stack.add(
        (next, context) => async (args) => {
          const client = String(context.clientName ?? '');
          const command = String(context.commandName ?? '').replace(/Command$/, '');
          const key = `${SERVICE_PREFIX[client] ?? client}:${command}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
          total += 1;
          onCall?.(key, total);
          return next(args);
        },
        { step: 'finalizeRequest', priority: 'low', name: 'ssmguardApiCallCounter', override: true },
      );
    },
  });
  return {
    counts,
    plugin,
    snapshot: () => Object.fromEntries([...counts.entries()].sort(([a], [b]) => compareText(a, b))),
  };
}
