// The AWS-owned S3 buckets Patch Manager's documents read on an instance, per Region, as AWS lists them; the
// patch-egress path must reach these. A Region not listed here is unknown (the caller reports "cannot be verified").

/** Where the table comes from (the page "Reference: Amazon S3 buckets for patching operations"). */
export const PATCH_BUCKETS_SOURCE =
  'https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-operations-s3-buckets.html';

/**
 * The page names the older module bucket `aws-ssm-<region>` for Linux and Windows Server on the "SSM Agent
 * communications with AWS managed S3 buckets" page; in me-south-1 that page names
 * `aws-patch-manager-me-south-1-a53fc9dce` instead. Kept apart: the patching page above no longer lists it.
 */
export const AGENT_BUCKETS_SOURCE =
  'https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-technical-details.html#ssm-agent-minimum-s3-permissions';

export interface RegionPatchBuckets {
  /** `aws-patch-manager-<region>-<suffix>`: AWS-RunPatchBaseline and friends for Linux and Windows Server. */
  documents: string;
  /** `aws-patchmanager-macos-<region>-<suffix>`: the same documents for macOS. */
  macosDocuments: string;
  /**
   * `patch-baseline-snapshot-<region>`, with a suffix in af-south-1, ap-south-2, ap-southeast-3, ap-southeast-4,
   * eu-south-2 and me-south-1 (the quirk: a guessed plain name would be a different, unowned bucket).
   */
  snapshots: string;
}

