// AWS Config configuration items: the one (event/snapshot) form every Config input is normalised into.

import { CheckerError } from '../../errors.js';
import { isJsonObject, jsonTypeOf, toIsoTimestamp, type JsonObject } from '../api/mapping-context.js';

/**
 * `configurationItemStatus` values. Only OK and ResourceDiscovered describe a live resource; the others mean the
 * resource is gone or no longer recorded (AWS's own sample `isApplicable()`).
 * https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_nodejs-sample.html
 */
export type ConfigurationItemStatus =
  'OK' | 'ResourceDiscovered' | 'ResourceNotRecorded' | 'ResourceDeleted' | 'ResourceDeletedNotRecorded';

/** One relationship of an item, event form (`name`, not the API's `relationshipName`). */
export interface ConfigRelationship {
  resourceType?: string;
  resourceId?: string;
  resourceName?: string;
  name?: string;
}

/**
 * A configuration item in the event / S3-snapshot form (aws-facts §4.1), with timestamps as ISO strings and
 * `configuration` parsed. `configuration` is undefined for deleted items and in advanced-query rows that did
 * not select it.
 */
export interface ConfigurationItem {
  resourceType: string;
  resourceId: string;
  resourceName?: string;
  awsAccountId?: string;
  awsRegion?: string;
  availabilityZone?: string;
  ARN?: string;
  configurationItemStatus?: string;
  configurationItemCaptureTime?: string;
  configurationItemVersion?: string;
  configurationStateId?: string;
  resourceCreationTime?: string;
  /** Tags as Config's map (`{Name: "web-1"}`), or the `[{key, value}]` list advanced queries return. */
  tags?: unknown;
  relationships: ConfigRelationship[];
  configuration?: unknown;
  supplementaryConfiguration: JsonObject;
}

/** A configuration item that cannot be used: not an object, or without resourceType/resourceId. */
export class ConfigItemError extends CheckerError {
  readonly code = 'CONFIG_ITEM_INVALID';
  constructor(
    readonly path: string,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(`configuration item ${path}: ${detail}`, options);
    this.name = 'ConfigItemError';
  }
}

const LIVE_STATUSES: ReadonlySet<string> = new Set(['OK', 'ResourceDiscovered']);

/** True when the item describes a resource that exists and is recorded (OK or ResourceDiscovered). */
export function isLiveItem(item: Pick<ConfigurationItem, 'configurationItemStatus'>): boolean {
  // Advanced-query rows often leave the status out; a row returned by a query is a recorded resource.
  return item.configurationItemStatus === undefined || LIVE_STATUSES.has(item.configurationItemStatus);
}

/**
 * Normalises one item of any Config shape into the event form. The API form (GetResourceConfigHistory,
 * BatchGetResourceConfig, SelectResourceConfig rows) uses `accountId`, `arn`, `version`,
 * `configurationItemMD5Hash`, `relationshipName` and carries `configuration` and supplementary values as JSON
 * strings; the event/snapshot form uses `awsAccountId`, `ARN`, `configurationItemVersion`, `name` and objects
 * (aws-facts §0 #9; AWS's Node sample does the same conversion). Throws ConfigItemError for an unusable item.
 */
export function normaliseConfigurationItem(raw: unknown, path = '$'): ConfigurationItem {
  if (!isJsonObject(raw)) throw new ConfigItemError(path, `expected an object, got ${jsonTypeOf(raw)}`);
  const resourceType = raw.resourceType;
  const resourceId = raw.resourceId;
  if (typeof resourceType !== 'string' || resourceType === '')
    throw new ConfigItemError(path, 'missing resourceType');
  if (typeof resourceId !== 'string' || resourceId === '')
    throw new ConfigItemError(path, 'missing resourceId');
  const item: ConfigurationItem = {
    resourceType,
    resourceId,
    relationships: relationshipsOf(raw.relationships),
    configuration: parseMaybeJson(raw.configuration, `${path}.configuration`),
    supplementaryConfiguration: supplementaryOf(raw.supplementaryConfiguration, path),
  };
  setString(item, 'resourceName', raw.resourceName);
  setString(item, 'awsAccountId', raw.awsAccountId ?? raw.accountId);
  setString(item, 'awsRegion', raw.awsRegion);
  setString(item, 'availabilityZone', raw.availabilityZone);
  setString(item, 'ARN', raw.ARN ?? raw.arn);
  setString(item, 'configurationItemStatus', raw.configurationItemStatus);
  setString(item, 'configurationItemVersion', raw.configurationItemVersion ?? raw.version);
  const stateId = raw.configurationStateId;
  if (typeof stateId === 'string' || typeof stateId === 'number') item.configurationStateId = String(stateId);
  const captured = toIsoTimestamp(raw.configurationItemCaptureTime);
  if (captured !== undefined) item.configurationItemCaptureTime = captured;
  const created = toIsoTimestamp(raw.resourceCreationTime);
  if (created !== undefined) item.resourceCreationTime = created;
  if (raw.tags !== undefined && raw.tags !== null) item.tags = raw.tags;
  return item;
}

type StringField =
  | 'resourceName'
  | 'awsAccountId'
  | 'awsRegion'
  | 'availabilityZone'
  | 'ARN'
  | 'configurationItemStatus'
  | 'configurationItemVersion';

function setString(item: ConfigurationItem, field: StringField, value: unknown): void {
  if (typeof value === 'string' && value !== '') item[field] = value;
}

/** The API form carries `configuration` as a JSON string; "null" and "" mean none (deleted resources). */
function parseMaybeJson(value: unknown, path: string): unknown {
  if (typeof value !== 'string') return value ?? undefined;
  if (value === '' || value === 'null') return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch (error) {
    throw new ConfigItemError(path, `configuration is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function relationshipsOf(value: unknown): ConfigRelationship[] {
  if (!Array.isArray(value)) return [];
  const out: ConfigRelationship[] = [];
  for (const entry of value) {
    if (!isJsonObject(entry)) continue;
    const relationship: ConfigRelationship = {};
    if (typeof entry.resourceType === 'string') relationship.resourceType = entry.resourceType;
    if (typeof entry.resourceId === 'string') relationship.resourceId = entry.resourceId;
    if (typeof entry.resourceName === 'string') relationship.resourceName = entry.resourceName;
    const name = entry.name ?? entry.relationshipName;
    if (typeof name === 'string') relationship.name = name;
    out.push(relationship);
  }
  return out;
}

function supplementaryOf(value: unknown, path: string): JsonObject {
  const out: JsonObject = Object.create(null) as JsonObject;
  if (!isJsonObject(value)) return out;
  for (const [key, entry] of Object.entries(value)) {
    // API form: each value is itself a JSON string. A value that is not JSON stays a plain string.
    if (typeof entry === 'string') {
      try {
        out[key] = parseMaybeJson(entry, `${path}.supplementaryConfiguration.${key}`);
      } catch {
        // Not JSON: some supplementary values are plain strings; keep the text as it came.
        out[key] = entry;
      }
    } else {
      out[key] = entry;
    }
  }
  return out;
}
