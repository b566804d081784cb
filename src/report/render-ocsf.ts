// OCSF 1.2.0 Detection Finding events (class_uid 2004), with the Cloud profile: one per non-compliant or waived
// result, for security lakes and SIEMs. Results that could not be evaluated are not detections and are left out.
// Values stay exact, control characters included: this is for machines, and JSON.stringify writes every C0
// character as an escape (\u001b), so none reaches a terminal raw; C1 and bidi characters are valid JSON and stay as
// they are. Human-facing formats neutralise them instead (src/neutralise-controls.ts).

import type { Severity } from '../engine/types.js';
import type { Report, ReportResult } from './build-report.js';
import { prettyJsonArray } from './json-chunks.js';
import { resultFingerprint } from './result-fingerprint.js';
import { joinChunks } from './write-chunks.js';

export const OCSF_VERSION = '1.2.0';

/** OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
export const OCSF_SEVERITY: Record<Severity, { id: number; caption: string }> = {
  info: { id: 1, caption: 'Informational' },
  low: { id: 2, caption: 'Low' },
  medium: { id: 3, caption: 'Medium' },
  high: { id: 4, caption: 'High' },
  critical: { id: 5, caption: 'Critical' },
};

const CLASS_UID = 2004;
const CATEGORY_UID = 2; // Findings
const ACTIVITY_CREATE = 1;

/** One Detection Finding event. */
export type OcsfDetectionFinding = Record<string, unknown> & {
  class_uid: 2004;
  type_uid: number;
  severity_id: number;
};

/** Renders the findings as a JSON array of OCSF Detection Finding events. */
export function renderOcsf(report: Report): string {
  return joinChunks(renderOcsfChunks(report));
}

/** The OCSF events as chunks, one per event, byte for byte what `renderOcsf` returns. */
export function* renderOcsfChunks(report: Report): Generator<string, void, undefined> {
  const time = Date.parse(report.provenance.evaluatedAt);
  const rules = new Map(report.rules.map((r) => [r.ruleId, r]));
  const chains = new Map(report.chains.map((c) => [c.instanceId, c]));
  const waivers = new Map(report.waivers.map((w) => [w.id, w]));

  const event = (r: ReportResult): OcsfDetectionFinding => {
    const rule = rules.get(r.ruleId);
    const chain = r.resourceType === 'AWS::EC2::Instance' ? chains.get(r.resourceId) : undefined;
    const waiver = r.waiverId !== undefined ? waivers.get(r.waiverId) : undefined;
    const severity = OCSF_SEVERITY[r.severity];
    const status = waiver ? { id: 3, caption: 'Suppressed' } : { id: 1, caption: 'New' };
    return {
      class_uid: CLASS_UID,
      class_name: 'Detection Finding',
      category_uid: CATEGORY_UID,
      category_name: 'Findings',
      activity_id: ACTIVITY_CREATE,
      activity_name: 'Create',
      type_uid: CLASS_UID * 100 + ACTIVITY_CREATE,
      type_name: 'Detection Finding: Create',
      time,
      severity_id: severity.id,
      severity: severity.caption,
      status_id: status.id,
      status: status.caption,
      message: r.message ?? rule?.title ?? r.ruleId,
      metadata: {
        version: OCSF_VERSION,
        product: { name: 'ssmguard', vendor_name: 'ssmguard', version: report.tool.version },
        profiles: ['cloud'],
        log_name: 'ssmguard',
        ...(report.provenance.source.collectedAt
          ? { original_time: report.provenance.source.collectedAt }
          : {}),
      },
      finding_info: {
        uid: resultFingerprint(r),
        title: rule?.title ?? r.ruleId,
        desc: r.message ?? '',
        types: [rule?.link ?? 'unknown'],
        analytic: { uid: r.ruleId, name: r.ruleId, type_id: 1, type: 'Rule' },
      },
      cloud: {
        provider: 'AWS',
        region: r.region,
        account: { uid: r.accountId, type_id: 10, type: 'AWS Account' },
      },
      resources: [
        {
          uid: r.resourceId,
          type: r.resourceType,
          cloud_partition: 'aws',
          region: r.region,
          ...(chain?.name !== undefined ? { name: chain.name } : {}),
          ...(chain?.vpcId !== undefined ? { data: { vpc_id: chain.vpcId } } : {}),
        },
      ],
      ...(r.remediation
        ? {
            remediation: {
              desc: r.remediation.text,
              ...(rule?.references.length ? { references: rule.references } : {}),
            },
          }
        : {}),
      unmapped: {
        reason: r.reason ?? '',
        ...(r.remediation?.command ? { remediation_command: r.remediation.command } : {}),
        ...(waiver
          ? {
              waiver: {
                id: waiver.id,
                reason: waiver.reason,
                owner: waiver.owner,
                expires: waiver.expires,
                ...(waiver.ticket ? { ticket: waiver.ticket } : {}),
              },
            }
          : {}),
      },
    };
  };

  function* events(): Generator<OcsfDetectionFinding, void, undefined> {
    for (const r of report.results) if (r.status === 'NON_COMPLIANT' || r.status === 'WAIVED') yield event(r);
  }
  yield* prettyJsonArray(events(), 0);
  yield '\n';
}
