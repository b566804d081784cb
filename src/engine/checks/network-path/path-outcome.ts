// The outcome of following one network path (one hop, one leg, one service): open, broken or unverifiable.

import type { CauseRef, Evidence, Remediation } from '../../types.js';

/** Reason codes of `ec2-instance-network-path-to-ssm`; each names the link of the path that is broken. */
export const NET_REASONS = [
  'NET.NO_ROUTE',
  'NET.BLACKHOLE_ROUTE',
  'NET.NO_PUBLIC_IP',
  'NET.NO_SSM_ENDPOINT',
  'NET.NO_SSMMESSAGES_ENDPOINT',
  'NET.NO_EC2MESSAGES_ENDPOINT',
  'NET.ENDPOINT_NOT_AVAILABLE',
  'NET.PRIVATE_DNS_OFF',
  'NET.VPC_DNS_OFF',
  'NET.ENDPOINT_SG_BLOCKS',
  'NET.EGRESS_BLOCKS',
  'NET.NACL_BLOCKS',
  'NET.GATEWAY_NOT_ATTACHED',
  'NET.NAT_NOT_AVAILABLE',
  'NET.NAT_PRIVATE',
  'NET.NAT_INSTANCE_DOWN',
  'NET.NAT_INSTANCE_SOURCE_DEST_CHECK',
  'NET.DNS64_OFF',
  'NET.ENDPOINT_IP_TYPE',
] as const;

export type NetReason = (typeof NET_REASONS)[number];

/** The hops of a path in the order explain shows them (the order traffic meets them). */
export const HOP_ORDER = [
  'instance',
  'sg-egress',
  'nacl-out',
  'route',
  'device',
  'dns64',
  'endpoint-sg',
  'endpoint-nacl',
  'internet',
  'nacl-return',
] as const;

export type HopKind = (typeof HOP_ORDER)[number];

/** One hop as explain shows it: what decided, for which destination addresses, and the answer. */
export interface HopStep {
  hop: HopKind;
  verdict: 'ok' | 'blocks' | 'unverifiable';
  /** The rule, route or device that decided (from the hop's own evidence), or why it blocks. */
  detail: string;
  resourceId?: string;
  /** The destination addresses the hop was judged for ("0.0.0.0/0", "the AMAZON ranges of us-east-1"). */
  parts: string;
}

/** The hops one part of the destinations went through (the part's addresses, then each hop). */
export interface PathTrail {
  parts: string;
  steps: HopStep[];
}

/** What every outcome may carry for explain: the hop-by-hop trail of the parts it stands for. */
interface Trailed {
  trails?: PathTrail[];
}

/** Traffic gets through this part of the path; `via` says how ("NAT gateway nat-…", "vpce-…"). */
export interface PathOpen extends Trailed {
  kind: 'open';
  via: string;
  evidence: Evidence[];
}

/** Traffic is stopped; `cause` is the resource that stops it, so instances blocked by it group together. */
export interface PathBroken extends Trailed {
  kind: 'broken';
  reason: NetReason;
  detail: string;
  cause: CauseRef;
  evidence: Evidence[];
  remediation?: Partial<Remediation>;
}

/**
 * The path leaves what this account's inventory shows (transit gateway, peering, VPN, an appliance, a prefix
 * list whose entries were not read): neither a pass nor a failure.
 */
export interface PathUnverifiable extends Trailed {
  kind: 'unverifiable';
  detail: string;
  resourceId: string;
  evidence: Evidence[];
}

export type PathOutcome = PathOpen | PathBroken | PathUnverifiable;

export function open(via: string, evidence: Evidence[] = []): PathOpen {
  return { kind: 'open', via, evidence };
}

export function broken(
  reason: NetReason,
  detail: string,
  cause: CauseRef,
  evidence: Evidence[] = [],
  remediation?: Partial<Remediation>,
): PathBroken {
  return { kind: 'broken', reason, detail, cause, evidence, ...(remediation ? { remediation } : {}) };
}

export function unverifiable(
  detail: string,
  resourceId: string,
  evidence: Evidence[] = [],
): PathUnverifiable {
  return { kind: 'unverifiable', detail, resourceId, evidence };
}

/**
 * Follows hops in order: the first broken hop decides; an unverifiable hop is remembered but later hops are
 * still checked, because a local block (SG, NACL) is a definite failure even when the route leaves the account.
 */
/** The verdict of a hop's outcome, as a trail step says it. */
export function verdictOf(outcome: PathOutcome): HopStep['verdict'] {
  return outcome.kind === 'open' ? 'ok' : outcome.kind === 'broken' ? 'blocks' : 'unverifiable';
}

export function chain(via: string, hops: readonly (() => PathOutcome)[]): PathOutcome {
  const evidence: Evidence[] = [];
  let pending: PathUnverifiable | undefined;
  for (const hop of hops) {
    const outcome = hop();
    if (outcome.kind === 'broken') return { ...outcome, evidence: [...evidence, ...outcome.evidence] };
    if (outcome.kind === 'unverifiable') pending ??= outcome;
    evidence.push(...outcome.evidence);
  }
  return pending ? { ...pending, evidence } : open(via, evidence);
}
