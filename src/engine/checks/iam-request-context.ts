// The request context of an instance's SSM Agent calls (role, instance, region, network path) and the endpoint
// policies on that path: the glue between the network-path result and the IAM evaluator.

import {
  describeContextValue,
  isFullAccessPolicy,
  requestContext,
  type ContextSpec,
  type EndpointPolicyLayer,
  type RequestContext,
} from '../../iam/index.js';
import { DataUnavailableError } from '../../inventory/coverage.js';
import type { InventoryIndex } from '../../inventory/inventory-index.js';
import type { Ec2Instance, IamRole, Organization } from '../../inventory/model.js';
import { CheckDataError } from './check-data-error.js';
import { SSM_SERVICES, type SsmService } from './network-path/endpoint-path.js';
import { ssmServicePaths, type ServicePath } from './network-path/service-paths.js';

/** Keys whose value comes from the network path of each service. */
const PATH_KEYS = ['aws:sourcevpc', 'aws:sourcevpce', 'aws:sourceip', 'aws:vpcsourceip'];

/** What the agent's calls from one instance carry, per service. */
export interface InstanceRequestContext {
  contextFor(service: string): RequestContext;
  endpointPolicies: EndpointPolicyLayer[];
  /** The values of `keys` in every service's context, as one string (a cache key). */
  signature(keys: readonly string[]): string;
  /** Limits of what is known ("network path not read: …"). */
  notes: string[];
}

export interface RequestContextInput {
  instance: Ec2Instance;
  role: IamRole;
  /** How the agent got its credentials: instance profile, or DHMC (delivered by Systems Manager). */
  credentials: 'profile' | 'dhmc';
  index: InventoryIndex;
  nowMs: number;
  /** Keys the role's policies read (lower-cased): the path is looked up only when they need it. */
  keys: readonly string[];
}

/**
 * Builds the context from the request model's key list (src/iam/data/agent-requests.yaml, globalContextKeys;
 * aws-facts-2 §2). Keys the inventory cannot know stay unknown, so a policy testing them gives CONDITIONAL.
 * The path of each service comes from the network-path module's `ssmServicePaths` (an interface endpoint, or the
 * internet through a device); a path that cannot be read leaves the path keys unknown and the endpoint policies
 * unevaluated, said in `notes`.
 */
export function instanceRequestContext(input: RequestContextInput): InstanceRequestContext {
  const { instance, index } = input;
  const notes: string[] = [];
  const paths = servicePaths(input, notes);
  const endpointPolicies: EndpointPolicyLayer[] = [];
  for (const service of SSM_SERVICES) {
    const path = paths?.get(service);
    if (path?.via !== 'vpc-endpoint') continue;
    const endpoint = index.endpointsInVpc(path.vpcId).find((e) => e.vpcEndpointId === path.vpcEndpointId);
    // The default full-access policy allows every request: no layer (and no need for the path to know it).
    if (endpoint?.policy === undefined || isFullAccessPolicy(endpoint.policy)) continue;
    endpointPolicies.push({
      name: endpoint.vpcEndpointId,
      services: [service],
      policy: { id: endpoint.vpcEndpointId, policy: endpoint.policy },
    });
  }
  // Built on first use: most verdicts are found in the cache by their key, and need no context at all.
  let base: ContextSpec | undefined;
  const contexts = new Map<string, RequestContext>();
  const contextFor = (service: string): RequestContext => {
    let context = contexts.get(service);
    if (context === undefined) {
      base ??= baseSpec(input);
      context = requestContext(withPath(base, paths?.get(service), instance));
      contexts.set(service, context);
    }
    return context;
  };
  return {
    contextFor,
    endpointPolicies,
    notes,
    signature(keys) {
      if (keys.length === 0) return '';
      const parts: string[] = [];
      for (const service of SSM_SERVICES) {
        const context = contextFor(service);
        parts.push(
          `${service}{${keys.map((k) => `${k}=${describeContextValue(context.lookup(k))}`).join(',')}}`,
        );
      }
      return parts.join('');
    },
  };
}

