// Reading a JSON report back (what `scan --format json` wrote) for `ssmguard diff`: validated against
// schemas/report.schema.json, then typed as the few fields the diff compares.

import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import reportSchema from '../../../schemas/report.schema.json' with { type: 'json' };
import type { Severity } from '../../engine/types.js';
import { CheckerError } from '../../errors.js';
import type { InstanceChain } from '../chain/instance-chain.js';
import { REPORT_SCHEMA_VERSION, type WaiverReport } from '../report-model.js';
import type { ReportStatus } from '../report-result.js';

/** A JSON report that is not one ssmguard wrote (or one of a schema version this build cannot read). */
export class ReportFileError extends CheckerError {
  readonly code = 'REPORT_INVALID';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'ReportFileError';
  }
}

export interface ResultJson {
  ruleId: string;
  resourceType: string;
  resourceId: string;
  accountId: string;
  region: string;
  status: ReportStatus;
  severity: Severity;
  reason?: string;
  message?: string;
  waiverId?: string;
}

export interface RootCauseJson {
  kind: 'readiness' | 'patching' | 'finding' | 'error' | 'unverified' | 'note';
  ruleId: string;
  reason: string;
  label: string;
  severity: Severity;
  causeResourceId?: string;
  resourceType: string;
  resourceIds: string[];
}

/** The fields of a JSON report the diff reads. */
export interface ReportJson {
  schemaVersion: number;
  provenance: { evaluatedAt: string; policy: string; inputHash?: string; toolVersion: string };
  summary: { instances: number; readyInstances: number; waivedInstances?: number };
  rootCauses: RootCauseJson[];
  waivers: WaiverReport[];
  chains: InstanceChain[];
  results: ResultJson[];
}

let validator: ValidateFunction | undefined;

function validateReport(value: unknown): ValidateFunction['errors'] {
  validator ??= new Ajv2020({ allErrors: false, strict: true, validateFormats: false }).compile(reportSchema);
  return validator(value) ? null : validator.errors;
}

/** Checks a parsed JSON document against the report schema; throws ReportFileError naming the file and JSON path. */
export function parseReportJson(value: unknown, file: string): ReportJson {
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || version === undefined)
    throw new ReportFileError(
      file,
      'not an ssmguard JSON report (no schemaVersion; write one with --format json)',
    );
  if (version !== REPORT_SCHEMA_VERSION)
    throw new ReportFileError(
      file,
      `report schemaVersion ${JSON.stringify(version)} is not supported (this ssmguard reads version ${REPORT_SCHEMA_VERSION})`,
    );
  const errors = validateReport(value);
  if (errors?.[0]) {
    const e = errors[0];
    throw new ReportFileError(
      file,
      `does not match the report schema at ${e.instancePath || '/'}: ${e.message ?? ''}`,
    );
  }
  return value as ReportJson;
}
