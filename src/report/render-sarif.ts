// The SARIF 2.1.0 log: rules as reportingDescriptors with help, one result per non-compliant, waived (as an
// accepted suppression) or unevaluable resource, AWS resources as logical locations, stable fingerprints.
// Values stay exact, control characters included: this is for machines, and JSON.stringify writes every C0
// character as an escape (\u001b), so none reaches a terminal raw; C1 and bidi characters are valid JSON and stay as
// they are. Human-facing formats neutralise them instead (src/neutralise-controls.ts).

import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Severity } from '../engine/types.js';
import type { SourceLocation } from '../inventory/deploy-time.js';
import type { Report, ReportResult } from './build-report.js';
import { controlLabel, controlsAgainst } from './control-summary.js';
import { formatWaiverScope } from './format-waiver-scope.js';
import { prettyJsonWithArray } from './json-chunks.js';
import { resultFingerprint } from './result-fingerprint.js';
import { joinChunks } from './write-chunks.js';

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** SARIF levels by severity: only critical and high break a build that gates on "error". */
export const SARIF_LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub code scanning reads `security-severity` (0.0–10.0) to rank security results. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

/** The logical location of an AWS resource: account / region / type / id. */
function logicalLocation(r: ReportResult): Record<string, unknown> {
  return {
    name: r.resourceId,
    fullyQualifiedName: `${r.accountId}/${r.region}/${r.resourceType}/${r.resourceId}`,
    kind: 'resource',
  };
}

/**
 * Where a template or plan declares the resource, so code-scanning tools annotate that line: the file as a
 * relative URI with '/' separators (GitHub resolves it against the repository root), or a file: URI when absolute.
 */
function sourceLocation(location: SourceLocation): Record<string, unknown> {
  const forward = location.file.replaceAll('\\', '/');
  const uri = isAbsolute(location.file) ? pathToFileURL(location.file).href : encodeURI(forward);
  return {
    physicalLocation: {
      artifactLocation: { uri },
      region: {
        startLine: location.line,
        ...(location.column !== undefined ? { startColumn: location.column } : {}),
      },
    },
  };
}

/** A result's locations: the AWS resource, and for templates and plans where it is declared. */
function resultLocations(r: ReportResult): Record<string, unknown>[] {
  if (r.location === undefined) return [{ logicalLocations: [logicalLocation(r)] }];
  const declaration = { name: r.location.address, kind: 'declaration' };
  return [{ ...sourceLocation(r.location), logicalLocations: [logicalLocation(r), declaration] }];
}

/** Renders the report as a SARIF 2.1.0 log (JSON). COMPLIANT and NOT_APPLICABLE results are left out. */
export function renderSarif(report: Report): string {
  return joinChunks(renderSarifChunks(report));
}

/** The SARIF log as chunks (the run's head, then one per result), byte for byte what `renderSarif` returns. */
export function* renderSarifChunks(report: Report): Generator<string, void, undefined> {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.ruleId, i]));
  const waiverById = new Map(report.waivers.map((w) => [w.id, w]));
  const controlRefs = new Map(report.rules.map((r) => [r.ruleId, r.controls]));
  const controlByLabel = new Map((report.controls ?? []).map((c) => [controlLabel(c), c]));
  const rules = report.rules.map((r) => ({
    id: r.ruleId,
    name: r.ruleId
      .split('-')
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join(''),
    shortDescription: { text: r.title },
    fullDescription: { text: r.description },
    help: {
      text: `${r.remediation}${r.references.length ? `\nSee: ${r.references.join(' ')}` : ''}`,
      markdown: `${r.remediation}${r.references.length ? `\n\n${r.references.map((u) => `- <${u}>`).join('\n')}` : ''}`,
    },
    ...(r.references[0] !== undefined ? { helpUri: r.references[0] } : {}),
    defaultConfiguration: { level: SARIF_LEVELS[r.severity] },
    properties: {
      // Controls as tags too ("aws-fsbp/SSM.1"): code-scanning UIs filter by tag, not by custom properties.
      tags: ['security', 'aws', 'ssm', r.link, ...(r.controls ?? []).map(controlLabel)],
      'security-severity': SECURITY_SEVERITY[r.severity],
      link: r.link,
      resourceType: r.resourceType,
      ...(r.controls
        ? {
            controls: r.controls.map((c) => ({
              id: controlLabel(c),
              framework: c.framework,
              controlId: c.controlId,
              title: controlByLabel.get(controlLabel(c))?.title ?? '',
              evidence: c.evidence,
            })),
          }
        : {}),
    },
  }));

  const sarifResult = (r: ReportResult): Record<string, unknown> => {
    const isError = r.status === 'ERROR';
    const waiver = r.waiverId !== undefined ? waiverById.get(r.waiverId) : undefined;
    const text = (isError ? (r.error?.message ?? r.message) : r.message) ?? r.ruleId;
    const refs = controlRefs.get(r.ruleId);
    // A failure names the controls it counts against (by its facts); an ERROR leaves every mapped control open.
    const controls =
      refs === undefined ? undefined : (isError ? refs : controlsAgainst(r, refs)).map(controlLabel);
    return {
      ruleId: r.ruleId,
      ruleIndex: ruleIndex.get(r.ruleId) ?? -1,
      // An ERROR is "could not tell": a result for review, never a pass or a failure (SARIF: level none).
      kind: isError ? 'review' : 'fail',
      level: isError ? 'none' : SARIF_LEVELS[r.severity],
      message: { text: isError ? `Could not evaluate: ${text}` : text },
      locations: resultLocations(r),
      fingerprints: { 'ssmguard/v1': resultFingerprint(r) },
      ...(waiver
        ? {
            suppressions: [
              {
                kind: 'external',
                status: 'accepted',
                justification: waiver.reason,
                properties: {
                  waiverId: waiver.id,
                  owner: waiver.owner,
                  expires: waiver.expires,
                  scope: formatWaiverScope(waiver.scope),
                  ...(waiver.ticket ? { ticket: waiver.ticket } : {}),
                },
              },
            ],
          }
        : {}),
      properties: {
        accountId: r.accountId,
        region: r.region,
        resourceType: r.resourceType,
        severity: r.severity,
        ...(r.reason !== undefined ? { reason: r.reason } : {}),
        ...(r.error
          ? { errorCode: r.error.code, ...(r.error.permission ? { permission: r.error.permission } : {}) }
          : {}),
        ...(r.remediation?.command ? { remediationCommand: r.remediation.command } : {}),
        ...(controls ? { controls } : {}),
      },
    };
  };
  function* results(): Generator<Record<string, unknown>, void, undefined> {
    for (const r of report.results)
      if (r.status === 'NON_COMPLIANT' || r.status === 'WAIVED' || r.status === 'ERROR') yield sarifResult(r);
  }

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ssmguard',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules,
          },
        },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.provenance.evaluatedAt }],
        automationDetails: { id: `ssmguard/${report.provenance.policy}/` },
        properties: {
          policy: report.provenance.policy,
          accounts: report.provenance.source.accounts,
          regions: report.provenance.source.regions,
          ...(report.provenance.inputHash ? { inputHash: report.provenance.inputHash } : {}),
          ...(report.controls
            ? {
                controls: report.controls.map((c) => ({
                  id: controlLabel(c),
                  status: c.status,
                  statusDetail: c.statusDetail,
                  failing: c.failing.length,
                })),
              }
            : {}),
        },
        // Streamed in below, one result at a time: it must stay the run's last member.
        results: [],
      },
    ],
  };
  yield* prettyJsonWithArray(log, 'results', results());
  yield '\n';
}
