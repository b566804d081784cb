// Patch baseline ids as one key: AWS's predefined baselines are named by ARN, the account's own by pb- id.

/**
 * The key a baseline is known by, whichever way an API names it. DescribePatchBaselines and DescribePatchGroups
 * name AWS's predefined baselines by ARN (`arn:aws:ssm:<region>:<owner>:patchbaseline/pb-…`) and the account's
 * own by their `pb-` id; GetPatchBaseline takes either. The `pb-` id is unique within a region, so it is the key.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetPatchBaseline.html
 */
export function baselineKey(baselineId: string): string {
  const slash = baselineId.lastIndexOf('patchbaseline/');
  return slash === -1 ? baselineId : baselineId.slice(slash + 'patchbaseline/'.length);
}
