// Named check `patch-egress`: can a patch operation on the instance read what it needs — Patch Manager's S3
// buckets of its Region, and its OS's package repositories — over the network path it has?

import type { InventoryIndex } from '../../../inventory/inventory-index.js';
import type { Ec2Instance } from '../../../inventory/model.js';
import type { Evidence } from '../../types.js';
import type { CheckResult, NamedCheck } from '../named-check.js';
import { ANY_PUBLIC_ENDPOINT } from '../network-path/endpoint-addresses.js';
import { instanceNetwork, type InstanceNetwork } from '../network-path/instance-network.js';
import { internetPath } from '../network-path/internet-path.js';
import { hopsEvidence } from '../network-path/network-path-to-ssm.js';
import type { PortRange } from '../network-path/nacl-evaluation.js';
import {
  PATCH_BUCKETS_SOURCE,
  bucketObjectArn,
  patchBucketsFor,
  type PatchPlatform,
} from '../network-path/patch-buckets.js';
import { pathCacheFor, type PathCache } from '../network-path/path-cache.js';
import type { PathOutcome } from '../network-path/path-outcome.js';
import { SERVICE_PATH_NEEDS } from '../network-path/service-paths.js';
import { endpointPolicyAllowsReads } from '../network-path/s3-endpoint-policy.js';
import { s3Path, type S3Path } from '../network-path/s3-path.js';
import { isS3Service } from '../network-path/s3-gateway-route.js';

interface Params {
  ephemeralPorts: { from: number; to: number };
}

/** Where the OS's packages come from, which decides the repository path it needs. */
type OsKind = 'windows' | 'amazon-linux' | 'other-linux' | 'macos' | 'unknown-linux';

/** A finding of one part (S3, the repositories), in the order they are reported. */
type Part =
  | { kind: 'ok'; detail: string }
  | Extract<CheckResult, { outcome: 'fail' }>
  | { kind: 'unverifiable'; detail: string };

export const UNVERIFIABLE = 'PATCH.EGRESS_UNVERIFIABLE';

/**
 * The OS from the instance (Windows) or its SSM managed-node entry (PlatformType, PlatformName): EC2 itself tells
 * Amazon Linux from other Linux distributions nowhere. Read only for Linux instances.
 */
function osKind(instance: Ec2Instance, index: InventoryIndex): OsKind {
  if (instance.platform === 'windows') return 'windows';
  const node = index.managedNodeOf(instance);
  if (node?.platformType === 'MacOS') return 'macos';
  if (node?.platformName === undefined) return 'unknown-linux';
  return /^amazon linux/i.test(node.platformName) ? 'amazon-linux' : 'other-linux';
}

/** The buckets of the OS's documents; an unknown Linux may be macOS, whose documents have their own bucket. */
function bucketsFor(region: string, os: OsKind): { buckets: string[] } | { unknown: string } {
  const platforms: PatchPlatform[] =
    os === 'windows'
      ? ['windows']
      : os === 'macos'
        ? ['macos']
        : os === 'unknown-linux'
          ? ['linux', 'macos']
          : ['linux'];
  const buckets = new Set<string>();
  for (const platform of platforms) {
    const answer = patchBucketsFor(region, platform);
    if (answer.kind === 'unknown') return { unknown: answer.detail };
    answer.buckets.forEach((b) => buckets.add(b));
  }
  return { buckets: [...buckets] };
}

function fromOutcome(outcome: PathOutcome, what: string, reason: string): Part {
  if (outcome.kind === 'open') return { kind: 'ok', detail: `${what} via ${outcome.via}` };
  if (outcome.kind === 'unverifiable') return { kind: 'unverifiable', detail: `${what}: ${outcome.detail}` };
  return {
    outcome: 'fail',
    reason,
    detail: `${what}: ${outcome.detail}`,
    evidence: outcome.evidence,
    cause: outcome.cause,
    ...(outcome.remediation && { remediation: outcome.remediation }),
  };
}

