// Where an inventory holds no readable EC2 instance data: the one family every instance rule starts from.

import { CheckerError } from '../errors.js';
import { CoverageIndex, isGlobalFamily, type CoverageState } from './coverage.js';
import { GLOBAL_REGION, UNKNOWN_ACCOUNT, UNKNOWN_REGION, type Inventory, type Scope } from './model.js';

/** A scope (or, with `scope` absent, the whole input) whose instances were not read. */
export interface InstanceDataGap {
  scope?: Scope;
  state: Exclude<CoverageState, { status: 'read' }>;
}

/**
 * Rules give ERROR for data they need that was not read, but only for resources that exist: when the instances
 * themselves were not read, there is nothing to carry the ERROR, and the scan would look clean. So this finds
 * (1) an input without any readable `describe-instances` data, and (2) each account and region that other
 * regional data names but whose instances were not read (a region folder without its instances file, or with
 * one that could not be used) and that holds no instance to carry the ERROR. A region read with zero instances is
 * no gap.
 */
export function instanceDataGaps(inventory: Inventory): InstanceDataGap[] {
  const coverage = new CoverageIndex(inventory.coverage);
  const instances = inventory.coverage.filter((e) => e.family === 'ec2:instances');
  if (inventory.instances.length === 0 && !instances.some((e) => e.status === 'read')) {
    const failed = instances.find((e) => e.status === 'error' && e.error !== undefined);
    return [{ state: failed?.error ? { status: 'error', error: failed.error } : { status: 'missing' } }];
  }
  const withInstances = new Set(inventory.instances.map((i) => `${i.accountId}|${i.region}`));
  const gaps: InstanceDataGap[] = [];
  const seen = new Set<string>();
  for (const entry of inventory.coverage) {
    if (isGlobalFamily(entry.family) || entry.accountId === undefined || entry.region === undefined) continue;
    if ([UNKNOWN_ACCOUNT].includes(entry.accountId) || [UNKNOWN_REGION, GLOBAL_REGION].includes(entry.region))
      continue;
    const key = `${entry.accountId}|${entry.region}`;
    if (seen.has(key) || withInstances.has(key)) continue;
    seen.add(key);
    const scope = { accountId: entry.accountId, region: entry.region };
    const state = coverage.state('ec2:instances', scope);
    if (state.status !== 'read') gaps.push({ scope, state });
  }
  return gaps;
}

/** An input that holds no usable EC2 instance data (anywhere, or for some account and region it covers). */
export class NoInstanceDataError extends CheckerError {
  readonly code = 'INPUT_NO_INSTANCE_DATA';
  constructor(
    readonly gaps: readonly InstanceDataGap[],
    inventory: Inventory,
    readonly skipped: readonly { input: string; reason: string }[],
  ) {
    const read = [
      ...new Set(inventory.coverage.filter((e) => e.status === 'read').map((e) => e.family)),
    ].sort();
    super(describeGaps(gaps, inventory.source.inputs, skipped, read));
    this.name = 'NoInstanceDataError';
  }
}

function describeGaps(
  gaps: readonly InstanceDataGap[],
  inputs: readonly string[],
  skipped: readonly { input: string; reason: string }[],
  read: readonly string[],
): string {
  const why = (gap: InstanceDataGap): string =>
    gap.state.status === 'error'
      ? `it could not be used: ${gap.state.error.code}: ${gap.state.error.message}`
      : 'none was given';
  const lines: string[] = [];
  const whole = gaps.find((g) => g.scope === undefined);
  if (whole !== undefined) {
    lines.push(
      `no EC2 instance data in ${inputs.join(', ') || 'the input'}: looked for the output of 'aws ec2 describe-instances' (a JSON object with "Reservations"), an AWS Config snapshot or an ssmguard bundle, and ${why(whole)}`,
    );
  } else {
    lines.push('EC2 instance data is missing for part of the input:');
    for (const gap of gaps)
      lines.push(
        `  ${gap.scope!.accountId}/${gap.scope!.region}: other data names it, but no 'aws ec2 describe-instances' output was read for it (${why(gap)})`,
      );
  }
  if (whole !== undefined && read.length > 0) lines.push(`read instead: ${read.join(', ')}`);
  const shown = skipped.slice(0, 10);
  if (shown.length > 0) {
    lines.push(`skipped ${skipped.length} input${skipped.length === 1 ? '' : 's'}:`);
    for (const s of shown) lines.push(`  ${s.input}: ${s.reason}`);
    if (skipped.length > shown.length) lines.push(`  … and ${skipped.length - shown.length} more`);
  } else if (whole !== undefined && read.length === 0 && whole.state.status === 'missing') {
    lines.push('no input file was found');
  }
  return lines.join('\n');
}
