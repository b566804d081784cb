// Collects an account's IAM roles, instance profiles and managed policies with GetAccountAuthorizationDetails.

import { type IAMClient, paginateGetAccountAuthorizationDetails } from '@aws-sdk/client-iam';
import type { ApiFailure, ApiJson } from '../api/api-data.js';
import { CLI_JSON_FOLD, type PageFold } from './page-fold.js';
import { type CollectOptions, readKind } from './read-kind.js';

/** GAAD's MaxItems upper bound (IAM model: 1..1000). */
export const GAAD_PAGE_SIZE = 1000;

const GAAD_LISTS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;

/** An account's IAM data (by default AWS-CLI JSON; with a fold, what it made of the pages), and what failed. */
export interface IamCollection<R = ApiJson> {
  GetAccountAuthorizationDetails?: R;
  failures: ApiFailure[];
}

/**
 * One paginated GAAD read for roles (with their instance profiles, inline and attached policies) and
 * managed policies (all versions), instead of per-role calls. Users and groups are not requested: the
 * readiness chain never involves them, and leaving them out saves pages. Policy documents stay
 * URL-encoded, exactly as the API and AWS CLI return them (aws-facts §0 #6).
 */
export function collectIam(client: IAMClient, options: CollectOptions = {}): Promise<IamCollection> {
  return collectIamWith(CLI_JSON_FOLD, client, options);
}

/** `collectIam` with the GAAD pages handed to `fold` as they arrive, instead of merged into CLI JSON. */
export async function collectIamWith<R>(
  fold: PageFold<R>,
  client: IAMClient,
  options: CollectOptions = {},
): Promise<IamCollection<R>> {
  const failures: ApiFailure[] = [];
  const details = await readKind('iam:GetAccountAuthorizationDetails', 'global', failures, options, () =>
    // IAM may return fewer than MaxItems with IsTruncated=true; the paginator follows Marker regardless.
    fold.pages(
      'iam:GetAccountAuthorizationDetails',
      GAAD_LISTS,
      paginateGetAccountAuthorizationDetails(
        { client, pageSize: GAAD_PAGE_SIZE },
        { Filter: ['Role', 'LocalManagedPolicy', 'AWSManagedPolicy'] },
      ),
    ),
  );
  return { ...(details !== undefined && { GetAccountAuthorizationDetails: details }), failures };
}