/** S3: the path, then the policy of the endpoint it goes through, for s3:GetObject on the buckets. */
function s3Part(net: InstanceNetwork, s3: S3Path, buckets: readonly string[]): Part {
  const what = `S3 (${buckets.join(', ')})`;
  const path = fromOutcome(s3.outcome, what, 'PATCH.S3_UNREACHABLE');
  if (!('kind' in path) || path.kind !== 'ok' || s3.endpoint === undefined) return path;
  const endpoint = s3.endpoint;
  const verdict = endpointPolicyAllowsReads(endpoint, buckets, net.subnet.vpcId, net.instance.region);
  if (verdict.kind === 'allow') return path;
  if (verdict.kind === 'unverifiable') return { kind: 'unverifiable', detail: `${what}: ${verdict.detail}` };
  return {
    outcome: 'fail',
    reason: 'PATCH.S3_ENDPOINT_POLICY_DENIES',
    detail: `${what}: ${verdict.detail}`,
    evidence: verdict.evidence,
    cause: { resourceType: 'AWS::EC2::VPCEndpoint', resourceId: endpoint.vpcEndpointId },
    remediation: {
      text: `Allow s3:GetObject on ${buckets.map(bucketObjectArn).join(' and ')} in the policy of endpoint ${endpoint.vpcEndpointId} (${PATCH_BUCKETS_SOURCE}).`,
      command: `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${endpoint.vpcEndpointId} --policy-document file://endpoint-policy-with-patch-buckets.json`,
    },
  };
}

/**
 * The OS repositories. Amazon Linux reads them from S3 buckets of the Region that AWS does not name on a page we
 * found: any S3 path is enough, unless an endpoint policy restricts S3 to named buckets (then it cannot be
 * verified). Windows Update, macOS and the other distributions' repositories are on the internet.
 */
function reposPart(os: OsKind, net: InstanceNetwork, s3: S3Path, internet: () => PathOutcome): Part {
  if (os === 'amazon-linux') {
    const ok: Part = {
      kind: 'ok',
      detail: `Amazon Linux repositories (in S3) via ${s3.outcome.kind === 'open' ? s3.outcome.via : 'the S3 path'}`,
    };
    if (s3.endpoint === undefined) return ok;
    const any = endpointPolicyAllowsReads(s3.endpoint, ['*'], net.subnet.vpcId, net.instance.region);
    return any.kind === 'allow'
      ? ok
      : {
          kind: 'unverifiable',
          detail: `the policy of ${s3.endpoint.vpcEndpointId} limits S3 to named buckets, and the buckets Amazon Linux's repositories are served from are not named on an AWS page, so whether it allows them is not known`,
        };
  }
  const what =
    os === 'windows' ? 'Windows Update' : os === 'macos' ? "Apple's software updates" : 'the OS repositories';
  const outcome = internet();
  if (os !== 'unknown-linux' || outcome.kind === 'open')
    return fromOutcome(outcome, `${what} (on the internet)`, 'PATCH.REPOS_UNREACHABLE');
  return {
    kind: 'unverifiable',
    detail: `its OS is not known (no SSM managed-node platform), and without an internet path (${outcome.detail}) only Amazon Linux, whose repositories are in S3, could reach them`,
  };
}

