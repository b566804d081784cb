// Reads a region's patch baselines: every baseline listed (DescribePatchBaselines, unfiltered), then what each
// baseline in use approves (GetPatchBaseline), one call per baseline a patch group uses and per OS default.

import { GetPatchBaselineCommand, paginateDescribePatchBaselines, type SSMClient } from '@aws-sdk/client-ssm';
import type { ApiFailure, ApiResponseKind } from '../api/api-data.js';
import { baselineKey } from '../../inventory/patch-baseline-id.js';
import { type PageFold, tapPages } from './page-fold.js';
import { type CollectOptions, dependentFailure, perCall, readKind } from './read-kind.js';

// PatchBaselineMaxResults: 1..100 (SSM model 2014-11-06).
export const PATCH_BASELINE_PAGE_SIZE = 100;

export interface PatchBaselineReads<R> {
  DescribePatchBaselines?: R;
  GetPatchBaseline?: R[];
}

/**
 * Reads the baselines of a region. Unfiltered, DescribePatchBaselines lists AWS's predefined baselines with the
 * account's own, and marks each OS's default: a patch group with no baseline for a node's OS falls back to it
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-patch-groups.html). GetPatchBaseline
 * is called only for the baselines that decide what an instance gets: those the patch groups name
 * (`groupBaselineIds`, undefined when DescribePatchGroups failed) and the defaults. A failed GetPatchBaseline is a
 * failure of that baseline alone.
 */
export async function readPatchBaselines<R>(
  fold: PageFold<R>,
  client: SSMClient,
  region: string,
  groupBaselineIds: Promise<readonly string[] | undefined>,
  failures: ApiFailure[],
  options: CollectOptions,
): Promise<PatchBaselineReads<R>> {
  const defaults: string[] = [];
  const listed = await readKind('ssm:DescribePatchBaselines', region, failures, options, () =>
    fold.pages(
      'ssm:DescribePatchBaselines',
      ['BaselineIdentities'],
      tapPages(paginateDescribePatchBaselines({ client, pageSize: PATCH_BASELINE_PAGE_SIZE }, {}), (page) => {
        for (const baseline of page.BaselineIdentities ?? [])
          if (baseline.DefaultBaseline === true && typeof baseline.BaselineId === 'string')
            defaults.push(baseline.BaselineId);
      }),
    ),
  );
  const out: PatchBaselineReads<R> = listed === undefined ? {} : { DescribePatchBaselines: listed };
  const kind: ApiResponseKind = 'ssm:GetPatchBaseline';
  if (options.only !== undefined && !options.only.has(kind)) return out;
  const groupIds = await groupBaselineIds;
  if (groupIds === undefined) {
    // Which baselines are in use is unknown: what they approve cannot be said for any.
    const groupFailure = failures.find((f) => f.kind === 'ssm:DescribePatchGroups');
    if (groupFailure) failures.push(dependentFailure(kind, groupFailure));
    return out;
  }
  out.GetPatchBaseline = await perCall(
    inUse(groupIds, defaults),
    kind,
    region,
    failures,
    options,
    baselineKey,
    async (BaselineId) => fold.single(kind, await client.send(new GetPatchBaselineCommand({ BaselineId }))),
  );
  return out;
}

/** The baselines in use, one id per baseline (as first named: ARN or pb- id, both of which GetPatchBaseline takes). */
function inUse(groupIds: readonly string[], defaults: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const id of [...groupIds, ...defaults])
    if (!byKey.has(baselineKey(id))) byKey.set(baselineKey(id), id);
  return [...byKey.values()];
}
