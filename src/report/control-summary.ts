// The report's controls: for each control of the policy's frameworks, pass / fail / not evaluated from the results of
// the rules that evidence it (policies/controls/), with the resources at fault; and which controls one result
// counts against, for the per-finding formats (SARIF, OCSF, CSV, JUnit).

import { compareText } from '../compare-text.js';
import type { Evidence } from '../engine/types.js';
import {
  isFullEvidence,
  type ControlEvidence,
  type ControlFramework,
  type EvidenceKind,
} from '../policy/control-mappings.js';
import type { ReportResult } from './report-result.js';

export type ControlStatus = 'pass' | 'fail' | 'not evaluated';

/** A control a rule is evidence for, as the rule's summary lists it. */
export interface ControlRef {
  framework: string;
  controlId: string;
  /** `full` only when the rule also ran with the parameters the mapping needs (see isFullEvidence). */
  evidence: EvidenceKind;
  /** A failure of the rule counts against the control only when one of its evidence items has these facts. */
  facts?: Record<string, (string | number)[]>;
}

export interface ControlSummary {
  framework: string;
  frameworkTitle: string;
  frameworkVersion: string;
  controlId: string;
  title: string;
  /**
   * `fail`: a mapped rule found a resource at fault. `not evaluated`: no mapped rule ran, one could not evaluate a
   * resource (ERROR), only rules that can show failures ran, or every result was NOT_APPLICABLE. `pass`: otherwise;
   * waived failures do not fail it and are listed.
   */
  status: ControlStatus;
  /** Why the control has its status, in one line. */
  statusDetail: string;
  /** The mapped rules that ran, with why each is evidence. */
  rules: { ruleId: string; rationale: string; evidence: EvidenceKind }[];
  /** Mapped rules the policy did not run. */
  notRun?: string[];
  /** Resources at fault, sorted. */
  failing: string[];
  /** Resources a mapped rule could not evaluate and none found at fault, sorted. */
  unevaluated: string[];
  /** Resources whose only failures for this control are waived, sorted. */
  waived: string[];
  /** Resources shown to meet the control (by a rule that is full evidence), not counted above. */
  passing: number;
}

/** True when some evidence item of a failure has, for every fact the mapping names, one of the values listed. */
function hasFacts(
  evidence: readonly Evidence[],
  facts: Readonly<Record<string, readonly (string | number)[]>>,
): boolean {
  return evidence.some((e) =>
    Object.entries(facts).every(([name, values]) => {
      const value = e.facts?.[name];
      return value !== undefined && values.includes(value);
    }),
  );
}

/** True when a NON_COMPLIANT or WAIVED result counts against the control `ref` names (its facts, when given, hold). */
export function countsAgainst(result: ReportResult, ref: Pick<ControlRef, 'facts'>): boolean {
  if (result.status !== 'NON_COMPLIANT' && result.status !== 'WAIVED') return false;
  return ref.facts === undefined || hasFacts(result.evidence, ref.facts);
}

/** The controls (of the rule's refs) a NON_COMPLIANT or WAIVED result counts against, as "framework control". */
export function controlsAgainst(result: ReportResult, refs: readonly ControlRef[] | undefined): ControlRef[] {
  return (refs ?? []).filter((ref) => countsAgainst(result, ref));
}

/** Per rule: the controls it is evidence for, with the kind of evidence its parameters make it. */
export function controlRefsByRule(
  frameworks: readonly ControlFramework[],
  paramsByRule: ReadonlyMap<string, Readonly<Record<string, unknown>>>,
): Map<string, ControlRef[]> {
  const refs = new Map<string, ControlRef[]>();
  for (const f of frameworks)
    for (const c of f.controls)
      for (const e of c.rules) {
        const params = paramsByRule.get(e.ruleId);
        if (!params) continue;
        let list = refs.get(e.ruleId);
        if (!list) refs.set(e.ruleId, (list = []));
        list.push({
          framework: f.id,
          controlId: c.id,
          evidence: isFullEvidence(e, params) ? 'full' : 'failures',
          ...(e.facts ? { facts: e.facts } : {}),
        });
      }
  return refs;
}

/** One control while results arrive: the resources in each state. */
interface ControlTally {
  failing: Set<string>;
  unevaluated: Set<string>;
  waived: Set<string>;
  passing: Set<string>;
  fullRan: boolean;
  results: number;
}

interface Entry {
  tally: ControlTally;
  full: boolean;
  facts?: ControlEvidence['facts'];
}