function baseSpec({ instance, role, credentials, nowMs, index }: RequestContextInput): ContextSpec {
  const partition = role.arn.split(':')[1] || 'aws';
  const values: Record<string, string> = {
    'aws:RequestedRegion': instance.region,
    'aws:PrincipalArn': role.arn,
    'aws:PrincipalAccount': role.accountId,
    'aws:PrincipalType': 'AssumedRole',
    'aws:SecureTransport': 'true',
    'aws:ViaAWSService': 'false',
    'aws:CurrentTime': new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(nowMs / 1000)),
  };
  for (const [key, value] of Object.entries(role.tags)) values[`aws:PrincipalTag/${key}`] = value;
  if (role.roleId !== undefined) values['aws:userid'] = `${role.roleId}:${instance.instanceId}`;
  const unknown: Record<string, string> = {};
  const organization = organizationOf(role.accountId, index.inventory.organizations ?? []);
  if (organization !== undefined) {
    values['aws:PrincipalOrgID'] = organization.organizationId;
    values['aws:PrincipalOrgPaths'] = organization.path;
  } else {
    unknown['aws:PrincipalOrgID'] = 'Organizations data not in the inventory';
    unknown['aws:PrincipalOrgPaths'] = 'Organizations data not in the inventory';
  }
  if (role.roleId === undefined) unknown['aws:userid'] = 'the role id was not read';
  const absent = ['aws:username', 'aws:SourceIdentity', 'aws:CalledVia', 'aws:MultiFactorAuthPresent'];
  if (credentials === 'profile') {
    // Instance-profile credentials carry ec2:SourceInstanceARN and the instance's VPC and primary private IPv4;
    // ssm:SourceInstanceARN is absent for them (aws-facts-2 §1, §2).
    values['ec2:SourceInstanceARN'] =
      `arn:${partition}:ec2:${instance.region}:${instance.accountId}:instance/${instance.instanceId}`;
    if (instance.vpcId !== undefined) values['aws:Ec2InstanceSourceVpc'] = instance.vpcId;
    if (instance.privateIpAddress !== undefined)
      values['aws:Ec2InstanceSourcePrivateIPv4'] = instance.privateIpAddress;
    absent.push('ssm:SourceInstanceARN');
    if (instance.metadataOptions?.httpTokens === 'required') values['ec2:RoleDelivery'] = '2.0';
  } else {
    for (const key of ['ec2:SourceInstanceARN', 'ssm:SourceInstanceARN', 'aws:Ec2InstanceSourceVpc'])
      unknown[key] = 'which keys DHMC credentials carry is not documented';
  }
  return { values, absent, unknown, closedPrefixes: ['aws:PrincipalTag/'] };
}

/**
 * The organization of an account and its aws:PrincipalOrgPaths value: the organization id, then the root and
 * each OU down to the account's parent, each followed by "/" ("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/").
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths
 */
function organizationOf(
  accountId: string,
  organizations: readonly Organization[],
): { organizationId: string; path: string } | undefined {
  const org = organizations.find(
    (o) => o.managementAccountId === accountId || Object.hasOwn(o.parentOf, accountId),
  );
  if (org === undefined) return undefined;
  const chain: string[] = [];
  const seen = new Set<string>();
  for (let id = org.parentOf[accountId]; id !== undefined && !seen.has(id); id = org.parentOf[id]) {
    chain.unshift(id);
    seen.add(id);
  }
  return { organizationId: org.organizationId, path: [org.organizationId, ...chain].join('/') + '/' };
}

/**
 * Whether the request context needs the instance's network path: the policies read a path key, or an interface
 * endpoint of the VPC has a policy (which applies if the path runs through it). Otherwise the path is not read.
 */
export function pathConsulted(
  keys: readonly string[],
  instance: Ec2Instance,
  index: InventoryIndex,
): boolean {
  if (keys.some((k) => PATH_KEYS.includes(k))) return true;
  if (instance.vpcId === undefined) return false;
  // Endpoints not read: whether one with a policy is on the path is unknown, so the path is asked for (and, when it
  // cannot be read either, the evidence says the endpoint policies were not evaluated).
  if (index.coverage.state('ec2:vpc-endpoints', instance).status !== 'read') return true;
  return index
    .endpointsInVpc(instance.vpcId)
    .some((e) => e.policy !== undefined && e.endpointType === 'Interface' && !isFullAccessPolicy(e.policy));
}

function servicePaths(input: RequestContextInput, notes: string[]): Map<string, ServicePath> | undefined {
  const { instance, index } = input;
  if (!pathConsulted(input.keys, instance, index)) return new Map();
  try {
    return new Map(ssmServicePaths(instance, index).map((p) => [p.service, p]));
  } catch (error) {
    if (!(error instanceof DataUnavailableError) && !(error instanceof CheckDataError)) throw error;
    notes.push(
      `network path not known (${error.message}): aws:SourceVpce, aws:SourceVpc and aws:SourceIp are unknown and VPC endpoint policies were not evaluated`,
    );
    return undefined;
  }
}

function withPath(base: ContextSpec, path: ServicePath | undefined, instance: Ec2Instance): ContextSpec {
  const values = { ...base.values };
  const absent = [...(base.absent ?? [])];
  const unknown = { ...base.unknown };
  if (path === undefined || path.via === 'none') {
    for (const key of ['aws:SourceVpc', 'aws:SourceVpce', 'aws:SourceIp', 'aws:VpcSourceIp'])
      unknown[key] = 'the network path is not known';
  } else if (path.via === 'vpc-endpoint') {
    // Through an interface endpoint: aws:SourceVpc/SourceVpce/VpcSourceIp are present, aws:SourceIp is not.
    values['aws:SourceVpc'] = path.vpcId;
    values['aws:SourceVpce'] = path.vpcEndpointId;
    if (instance.privateIpAddress !== undefined) values['aws:VpcSourceIp'] = instance.privateIpAddress;
    absent.push('aws:SourceIp');
  } else {
    absent.push('aws:SourceVpc', 'aws:SourceVpce', 'aws:VpcSourceIp');
    const ips = new Set(path.exits.map((e) => e.sourceIp));
    const only = path.exits.length > 0 ? path.exits[0]!.sourceIp : undefined;
    if (ips.size === 1 && only !== undefined) values['aws:SourceIp'] = only;
    else unknown['aws:SourceIp'] = 'the public address is not in the data (NAT, or several exits)';
  }
  return { ...base, values, absent, unknown };
}

export type { SsmService };