/** Region code -> buckets, exactly as the page lists them (29 commercial Regions; no China or GovCloud rows). */
export const PATCH_BUCKETS: ReadonlyMap<string, RegionPatchBuckets> = new Map([
  [
    'us-east-2',
    {
      documents: 'aws-patch-manager-us-east-2-552881074',
      macosDocuments: 'aws-patchmanager-macos-us-east-2-552881074',
      snapshots: 'patch-baseline-snapshot-us-east-2',
    },
  ],
  [
    'us-east-1',
    {
      documents: 'aws-patch-manager-us-east-1-1970c647d',
      macosDocuments: 'aws-patchmanager-macos-us-east-1-1970c647d',
      snapshots: 'patch-baseline-snapshot-us-east-1',
    },
  ],
  [
    'us-west-1',
    {
      documents: 'aws-patch-manager-us-west-1-8badb4304',
      macosDocuments: 'aws-patchmanager-macos-us-west-1-8badb4304',
      snapshots: 'patch-baseline-snapshot-us-west-1',
    },
  ],
  [
    'us-west-2',
    {
      documents: 'aws-patch-manager-us-west-2-34d7f99f8',
      macosDocuments: 'aws-patchmanager-macos-us-west-2-34d7f99f8',
      snapshots: 'patch-baseline-snapshot-us-west-2',
    },
  ],
  [
    'af-south-1',
    {
      documents: 'aws-patch-manager-af-south-1-bdd5f65a9',
      macosDocuments: 'aws-patchmanager-macos-af-south-1-bdd5f65a9',
      snapshots: 'patch-baseline-snapshot-af-south-1-tbxdb5b9',
    },
  ],
  [
    'ap-east-1',
    {
      documents: 'aws-patch-manager-ap-east-1-632356271',
      macosDocuments: 'aws-patchmanager-macos-ap-east-1-632356271',
      snapshots: 'patch-baseline-snapshot-ap-east-1',
    },
  ],
  [
    'ap-south-2',
    {
      documents: 'aws-patch-manager-ap-south-2-32f4b4128',
      macosDocuments: 'aws-patchmanager-macos-ap-south-2-32f4b4128',
      snapshots: 'patch-baseline-snapshot-ap-south-2-50209442',
    },
  ],
  [
    'ap-southeast-3',
    {
      documents: 'aws-patch-manager-ap-southeast-3-aa48fc462',
      macosDocuments: 'aws-patchmanager-macos-ap-southeast-3-aa48fc462',
      snapshots: 'patch-baseline-snapshot-ap-southeast-3-be0a3174',
    },
  ],
  [
    'ap-southeast-4',
    {
      documents: 'aws-patch-manager-ap-southeast-4-01e2c40d3',
      macosDocuments: 'aws-patchmanager-macos-ap-southeast-4-01e2c40d3',
      snapshots: 'patch-baseline-snapshot-ap-southeast-4-dc6f76ce',
    },
  ],
  [
    'ap-south-1',
    {
      documents: 'aws-patch-manager-ap-south-1-cb7c62ff9',
      macosDocuments: 'aws-patchmanager-macos-ap-south-1-cb7c62ff9',
      snapshots: 'patch-baseline-snapshot-ap-south-1',
    },
  ],
  [
    'ap-northeast-3',
    {
      documents: 'aws-patch-manager-ap-northeast-3-67373598a',
      macosDocuments: 'aws-patchmanager-macos-ap-northeast-3-67373598a',
      snapshots: 'patch-baseline-snapshot-ap-northeast-3',
    },
  ],
  [
    'ap-northeast-2',
    {
      documents: 'aws-patch-manager-ap-northeast-2-10467995c',
      macosDocuments: 'aws-patchmanager-macos-ap-northeast-2-10467995c',
      snapshots: 'patch-baseline-snapshot-ap-northeast-2',
    },
  ],
  [
    'ap-southeast-1',
    {
      documents: 'aws-patch-manager-ap-southeast-1-7fdfd9ef7',
      macosDocuments: 'aws-patchmanager-macos-ap-southeast-1-7fdfd9ef7',
      snapshots: 'patch-baseline-snapshot-ap-southeast-1',
    },
  ],
  [
    'ap-southeast-2',
    {
      documents: 'aws-patch-manager-ap-southeast-2-17283a275',
      macosDocuments: 'aws-patchmanager-macos-ap-southeast-2-17283a275',
      snapshots: 'patch-baseline-snapshot-ap-southeast-2',
    },
  ],
  [
    'ap-northeast-1',
    {
      documents: 'aws-patch-manager-ap-northeast-1-4849fa78f',
      macosDocuments: 'aws-patchmanager-macos-ap-northeast-1-4849fa78f',
      snapshots: 'patch-baseline-snapshot-ap-northeast-1',
    },
  ],
  [
    'ca-central-1',
    {
      documents: 'aws-patch-manager-ca-central-1-3148e69e3',
      macosDocuments: 'aws-patchmanager-macos-ca-central-1-3148e69e3',
      snapshots: 'patch-baseline-snapshot-ca-central-1',
    },
  ],
  [
    'ca-west-1',
    {
      documents: 'aws-patch-manager-ca-west-1-9e3a4b2f9',
      macosDocuments: 'aws-patchmanager-macos-ca-west-1-9e3a4b2f9',
      snapshots: 'patch-baseline-snapshot-ca-west-1',
    },
  ],
  [
    'eu-central-1',
    {
      documents: 'aws-patch-manager-eu-central-1-9163fdaaf',
      macosDocuments: 'aws-patchmanager-macos-eu-central-1-9163fdaaf',
      snapshots: 'patch-baseline-snapshot-eu-central-1',
    },
  ],
  [
    'eu-west-1',
    {
      documents: 'aws-patch-manager-eu-west-1-5522fb710',
      macosDocuments: 'aws-patchmanager-macos-eu-west-1-5522fb710',
      snapshots: 'patch-baseline-snapshot-eu-west-1',
    },
  ],
  [
    'eu-west-2',
    {
      documents: 'aws-patch-manager-eu-west-2-902a2bc74',
      macosDocuments: 'aws-patchmanager-macos-eu-west-2-902a2bc74',
      snapshots: 'patch-baseline-snapshot-eu-west-2',
    },
  ],
  [
    'eu-south-1',
    {
      documents: 'aws-patch-manager-eu-south-1-c52f3f594',
      macosDocuments: 'aws-patchmanager-macos-eu-south-1-c52f3f594',
      snapshots: 'patch-baseline-snapshot-eu-south-1',
    },
  ],
  [
    'eu-west-3',
    {
      documents: 'aws-patch-manager-eu-west-3-29bf85721',
      macosDocuments: 'aws-patchmanager-macos-eu-west-3-29bf85721',
      snapshots: 'patch-baseline-snapshot-eu-west-3',
    },
  ],
  [
    'eu-south-2',
    {
      documents: 'aws-patch-manager-eu-south-2-a4cf248b1',
      macosDocuments: 'aws-patchmanager-macos-eu-south-2-a4cf248b1',
      snapshots: 'patch-baseline-snapshot-eu-south-2-df2c9d70',
    },
  ],
  [
    'eu-north-1',
    {
      documents: 'aws-patch-manager-eu-north-1-795879e9b',
      macosDocuments: 'aws-patchmanager-macos-eu-north-1-795879e9b',
      snapshots: 'patch-baseline-snapshot-eu-north-1',
    },
  ],
  [
    'eu-central-2',
    {
      documents: 'aws-patch-manager-eu-central-2-184ce43c8',
      macosDocuments: 'aws-patchmanager-macos-eu-central-2-184ce43c8',
      snapshots: 'patch-baseline-snapshot-eu-central-2',
    },
  ],
  [
    'il-central-1',
    {
      documents: 'aws-patch-manager-il-central-1-e221cb57b',
      macosDocuments: 'aws-patchmanager-macos-il-central-1-e221cb57b',
      snapshots: 'patch-baseline-snapshot-il-central-1',
    },
  ],
  [
    'me-south-1',
    {
      documents: 'aws-patch-manager-me-south-1-a53fc9dce',
      macosDocuments: 'aws-patchmanager-macos-me-south-1-a53fc9dce',
      snapshots: 'patch-baseline-snapshot-me-south-1-uduvl7q8',
    },
  ],
  [
    'me-central-1',
    {
      documents: 'aws-patch-manager-me-central-1-2932f2f80',
      macosDocuments: 'aws-patchmanager-macos-me-central-1-2932f2f80',
      snapshots: 'patch-baseline-snapshot-me-central-1',
    },
  ],
  [
    'sa-east-1',
    {
      documents: 'aws-patch-manager-sa-east-1-ddf4b6a09',
      macosDocuments: 'aws-patchmanager-macos-sa-east-1-ddf4b6a09',
      snapshots: 'patch-baseline-snapshot-sa-east-1',
    },
  ],
]);

export type PatchPlatform = 'linux' | 'windows' | 'macos';

export type PatchBucketsAnswer =
  { kind: 'known'; buckets: string[]; source: string } | { kind: 'unknown'; detail: string };

/** The buckets an instance of `platform` in `region` needs for a patch operation, or why they are not known. */
export function patchBucketsFor(region: string, platform: PatchPlatform): PatchBucketsAnswer {
  const row = PATCH_BUCKETS.get(region);
  if (!row) {
    return {
      kind: 'unknown',
      detail: `AWS does not list the Patch Manager buckets of ${region} (${PATCH_BUCKETS_SOURCE})`,
    };
  }
  const documents = platform === 'macos' ? row.macosDocuments : row.documents;
  return { kind: 'known', buckets: [documents, row.snapshots], source: PATCH_BUCKETS_SOURCE };
}

/** The S3 object ARN pattern of a bucket (what an endpoint policy must allow s3:GetObject on). */
export function bucketObjectArn(bucket: string): string {
  return `arn:aws:s3:::${bucket}/*`;
}
