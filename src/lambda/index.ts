// The Lambda entry point of the ssmguard Config rules package: `handler`, wired to the runtime and the embedded rules.

import { EMBEDDED_RULES } from './embedded-rules.js';
import { EMBEDDED_IP_RANGES } from './embedded-ip-ranges.js';
import { parseIpRangesFile } from '../collectors/ip-ranges/parse-ip-ranges.js';
import { SHIPPED_ORIGIN } from '../collectors/ip-ranges/read-ip-ranges.js';
import type { AwsIpRanges } from '../inventory/aws-ip-ranges.js';
import { callsSince, handleConfigEvent, type HandlerSummary } from './handle-config-event.js';
import { lambdaClientFactory } from './lambda-clients.js';
import { StructuredLog } from './structured-log.js';

/** The part of the Lambda context the handler reads. */
export interface LambdaContext {
  awsRequestId?: string;
  invokedFunctionArn?: string;
}

let factory: ReturnType<typeof lambdaClientFactory> | undefined;
let ipRanges: AwsIpRanges | undefined;

/** The packaged ranges, parsed on first use (a broken copy fails the invocation, never narrows wrongly). */
function embeddedIpRanges(): AwsIpRanges | undefined {
  if (EMBEDDED_IP_RANGES === undefined) return undefined;
  ipRanges ??= parseIpRangesFile(EMBEDDED_IP_RANGES, 'the packaged ip-ranges copy', SHIPPED_ORIGIN).ranges;
  return ipRanges;
}

/**
 * Handles a Config rule invocation. Logs one JSON summary line with the rule's metrics (EMF) and the API calls
 * it made per invocation; a failure is logged at ERROR with its code and rethrown, so Config marks the
 * evaluation as failed.
 */
export async function handler(event: unknown, context: LambdaContext = {}): Promise<HandlerSummary> {
  const env = process.env;
  // Lazily, not at import time: the first invocation pays for clients, the module load stays cheap.
  factory ??= lambdaClientFactory({
    ...(context.invokedFunctionArn !== undefined && {
      ownAccountId: context.invokedFunctionArn.split(':')[4],
    }),
    ...(env.SSMGUARD_MEMBER_ROLE_NAME && { memberRoleName: env.SSMGUARD_MEMBER_ROLE_NAME }),
    // Passed explicitly: SDK v3.844 briefly ignored AWS_ENDPOINT_URL (aws-sdk-js-v3#7203).
    ...(env.AWS_ENDPOINT_URL && { endpointUrl: env.AWS_ENDPOINT_URL }),
  });
  const clients = factory;
  const log = new StructuredLog((line) => console.log(line), {
    ...(context.awsRequestId !== undefined && { requestId: context.awsRequestId }),
  });
  const callsBefore = clients.apiCallCounts();
  try {
    const summary = await handleConfigEvent(event, {
      rules: EMBEDDED_RULES,
      clients: clients.clients,
      apiCallCounts: clients.apiCallCounts,
      log,
      defaultRegion: env.AWS_REGION ?? 'us-east-1',
      now: Date.now,
      ...(EMBEDDED_IP_RANGES !== undefined && { ipRanges: embeddedIpRanges() }),
    });
    log
      .with({
        configRuleName: summary.configRuleName,
        messageType: summary.messageType,
        ...(summary.ruleId !== undefined && { ruleId: summary.ruleId }),
      })
      .metrics('evaluated', summary, {
        putEvaluationsCalls: summary.putEvaluationsCalls,
        servicesRead: summary.servicesRead,
        apiCalls: summary.apiCalls,
      });
    return summary;
  } catch (error) {
    const code =
      typeof (error as { code?: unknown }).code === 'string'
        ? (error as { code: string }).code
        : (error as Error).name;
    const name = (event as { configRuleName?: unknown } | null)?.configRuleName;
    log.with(typeof name === 'string' ? { configRuleName: name } : {}).metrics(
      'invocation failed',
      { Evaluations: 0, EvaluationErrors: 0, StaleResources: 0, InvocationFailures: 1 },
      {
        code,
        detail: (error as Error).message,
        apiCalls: callsSince(callsBefore, clients.apiCallCounts()),
      },
      'ERROR',
    );
    throw error;
  }
}
