// What changed between two JSON reports: instances newly broken, fixed and still broken (by their first broken
// readiness link), root causes that appeared, grew, shrank or disappeared, results newly failing or no longer
// failing, waivers that expired in between, and resources added or removed. Pure: no I/O.

import { SEVERITIES, type Severity } from '../../engine/types.js';
import { compareText } from '../../compare-text.js';
import type { ReportJson, ResultJson, RootCauseJson } from './report-json.js';

/** Which side of the comparison a report is. */
export interface DiffSide {
  file: string;
  evaluatedAt: string;
  policy: string;
  inputHash?: string;
  toolVersion: string;
  instances: number;
  readyInstances: number;
  /** Not ready because of a waived readiness link (absent in reports written before it was counted). */
  waivedInstances?: number;
}

/** An instance's state in one report: its first broken readiness link, or that a link could not be evaluated. */
export interface InstanceState {
  /**
   * `not-applicable`: every link NOT_APPLICABLE (a terminated instance is still listed for a while). `waived`: a
   * waiver covers a broken readiness link: still broken (never "fixed"), the risk accepted.
   */
  state: 'broken' | 'waived' | 'unevaluated' | 'ready' | 'not-applicable';
  link?: string;
  ruleId?: string;
  severity?: Severity;
}

export interface InstanceChange {
  instanceId: string;
  accountId: string;
  region: string;
  name?: string;
  before?: InstanceState;
  after?: InstanceState;
}

export interface RootCauseChange {
  key: string;
  kind: RootCauseJson['kind'];
  ruleId: string;
  reason: string;
  label: string;
  severity: Severity;
  causeResourceId?: string;
  before: number;
  after: number;
  /** Resources in the cause now that were not before, and the other way round. */
  added: string[];
  removed: string[];
}

export interface ResultChange {
  ruleId: string;
  resourceType: string;
  resourceId: string;
  accountId: string;
  region: string;
  severity: Severity;
  before?: ResultJson['status'];
  after?: ResultJson['status'];
  reason?: string;
}

export interface WaiverChange {
  id: string;
  ruleId: string;
  expires: string;
  /** Its state in the old report (`applied` or `unused`), now `expired`. */
  before: string;
  /** Resources it covered in the old report, or would cover now had it not expired. */
  resourceIds: string[];
}

export interface ResourceChange {
  resourceType: string;
  resourceId: string;
  accountId: string;
  region: string;
}

export interface ReportDiff {
  old: DiffSide;
  new: DiffSide;
  instances: {
    newlyBroken: InstanceChange[];
    fixed: InstanceChange[];
    stillBroken: InstanceChange[];
    /** Broken before, and now not in the report or not applicable (terminated, out of scope): not fixed. */
    goneWhileBroken: InstanceChange[];
  };
  rootCauses: {
    appeared: RootCauseChange[];
    grew: RootCauseChange[];
    shrank: RootCauseChange[];
    disappeared: RootCauseChange[];
  };
  results: { newlyFailing: ResultChange[]; noLongerFailing: ResultChange[] };
  waivers: { expired: WaiverChange[] };
  resources: { added: ResourceChange[]; removed: ResourceChange[] };
}

function sideOf(report: ReportJson, file: string): DiffSide {
  const p = report.provenance;
  return {
    file,
    evaluatedAt: p.evaluatedAt,
    policy: p.policy,
    ...(p.inputHash !== undefined ? { inputHash: p.inputHash } : {}),
    toolVersion: p.toolVersion,
    instances: report.summary.instances,
    readyInstances: report.summary.readyInstances,
    ...(report.summary.waivedInstances !== undefined
      ? { waivedInstances: report.summary.waivedInstances }
      : {}),
  };
}

export function diffReports(
  oldReport: ReportJson,
  newReport: ReportJson,
  files: { old: string; new: string },
): ReportDiff {
  return {
    old: sideOf(oldReport, files.old),
    new: sideOf(newReport, files.new),
    instances: diffInstances(oldReport, newReport),
    rootCauses: diffRootCauses(oldReport.rootCauses, newReport.rootCauses),
    results: diffResults(oldReport.results, newReport.results),
    waivers: { expired: expiredWaivers(oldReport, newReport) },
    resources: diffResources(oldReport.results, newReport.results),
  };
}

const resultKey = (
  r: Pick<ResultJson, 'ruleId' | 'resourceType' | 'resourceId' | 'accountId' | 'region'>,
): string => `${r.ruleId}\u0000${r.accountId}\u0000${r.region}\u0000${r.resourceType}\u0000${r.resourceId}`;
const resourceKey = (r: ResourceChange): string =>
  `${r.accountId}\u0000${r.region}\u0000${r.resourceType}\u0000${r.resourceId}`;

