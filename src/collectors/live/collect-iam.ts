// Collects an account's IAM roles, instance profiles and managed policies with GetAccountAuthorizationDetails.

import { type IAMClient, paginateGetAccountAuthorizationDetails } from '@aws-sdk/client-iam';
import type { ApiFailure, ApiJson, CollectedAccountData } from '../api/api-data.js';
import { type CollectOptions, readKind } from './read-kind.js';
import { toCliJson } from './to-cli-json.js';

/** GAAD's MaxItems upper bound (IAM model: 1..1000). */
export const GAAD_PAGE_SIZE = 1000;

const GAAD_LISTS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;

/**
 * One paginated GAAD read for roles (with their instance profiles, inline and attached policies) and
 * managed policies (all versions), instead of per-role calls. Users and groups are not requested: the
 * readiness chain never involves them, and leaving them out saves pages. Policy documents stay
 * URL-encoded, exactly as the API and AWS CLI return them (aws-facts §0 #6).
 */
export async function collectIam(
  client: IAMClient,
  options: CollectOptions = {},
): Promise<Pick<CollectedAccountData, 'GetAccountAuthorizationDetails' | 'failures'>> {
  const failures: ApiFailure[] = [];
  const details = await readKind(
    'iam:GetAccountAuthorizationDetails',
    'global',
    failures,
    options,
    async () => {
      const merged: Record<string, unknown[]> = {};
      const pages = paginateGetAccountAuthorizationDetails(
        { client, pageSize: GAAD_PAGE_SIZE },
        { Filter: ['Role', 'LocalManagedPolicy', 'AWSManagedPolicy'] },
      );
      // IAM may return fewer than MaxItems with IsTruncated=true; the paginator follows Marker regardless.
      for await (const page of pages) {
        for (const key of GAAD_LISTS) {
          const list = page[key];
          if (Array.isArray(list)) (merged[key] ??= []).push(...(list as unknown[]));
        }
      }
      return toCliJson(merged) as ApiJson;
    },
  );
  return { ...(details && { GetAccountAuthorizationDetails: details }), failures };
}
