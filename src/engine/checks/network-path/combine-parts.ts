// Turns the outcomes of the parts of a destination set into one answer: every part works → open; every part
// fails → broken; otherwise unverifiable, naming the parts that disagree (which part holds the endpoints is not
// known offline). Also intersects the part lists of successive hops.

import type { Evidence } from '../../types.js';
import { intersectSets, mergeSet } from './address-set.js';
import type { Cidr } from './cidr.js';
import type { PartOutcome } from './devices.js';
import { broken, chain, open, unverifiable, type HopStep, type PathOutcome } from './path-outcome.js';
import { describeParts } from './route-partition.js';

/** What an outcome says, as a key: outcomes with the same signature are the same answer. */
export function outcomeSignature(outcome: PathOutcome): string {
  if (outcome.kind === 'open') return `open|${outcome.via}`;
  if (outcome.kind === 'broken') return `broken|${outcome.reason}|${outcome.cause.resourceId ?? ''}`;
  return `unverifiable|${outcome.resourceId}|${outcome.detail}`;
}

/** Joins parts whose outcomes say the same thing, keeping the first outcome of each. */
export function groupParts(legs: readonly PartOutcome[]): PartOutcome[] {
  const groups = new Map<string, { parts: Cidr[]; outcome: PathOutcome }>();
  for (const leg of legs) {
    const key = outcomeSignature(leg.outcome);
    const group = groups.get(key);
    if (group) group.parts.push(...leg.parts);
    else groups.set(key, { parts: [...leg.parts], outcome: leg.outcome });
  }
  return [...groups.values()].map((g) => ({ parts: mergeSet(g.parts), outcome: g.outcome }));
}

function dedupe(evidence: readonly Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((e) => {
    const key = JSON.stringify([e.path, e.resourceId, e.actual, e.expected, e.note]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function summary(leg: PartOutcome): string {
  const o = leg.outcome;
  const where = describeParts(leg.parts);
  if (o.kind === 'open') return `${where} works (through ${o.via})`;
  if (o.kind === 'broken') return `${where} fails (${o.detail})`;
  return `${where} cannot be verified (${o.detail})`;
}

/**
 * One answer for the parts. `what` names the destination ("the public SSM endpoints") for the unverifiable text.
 */
export function combineParts(
  legs: readonly PartOutcome[],
  what: string,
  /** Why the parts cannot be told apart, for the unverifiable text. */
  unknown = 'which of them holds the endpoints is not known',
): PathOutcome {
  const grouped = groupParts(legs);
  // Each group's trail is the first of its parts' trails, shown for all of the group's addresses.
  const trails = grouped.flatMap((g) =>
    (g.outcome.trails ?? []).slice(0, 1).map((t) => {
      const parts = describeParts(g.parts);
      // The internet leg reaches the endpoints' own addresses: the group's, not the route's block.
      return { parts, steps: t.steps.map((step) => (step.hop === 'internet' ? { ...step, parts } : step)) };
    }),
  );
  const withTrails = (o: PathOutcome): PathOutcome => (trails.length > 0 ? { ...o, trails } : o);
  if (grouped.length === 1) return withTrails(grouped[0]!.outcome);
  const evidence = dedupe(
    grouped.flatMap((g) => [
      ...g.outcome.evidence,
      { path: 'networkPath.parts', actual: describeParts(g.parts, 6), note: summary(g).slice(0, 240) },
    ]),
  );
  if (grouped.every((g) => g.outcome.kind === 'open')) {
    const vias = [...new Set(grouped.map((g) => (g.outcome.kind === 'open' ? g.outcome.via : '')))];
    return withTrails(open(vias.join(' or '), evidence));
  }
  if (grouped.every((g) => g.outcome.kind === 'broken')) {
    const first = grouped[0]!.outcome;
    if (first.kind !== 'broken') throw new Error('unreachable');
    const others = grouped.slice(1).map(summary);
    const more = others.length > 2 ? `; and ${others.length - 2} more` : '';
    return withTrails(
      broken(
        first.reason,
        `${first.detail} (for ${describeParts(grouped[0]!.parts)}; ${others.slice(0, 2).join('; ')}${more})`,
        first.cause,
        evidence,
        first.remediation,
      ),
    );
  }
  const culprit = grouped.find((g) => g.outcome.kind !== 'open')!.outcome;
  const resourceId =
    culprit.kind === 'broken'
      ? (culprit.cause.resourceId ?? '')
      : culprit.kind === 'unverifiable'
        ? culprit.resourceId
        : '';
  return withTrails(
    unverifiable(
      `the addresses ${what} may have are not all handled alike: ${grouped.map(summary).join('; ')}; ${unknown}`,
      resourceId,
      evidence,
    ),
  );
}

/** A hop's decisions over a destination set; `whole` when one decision covers all of it. */
export interface HopParts {
  legs: PartOutcome[];
  /** The hop as explain shows it, for one of its decisions (and the addresses it was taken for). */
  steps?: (outcome: PathOutcome, parts: string) => HopStep[];
}

function meet(a: readonly Cidr[], aWhole: boolean, b: readonly Cidr[], bWhole: boolean): Cidr[] {
  if (aWhole) return [...b];
  if (bWhole) return [...a];
  return intersectSets(a, b);
}

/**
 * Chains hops over a destination set: each combination of one decision per hop that shares addresses becomes
 * one part, whose outcome is the chain of those decisions (first broken hop decides).
 */
export function chainParts(via: string, hops: readonly HopParts[]): PartOutcome[] {
  interface Combo {
    parts: Cidr[];
    whole: boolean;
    outcomes: PathOutcome[];
    steps: HopStep[];
    /** The parts of the first hop's decision: the combination's addresses while every hop is whole. */
    first: readonly Cidr[] | undefined;
  }
  let combos: Combo[] = [{ parts: [], whole: true, outcomes: [], steps: [], first: undefined }];
  for (const hop of hops) {
    const single = hop.legs.length === 1;
    const next: Combo[] = [];
    for (const combo of combos) {
      for (const leg of hop.legs) {
        const parts = meet(combo.parts, combo.whole, leg.parts, single);
        if (!(combo.whole && single) && parts.length === 0) continue;
        next.push({
          parts,
          whole: combo.whole && single,
          outcomes: [...combo.outcomes, leg.outcome],
          steps: [...combo.steps, ...(hop.steps?.(leg.outcome, describeParts(leg.parts)) ?? [])],
          first: combo.first ?? leg.parts,
        });
      }
    }
    combos = next;
  }
  return combos.map((c) => {
    // The route's device names the path ("NAT gateway nat-…"); the later hops only filter.
    const first = c.outcomes[0];
    const name = first?.kind === 'open' ? first.via : via;
    const parts = c.whole ? [...(c.first ?? [])] : c.parts;
    const outcome = chain(
      name,
      c.outcomes.map((o) => () => o),
    );
    return {
      parts,
      outcome:
        c.steps.length > 0
          ? { ...outcome, trails: [{ parts: describeParts(parts), steps: c.steps }] }
          : outcome,
    };
  });
}
