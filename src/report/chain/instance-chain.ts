// One instance's readiness chain, built result by result: each link's verdict (the most pressing status of its
// rules), the first broken readiness link (the instance's root cause) and whether the instance is ready.

import { compareText } from '../../compare-text.js';
import type { ReportResult, ReportStatus } from '../report-result.js';
import type { ChainLayout } from './chain-layout.js';

/** The verdict of one link of an instance's readiness chain: the most pressing status of that link's rules. */
export interface ChainLink {
  link: string;
  status: ReportStatus;
}

/** One instance's readiness chain, links in chain order (links with no rules left out). */
export interface InstanceChain {
  instanceId: string;
  accountId: string;
  region: string;
  vpcId?: string;
  name?: string;
  links: ChainLink[];
  /** The first NON_COMPLIANT readiness link: the instance's root cause. */
  firstBroken?: { link: string; ruleId: string };
}

const LINK_STATUS_RANK: Record<ReportStatus, number> = {
  NON_COMPLIANT: 4,
  ERROR: 3,
  WAIVED: 2,
  COMPLIANT: 1,
  NOT_APPLICABLE: 0,
};

/** The chain while its instance's results arrive; `toInstanceChain` turns it into the reported shape. */
export interface ChainRecord {
  /** Link verdicts, indexed like `ChainLayout.links`. */
  links: (ReportStatus | undefined)[];
  /** The earliest failing readiness result: later failures (e.g. Connection Lost) are its symptoms. */
  firstBroken?: ReportResult;
  firstBrokenIndex: number;
}

export const newChainRecord = (layout: ChainLayout): ChainRecord => ({
  links: new Array<ReportStatus | undefined>(layout.links.length),
  firstBrokenIndex: Number.MAX_SAFE_INTEGER,
});

/** Counts one result of the instance in the link at `linkIndex` (see ChainLayout.linkIndexOf). */
export function recordChainResult(
  record: ChainRecord,
  layout: ChainLayout,
  linkIndex: number,
  result: ReportResult,
): void {
  const current = record.links[linkIndex];
  if (current === undefined || LINK_STATUS_RANK[result.status] > LINK_STATUS_RANK[current])
    record.links[linkIndex] = result.status;
  if (result.status !== 'NON_COMPLIANT' || !layout.isReadiness(linkIndex)) return;
  const first = record.firstBroken;
  if (
    first === undefined ||
    linkIndex < record.firstBrokenIndex ||
    (linkIndex === record.firstBrokenIndex && compareText(result.ruleId, first.ruleId) < 0)
  ) {
    record.firstBroken = result;
    record.firstBrokenIndex = linkIndex;
  }
}

/**
 * Ready: no readiness link broken, and none that could not be evaluated (ERROR: not broken, but not known to
 * hold). The report's ready counts and `explain`'s verdict both come from here.
 */
export function isChainReady(chain: InstanceChain, layout: ChainLayout): boolean {
  if (chain.firstBroken !== undefined) return false;
  return !chain.links.some((l) => l.status === 'ERROR' && layout.isReadinessLink(l.link));
}

export function toInstanceChain(
  record: ChainRecord,
  layout: ChainLayout,
  instance: { instanceId: string; accountId: string; region: string; vpcId?: string; name?: string },
): InstanceChain {
  const links: ChainLink[] = [];
  record.links.forEach((status, i) => {
    if (status !== undefined) links.push({ link: layout.links[i]!, status });
  });
  const broken = record.firstBroken;
  return {
    instanceId: instance.instanceId,
    accountId: instance.accountId,
    region: instance.region,
    ...(instance.vpcId !== undefined ? { vpcId: instance.vpcId } : {}),
    ...(instance.name !== undefined ? { name: instance.name } : {}),
    links,
    ...(broken
      ? { firstBroken: { link: layout.links[record.firstBrokenIndex]!, ruleId: broken.ruleId } }
      : {}),
  };
}
