// The Lambda's page fold: each page of a live read is mapped into the inventory model as it arrives, so only
// model objects outlive a read (a 10,000-instance account's raw pages and their CLI-JSON copy do not fit in 256 MB).

import { GLOBAL_REGION } from '../../inventory/model.js';
import { API_RESPONSE_KINDS, type ApiFailure, type ApiResponseKind } from '../api/api-data.js';
import { originOf } from '../api/build-inventory.js';
import type { InventoryBuilder } from '../api/inventory-builder.js';
import { mapApiResponse, type MappedResponse } from '../api/map-api-response.js';
import type { PartialScope } from '../api/mapping-context.js';
import {
  type FoldedRegion,
  mergeLists,
  type PageFold,
  type PerCallProperty,
  type RegionProperty,
} from './page-fold.js';

/** What `mappingFold` makes of one read: a mapped response per page (one for GAAD and single responses). */
export type MappedPages = MappedResponse[];

/** An account and region read through `mappingFold`, ready for `addMappedAccount`. */
export interface MappedAccount {
  accountId: string;
  GetAccountAuthorizationDetails?: MappedPages;
  /** Account-level failures (IAM). */
  failures: ApiFailure[];
  regions: (FoldedRegion<MappedPages> & { accountId: string; region: string })[];
}

const GAAD = 'iam:GetAccountAuthorizationDetails';

/**
 * A fold that maps SDK output straight into the model, for one account and region (GAAD: region "global"),
 * with the mappers the CLI-JSON path uses: they read SDK outputs as they are (Dates become ISO strings through
 * the mappers' timestamp reader), so no CLI-JSON copy is made. A page is mapped as a response holding just its
 * list (no pagination token, so it does not count as truncated); items of one list map independently, so
 * mapping page by page gives what mapping the merged output gives. GAAD is the exception: its roles, their
 * instance profiles and the managed policies refer to each other across lists and pages, so its lists are
 * merged first (the SDK's objects, not copies; a few hundred KB even for large accounts) and mapped once.
 */
export function mappingFold(accountId: string, region: string): PageFold<MappedPages> {
  const where = (kind: ApiResponseKind): { scope: PartialScope; origin: string } => {
    const at = kind === GAAD ? GLOBAL_REGION : region;
    return { scope: { accountId, region: at }, origin: originOf(kind, accountId, at) };
  };
  return {
    async pages(kind, listKeys, pages) {
      const { scope, origin } = where(kind);
      const [key] = listKeys;
      if (listKeys.length !== 1 || key === undefined)
        return [mapApiResponse(kind, await mergeLists(pages, listKeys), scope, origin)];
      const mapped: MappedPages = [];
      for await (const page of pages) {
        const list = (page as Record<string, unknown>)[key];
        if (Array.isArray(list)) mapped.push(mapApiResponse(kind, { [key]: list }, scope, origin));
      }
      // No page carried the list: the merged output would hold an empty one, which still counts as read.
      if (mapped.length === 0) mapped.push(mapApiResponse(kind, { [key]: [] }, scope, origin));
      return mapped;
    },
    single(kind, output) {
      const { scope, origin } = where(kind);
      return [mapApiResponse(kind, output, scope, origin)];
    },
  };
}

// Per-VPC and per-window kinds: their (possibly empty) list of calls counts as read, as in addRegion.
const PER_CALL: ReadonlySet<RegionProperty> = new Set<PerCallProperty>([
  'DescribeVpcAttribute',
  'DescribeMaintenanceWindowTargets',
  'DescribeMaintenanceWindowTasks',
  'GetMaintenanceWindowTask',
  'GetPatchBaseline',
  'DescribeMaintenanceWindowExecutions',
  'DescribeMaintenanceWindowExecutionTasks',
  'DescribeMaintenanceWindowExecutionTaskInvocations',
]);

const REGIONAL_KINDS = (Object.keys(API_RESPONSE_KINDS) as ApiResponseKind[]).filter((kind) => kind !== GAAD);

/**
 * Adds what `mappingFold` read to a builder, recording the coverage `addAccount` records for the same reads
 * as CLI JSON: a kind read is `read`, a failure `error` with its code and permission, a kind absent nothing.
 * The mapped responses can be added to several builders (the Lambda rebuilds as it reads more services).
 */
export function addMappedAccount(builder: InventoryBuilder, account: MappedAccount): void {
  const { accountId } = account;
  const iamScope: PartialScope = { accountId, region: GLOBAL_REGION };
  for (const mapped of account.GetAccountAuthorizationDetails ?? []) builder.addMapped(mapped);
  for (const failure of account.failures) {
    // An account-level failure of a regional call (e.g. the role could not be assumed) covers every region.
    const isIam = failure.kind === GAAD;
    builder.addFailure(
      failure,
      isIam ? iamScope : { accountId },
      originOf(failure.kind, accountId, isIam ? GLOBAL_REGION : '*'),
    );
  }
  for (const data of account.regions) {
    const { region } = data;
    for (const kind of REGIONAL_KINDS) {
      const property = kind.slice(kind.indexOf(':') + 1) as RegionProperty;
      const value = data[property];
      if (value === undefined) continue;
      if (PER_CALL.has(property)) {
        // GetMaintenanceWindowTask and GetPatchBaseline are called for some tasks and baselines only: each
        // response covers its own window or baseline alone.
        if (property !== 'GetMaintenanceWindowTask' && property !== 'GetPatchBaseline')
          builder.addCoverage({
            family: API_RESPONSE_KINDS[kind].family,
            accountId,
            region,
            status: 'read',
            origin: originOf(kind, accountId, region),
          });
        for (const pages of value as MappedPages[]) for (const mapped of pages) builder.addMapped(mapped);
      } else {
        for (const mapped of value as MappedPages) builder.addMapped(mapped);
      }
    }
    for (const failure of data.failures)
      builder.addFailure(failure, { accountId, region }, originOf(failure.kind, accountId, region));
  }
}
