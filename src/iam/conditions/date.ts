// Date* operators: ISO 8601 date-times or epoch seconds, compared as instants.

import type { ConditionOperator } from './condition-operator.js';
import { orderedOperators } from './ordered-comparison.js';

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Milliseconds since the epoch. IAM accepts ISO 8601 (`2026-12-01T00:00:00Z`, or just the date) and epoch seconds
 * (`1796083200`), per the Date condition operators section of the IAM User Guide.
 */
export function parseInstant(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!ISO_8601.test(trimmed)) return undefined;
  // A bare date or date-time without a zone is UTC in IAM; JavaScript would read a zone-less time as local.
  const withZone = /T/.test(trimmed) && !/(Z|[+-]\d{2}:?\d{2})$/.test(trimmed) ? `${trimmed}Z` : trimmed;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? undefined : ms;
}

export const DATE_OPERATORS: readonly ConditionOperator[] = orderedOperators('Date', parseInstant);