function instanceStates(report: ReportJson): Map<string, InstanceState> {
  const severityOf = new Map<string, Severity>();
  for (const r of report.results)
    if (r.resourceType === 'AWS::EC2::Instance' && r.status === 'NON_COMPLIANT')
      severityOf.set(resultKey(r), r.severity);
  const states = new Map<string, InstanceState>();
  for (const c of report.chains) {
    const broken = c.firstBroken;
    if (broken) {
      const severity = severityOf.get(
        resultKey({
          ...c,
          ruleId: broken.ruleId,
          resourceType: 'AWS::EC2::Instance',
          resourceId: c.instanceId,
        }),
      );
      states.set(c.instanceId, {
        state: 'broken',
        link: broken.link,
        ruleId: broken.ruleId,
        ...(severity ? { severity } : {}),
      });
    } else if (c.firstWaived) {
      states.set(c.instanceId, { state: 'waived', link: c.firstWaived.link, ruleId: c.firstWaived.ruleId });
    } else {
      const error = c.links.find((l) => l.status === 'ERROR');
      const applicable = c.links.some((l) => l.status !== 'NOT_APPLICABLE');
      states.set(
        c.instanceId,
        error
          ? { state: 'unevaluated', link: error.link }
          : { state: applicable ? 'ready' : 'not-applicable' },
      );
    }
  }
  return states;
}

function diffInstances(oldReport: ReportJson, newReport: ReportJson): ReportDiff['instances'] {
  const before = instanceStates(oldReport);
  const after = instanceStates(newReport);
  const chains = new Map([...oldReport.chains, ...newReport.chains].map((c) => [c.instanceId, c]));
  const out: ReportDiff['instances'] = { newlyBroken: [], fixed: [], stillBroken: [], goneWhileBroken: [] };
  for (const id of [...chains.keys()].sort(compareText)) {
    const c = chains.get(id)!;
    const b = before.get(id);
    const a = after.get(id);
    const change: InstanceChange = {
      instanceId: id,
      accountId: c.accountId,
      region: c.region,
      ...(c.name !== undefined ? { name: c.name } : {}),
      ...(b ? { before: b } : {}),
      ...(a ? { after: a } : {}),
    };
    // A waived link is still broken: waiving it is not a fix, and a newly waived break is newly broken.
    const wasBroken = b?.state === 'broken' || b?.state === 'waived';
    const isBroken = a?.state === 'broken' || a?.state === 'waived';
    if (isBroken && wasBroken) out.stillBroken.push(change);
    else if (isBroken) out.newlyBroken.push(change);
    // Fixed only when the new report shows it ready: an instance that left the scope is a removed resource.
    else if (wasBroken && a?.state === 'ready') out.fixed.push(change);
    else if (wasBroken && (a === undefined || a.state === 'not-applicable')) out.goneWhileBroken.push(change);
  }
  return out;
}

/** A root cause's identity across reports: kind, rule, reason and the shared resource it is about. */
const causeKey = (c: RootCauseJson): string => `${c.kind}|${c.ruleId}|${c.reason}|${c.causeResourceId ?? ''}`;

function diffRootCauses(
  before: readonly RootCauseJson[],
  after: readonly RootCauseJson[],
): ReportDiff['rootCauses'] {
  const oldByKey = new Map(before.map((c) => [causeKey(c), c]));
  const newByKey = new Map(after.map((c) => [causeKey(c), c]));
  const out: ReportDiff['rootCauses'] = { appeared: [], grew: [], shrank: [], disappeared: [] };
  for (const key of [...new Set([...oldByKey.keys(), ...newByKey.keys()])]) {
    const o = oldByKey.get(key);
    const n = newByKey.get(key);
    const change = causeChange(key, o, n);
    if (!o) out.appeared.push(change);
    else if (!n) out.disappeared.push(change);
    else if (change.after > change.before) out.grew.push(change);
    else if (change.after < change.before) out.shrank.push(change);
  }
  for (const list of Object.values(out)) list.sort(byCauseWeight);
  return out;
}

function causeChange(
  key: string,
  o: RootCauseJson | undefined,
  n: RootCauseJson | undefined,
): RootCauseChange {
  const c = (n ?? o)!;
  const was = new Set(o?.resourceIds ?? []);
  const now = new Set(n?.resourceIds ?? []);
  return {
    key,
    kind: c.kind,
    ruleId: c.ruleId,
    reason: c.reason,
    label: c.label,
    severity: c.severity,
    ...(c.causeResourceId !== undefined ? { causeResourceId: c.causeResourceId } : {}),
    before: was.size,
    after: now.size,
    added: [...now].filter((id) => !was.has(id)).sort(compareText),
    removed: [...was].filter((id) => !now.has(id)).sort(compareText),
  };
}

