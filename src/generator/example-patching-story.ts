// The example fleet's patching story: Online, healthy instances that are still not patched as intended, each for its
// own reason on the patching chain (a window that only scans, a window that never fires, a failed patch run, an
// S3 endpoint policy that keeps the patch buckets out, a patch group with only another OS's baseline).

import { EXAMPLE_FLEET_FACTS as F } from './example-fleet-facts.js';
import type {
  InstanceRef,
  InstanceSpec,
  RegionBuilder,
  SecurityGroupRef,
  SubnetRef,
  VpcRef,
} from './region-builder.js';

/** The example fleet's own helpers: an instance spec with its tags, and its Online managed-node entry. */
export interface PatchingStoryKit {
  base(
    instanceId: string,
    name: string,
    subnet: SubnetRef,
    groups: SecurityGroupRef[],
    extra?: Partial<InstanceSpec> & { patchGroup?: string | null; environment?: string },
  ): InstanceSpec;
  online(ref: InstanceRef, minutesAgo: number): void;
  appA: SubnetRef;
  appB: SubnetRef;
  webSg: SecurityGroupRef;
  /** The production VPC and its NAT gateway (the data subnet routes the internet there). */
  prod: VpcRef;
  nat: string;
}

/** The seed of the story's own random sequence (a detour: the rest of the fleet draws as if it did not exist). */
export const PATCHING_STORY_SEED = 20261202;

const DAY_MS = 86_400_000;

export function addPatchingStory(ec2: RegionBuilder, kit: PatchingStoryKit): void {
  const { base, online, appA, appB, webSg } = kit;
  const S = F.patchingStory;

  // reporting-01: its only window runs AWS-RunPatchBaseline with Operation=Scan, so its patch state is a scan
  // that found missing patches, and nothing ever installs them.
  online(
    ec2.addInstance(
      base(S.scanOnlyInstanceId, 'reporting-01', appA, [webSg], { patchGroup: S.scanOnlyPatchGroup }),
    ),
    2,
  );
  ec2.addMaintenanceWindow({
    windowId: S.scanOnlyWindowId,
    name: 'scan-reporting-servers',
    description: 'Weekly patch compliance scan of the reporting servers',
    schedule: 'cron(0 6 ? * SAT *)',
    durationHours: 2,
    cutoffHours: 1,
    nextExecution: '2026-11-21T06:00:00Z',
    targets: [{ name: 'reporting-servers', key: 'tag:PatchGroup', values: [S.scanOnlyPatchGroup] }],
    tasks: [
      {
        name: 'patch-scan',
        taskArn: 'AWS-RunPatchBaseline',
        targetIndices: [0],
        priority: 1,
        operation: 'Scan',
      },
    ],
  });
  ec2.overridePatchState(S.scanOnlyInstanceId, {
    operation: 'Scan',
    endMs: Date.parse('2026-11-14T06:21:00.000Z'),
    installed: 35,
    missing: 9,
    securityNonCompliant: 4,
  });

  // batch-02: its window's cron names the year 2025, so it has not fired since and never will; the last install
  // was the window's last run, almost a year ago.
  online(
    ec2.addInstance(
      base(S.neverFiringInstanceId, 'batch-02', appB, [webSg], { patchGroup: S.neverFiringPatchGroup }),
    ),
    4,
  );
  ec2.addMaintenanceWindow({
    windowId: S.neverFiringWindowId,
    name: 'patch-batch-servers',
    description: 'Sunday patching of the batch servers',
    schedule: 'cron(0 2 ? * SUN 2025)',
    durationHours: 3,
    cutoffHours: 1,
    targets: [{ name: 'batch-servers', key: 'tag:PatchGroup', values: [S.neverFiringPatchGroup] }],
    tasks: [
      {
        name: 'patch-install',
        taskArn: 'AWS-RunPatchBaseline',
        targetIndices: [0],
        priority: 1,
        operation: 'Install',
      },
    ],
  });
  ec2.overridePatchState(S.neverFiringInstanceId, {
    operation: 'Install',
    endMs: Date.parse('2025-12-28T02:24:00.000Z'),
    installed: 28,
    missing: 17,
    securityNonCompliant: 6,
  });

  // web-04-legacy: selected by the production window, whose last run failed on it (the package manager's lock).
  online(
    ec2.addInstance(
      base(S.failedPatchRunInstanceId, 'web-04-legacy', appB, [webSg], { patchGroup: 'WebServers' }),
    ),
    1,
  );
  ec2.overrideRunOutcome(S.failedPatchRunInstanceId, {
    status: 'FAILED',
    statusDetails: 'Failed',
  });
  ec2.overridePatchState(S.failedPatchRunInstanceId, {
    operation: 'Install',
    endMs: Date.parse('2026-11-15T04:26:00.000Z') - 30 * DAY_MS,
    installed: 40,
    failed: 2,
  });

  addS3PolicyDenied(ec2, kit);

  // queue-01 and queue-02: Amazon Linux 2023 in PatchGroup=QueueServers, which someone registered with the Windows
  // baseline only. The production window patches them (Install succeeds), but with the AL2023 default baseline.
  S.wrongOsInstanceIds.forEach((instanceId, i) =>
    online(
      ec2.addInstance(
        base(instanceId, `queue-0${i + 1}`, i === 0 ? appA : appB, [webSg], {
          patchGroup: S.wrongOsPatchGroup,
        }),
      ),
      2 + i,
    ),
  );
}

/**
 * data-01: in the production data subnet, whose own S3 gateway endpoint's policy lets S3 serve only the company's
 * data bucket. Its S3 traffic takes the endpoint (the prefix-list route beats the NAT's 0.0.0.0/0), so
 * AWS-RunPatchBaseline cannot download its modules and baseline snapshot, and the production window's run failed on it.
 */
function addS3PolicyDenied(ec2: RegionBuilder, kit: PatchingStoryKit): void {
  const S = F.patchingStory;
  const dataA = ec2.addSubnet(kit.prod, {
    name: 'production-data-a',
    cidr: '10.0.40.0/24',
    availabilityZone: 'us-east-1a',
  });
  const dataTable = ec2.addRouteTable(kit.prod, {
    name: 'production-data',
    routes: [{ kind: 'nat-gateway', natGatewayId: kit.nat }],
    subnets: [dataA],
  });
  const bucket = `arn:aws:s3:::${S.s3PolicyDataBucket}`;
  ec2.addVpcEndpoint(kit.prod, {
    type: 'Gateway',
    service: 's3',
    routeTableIds: [dataTable],
    prefixListId: 'pl-63a5400a',
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DataBucketOnly',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:*',
          Resource: [bucket, `${bucket}/*`],
        },
      ],
    }),
  });
  kit.online(
    ec2.addInstance(
      kit.base(S.s3PolicyDeniedInstanceId, 'data-01', dataA, [kit.webSg], { patchGroup: 'WebServers' }),
    ),
    3,
  );
  ec2.overrideRunOutcome(S.s3PolicyDeniedInstanceId, { status: 'FAILED', statusDetails: 'Failed' });
  ec2.overridePatchState(S.s3PolicyDeniedInstanceId, {
    operation: 'Install',
    endMs: Date.parse('2026-11-15T04:26:00.000Z') - 45 * DAY_MS,
    installed: 31,
    missing: 6,
    securityNonCompliant: 2,
  });
}
