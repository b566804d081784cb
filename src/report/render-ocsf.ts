// OCSF 1.2.0 findings with the Cloud profile, for security lakes and SIEMs: one Detection Finding (class_uid 2004) per
// non-compliant or waived result, or, when the policy names control frameworks, one Compliance Finding (2003) per
// control the result counts against, carrying the `compliance` object (control, standards, status). Results that
// could not be evaluated are not detections and are left out.
// Values stay exact, control characters included: this is for machines, and JSON.stringify writes every C0
// character as an escape (\u001b), so none reaches a terminal raw; C1 and bidi characters are valid JSON and stay as
// they are. Human-facing formats neutralise them instead (src/neutralise-controls.ts).

import type { Severity } from '../engine/types.js';
import type { Report, ReportResult } from './build-report.js';
import { controlLabel, controlsAgainst, type ControlRef } from './control-summary.js';
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
/** Compliance Finding: results of evaluations against a standard's controls (OCSF 1.2.0 events/findings/compliance_finding). */
const COMPLIANCE_CLASS_UID = 2003;
const CATEGORY_UID = 2; // Findings
const ACTIVITY_CREATE = 1;
/** compliance.status_id 3: "The compliance check failed for at least one of the evaluated resources." */
const COMPLIANCE_FAIL = { id: 3, caption: 'Fail' };

/** One Detection Finding or Compliance Finding event. */
export type OcsfDetectionFinding = Record<string, unknown> & {
  class_uid: 2004 | 2003;
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
  const controls = new Map((report.controls ?? []).map((c) => [controlLabel(c), c]));

  /** The Detection Finding for `r`, or with `ref` the Compliance Finding for that control (same fields otherwise). */
  const event = (r: ReportResult, ref?: ControlRef): OcsfDetectionFinding => {
    const rule = rules.get(r.ruleId);
    const chain = r.resourceType === 'AWS::EC2::Instance' ? chains.get(r.resourceId) : undefined;
    const waiver = r.waiverId !== undefined ? waivers.get(r.waiverId) : undefined;
    const severity = OCSF_SEVERITY[r.severity];
    const status = waiver ? { id: 3, caption: 'Suppressed' } : { id: 1, caption: 'New' };
    const control = ref ? controls.get(controlLabel(ref)) : undefined;
    const classUid = ref ? COMPLIANCE_CLASS_UID : CLASS_UID;
    const className = ref ? 'Compliance Finding' : 'Detection Finding';
    const resource = {
      uid: r.resourceId,
      type: r.resourceType,
      cloud_partition: 'aws',
      region: r.region,
      ...(chain?.name !== undefined ? { name: chain.name } : {}),
      ...(chain?.vpcId !== undefined ? { data: { vpc_id: chain.vpcId } } : {}),
    };
    return {
      class_uid: classUid,
      class_name: className,
      category_uid: CATEGORY_UID,
      category_name: 'Findings',
      activity_id: ACTIVITY_CREATE,
      activity_name: 'Create',
      type_uid: classUid * 100 + ACTIVITY_CREATE,
      type_name: `${className}: Create`,
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
        uid: ref ? `${resultFingerprint(r)}/${controlLabel(ref)}` : resultFingerprint(r),
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
      // Compliance Finding (1.2.0) names its one subject `resource`; Detection Finding lists `resources`.
      ...(ref
        ? {
            compliance: {
              control: ref.controlId,
              standards: [control ? `${control.frameworkTitle} ${control.frameworkVersion}` : ref.framework],
              status: COMPLIANCE_FAIL.caption,
              status_id: COMPLIANCE_FAIL.id,
            },
            resource,
          }
        : { resources: [resource] }),
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
        ...(control ? { control_title: control.title } : {}),
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

  const refsByRule = new Map(report.rules.map((r) => [r.ruleId, r.controls]));
  function* events(): Generator<OcsfDetectionFinding, void, undefined> {
    for (const r of report.results) {
      if (r.status !== 'NON_COMPLIANT' && r.status !== 'WAIVED') continue;
      const against = controlsAgainst(r, refsByRule.get(r.ruleId));
      if (against.length === 0) yield event(r);
      else for (const ref of against) yield event(r, ref);
    }
  }
  yield* prettyJsonArray(events(), 0);
  yield '\n';
}
