// Fault injection for the loopback endpoint: which calls fail, and with the error each service really sends.

import { type AwsService, AwsWireError } from './wire-error.js';

/** What goes wrong. */
export type FaultKind = 'throttle' | 'access-denied' | 'server-error' | 'opt-in-required';

/**
 * A fault on one operation (`"ec2:DescribeInstances"`, or `"*"` for all). Either the first `firstN`
 * calls fail, or each call fails with probability `fraction` drawn from a PRNG seeded with `seed`, so runs
 * repeat exactly. Without either, every call fails. `accountId`/`region` narrow where it applies.
 */
export interface FaultSpec {
  operation: string;
  kind: FaultKind;
  firstN?: number;
  fraction?: number;
  seed?: number;
  accountId?: string;
  region?: string;
}

/** Decides per call whether a fault fires; keeps its own per-spec call counters and PRNG state. */
export class FaultPlan {
  private readonly state: { spec: FaultSpec; calls: number; random: () => number }[];

  constructor(specs: readonly FaultSpec[]) {
    this.state = specs.map((spec) => ({ spec, calls: 0, random: mulberry32(spec.seed ?? 1) }));
  }

  /** The error to answer this call with, if any. */
  check(service: AwsService, operation: string, accountId: string, region: string): AwsWireError | undefined {
    for (const entry of this.state) {
      const { spec } = entry;
      if (spec.operation !== '*' && spec.operation !== operation) continue;
      if (spec.accountId !== undefined && spec.accountId !== accountId) continue;
      if (spec.region !== undefined && spec.region !== region) continue;
      entry.calls += 1;
      const fires =
        spec.firstN !== undefined
          ? entry.calls <= spec.firstN
          : spec.fraction !== undefined
            ? entry.random() < spec.fraction
            : true;
      if (fires) return faultError(service, spec.kind, operation);
    }
    return undefined;
  }
}

/** The code and HTTP status each service family uses for a fault kind. */
export function faultError(service: AwsService, kind: FaultKind, operation: string): AwsWireError {
  const action = operation.split(':')[1] ?? operation;
  switch (kind) {
    case 'throttle':
      // EC2 throttles with RequestLimitExceeded on HTTP 503; the query services say Throttling (400);
      // JSON services ThrottlingException (400), Organizations TooManyRequestsException.
      if (service === 'ec2') return new AwsWireError('RequestLimitExceeded', 'Request limit exceeded.', 503);
      if (service === 'iam' || service === 'sts') return new AwsWireError('Throttling', 'Rate exceeded', 400);
      if (service === 'organizations') {
        return new AwsWireError(
          'TooManyRequestsException',
          "AWS Organizations can't complete your request because another request is already in progress.",
          400,
        );
      }
      return new AwsWireError('ThrottlingException', 'Rate exceeded', 400);
    case 'access-denied':
      if (service === 'ec2') {
        return new AwsWireError(
          'UnauthorizedOperation',
          `You are not authorized to perform this operation. (${operation})`,
          403,
        );
      }
      if (service === 'iam' || service === 'sts') {
        return new AwsWireError('AccessDenied', `User is not authorized to perform: ${operation}`, 403);
      }
      return new AwsWireError(
        'AccessDeniedException',
        `User is not authorized to perform: ${operation}`,
        400,
      );
    case 'server-error':
      if (service === 'ec2') return new AwsWireError('InternalError', 'An internal error has occurred', 500);
      if (service === 'iam' || service === 'sts')
        return new AwsWireError('ServiceFailure', 'Service failure', 500);
      return new AwsWireError('InternalServerError', `Internal error in ${action}`, 500);
    case 'opt-in-required':
      if (service === 'ec2') {
        return new AwsWireError(
          'OptInRequired',
          'You are not subscribed to this service. Please go to http://aws.amazon.com to subscribe.',
          401,
        );
      }
      return new AwsWireError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
        400,
      );
  }
}

// A small seeded PRNG so "fail 30% of calls" is the same 30% on every run.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
