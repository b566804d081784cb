// The one sentence a report without root causes ends with: "compliant" only when something was evaluated.

import type { Report } from './build-report.js';

/**
 * What a report with no root cause says. Waived results are named, never called compliant. With no instance at all (a live scan of an empty account or region),
 * nothing was judged, so nothing is called compliant: it names the accounts and regions that were read.
 */
export function cleanVerdict(report: Pick<Report, 'summary' | 'provenance'>): string {
  const waived = report.summary.byStatus.WAIVED;
  // A waived result is an accepted failure, not a pass: with any, nothing is called compliant.
  if (waived > 0)
    return `No open findings, but ${waived} waived result${waived === 1 ? '' : 's'}: accepted risks, not compliant.`;
  if (report.summary.instances > 0 || report.summary.evaluations > 0)
    return 'No findings: every evaluated resource is compliant.';
  const { accounts, regions } = report.provenance.source;
  const scopes = accounts.flatMap((account) =>
    regions.length > 0 ? regions.map((region) => `${account}/${region}`) : [account],
  );
  const where = scopes.length > 0 ? scopes.join(', ') : 'the input';
  return `0 instances in ${where}: nothing to evaluate (an empty account or region is not a pass).`;
}
