// The report's shape: what every renderer reads. Built by buildReport (build-report.ts); the JSON report is this
// object serialised, described by schemas/report.schema.json.

import type { Remediation, Severity } from '../engine/types.js';
import { SEVERITIES } from '../engine/types.js';
import type { SourceLocation } from '../inventory/deploy-time.js';
import type { SourceMetadata } from '../inventory/model.js';
import type { WaiverScope, WaiverState } from '../policy/waivers.js';
import type { InstanceChain } from './chain/instance-chain.js';
import type { ControlRef, ControlSummary } from './control-summary.js';
import type { ReportResult, ReportStatus } from './report-result.js';

export const REPORT_SCHEMA_VERSION = 1;

/** The VPC key used for instances whose VPC is not known. */
export const UNKNOWN_VPC = 'unknown';

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** Counts for one account, one account+region, or one VPC. */
export interface ScopeSummary {
  accountId: string;
  region?: string;
  vpcId?: string;
  instances: number;
  readyInstances: number;
  counts: Record<ReportStatus, number>;
}

/** A waiver of the policy and what became of it in this evaluation. */
export interface WaiverReport {
  id: string;
  ruleId: string;
  scope: WaiverScope;
  reason: string;
  owner: string;
  expires: string;
  ticket?: string;
  state: WaiverState;
  /** Results waived (applied), or that it would waive had it not expired. */
  results: number;
  resourceIds: string[];
}

export interface RuleSummary {
  ruleId: string;
  title: string;
  link: string;
  severity: Severity;
  resourceType: string;
  description: string;
  /** The rule's fix, in words (commands are per result). */
  remediation: string;
  references: string[];
  counts: Record<ReportStatus, number>;
  /** The controls of the policy's frameworks this rule is evidence for (only when the policy names frameworks). */
  controls?: ControlRef[];
}

export interface RootCause {
  /** Stable key: rule, reason and the resource the failure is about. */
  key: string;
  /** `unverified`: NOT_APPLICABLE with a reason (e.g. a network path leaving the account's inventory). */
  /** `note`: COMPLIANT with a reason worth a look (e.g. a deprecated policy, working only through a fallback). */
  /** `patching`: the first broken patching link of an instance whose readiness chain holds (Online, yet unpatched). */
  kind: 'readiness' | 'patching' | 'finding' | 'error' | 'unverified' | 'note';
  /** The rule of the first result grouped here; `ruleIds` lists every rule (an error cause can span several). */
  ruleId: string;
  ruleIds: string[];
  reason: string;
  /** Short label from the rule's `reasons` map. */
  label: string;
  severity: Severity;
  /** The shared resource (e.g. a security group or route table), when the cause is one resource. */
  causeResourceId?: string;
  causeResourceType?: string;
  resourceType: string;
  /** Each affected resource once, sorted. */
  resourceIds: string[];
  /** Message of the first affected resource, as an example. */
  example: string;
  remediation?: Remediation;
}

export interface ReportSummary {
  resources: number;
  instances: number;
  evaluations: number;
  rules: number;
  byStatus: Record<ReportStatus, number>;
  /** NON_COMPLIANT results per severity. */
  findingsBySeverity: Record<Severity, number>;
  /** Instances whose every readiness link holds: none broken, waived or unevaluated (see chainReadiness). */
  readyInstances: number;
  /** Instances not ready because a waiver covers a broken readiness link (and no link is broken openly). */
  waivedInstances: number;
  /** What could not be evaluated (ERROR), counted as distinct resources, and as results. */
  unevaluated: { resources: number; instances: number; results: number };
}

export interface ReportProvenance {
  /** Sources read (`source.inputs`), accounts, regions and collection time. */
  source: SourceMetadata;
  evaluatedAt: string;
  policy: string;
  /** The policy pack file, when one was given. */
  policyFile?: string;
  rules: { id: string; severity: Severity; params: Record<string, unknown> }[];
  toolVersion: string;
  /** "sha256:<hex>" of the input inventory (computed by the caller, see input-hash.ts). */
  inputHash?: string;
}

export interface Report {
  schemaVersion: number;
  tool: { name: 'ssmguard'; version: string };
  provenance: ReportProvenance;
  summary: ReportSummary;
  rootCauses: RootCause[];
  rules: RuleSummary[];
  scopes: { accounts: ScopeSummary[]; regions: ScopeSummary[]; vpcs: ScopeSummary[] };
  chains: InstanceChain[];
  waivers: WaiverReport[];
  /** Per control of the policy's frameworks (`controls:` in the policy pack); absent when it names none. */
  controls?: ControlSummary[];
  results: ReportResult[];
  /**
   * Where each resource is declared, by resource id, when the input was a CloudFormation template or Terraform
   * plan; the text report names causes by it. Results carry their own `location` (the JSON and SARIF reports).
   */
  locations?: Readonly<Record<string, SourceLocation>>;
}
