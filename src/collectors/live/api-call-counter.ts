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
  /** Requests that were retries (attempt 2 or later) of a call, included in `counts`. */
  retries(): number;
  /** Add to a client with `client.middlewareStack.use(counter.plugin())`. */
  plugin<Input extends object, Output extends object>(): Pluggable<Input, Output>;
  snapshot(): Record<string, number>;
}

/**
 * The middleware sits in `finalizeRequest` with low priority, inside the retry middleware (high
 * priority in the same step), so every attempt that goes on the wire is counted once. `onCall` hears of each
 * one as it leaves (for a progress display), with the running total.
 */
export function createApiCallCounter(
  onCall?: (operation: string, total: number, retries: number) => void,
): ApiCallCounter {
  const counts = new Map<string, number>();
  let total = 0;
  let retries = 0;
  const plugin = <Input extends object, Output extends object>(): Pluggable<Input, Output> => ({
    applyToStack: (stack) => {
      stack.add(
        (next, context) => async (args) => {
          const client = String(context.clientName ?? '');
          const command = String(context.commandName ?? '').replace(/Command$/, '');
          const key = `${SERVICE_PREFIX[client] ?? client}:${command}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
          total += 1;
          if (isRetry(args.request)) retries += 1;
          onCall?.(key, total, retries);
          return next(args);
        },
        { step: 'finalizeRequest', priority: 'low', name: 'ssmguardApiCallCounter', override: true },
      );
    },
  });
  return {
    counts,
    retries: () => retries,
    plugin,
    snapshot: () => Object.fromEntries([...counts.entries()].sort(([a], [b]) => compareText(a, b))),
  };
}

/**
 * The retry middleware numbers each attempt in the `amz-sdk-request` header ("attempt=2; max=10"), see
 * https://github.com/smithy-lang/smithy-typescript (packages/util-retry, REQUEST_HEADER).
 */
function isRetry(request: unknown): boolean {
  const headers = (request as { headers?: Record<string, string | undefined> } | undefined)?.headers;
  const attempt = /attempt=(\d+)/.exec(headers?.['amz-sdk-request'] ?? '')?.[1];
  return attempt !== undefined && Number(attempt) > 1;
}
