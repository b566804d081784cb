// How each report status reads in human-facing formats (HTML, Markdown).

import type { ReportStatus } from './build-report.js';

/** Lower-case labels: "non-compliant", "not applicable"… */
export const STATUS_LABELS: Record<ReportStatus, string> = {
  NON_COMPLIANT: 'non-compliant',
  ERROR: 'error',
  WAIVED: 'waived',
  COMPLIANT: 'compliant',
  NOT_APPLICABLE: 'not applicable',
};
