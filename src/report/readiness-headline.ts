// The summary sentences every human-facing format leads with: how many instances are ready (a waived link is
// still broken, so waived instances are "not ready (waived)", never ready), and how many resources could not be
// evaluated (distinct resources, not results).

import type { ReportSummary } from './report-model.js';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** "16 of 225 instances have an unbroken readiness chain; 209 are not ready (waived)." */
export function readinessHeadline(
  summary: Pick<ReportSummary, 'instances' | 'readyInstances' | 'waivedInstances'>,
): string {
  const ready = `${summary.readyInstances} of ${summary.instances} instances have an unbroken readiness chain`;
  if (summary.waivedInstances === 0) return `${ready}.`;
  const verb = summary.waivedInstances === 1 ? 'is' : 'are';
  return `${ready}; ${summary.waivedInstances} ${verb} not ready (waived: a waived link is still broken).`;
}

/** "225 instances (275 results)", or "225 instances and 3 other resources (281 results)". */
export function unevaluatedCount(summary: Pick<ReportSummary, 'unevaluated'>): string {
  const { resources, instances, results } = summary.unevaluated;
  const other = resources - instances;
  const what =
    instances > 0 && other > 0
      ? `${plural(instances, 'instance', 'instances')} and ${plural(other, 'other resource', 'other resources')}`
      : instances > 0
        ? plural(instances, 'instance', 'instances')
        : plural(other, 'resource', 'resources');
  return `${what} (${plural(results, 'result', 'results')})`;
}
