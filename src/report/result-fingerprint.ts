// A stable identity for a finding across runs (rule + resource), shared by SARIF fingerprints and OCSF uids.

import { createHash } from 'node:crypto';
import type { ReportResult } from './build-report.js';

/** Hex sha256 of rule, account, region, type and resource id: the same finding gets the same value every run. */
export function resultFingerprint(
  r: Pick<ReportResult, 'ruleId' | 'accountId' | 'region' | 'resourceType' | 'resourceId'>,
): string {
  return createHash('sha256')
    .update(`${r.ruleId}\u0000${r.accountId}\u0000${r.region}\u0000${r.resourceType}\u0000${r.resourceId}`)
    .digest('hex');
}
