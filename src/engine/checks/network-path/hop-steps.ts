// The hops of a path as `explain` shows them, read off each hop's own outcome and evidence (no second
// evaluation): route and device, security-group egress, NACL out and return, DNS64, the endpoint's group.

import type { Evidence } from '../../types.js';
import { verdictOf, type HopKind, type HopStep, type PathOutcome } from './path-outcome.js';

const ROUTE_REASONS = new Set(['NET.NO_ROUTE', 'NET.BLACKHOLE_ROUTE']);

function text(e: Evidence | undefined): string | undefined {
  if (e?.actual === undefined) return undefined;
  return typeof e.actual === 'string' ? e.actual : JSON.stringify(e.actual);
}

function why(outcome: PathOutcome, decided: Evidence | undefined): string {
  return outcome.kind === 'open' ? (text(decided) ?? outcome.via) : outcome.detail;
}

function step(hop: HopKind, outcome: PathOutcome, parts: string, decided?: Evidence): HopStep {
  const resourceId =
    decided?.resourceId ??
    (outcome.kind === 'broken'
      ? outcome.cause.resourceId
      : outcome.kind === 'unverifiable'
        ? outcome.resourceId
        : undefined);
  return {
    hop,
    verdict: verdictOf(outcome),
    detail: why(outcome, decided),
    ...(resourceId ? { resourceId } : {}),
    parts,
  };
}

/**
 * The instance's route and the device it leads to (for the internet path, then the internet itself). A route
 * break names the route; anything else the route passed and the device (or what lies behind it) decided.
 */
export function routeDeviceSteps(routeTableId: string, toInternet: boolean, device?: string) {
  return (outcome: PathOutcome, parts: string): HopStep[] => {
    const route = outcome.evidence.find(
      (e) => e.path === 'routeTable.routes' && e.resourceId === routeTableId,
    );
    const routeBreak =
      outcome.kind === 'broken' &&
      ROUTE_REASONS.has(outcome.reason) &&
      outcome.cause.resourceId === routeTableId;
    if (routeBreak) return [step('route', outcome, parts, route)];
    const steps: HopStep[] = [
      {
        hop: 'route',
        verdict: 'ok',
        detail: text(route) ?? 'a route',
        resourceId: routeTableId,
        parts,
      },
      outcome.kind === 'open' && device !== undefined
        ? { hop: 'device', verdict: 'ok', detail: device, parts }
        : step('device', outcome, parts),
    ];
    if (toInternet && outcome.kind === 'open')
      steps.push({ hop: 'internet', verdict: 'ok', detail: 'the public SSM endpoints', parts });
    return steps;
  };
}

/** A hop that is one decision: the instance's security-group egress, the endpoint's group ingress, DNS64. */
export function singleStep(hop: HopKind, evidencePath: string) {
  return (outcome: PathOutcome, parts: string): HopStep[] => [
    step(
      hop,
      outcome,
      parts,
      outcome.evidence.find((e) => e.path === evidencePath),
    ),
  ];
}

/**
 * A NACL's two legs (NACLs are stateless): on the instance's subnet the request leaves (egress entries) and the
 * reply comes back (ingress); on the endpoint's subnet the other way round. A leg that blocks ends the hop.
 */
export function naclSteps(requestLeaves: boolean) {
  const request = requestLeaves ? 'networkAcl.entries[egress]' : 'networkAcl.entries[ingress]';
  const reply = requestLeaves ? 'networkAcl.entries[ingress]' : 'networkAcl.entries[egress]';
  const [requestHop, replyHop]: [HopKind, HopKind] = requestLeaves
    ? ['nacl-out', 'nacl-return']
    : ['endpoint-nacl', 'endpoint-nacl'];
  return (outcome: PathOutcome, parts: string): HopStep[] => {
    if (outcome.kind === 'open' && !outcome.evidence.some((e) => e.path === request))
      return [{ hop: requestHop, verdict: 'ok', detail: outcome.via, parts }];
    const requestEvidence = outcome.evidence.find((e) => e.path === request);
    const replyEvidence = outcome.evidence.find((e) => e.path === reply);
    if (outcome.kind !== 'open' && requestEvidence)
      return [step(requestHop, outcome, parts, requestEvidence)];
    const requestStep: HopStep = {
      hop: requestHop,
      verdict: 'ok',
      detail: `${requestLeaves ? 'outbound TCP 443' : 'inbound TCP 443'} ${text(requestEvidence) ?? 'allowed'}`,
      ...(requestEvidence?.resourceId ? { resourceId: requestEvidence.resourceId } : {}),
      parts,
    };
    const replyStep = step(replyHop, outcome, parts, replyEvidence);
    return [
      requestStep,
      outcome.kind === 'open' ? { ...replyStep, detail: `return traffic ${replyStep.detail}` } : replyStep,
    ];
  };
}
