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

/** Traffic gets through this part of the path; `via` says how ("NAT gateway nat-…", "vpce-…"). */
export interface PathOpen {
  kind: 'open';
  via: string;
  evidence: Evidence[];
}

/** Traffic is stopped; `cause` is the resource that stops it, so instances blocked by it group together. */
export interface PathBroken {
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
export interface PathUnverifiable {
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
