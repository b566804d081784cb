// Result types of an evaluation: what every engine consumer (reports, Lambda, CLI) reads.

import type { DecisionExplanation } from '../iam/explain-decision.js';
import type { SourceLocation } from '../inventory/deploy-time.js';

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

export type Compliance = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';
export type EvaluationStatus = Compliance | 'ERROR';

/** One fact the verdict rests on: a path and the value found, or a named resource and a note. */
export interface Evidence {
  /** Model path (e.g. "metadataOptions.httpEndpoint") or a named check's subject. */
  path?: string;
  actual?: unknown;
  expected?: string;
  /** A resource the fact is about, e.g. "sg-0abc" or "rtb-0123". */
  resourceId?: string;
  note?: string;
  /**
   * Structured facts of a failure, for readers that must not parse `actual` (control mappings select failures by
   * them, see policies/controls/): e.g. the port and source an inbound rule opens.
   */
  facts?: Record<string, string | number>;
  /** For an IAM decision: the deciding statements per layer, with their conditions (see iam/explain-decision). */
  explanation?: DecisionExplanation;
}

export interface Remediation {
  text: string;
  command?: string;
}

/** What the engine could not read, with a stable code; never a verdict about the resource. */
export interface EvaluationError {
  code: string;
  message: string;
  /** The IAM permission whose absence caused it, when known (e.g. "ec2:DescribeRouteTables"). */
  permission?: string;
}

/**
 * The resource a failure is really about, so that many instances failing on one route table or one
 * missing profile group into one root cause.
 */
export interface CauseRef {
  resourceType?: string;
  resourceId?: string;
  /** A short stable key for grouping when there is no single resource (e.g. "no-profile"). */
  key?: string;
}

export interface Evaluation {
  ruleId: string;
  resourceType: string;
  resourceId: string;
  accountId: string;
  region: string;
  status: EvaluationStatus;
  severity: Severity;
  /** Reason code such as "IAM.NO_INSTANCE_PROFILE"; set on NON_COMPLIANT, ERROR and some NOT_APPLICABLE. */
  reason?: string;
  message?: string;
  evidence: Evidence[];
  remediation?: Remediation;
  cause?: CauseRef;
  error?: EvaluationError;
  /** Where the resource is declared, when the inventory came from a CloudFormation template or Terraform plan. */
  location?: SourceLocation;
}
