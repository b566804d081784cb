// The network path hop by hop, as the network-path rule recorded it in its evidence (`networkPath.hops`), read
// back for `ssmguard explain`: parsed from the report's unknown-typed evidence, never re-evaluated.

import type { Evidence } from '../engine/types.js';

/** One hop of one part of a path. */
export interface ExplainedHop {
  hop: string;
  verdict: 'ok' | 'blocks' | 'unverifiable';
  detail: string;
  resourceId?: string;
  /** The destination addresses the hop was judged for. */
  parts: string;
}

/** The path one or more services take, part of the destinations by part. */
export interface ExplainedPath {
  services: string[];
  /** How it gets through ("NAT gateway nat-…", "endpoint vpce-…"), or the reason code that stops it. */
  via: string;
  verdict: 'ok' | 'blocks' | 'unverifiable';
  trails: { parts: string; hops: ExplainedHop[] }[];
}

/** The evidence path the network-path rule records its hops under. */
export const HOPS_EVIDENCE_PATH = 'networkPath.hops';

const VERDICTS = new Set(['ok', 'blocks', 'unverifiable']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}

function parseHop(v: unknown): ExplainedHop | undefined {
  if (!isRecord(v) || !isString(v.hop) || !isString(v.detail) || !isString(v.parts)) return undefined;
  if (!isString(v.verdict) || !VERDICTS.has(v.verdict)) return undefined;
  if (v.resourceId !== undefined && !isString(v.resourceId)) return undefined;
  return {
    hop: v.hop,
    verdict: v.verdict as ExplainedHop['verdict'],
    detail: v.detail,
    ...(v.resourceId !== undefined ? { resourceId: v.resourceId } : {}),
    parts: v.parts,
  };
}

/** One recorded path, or undefined when the value is not one (a report from another version, a user rule). */
export function parseExplainedPath(v: unknown): ExplainedPath | undefined {
  if (!isRecord(v) || !Array.isArray(v.services) || !v.services.every(isString)) return undefined;
  if (!isString(v.via) || !isString(v.verdict) || !VERDICTS.has(v.verdict) || !Array.isArray(v.trails))
    return undefined;
  const trails: ExplainedPath['trails'] = [];
  for (const t of v.trails) {
    if (!isRecord(t) || !isString(t.parts) || !Array.isArray(t.steps)) return undefined;
    const hops = t.steps.map(parseHop);
    if (hops.some((h) => h === undefined)) return undefined;
    trails.push({ parts: t.parts, hops: hops as ExplainedHop[] });
  }
  return { services: v.services, via: v.via, verdict: v.verdict as ExplainedPath['verdict'], trails };
}

/** The paths recorded in a result's evidence. */
export function pathsOf(evidence: readonly Evidence[]): ExplainedPath[] {
  return evidence.flatMap((e) => {
    if (e.path !== HOPS_EVIDENCE_PATH) return [];
    const path = parseExplainedPath(e.actual);
    return path ? [path] : [];
  });
}

const HOP_LABELS: Record<string, string> = {
  instance: 'instance ENI',
  'sg-egress': 'SG egress',
  'nacl-out': 'NACL out',
  route: 'route',
  device: 'device',
  dns64: 'DNS64',
  'endpoint-sg': 'endpoint SG',
  'endpoint-nacl': 'endpoint NACL',
  internet: 'internet',
  'nacl-return': 'NACL return',
};

/** Text lines of the paths, for explain's terminal view (the caller indents and paints). */
export function pathLines(paths: readonly ExplainedPath[]): string[] {
  const lines: string[] = [];
  for (const path of paths) {
    lines.push(`${path.services.join(', ')}: ${path.verdict === 'ok' ? `via ${path.via}` : path.via}`);
    for (const trail of path.trails) {
      if (path.trails.length > 1) lines.push(`  for ${trail.parts}:`);
      for (const hop of trail.hops) {
        const label = (HOP_LABELS[hop.hop] ?? hop.hop).padEnd(13);
        const verdict = hop.verdict.toUpperCase().padEnd(12);
        const parts = hop.hop === 'instance' ? '' : `  [for ${hop.parts}]`;
        lines.push(`  ${label} ${verdict} ${hop.detail}${parts}`);
      }
    }
  }
  return lines;
}
