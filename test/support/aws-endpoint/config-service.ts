// The AWS Config awsJson1_1 operations: PutEvaluations (validated and recorded), GetResourceConfigHistory
// and a small SelectResourceConfig, served from API-form configuration items.

import type { ApiJson } from '../../../src/collectors/api/api-data.js';
import type { AwsRequest } from './aws-request.js';
import { isoToEpochSeconds } from './json-timestamps.js';
import { cutPage, type PageTokens, pageSize } from './pagination.js';
import { AwsWireError, missingParameter } from './wire-error.js';

/** A PutEvaluations request as the endpoint received it (the JSON body, timestamps as epoch seconds). */
export interface RecordedPutEvaluations {
  accountId: string;
  region: string;
  body: Record<string, unknown>;
}

/** What a Config handler sees. */
export interface ConfigContext {
  request: Extract<AwsRequest, { protocol: 'json' }>;
  accountId: string;
  /** API-form configuration items (`accountId`, `awsRegion`, `configuration` as a string). */
  items: readonly ApiJson[];
  tokens: PageTokens;
  record: (entry: RecordedPutEvaluations) => void;
}

const TIMESTAMPS = new Set([
  'configurationItemCaptureTime',
  'resourceCreationTime',
  'configurationItemDeliveryTime',
]);
const COMPLIANCE_TYPES = new Set(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE']);

/** Answers one Config operation with its JSON output. */
export function handleConfig(context: ConfigContext): unknown {
  const { operation } = context.request;
  if (operation === 'PutEvaluations') return putEvaluations(context);
  if (operation === 'GetResourceConfigHistory') return getResourceConfigHistory(context);
  if (operation === 'SelectResourceConfig') return selectResourceConfig(context);
  throw new AwsWireError('UnknownOperationException', `Unknown operation StarlingDoveService.${operation}`);
}

function putEvaluations(context: ConfigContext): unknown {
  const { body } = context.request;
  if (typeof body.ResultToken !== 'string') throw missingParameter('config', 'ResultToken');
  const evaluations = body.Evaluations ?? [];
  if (!Array.isArray(evaluations))
    throw new AwsWireError('SerializationException', 'Evaluations must be a list');
  // Model constraints (Evaluations 0..100, Annotation 1..256) are checked by the service front end and
  // come back as ValidationException; semantic problems as InvalidParameterValueException.
  if (evaluations.length > 100) {
    throw new AwsWireError(
      'ValidationException',
      `1 validation error detected: Value at 'evaluations' failed to satisfy constraint: Member must have length less than or equal to 100`,
    );
  }
  evaluations.forEach((evaluation: unknown, index) => {
    const entry = (typeof evaluation === 'object' && evaluation !== null ? evaluation : {}) as ApiJson;
    const where = `evaluations.${index + 1}.member`;
    for (const name of [
      'ComplianceResourceType',
      'ComplianceResourceId',
      'ComplianceType',
      'OrderingTimestamp',
    ]) {
      if (entry[name] === undefined) {
        throw new AwsWireError(
          'ValidationException',
          `1 validation error detected: Value null at '${where}.${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
        );
      }
    }
    const annotation = entry.Annotation;
    if (
      annotation !== undefined &&
      (typeof annotation !== 'string' || annotation.length < 1 || annotation.length > 256)
    ) {
      const bound =
        typeof annotation === 'string' && annotation.length > 256
          ? 'less than or equal to 256'
          : 'greater than or equal to 1';
      throw new AwsWireError(
        'ValidationException',
        `1 validation error detected: Value at '${where}.annotation' failed to satisfy constraint: Member must have length ${bound}`,
      );
    }
    if (!COMPLIANCE_TYPES.has(String(entry.ComplianceType))) {
      throw new AwsWireError(
        'InvalidParameterValueException',
        `The compliance type ${String(entry.ComplianceType)} is not valid for a custom rule evaluation.`,
      );
    }
  });
  context.record({ accountId: context.accountId, region: context.request.region, body });
  return { FailedEvaluations: [] };
}

function getResourceConfigHistory(context: ConfigContext): unknown {
  const { body, region } = context.request;
  if (typeof body.resourceType !== 'string') throw missingParameter('config', 'resourceType');
  if (typeof body.resourceId !== 'string') throw missingParameter('config', 'resourceId');
  // limit 0..100; 0 (or none) means the default of 10.
  const size =
    pageSize('config', { parameter: 'limit', min: 0, max: 100, defaultSize: 10 }, body.limit) || 10;
  const history = inScope(context, region).filter(
    (item) => item.resourceType === body.resourceType && item.resourceId === body.resourceId,
  );
  if (history.length === 0) {
    throw new AwsWireError(
      'ResourceNotDiscoveredException',
      `Resource ${body.resourceId} of resourceType:${body.resourceType} is unknown or has not been discovered`,
    );
  }
  // Newest first unless chronologicalOrder is Forward.
  const ordered = [...history].sort((a, b) =>
    String(b.configurationItemCaptureTime).localeCompare(String(a.configurationItemCaptureTime)),
  );
  if (body.chronologicalOrder === 'Forward') ordered.reverse();
  const scope = `config:history:${context.accountId}:${region}:${body.resourceType}:${body.resourceId}:${String(body.chronologicalOrder)}`;
  const page = cutPage('config', context.tokens, scope, ordered, size, body.nextToken);
  return isoToEpochSeconds({ configurationItems: page.items, nextToken: page.nextToken }, TIMESTAMPS);
}

/**
 * Only `SELECT * WHERE resourceType = '<type>'` (optionally `AND resourceId = '<id>'`); anything else is
 * rejected rather than answered wrongly. Rows are the latest items as JSON strings, as the API returns them.
 */
function selectResourceConfig(context: ConfigContext): unknown {
  const { body, region } = context.request;
  if (typeof body.Expression !== 'string') throw missingParameter('config', 'Expression');
  const match = /^SELECT \* WHERE resourceType = '([^']+)'(?: AND resourceId = '([^']+)')?$/i.exec(
    body.Expression.trim(),
  );
  if (!match)
    throw new AwsWireError(
      'InvalidExpressionException',
      `The loopback endpoint cannot evaluate: ${body.Expression}`,
    );
  const size =
    pageSize('config', { parameter: 'Limit', min: 0, max: 100, defaultSize: 100 }, body.Limit) || 100;
  const rows = inScope(context, region).filter(
    (item) => item.resourceType === match[1] && (match[2] === undefined || item.resourceId === match[2]),
  );
  const scope = `config:select:${context.accountId}:${region}:${body.Expression}`;
  const page = cutPage('config', context.tokens, scope, rows, size, body.NextToken);
  return {
    Results: page.items.map((item) => JSON.stringify(item)),
    QueryInfo: { SelectFields: [{ Name: '*' }] },
    NextToken: page.nextToken,
  };
}

function inScope(context: ConfigContext, region: string): ApiJson[] {
  return context.items.filter((item) => item.accountId === context.accountId && item.awsRegion === region);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