/** Highest severity first, then the largest change, then the key. */
function byCauseWeight(a: RootCauseChange, b: RootCauseChange): number {
  return (
    SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) ||
    Math.abs(b.after - b.before) - Math.abs(a.after - a.before) ||
    compareText(a.key, b.key)
  );
}

const isFailing = (status: ResultJson['status'] | undefined): boolean =>
  status === 'NON_COMPLIANT' || status === 'ERROR';

function diffResults(before: readonly ResultJson[], after: readonly ResultJson[]): ReportDiff['results'] {
  const oldByKey = new Map(before.map((r) => [resultKey(r), r]));
  const newByKey = new Map(after.map((r) => [resultKey(r), r]));
  const out: ReportDiff['results'] = { newlyFailing: [], noLongerFailing: [] };
  for (const [key, n] of newByKey) {
    const o = oldByKey.get(key);
    if (isFailing(n.status) && (!isFailing(o?.status) || o?.status !== n.status))
      out.newlyFailing.push(resultChange(n, o?.status, n.status));
  }
  for (const [key, o] of oldByKey) {
    const n = newByKey.get(key);
    if (isFailing(o.status) && !isFailing(n?.status))
      out.noLongerFailing.push(resultChange(o, o.status, n?.status));
  }
  for (const list of Object.values(out)) list.sort((a, b) => compareText(resultKey(a), resultKey(b)));
  return out;
}

function resultChange(
  r: ResultJson,
  before: ResultJson['status'] | undefined,
  after: ResultJson['status'] | undefined,
): ResultChange {
  return {
    ruleId: r.ruleId,
    resourceType: r.resourceType,
    resourceId: r.resourceId,
    accountId: r.accountId,
    region: r.region,
    severity: r.severity,
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
  };
}

/** Waivers that still applied (or matched nothing) in the old report and have expired by the new one. */
function expiredWaivers(oldReport: ReportJson, newReport: ReportJson): WaiverChange[] {
  const oldById = new Map(oldReport.waivers.map((w) => [w.id, w]));
  return newReport.waivers
    .filter((w) => w.state === 'expired' && oldById.has(w.id) && oldById.get(w.id)!.state !== 'expired')
    .map((w) => {
      const o = oldById.get(w.id)!;
      return {
        id: w.id,
        ruleId: w.ruleId,
        expires: w.expires,
        before: o.state,
        resourceIds: [...new Set([...o.resourceIds, ...w.resourceIds])].sort(compareText),
      };
    })
    .sort((a, b) => compareText(a.id, b.id));
}

function resourcesOf(results: readonly ResultJson[]): Map<string, ResourceChange> {
  const out = new Map<string, ResourceChange>();
  for (const r of results) {
    const resource = {
      resourceType: r.resourceType,
      resourceId: r.resourceId,
      accountId: r.accountId,
      region: r.region,
    };
    out.set(resourceKey(resource), resource);
  }
  return out;
}

function diffResources(before: readonly ResultJson[], after: readonly ResultJson[]): ReportDiff['resources'] {
  const was = resourcesOf(before);
  const now = resourcesOf(after);
  const sorted = (m: Map<string, ResourceChange>, other: Map<string, ResourceChange>): ResourceChange[] =>
    [...m]
      .filter(([k]) => !other.has(k))
      .sort(([a], [b]) => compareText(a, b))
      .map(([, r]) => r);
  return { added: sorted(now, was), removed: sorted(was, now) };
}

/**
 * True when something got worse at or above `failOn`: an instance newly broken, a result newly failing, or a
 * root cause that appeared or grew. A result that could not be evaluated (ERROR) counts whatever the severity,
 * as it does for scan.
 */
export function isWorse(diff: ReportDiff, failOn: Severity | 'none'): boolean {
  if (failOn === 'none') return false;
  const threshold = SEVERITIES.indexOf(failOn);
  const counts = (severity: Severity | undefined): boolean =>
    severity === undefined || SEVERITIES.indexOf(severity) >= threshold;
  return (
    diff.instances.newlyBroken.some((i) => counts(i.after?.severity)) ||
    diff.results.newlyFailing.some((r) => r.after === 'ERROR' || counts(r.severity)) ||
    [...diff.rootCauses.appeared, ...diff.rootCauses.grew].some(
      (c) =>
        c.kind === 'error' ||
        ((c.kind === 'readiness' || c.kind === 'patching' || c.kind === 'finding') && counts(c.severity)),
    )
  );
}
