// Parses and validates the AWS Config custom-rule Lambda event (and its JSON-string members) from `unknown`.

import { CheckerError } from '../errors.js';
import {
  isJsonObject,
  jsonTypeOf,
  toIsoTimestamp,
  type JsonObject,
} from '../collectors/api/mapping-context.js';

/** A Config event the handler cannot use; the invocation fails with this code in the log. */
export class ConfigRuleEventError extends CheckerError {
  readonly code = 'CONFIG_EVENT_INVALID';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigRuleEventError';
  }
}

/** `configurationItemSummary` of an oversized change: enough to fetch the item with GetResourceConfigHistory. */
export interface OversizedItemSummary {
  resourceType: string;
  resourceId: string;
  configurationItemStatus?: string;
  configurationItemCaptureTime?: string;
  awsAccountId?: string;
  awsRegion?: string;
}

/** The invoking event, by message type (aws-facts §4.1). */
export type InvokingEvent =
  | {
      messageType: 'ConfigurationItemChangeNotification';
      configurationItem: unknown;
      notificationCreationTime?: string;
    }
  | {
      messageType: 'OversizedConfigurationItemChangeNotification';
      summary: OversizedItemSummary;
      notificationCreationTime?: string;
    }
  | { messageType: 'ScheduledNotification'; notificationCreationTime: string; awsAccountId?: string }
  | { messageType: 'ConfigurationSnapshotDeliveryCompleted' | string; notificationCreationTime?: string };

/** The Lambda event of a Config custom rule, with `invokingEvent` and `ruleParameters` parsed. */
export interface ConfigRuleEvent {
  invokingEvent: InvokingEvent;
  /** `InputParameters` of the rule; `{}` when absent or empty. */
  ruleParameters: JsonObject;
  resultToken: string;
  eventLeftScope: boolean;
  configRuleName: string;
  configRuleArn?: string;
  accountId?: string;
  executionRoleArn?: string;
  /** The region of the rule, from its ARN (Config rules are regional). */
  region?: string;
}

/**
 * Parses the event. `invokingEvent` and `ruleParameters` arrive as JSON strings (Config serialises them; some
 * test harnesses pass objects, which are accepted too). Throws ConfigRuleEventError naming the bad member.
 */
export function parseConfigRuleEvent(raw: unknown): ConfigRuleEvent {
  if (!isJsonObject(raw)) throw new ConfigRuleEventError(`event must be an object, got ${jsonTypeOf(raw)}`);
  const invoking = parseJsonMember(raw, 'invokingEvent', true)!;
  const parameters = parseJsonMember(raw, 'ruleParameters', false) ?? {};
  const resultToken = raw.resultToken;
  if (typeof resultToken !== 'string' || resultToken === '')
    throw new ConfigRuleEventError('event.resultToken is missing');
  const configRuleName = raw.configRuleName;
  if (typeof configRuleName !== 'string' || configRuleName === '')
    throw new ConfigRuleEventError('event.configRuleName is missing');
  const event: ConfigRuleEvent = {
    invokingEvent: parseInvokingEvent(invoking),
    ruleParameters: parameters,
    resultToken,
    // Config sends a boolean; be lenient with the string form some tools produce.
    eventLeftScope: raw.eventLeftScope === true || raw.eventLeftScope === 'true',
    configRuleName,
  };
  for (const key of ['configRuleArn', 'accountId', 'executionRoleArn'] as const) {
    const value = raw[key];
    if (typeof value === 'string' && value !== '') event[key] = value;
  }
  const region = event.configRuleArn?.split(':')[3];
  if (region) event.region = region;
  return event;
}

function parseJsonMember(raw: JsonObject, key: string, required: boolean): JsonObject | undefined {
  const value = raw[key];
  if (value === undefined || value === null || value === '') {
    if (required) throw new ConfigRuleEventError(`event.${key} is missing`);
    return undefined;
  }
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value) as unknown;
    } catch (error) {
      throw new ConfigRuleEventError(`event.${key} is not valid JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  if (!isJsonObject(parsed))
    throw new ConfigRuleEventError(`event.${key} must be a JSON object, got ${jsonTypeOf(parsed)}`);
  return parsed;
}

function parseInvokingEvent(o: JsonObject): InvokingEvent {
  const messageType = o.messageType;
  if (typeof messageType !== 'string') throw new ConfigRuleEventError('invokingEvent.messageType is missing');
  const notificationCreationTime = toIsoTimestamp(o.notificationCreationTime);
  const base = notificationCreationTime === undefined ? {} : { notificationCreationTime };
  switch (messageType) {
    case 'ConfigurationItemChangeNotification':
      if (!isJsonObject(o.configurationItem))
        throw new ConfigRuleEventError('invokingEvent.configurationItem is missing');
      return { messageType, configurationItem: o.configurationItem, ...base };
    case 'OversizedConfigurationItemChangeNotification':
      return { messageType, summary: parseSummary(o.configurationItemSummary), ...base };
    case 'ScheduledNotification':
      if (notificationCreationTime === undefined)
        throw new ConfigRuleEventError('invokingEvent.notificationCreationTime is missing');
      return {
        messageType,
        notificationCreationTime,
        ...(typeof o.awsAccountId === 'string' && { awsAccountId: o.awsAccountId }),
      };
    default:
      return { messageType, ...base };
  }
}

function parseSummary(value: unknown): OversizedItemSummary {
  if (!isJsonObject(value))
    throw new ConfigRuleEventError('invokingEvent.configurationItemSummary is missing');
  const { resourceType, resourceId } = value;
  if (typeof resourceType !== 'string' || typeof resourceId !== 'string') {
    throw new ConfigRuleEventError(
      'invokingEvent.configurationItemSummary needs resourceType and resourceId',
    );
  }
  const summary: OversizedItemSummary = { resourceType, resourceId };
  for (const key of ['configurationItemStatus', 'awsAccountId', 'awsRegion'] as const) {
    const v = value[key];
    if (typeof v === 'string') summary[key] = v;
  }
  const captured = toIsoTimestamp(value.configurationItemCaptureTime);
  if (captured !== undefined) summary.configurationItemCaptureTime = captured;
  return summary;
}