function record(entry: Entry, r: ReportResult): void {
  const t = entry.tally;
  if (r.status === 'NOT_APPLICABLE') return;
  t.results += 1;
  if (r.status === 'ERROR') t.unevaluated.add(r.resourceId);
  else if (r.status === 'COMPLIANT' || !countsAgainst(r, entry)) {
    // A failure without the facts this control is about shows the rule checked them and found none.
    if (entry.full) t.passing.add(r.resourceId);
  } else if (r.status === 'WAIVED') t.waived.add(r.resourceId);
  else t.failing.add(r.resourceId);
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function statusOf(
  t: ControlTally,
  ran: readonly string[],
  reason: string | undefined,
): [ControlStatus, string] {
  const unevaluated = [...t.unevaluated].filter((id) => !t.failing.has(id));
  if (t.failing.size > 0) return ['fail', `${plural(t.failing.size, 'resource')} at fault`];
  if (ran.length === 0) return ['not evaluated', reason ?? 'no rule of this policy evidences it'];
  if (unevaluated.length > 0)
    return ['not evaluated', `${plural(unevaluated.length, 'resource')} could not be evaluated`];
  if (t.results === 0) return ['not evaluated', 'every result of its rules was not applicable'];
  const passing = [...t.passing].filter((id) => !t.waived.has(id)).length;
  if (!t.fullRan || passing + t.waived.size === 0)
    return [
      'not evaluated',
      `only rules that can show failures ran (${ran.join(', ')}), ${t.waived.size > 0 ? 'and every failure is waived' : 'and none failed'}`,
    ];
  return ['pass', `${plural(passing, 'resource')} ${passing === 1 ? 'meets' : 'meet'} it`];
}

const sorted = (ids: Iterable<string>, ...without: ReadonlySet<string>[]): string[] =>
  [...ids].filter((id) => !without.some((s) => s.has(id))).sort(compareText);

/**
 * Summarises every control of `frameworks` over the report's results in one pass. `paramsByRule` holds the rules that
 * ran with their parameters (a mapped rule the policy left out is listed as not run).
 */
export function summariseControls(
  frameworks: readonly ControlFramework[],
  results: readonly ReportResult[],
  paramsByRule: ReadonlyMap<string, Readonly<Record<string, unknown>>>,
): ControlSummary[] {
  const entriesByRule = new Map<string, Entry[]>();
  const controls = frameworks.flatMap((f) =>
    f.controls.map((c) => {
      const tally: ControlTally = {
        failing: new Set(),
        unevaluated: new Set(),
        waived: new Set(),
        passing: new Set(),
        fullRan: false,
        results: 0,
      };
      const ran = c.rules.filter((e) => paramsByRule.has(e.ruleId));
      const kinds = ran.map((e) => (isFullEvidence(e, paramsByRule.get(e.ruleId)!) ? 'full' : 'failures'));
      ran.forEach((e, i) => {
        const full = kinds[i] === 'full';
        tally.fullRan ||= full;
        let list = entriesByRule.get(e.ruleId);
        if (!list) entriesByRule.set(e.ruleId, (list = []));
        list.push({ tally, full, ...(e.facts ? { facts: e.facts } : {}) });
      });
      return { f, c, ran, kinds, tally };
    }),
  );
  for (const r of results) for (const entry of entriesByRule.get(r.ruleId) ?? []) record(entry, r);
  return controls.map(({ f, c, ran, kinds, tally }) => {
    const [status, statusDetail] = statusOf(
      tally,
      ran.map((e) => e.ruleId),
      c.notEvidencedReason,
    );
    const notRun = c.rules.filter((e) => !paramsByRule.has(e.ruleId)).map((e) => e.ruleId);
    return {
      framework: f.id,
      frameworkTitle: f.title,
      frameworkVersion: f.version,
      controlId: c.id,
      title: c.title,
      status,
      statusDetail,
      rules: ran.map((e, i) => ({ ruleId: e.ruleId, rationale: e.rationale, evidence: kinds[i]! })),
      ...(notRun.length > 0 ? { notRun } : {}),
      failing: sorted(tally.failing),
      unevaluated: sorted(tally.unevaluated, tally.failing),
      waived: sorted(tally.waived, tally.failing, tally.unevaluated),
      passing: sorted(tally.passing, tally.failing, tally.unevaluated, tally.waived).length,
    };
  });
}

/** How formats name a control: "framework/control", e.g. "aws-fsbp/SSM.1". */
export const controlLabel = (c: { framework: string; controlId: string }): string =>
  `${c.framework}/${c.controlId}`;

/**
 * The controls one result is evidence for: those a failure (NON_COMPLIANT or WAIVED) counts against, those a pass
 * of a full-evidence rule shows holding, and every one an ERROR leaves unevaluated; none for NOT_APPLICABLE.
 */
export function resultControls(result: ReportResult, refs: readonly ControlRef[] | undefined): ControlRef[] {
  switch (result.status) {
    case 'NON_COMPLIANT':
    case 'WAIVED':
      return controlsAgainst(result, refs);
    case 'COMPLIANT':
      return (refs ?? []).filter((ref) => ref.evidence === 'full');
    case 'ERROR':
      return [...(refs ?? [])];
    case 'NOT_APPLICABLE':
      return [];
  }
}
