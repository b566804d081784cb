// Recognises AWS Config documents by content (S3 snapshots, API outputs, advanced-query results) and lists their items.

import { isJsonObject, type MapIssue } from '../api/mapping-context.js';
import { ConfigItemError, normaliseConfigurationItem, type ConfigurationItem } from './configuration-item.js';

/**
 * The Config documents ssmguard reads:
 * - `snapshot`: an S3 configuration snapshot `{fileVersion, configSnapshotId, configurationItems}` (aws-facts §4.6),
 *   or `aws configservice get-resource-config-history` output (`{configurationItems}`, API form);
 * - `batch`: `batch-get-resource-config` output (`{baseConfigurationItems}`, no tags);
 * - `query-results`: `select-resource-config` / `select-aggregate-resource-config` output (`{Results: [JSON strings]}`);
 * - `query-rows`: a JSON array of query rows (objects or JSON strings), e.g. the `Results` saved on their own.
 */
export type ConfigDocumentKind = 'snapshot' | 'batch' | 'query-results' | 'query-rows';

/** Names the kind of a parsed Config document, or undefined when the value is not one. */
export function recognizeConfigDocument(value: unknown): ConfigDocumentKind | undefined {
  if (Array.isArray(value)) {
    const first = value[0];
    const row = typeof first === 'string' ? safeParse(first) : first;
    return isJsonObject(row) && typeof row.resourceType === 'string' && typeof row.resourceId === 'string'
      ? 'query-rows'
      : undefined;
  }
  if (!isJsonObject(value)) return undefined;
  if (Array.isArray(value.configurationItems)) return 'snapshot';
  if (Array.isArray(value.baseConfigurationItems)) return 'batch';
  if (Array.isArray(value.Results) && value.Results.every((r) => typeof r === 'string'))
    return 'query-results';
  return undefined;
}

// Keys that open Config documents; checked on a file's first bytes so that other inputs are never fully parsed.
const HEAD_PATTERN =
  /^\s*(?:\{\s*"(?:fileVersion|configSnapshotId|configurationItems|baseConfigurationItems|unprocessedResourceKeys|Results|QueryInfo|NextToken)"|\[\s*(?:"\{\\"|\{[^[]{0,2000}?"resourceType"))/;

/** True when a file's first bytes (as text) look like a Config document; confirm with recognizeConfigDocument. */
export function looksLikeConfigDocument(head: string): boolean {
  return HEAD_PATTERN.test(head.replace(/^\uFEFF/, ''));
}

/**
 * The items of a Config document, normalised to the event form. An item that cannot be used (no type or id,
 * configuration that is not JSON) is left out with an issue; the rest still count.
 */
export function configItemsOf(
  value: unknown,
  origin: string,
): { kind: ConfigDocumentKind; items: ConfigurationItem[]; issues: MapIssue[] } | undefined {
  const kind = recognizeConfigDocument(value);
  if (kind === undefined) return undefined;
  let raws: unknown[];
  let key: string;
  if (kind === 'query-rows') {
    raws = value as unknown[];
    key = '';
  } else {
    key =
      kind === 'snapshot' ? 'configurationItems' : kind === 'batch' ? 'baseConfigurationItems' : 'Results';
    raws = (value as Record<string, unknown[]>)[key]!;
  }
  const items: ConfigurationItem[] = [];
  const issues: MapIssue[] = [];
  const truncated = truncationOf(kind, value);
  if (truncated !== undefined)
    issues.push({
      code: 'RESPONSE_TRUNCATED',
      origin,
      path: truncated,
      message: 'response is one page of several; resources on other pages are missing',
    });
  for (let i = 0; i < raws.length; i++) {
    const path = key === '' ? `[${i}]` : `${key}[${i}]`;
    const raw = raws[i];
    try {
      const row = typeof raw === 'string' ? parseRow(raw, path) : raw;
      items.push(normaliseConfigurationItem(row, path));
    } catch (error) {
      if (!(error instanceof ConfigItemError)) throw error;
      issues.push({ code: 'ENTRY_INVALID', origin, path, message: error.detail });
    }
  }
  return { kind, items, issues };
}

/**
 * Where a document says it is incomplete: a query's `NextToken` (the CLI prints it only when `--max-items` cut
 * the output short) or a batch's `unprocessedResourceKeys` (resources asked for and not returned).
 */
function truncationOf(kind: ConfigDocumentKind, value: unknown): string | undefined {
  if (!isJsonObject(value)) return undefined;
  if (kind === 'query-results' && typeof value.NextToken === 'string' && value.NextToken !== '')
    return 'NextToken';
  if (
    kind === 'batch' &&
    Array.isArray(value.unprocessedResourceKeys) &&
    value.unprocessedResourceKeys.length > 0
  )
    return 'unprocessedResourceKeys';
  return undefined;
}

function parseRow(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigItemError(path, `query row is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not a JSON row: the document is not a query-row list.
    return undefined;
  }
}
