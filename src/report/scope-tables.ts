// Counts by account, by account+region (all results) and by VPC (instance results only).

import { compareText } from '../compare-text.js';
import { UNKNOWN_VPC, type Report, type ScopeSummary } from './report-model.js';
import { emptyCounts } from './report-result.js';

export interface ScopeTables {
  accounts: Map<string, ScopeSummary>;
  regions: Map<string, ScopeSummary>;
  vpcs: Map<string, ScopeSummary>;
}

export const newScopeTables = (): ScopeTables => ({
  accounts: new Map(),
  regions: new Map(),
  vpcs: new Map(),
});

function scopeEntry(
  table: Map<string, ScopeSummary>,
  key: string,
  make: () => Omit<ScopeSummary, 'instances' | 'readyInstances' | 'counts'>,
): ScopeSummary {
  let s = table.get(key);
  if (!s) table.set(key, (s = { ...make(), instances: 0, readyInstances: 0, counts: emptyCounts() }));
  return s;
}

export const accountScope = (t: ScopeTables, accountId: string): ScopeSummary =>
  scopeEntry(t.accounts, accountId, () => ({ accountId }));
export const regionScope = (t: ScopeTables, accountId: string, region: string): ScopeSummary =>
  scopeEntry(t.regions, `${accountId}|${region}`, () => ({ accountId, region }));

/** The account, region and VPC summaries an instance counts in. */
export function instanceScopes(
  t: ScopeTables,
  accountId: string,
  region: string,
  vpcId: string | undefined,
): ScopeSummary[] {
  const vpc = vpcId ?? UNKNOWN_VPC;
  return [
    accountScope(t, accountId),
    regionScope(t, accountId, region),
    scopeEntry(t.vpcs, `${accountId}|${region}|${vpc}`, () => ({ accountId, region, vpcId: vpc })),
  ];
}

/** Adds one instance to the instance and ready-instance counts of its scopes. */
export function countInstance(scopes: readonly ScopeSummary[], ready: boolean): void {
  for (const scope of scopes) {
    scope.instances += 1;
    if (ready) scope.readyInstances += 1;
  }
}

/** Each table sorted by its key. */
export function sortedScopes(t: ScopeTables): Report['scopes'] {
  const sorted = (table: Map<string, ScopeSummary>): ScopeSummary[] =>
    [...table].sort(([a], [b]) => compareText(a, b)).map(([, x]) => x);
  return { accounts: sorted(t.accounts), regions: sorted(t.regions), vpcs: sorted(t.vpcs) };
}
