// The ids and names of the notable resources in the shipped example fleet, for tests and docs to assert on.

/** The prefix shared by the 200 story instances' ids; the suffix is the 4-hex-digit instance number (1-based). */
const INVENTORY_ID_PREFIX = 'i-0221865c4a921';

/**
 * What the example fleet (`buildExampleFleet`, `examples/example-fleet/`) contains, scenario by scenario.
 * Each broken instance has exactly one fault, so it has one root cause.
 */
export const EXAMPLE_FLEET_FACTS = {
  accountId: '111122223333',
  region: 'us-east-1',
  collectedAt: '2026-11-20T12:00:00.000Z',

  /** The story: 200 running instances, no instance profile, DHMC off, patched by a tag-based window that can't reach them. */
  inventory: {
    count: 200,
    namePrefix: 'inventory-',
    patchGroup: 'InventoryServers',
    environment: 'Production',
    /** inventory-001 … inventory-140 were Online once and show ConnectionLost; 141 … 200 never registered. */
    connectionLostCount: 140,
    notRegisteredCount: 60,
    firstInstanceId: `${INVENTORY_ID_PREFIX}0001`,
    lastInstanceId: `${INVENTORY_ID_PREFIX}00c8`,
    subnetIds: ['subnet-038e0bd1aecc55656', 'subnet-0d1e3eb8c8fe53112'],
    maintenanceWindowId: 'mw-089180e140e05a09c',
  },

  /** Healthy: SSMInstanceProfile (AmazonSSMManagedInstanceCore, trusted by ec2), NAT path, Online. */
  healthyWebInstanceIds: ['i-0a4afaa2ebdb5c393', 'i-03cdd17b545ed66d2', 'i-02568f7c36dd48db1'],
  /** Healthy, in a public subnet with a public IP; only port 80 open to the internet. */
  healthyPublicInstanceId: 'i-04463c78d9b0878a4',
  /** Healthy through interface endpoints only (complete endpoint setup, no internet route). */
  healthyEndpointInstanceIds: ['i-0c02775ba956695ee', 'i-096e4066ef0662e4f'],
  /** Healthy; patch group via the legacy `Patch Group` tag key (with a space), targeted by a `tag:Patch Group` window target. */
  patchGroupWithSpaceInstanceId: 'i-0c60fcc33ae67fa7a',
  /** Healthy but uses the deprecated AmazonEC2RoleforSSM managed policy. */
  deprecatedPolicyInstanceId: 'i-0373c04466610e18e',

  /** Exposure: security group opens inbound TCP 22 from 0.0.0.0/0 (public subnet, Online). */
  sshOpenInstanceId: 'i-07f38e90aa6ca4cf7',
  /** Exposure: Windows; security group opens TCP 3000-4000 (contains 3389) from 0.0.0.0/0. */
  rdpRangeInstanceId: 'i-039ad9b1e137c4d3c',
  /** Exposure: security group allows all traffic from ::/0. */
  allTrafficIpv6InstanceId: 'i-06605bdcf9d4048aa',

  /** IMDS: MetadataOptions.HttpEndpoint = disabled (ConnectionLost). */
  imdsDisabledInstanceId: 'i-0a7aea293a75a5635',
  /** Egress: the only security group allows outbound TCP 80 only (ConnectionLost). */
  egressPort80OnlyInstanceId: 'i-018fb8dc5772e5096',
  /** Network: interface endpoints exist, but their SG allows 443 only from 10.99.0.0/16 (ConnectionLost). */
  endpointSgBlocksInstanceId: 'i-01211cbb537e51e5f',
  /** Network: subnet uses the main route table (local route only), VPC has no endpoints (never registered). */
  noNetworkPathInstanceId: 'i-0339f4b4d48b8ba42',

  /** IAM: custom inline policy lacks ssmmessages:OpenDataChannel (still Online: registration works). */
  missingSsmMessagesActionInstanceId: 'i-0fcbdfaa2c5a7e70a',
  /** IAM: inline Deny statement (Sid "DenySystemsManagerUntilApproved") over ssm/ssmmessages/ec2messages (ConnectionLost). */
  explicitDenyInstanceId: 'i-012f670e7afcc63b0',
  /** IAM: permissions boundary DeveloperBoundary (default version v3) does not allow ssm (never registered). */
  boundaryDenyInstanceId: 'i-00d6da42199a14412',
  /** IAM: role trusts lambda.amazonaws.com instead of ec2 (never registered). */
  wrongTrustInstanceId: 'i-014d17e0ba6023bda',

  /** Hybrid: this EC2 instance registered itself through an activation and appears only as the mi- node below. */
  ec2AsHybridInstanceId: 'i-0bfc7ae4c9a81eb0a',
  ec2AsHybridManagedInstanceId: 'mi-0c313ec5f415a777a',
  /** A genuine on-premises hybrid node (not EC2): no finding expected. */
  onPremManagedInstanceId: 'mi-0809ecd572857c76d',
  activeActivationId: '01196bd7-a31b-4241-ace4-104e736ad6f6',
  expiredActivationId: '842670ae-48f6-44b3-996a-3ad32074ece5',
  /** RegistrationsCount 6 > RegistrationLimit 5, not expired. */
  overLimitActivationId: '32cfda3a-7ba0-49c9-b6e4-420c1cae9601',

  /** Patching: only targeted by a maintenance window target that lists InstanceIds (they carry PatchGroup=BillingServers). */
  instanceIdTargetedInstanceIds: ['i-04dbf8e313ec45dcb', 'i-0b3ddc321357715ae'],
  instanceIdTargetWindowId: 'mw-09baabe80810173b0',
  /** Patching: no patch-group tag (targeted through tag:Environment=Staging, so it gets the default baseline). */
  noPatchGroupTagInstanceId: 'i-0204c7a91c6a95198',
  /** The tag-based production window (tag:PatchGroup, tag:Patch Group and tag:Environment targets). */
  productionWindowId: 'mw-02be179098db205d2',

  /**
   * The patching story (src/generator/example-patching-story.ts): Online, healthy instances that are still not
   * patched, each explained by its first broken patching link.
   */
  patchingStory: {
    /** Its only window (PatchGroup=ReportingServers) runs AWS-RunPatchBaseline with Operation=Scan. */
    scanOnlyInstanceId: 'i-0e5b7d9f1a3c5e7b8',
    scanOnlyWindowId: 'mw-0c4e6a8b0d2f41357',
    scanOnlyPatchGroup: 'ReportingServers',
    /** Its window's schedule, cron(0 2 ? * SUN 2025), never fires again (PatchGroup=BatchServers). */
    neverFiringInstanceId: 'i-0a8c2e4f6b1d3f5a7',
    neverFiringWindowId: 'mw-07d9b1f3a5c7e9021',
    neverFiringPatchGroup: 'BatchServers',
    /** Selected by the production window, whose latest run FAILED on it (2 patches failed to install). */
    failedPatchRunInstanceId: 'i-0f3a1c5e7b9d2a4c6',
    /**
     * In the production data subnet, whose S3 gateway endpoint's policy allows only the company's data bucket:
     * AWS-RunPatchBaseline cannot download the baseline snapshot, so its run failed (patch egress).
     */
    s3PolicyDeniedInstanceId: 'i-0d6b8f0a2c4e6a8b1',
    s3PolicyDataBucket: 'example-corp-data',
    /**
     * Amazon Linux 2023 instances in PatchGroup=QueueServers, a group registered only with the Windows baseline: they
     * fall back to the default baseline AWS-AmazonLinux2023DefaultPatchBaseline.
     */
    wrongOsInstanceIds: ['i-0b2d4f6a8c1e3b5d7', 'i-0d4f6b8a2c1e5d7f9'],
    wrongOsPatchGroup: 'QueueServers',
    /** The production Windows baseline QueueServers is registered with. */
    windowsBaselineId: 'pb-03a9c7e5b1d2f4a68',
  },

  /** Lifecycle: a stopped and a pending instance (both otherwise healthy, absent from SSM). */
  stoppedInstanceId: 'i-088bb4402d7501fc9',
  pendingInstanceId: 'i-091b6b4666f6042a0',

  vpcs: {
    production: 'vpc-0f766d8eff19b472d',
    sharedServicesEndpoints: 'vpc-0412d20c4e3f63636',
    analyticsBlockedEndpoints: 'vpc-0b7babec5b19470f8',
  },
  subnets: {
    publicA: 'subnet-051ad7b047fed2a77',
    publicB: 'subnet-0ffe0f1acea54fabb',
    privateNatA: 'subnet-035bfa66eeb82fa77',
    privateNatB: 'subnet-02aee4cb149961875',
    privateNoPath: 'subnet-0c4b5a4b9f3a730fb',
    privateEndpointsA: 'subnet-0c6edeb8eace00770',
    privateEndpointsB: 'subnet-0831c4d18626b0374',
    privateEndpointSgBlocks: 'subnet-08a8249975449e29e',
  },
  securityGroups: {
    sshFromAnywhere: 'sg-0cd7b90f20661579c',
    portRange3000To4000: 'sg-080d09055125f9e6e',
    allTrafficIpv6: 'sg-01c774ce592a78055',
    egressPort80Only: 'sg-0d329cdad2c1ac296',
    endpointsBlocking: 'sg-0e93d4eadb0efc422',
    endpointsAllowVpc: 'sg-035e5b34a967644eb',
  },
  roles: {
    healthy: 'SSMInstanceRole',
    missingSsmMessagesAction: 'PaymentsAppRole',
    explicitDeny: 'HrPortalRole',
    boundaryDeny: 'DevToolsRole',
    wrongTrust: 'EtlWorkerRole',
    deprecatedPolicy: 'LegacyAppRole',
    hybridActivation: 'SSMServiceRole',
    maintenanceWindow: 'MaintenanceWindowRole',
  },
  instanceProfiles: {
    healthy: 'arn:aws:iam::111122223333:instance-profile/SSMInstanceProfile',
  },
  boundaryPolicyArn: 'arn:aws:iam::111122223333:policy/boundaries/DeveloperBoundary',
  dhmcSettingValue: '$None',
} as const;

/** The id of story instance `n` (1-based, inventory-001 … inventory-200). */
export function exampleInventoryInstanceId(n: number): string {
  return `${INVENTORY_ID_PREFIX}${n.toString(16).padStart(4, '0')}`;
}
