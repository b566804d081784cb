// One instance's readiness chain, built result by result: each link's verdict (the most pressing status of its
// rules), the first broken readiness link (the instance's root cause), the first waived one, and whether the
// instance is ready (chainReadiness: the one place every format and `explain` take that answer from).

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
  /** The first readiness link a waiver covers: broken all the same, the risk accepted. */
  firstWaived?: { link: string; ruleId: string };
  /** What the chain adds up to (JSON reports written before this field lack it: see chainReadiness). */
  readiness: ChainReadiness;
}

/**
 * `ready`: every readiness link holds. `broken`: a readiness link is NON_COMPLIANT. `waived`: no open break, but a
 * waiver covers a broken readiness link (a waived link is still broken: the instance is not ready). `unevaluated`:
 * a readiness link could not be evaluated (ERROR: not known to hold).
 */
export type ChainReadiness = 'ready' | 'broken' | 'waived' | 'unevaluated';

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
  /** The earliest waived readiness result. */
  firstWaived?: ReportResult;
  firstWaivedIndex: number;
  /** A readiness result could not be evaluated (ERROR). */
  readinessError: boolean;
  /** The earliest failing patching result: the instance's cause when its readiness chain holds. */
  firstPatchBroken?: ReportResult;
  firstPatchBrokenIndex: number;
  /** The earliest patching link that could not be evaluated: a later broken link may be its symptom. */
  firstPatchErrorIndex: number;
}

export const newChainRecord = (layout: ChainLayout): ChainRecord => ({
  links: new Array<ReportStatus | undefined>(layout.links.length),
  firstBrokenIndex: Number.MAX_SAFE_INTEGER,
  firstWaivedIndex: Number.MAX_SAFE_INTEGER,
  readinessError: false,
  firstPatchBrokenIndex: Number.MAX_SAFE_INTEGER,
  firstPatchErrorIndex: Number.MAX_SAFE_INTEGER,
});

/** True when `result` at `linkIndex` comes before the current first (`first` at `firstIndex`) in chain order. */
const isEarlier = (
  linkIndex: number,
  result: ReportResult,
  firstIndex: number,
  first: ReportResult | undefined,
): boolean =>
  first === undefined ||
  linkIndex < firstIndex ||
  (linkIndex === firstIndex && compareText(result.ruleId, first.ruleId) < 0);

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
  if (layout.isPatching(linkIndex)) {
    if (result.status === 'ERROR')
      record.firstPatchErrorIndex = Math.min(record.firstPatchErrorIndex, linkIndex);
    if (
      result.status === 'NON_COMPLIANT' &&
      isEarlier(linkIndex, result, record.firstPatchBrokenIndex, record.firstPatchBroken)
    ) {
      record.firstPatchBroken = result;
      record.firstPatchBrokenIndex = linkIndex;
    }
    return;
  }
  if (!layout.isReadiness(linkIndex)) return;
  if (result.status === 'ERROR') record.readinessError = true;
  else if (result.status === 'NON_COMPLIANT') {
    if (isEarlier(linkIndex, result, record.firstBrokenIndex, record.firstBroken)) {
      record.firstBroken = result;
      record.firstBrokenIndex = linkIndex;
    }
  } else if (result.status === 'WAIVED') {
    if (isEarlier(linkIndex, result, record.firstWaivedIndex, record.firstWaived)) {
      record.firstWaived = result;
      record.firstWaivedIndex = linkIndex;
    }
  }
}

/** An open break outranks an accepted one, and a known (waived) break outranks a link nobody could read. */
function readinessOf(record: ChainRecord): ChainReadiness {
  if (record.firstBroken !== undefined) return 'broken';
  if (record.firstWaived !== undefined) return 'waived';
  return record.readinessError ? 'unevaluated' : 'ready';
}

/**
 * The chain's readiness, as every report format and `explain` state it. A chain read from a report written before
 * `readiness` existed is judged from its links: a broken, waived or unevaluated readiness link is not ready.
 */
export function chainReadiness(
  chain: Pick<InstanceChain, 'links' | 'firstBroken'> & { readiness?: ChainReadiness },
  layout: Pick<ChainLayout, 'isReadinessLink'>,
): ChainReadiness {
  if (chain.readiness !== undefined) return chain.readiness;
  if (chain.firstBroken !== undefined) return 'broken';
  const readiness = chain.links.filter((l) => layout.isReadinessLink(l.link));
  if (readiness.some((l) => l.status === 'WAIVED')) return 'waived';
  return readiness.some((l) => l.status === 'ERROR') ? 'unevaluated' : 'ready';
}

/**
 * Ready: every readiness link holds; none broken, none waived (a waived link is still broken) and none that could
 * not be evaluated. The report's ready counts and `explain`'s verdict both come from here.
 */
export function isChainReady(chain: InstanceChain, layout: ChainLayout): boolean {
  return chainReadiness(chain, layout) === 'ready';
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
  const waived = record.firstWaived;
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
    ...(waived
      ? { firstWaived: { link: layout.links[record.firstWaivedIndex]!, ruleId: waived.ruleId } }
      : {}),
    readiness: readinessOf(record),
  };
}
