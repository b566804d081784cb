// How a live collector turns what one API read returned into its result: merged AWS-CLI JSON (the default,
// what collectFleet hands back) or whatever a caller folds the pages into as they arrive (the Lambda maps them).

import type { ApiFailure, ApiJson, ApiResponseKind, RegionApiData } from '../api/api-data.js';
import { toCliJson } from './to-cli-json.js';

/**
 * Folds the SDK outputs of one API kind into a result. The collectors own the calls, the concurrency and the
 * failures; the fold owns what is kept. A fold should keep no reference to a page it has folded, so each page
 * can be collected as soon as the next one is read.
 */
export interface PageFold<R> {
  /**
   * Consumes one paginated read of `kind`. `listKeys` name the lists each page carries (GAAD has several);
   * the pages still hold their pagination tokens, which the fold drops.
   */
  pages(kind: ApiResponseKind, listKeys: readonly string[], pages: AsyncIterable<object>): Promise<R>;
  /** One whole response (GetServiceSetting, one DescribeVpcAttribute call). */
  single(kind: ApiResponseKind, output: object): R;
}

/** RegionApiData's response properties, e.g. "DescribeInstances". */
export type RegionProperty = Exclude<keyof RegionApiData, 'accountId' | 'region'>;

/** Properties holding one response per VPC or window (the API takes one id per call). */
export type PerCallProperty =
  | 'DescribeVpcAttribute'
  | 'DescribeMaintenanceWindowTargets'
  | 'DescribeMaintenanceWindowTasks'
  | 'GetMaintenanceWindowTask'
  | 'GetPatchBaseline'
  | 'DescribeMaintenanceWindowExecutions'
  | 'DescribeMaintenanceWindowExecutionTasks'
  | 'DescribeMaintenanceWindowExecutionTaskInvocations';

/**
 * A region's kinds as a fold produced them (per-VPC and per-window kinds: one result per call, in call order)
 * and the kinds that failed. With the CLI-JSON fold this is `CollectedRegionData` without its scope.
 */
export type FoldedRegion<R> = { [P in RegionProperty]?: P extends PerCallProperty ? R[] : R } & {
  failures: ApiFailure[];
};

/** The default fold: each kind merged over its pages into the JSON the AWS CLI prints for it. */
export const CLI_JSON_FOLD: PageFold<ApiJson> = {
  pages: (_kind, listKeys, pages) => mergePages(pages, listKeys),
  single: (_kind, output) => toCliJson(output),
};

/**
 * Concatenates each list over all pages into one output without pagination tokens. A lone list is always
 * present (empty when no page had it); of several lists, those that some page carried.
 */
export async function mergePages<P extends object>(
  pages: AsyncIterable<P>,
  listKeys: readonly string[],
): Promise<ApiJson> {
  return toCliJson(await mergeLists(pages, listKeys));
}

/** `mergePages` without the CLI-JSON copy: the lists hold the SDK's own objects (Dates stay Dates). */
export async function mergeLists<P extends object>(
  pages: AsyncIterable<P>,
  listKeys: readonly string[],
): Promise<Record<string, unknown[]>> {
  const merged: Record<string, unknown[]> = {};
  if (listKeys.length === 1) merged[listKeys[0] as string] = [];
  for await (const page of pages) {
    for (const key of listKeys) {
      const list = (page as Record<string, unknown>)[key];
      // A loop, not push(...list): spreading a long list overflows the call stack.
      if (Array.isArray(list)) {
        const target = (merged[key] ??= []);
        for (let i = 0; i < list.length; i++) target.push(list[i]);
      }
    }
  }
  return merged;
}

/**
 * Passes pages through unchanged, handing each one to `see` first: the collectors take the VPC and window ids
 * they need for the per-VPC and per-window calls from the pages, whatever the fold keeps of them.
 */
export async function* tapPages<P extends object>(
  pages: AsyncIterable<P>,
  see: (page: P) => void,
): AsyncGenerator<P, void, undefined> {
  for await (const page of pages) {
    see(page);
    yield page;
  }
}
