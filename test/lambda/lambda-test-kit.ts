// Shared pieces of the Lambda tests: recorded-shape Config events, the loopback world (endpoint + Config front),
// the shipped rules as the package embeds them, and injected handler dependencies.

import type { ApiJson, FleetApiData } from '../../src/collectors/api/api-data.js';
import { createApiCallCounter } from '../../src/collectors/live/api-call-counter.js';
import { awsClients, type ClientSettings } from '../../src/collectors/live/aws-clients.js';
import { loadRuleSet } from '../../src/cli/rule-set.js';
import type { EmbeddedRules } from '../../src/lambda/embedded-rules.js';
import type { HandlerDeps, LambdaClients } from '../../src/lambda/handle-config-event.js';
import { StructuredLog } from '../../src/lambda/structured-log.js';
import { readRuleFiles } from '../../src/package/read-rule-files.js';
import { startConfigRuleFront, type ConfigRuleFront } from '../support/aws-endpoint/config-rule-front.js';
import {
  startAwsEndpoint,
  type AwsEndpoint,
  type FaultSpec,
} from '../support/aws-endpoint/start-aws-endpoint.js';
import { toApiFormItem } from '../collectors/config/fleet-to-config-items.js';

/** Never real: the loopback endpoint maps key ids without 12 digits to the fleet's first account. */
export const FAKE_CREDENTIALS = { accessKeyId: 'AKIDLOOPBACKTEST', secretAccessKey: 'loopback-secret' };
export const RESULT_TOKEN = 'loopback-result-token';
export const NOTIFICATION_TIME = '2026-11-20T12:30:00.000Z';

let shipped: Promise<EmbeddedRules> | undefined;
/** The shipped rules, embedded exactly as `ssmguard package` embeds them. */
export function shippedEmbeddedRules(): Promise<EmbeddedRules> {
  shipped ??= loadRuleSet({}).then((set) => readRuleFiles(set.rules));
  return shipped;
}

export interface EventOptions {
  ruleId: string;
  parameters?: Record<string, unknown>;
  accountId: string;
  region: string;
  eventLeftScope?: boolean;
  configRuleName?: string;
}

function envelope(invokingEvent: unknown, options: EventOptions): ApiJson {
  const name = options.configRuleName ?? `ssmguard-${options.ruleId}`;
  // The documented event: invokingEvent and ruleParameters are JSON strings (aws-facts §4.1).
  return {
    version: '1.0',
    invokingEvent: JSON.stringify(invokingEvent),
    ruleParameters: JSON.stringify({ ruleId: options.ruleId, ...options.parameters }),
    resultToken: RESULT_TOKEN,
    eventLeftScope: options.eventLeftScope ?? false,
    executionRoleArn: `arn:aws:iam::${options.accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
    configRuleArn: `arn:aws:config:${options.region}:${options.accountId}:config-rule/config-rule-0a1b2c`,
    configRuleName: name,
    configRuleId: 'config-rule-0a1b2c',
    accountId: options.accountId,
    evaluationMode: 'DETECTIVE',
  };
}

/** A ConfigurationItemChangeNotification for an event-form item. */
export function changeEvent(item: ApiJson, options: EventOptions): ApiJson {
  return envelope(
    {
      configurationItemDiff: null,
      configurationItem: item,
      notificationCreationTime: NOTIFICATION_TIME,
      messageType: 'ConfigurationItemChangeNotification',
      recordVersion: '1.3',
    },
    options,
  );
}

/** An OversizedConfigurationItemChangeNotification: the summary only, no configuration. */
export function oversizedEvent(item: ApiJson, options: EventOptions): ApiJson {
  const {
    configuration: _c,
    supplementaryConfiguration: _s,
    tags: _t,
    relationships: _r,
    relatedEvents: _e,
    ...summary
  } = item;
  return envelope(
    {
      configurationItemSummary: { changeType: 'UPDATE', ...summary },
      notificationCreationTime: NOTIFICATION_TIME,
      messageType: 'OversizedConfigurationItemChangeNotification',
      recordVersion: '1.0',
    },
    options,
  );
}

/** A ScheduledNotification (periodic trigger). */
export function scheduledEvent(options: EventOptions): ApiJson {
  return envelope(
    {
      awsAccountId: options.accountId,
      notificationCreationTime: NOTIFICATION_TIME,
      messageType: 'ScheduledNotification',
      recordVersion: '1.0',
    },
    options,
  );
}

/** The loopback endpoint serving a fleet (and Config history of `items`), fronted for the rule operations. */
export interface LambdaWorld {
  endpoint: AwsEndpoint;
  front: ConfigRuleFront;
  logs: Record<string, unknown>[];
  deps(rules: EmbeddedRules, nowMs?: number): HandlerDeps;
  stop(): Promise<void>;
}

export async function startLambdaWorld(
  fleet: FleetApiData,
  items: ApiJson[] = [],
  faults: FaultSpec[] = [],
): Promise<LambdaWorld> {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const endpoint = await startAwsEndpoint({ fleet, configItems: items.map(toApiFormItem), faults });
  const front = await startConfigRuleFront(endpoint.url);
  const logs: Record<string, unknown>[] = [];
  const settings: ClientSettings = {
    counter: createApiCallCounter(),
    credentials: FAKE_CREDENTIALS,
    endpointUrl: front.url,
    maxAttempts: 1,
    retryMode: 'standard',
  };
  // Cached per account and region, as the runtime's factory caches them across warm invocations.
  const built = new Map<string, LambdaClients>();
  const clients = (account: string | undefined, region: string): LambdaClients => {
    const key = `${account ?? ''}|${region}`;
    let made = built.get(key);
    if (made === undefined) {
      made = {
        config: awsClients.config(settings, region),
        ec2: awsClients.ec2(settings, region),
        ssm: awsClients.ssm(settings, region),
        iam: awsClients.iam(settings),
      };
      built.set(key, made);
    }
    return made;
  };
  return {
    endpoint,
    front,
    logs,
    deps: (rules, nowMs = Date.parse(fleet.collectedAt)) => ({
      rules,
      clients,
      log: new StructuredLog(
        (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
        {},
        () => nowMs,
      ),
      defaultRegion: 'us-east-1',
      now: () => nowMs,
      apiCallCounts: () => settings.counter.snapshot(),
    }),
    stop: async () => {
      await front.stop();
      await endpoint.stop();
    },
  };
}

/** Every evaluation the endpoint recorded, flattened in order. */
export function recordedEvaluations(endpoint: AwsEndpoint): Record<string, unknown>[] {
  return endpoint.putEvaluations.flatMap(
    (call) => (call.body.Evaluations as Record<string, unknown>[] | undefined) ?? [],
  );
}

/** Live (non-Config) calls made, by operation prefix: how much the handler read around an event. */
export function liveCalls(endpoint: AwsEndpoint): number {
  return [...endpoint.counts.entries()]
    .filter(([operation]) => !operation.startsWith('config:'))
    .reduce((sum, [, n]) => sum + n, 0);
}