function evaluateEgress(
  instance: Ec2Instance,
  index: InventoryIndex,
  cache: PathCache,
  params: Params,
  withHops: boolean,
): CheckResult {
  const net = instanceNetwork(instance, index, cache);
  if (!net)
    return {
      outcome: 'not-applicable',
      detail: `Instance ${instance.instanceId} is not in a VPC subnet.`,
      evidence: [{ path: 'subnetId', actual: undefined, expected: 'a subnet' }],
    };
  const os = osKind(instance, index);
  const wanted = bucketsFor(instance.region, os);
  if ('unknown' in wanted)
    return {
      outcome: 'not-applicable',
      reason: UNVERIFIABLE,
      detail: `Cannot be verified: ${wanted.unknown}, so the buckets instance ${instance.instanceId} must reach are not known.`,
      evidence: [{ path: 'region', actual: instance.region, note: PATCH_BUCKETS_SOURCE }],
    };
  cache.recordHops = withHops;
  const ephemeral: PortRange = [params.ephemeralPorts.from, params.ephemeralPorts.to];
  const s3 = s3Path(index, cache, net, ephemeral);
  let repoOutcome: PathOutcome | undefined;
  const internet = () =>
    (repoOutcome ??= internetPath(index, net, ephemeral, cache, ANY_PUBLIC_ENDPOINT, 'OS repository'));
  const parts = [s3Part(net, s3, wanted.buckets), reposPart(os, net, s3, internet)];
  const paths = [
    { service: 's3', outcome: s3.outcome },
    ...(repoOutcome ? [{ service: 'os-repositories', outcome: repoOutcome }] : []),
  ];
  const evidence: Evidence[] = [
    { path: 'patchBuckets', actual: wanted.buckets, note: PATCH_BUCKETS_SOURCE },
    ...(withHops ? hopsEvidence(net, paths) : []),
  ];
  return verdictOf(instance, parts, evidence);
}

function verdictOf(instance: Ec2Instance, parts: Part[], evidence: Evidence[]): CheckResult {
  const failure = parts.find((p): p is Extract<Part, { outcome: 'fail' }> => 'outcome' in p);
  if (failure) return { ...failure, evidence: [...failure.evidence, ...evidence] };
  const unverifiable = parts.find((p) => 'kind' in p && p.kind === 'unverifiable');
  if (unverifiable && 'kind' in unverifiable)
    return {
      outcome: 'not-applicable',
      reason: UNVERIFIABLE,
      detail: `Cannot be verified: the patch egress of instance ${instance.instanceId} is not a pass and not a failure: ${unverifiable.detail}.`,
      evidence,
    };
  return { outcome: 'pass', detail: parts.map((p) => ('detail' in p ? p.detail : '')).join('; '), evidence };
}

/** True when the instance's VPC has an S3 interface endpoint (whose private DNS needs the VPC's DNS attributes). */
function hasS3InterfaceEndpoint(instance: Ec2Instance, index: InventoryIndex): boolean {
  if (instance.vpcId === undefined) return false;
  return index
    .endpointsInVpc(instance.vpcId)
    .some((e) => e.endpointType === 'Interface' && isS3Service(e.serviceName, instance.region));
}

export const patchEgress: NamedCheck<Ec2Instance, Params> = {
  name: 'patch-egress',
  description:
    "A patch operation can read Patch Manager's S3 buckets of the instance's Region (through an S3 gateway endpoint whose route applies and whose policy allows s3:GetObject on them, an S3 interface endpoint, or a NAT or internet gateway) and its OS's repositories.",
  resourceTypes: ['AWS::EC2::Instance'],
  // The VPC and its DNS attributes matter only for an S3 interface endpoint's private DNS: read on a change event
  // only when the VPC has one (the Lambda's second round).
  needs: [
    ...SERVICE_PATH_NEEDS.filter((n) => n !== 'instance.vpc' && n !== 'instance.vpc-attributes'),
    'instance.managed-node',
  ],
  deferredNeeds: { needs: ['instance.vpc', 'instance.vpc-attributes'], wanted: hasS3InterfaceEndpoint },
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ephemeralPorts: {
        type: 'object',
        additionalProperties: false,
        required: ['from', 'to'],
        properties: {
          from: { type: 'integer', minimum: 0, maximum: 65535 },
          to: { type: 'integer', minimum: 0, maximum: 65535 },
        },
        default: { from: 1024, to: 65535 },
      },
    },
  },
  evaluate(instance, { index, params, passEvidence }) {
    return evaluateEgress(instance, index, pathCacheFor(index), params, passEvidence !== false);
  },
};
