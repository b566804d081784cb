// A result as the report states it: the engine's evaluation, or WAIVED when an unexpired waiver covers it.

import type { Evaluation, EvaluationStatus } from '../engine/types.js';

/** A result's status in the report: the engine's, or WAIVED when an unexpired waiver covers a NON_COMPLIANT one. */
export type ReportStatus = EvaluationStatus | 'WAIVED';

/** Statuses from most to least pressing; summaries and renderers list them in this order. */
export const REPORT_STATUSES: readonly ReportStatus[] = [
  'NON_COMPLIANT',
  'ERROR',
  'WAIVED',
  'COMPLIANT',
  'NOT_APPLICABLE',
];

/** One evaluation as reported. A WAIVED result was NON_COMPLIANT; `waiverId` names the waiver in `Report.waivers`. */
export interface ReportResult extends Omit<Evaluation, 'status'> {
  status: ReportStatus;
  waiverId?: string;
}

export const emptyCounts = (): Record<ReportStatus, number> => ({
  NON_COMPLIANT: 0,
  ERROR: 0,
  WAIVED: 0,
  COMPLIANT: 0,
  NOT_APPLICABLE: 0,
});
