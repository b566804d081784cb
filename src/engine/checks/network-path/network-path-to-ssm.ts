// Named check `network-path-to-ssm`: can the instance open TCP 443 to ssm and ssmmessages (and, optionally,
// ec2messages) through interface endpoints or an internet path? Names the resource that breaks the path.

import { SERVICE_PATH_NEEDS } from './service-paths.js';
import type { InventoryIndex } from '../../../inventory/inventory-index.js';
import type { Ec2Instance } from '../../../inventory/model.js';
import type { Evidence } from '../../types.js';
import type { CheckResult, NamedCheck } from '../named-check.js';
import { endpointPath, selectEndpoint, vpcUsesEndpoints, type SsmService } from './endpoint-path.js';
import { instanceNetwork, type InstanceNetwork } from './instance-network.js';
import { endpointAddresses } from './endpoint-addresses.js';
import { internetPath } from './internet-path.js';
import type { PortRange } from './nacl-evaluation.js';
import { pathCacheFor, type PathCache } from './path-cache.js';
import {
  HOP_ORDER,
  type HopStep,
  type PathBroken,
  type PathOutcome,
  type PathTrail,
} from './path-outcome.js';

export interface NetworkPathParams {
  /** Also require ec2messages (agents before 3.3.40.0 need it; newer ones switch it off, aws-facts §0 #8). */
  requireEc2messages: boolean;
  /** The return-traffic ports NACLs must allow (the instance's ephemeral source ports). */
  ephemeralPorts: { from: number; to: number };
}

/** The prefix of a not-applicable message when the path leaves what this account's inventory shows. */
export const UNVERIFIABLE_PREFIX = 'Cannot be verified from this account';

/** One service's path: its endpoint when private DNS points at one, else the internet path. */
function servicePath(
  context: InventoryIndex,
  cache: PathCache,
  instanceNet: InstanceNetwork,
  service: SsmService,
  ephemeral: PortRange,
): PathOutcome {
  const selection = selectEndpoint(context, cache, instanceNet, service);
  if (selection.kind === 'usable')
    return endpointPath(context, cache, instanceNet, selection.endpoint, ephemeral);
  const addresses = endpointAddresses(context, cache, instanceNet.instance.region);
  const internet = internetPath(context, instanceNet, ephemeral, cache, addresses);
  if (internet.kind !== 'broken') {
    // An endpoint that exists but is unusable is harmless while the internet path works; say so.
    return selection.exists
      ? {
          ...internet,
          evidence: [
            ...internet.evidence,
            { note: `${service}: ${selection.problem.detail}; traffic uses the internet path` },
          ],
        }
      : internet;
  }
  // A VPC with SSM endpoints is meant to reach SSM privately: the missing or unusable endpoint is the break.
  if (
    selection.exists ||
    vpcUsesEndpoints(context, cache, instanceNet.subnet.vpcId, instanceNet.instance.region)
  ) {
    const p = selection.problem;
    const endpointStep: PathTrail = {
      parts: `the interface endpoint for ${service}`,
      steps: [
        {
          hop: 'device',
          verdict: 'blocks',
          detail: p.detail,
          ...(p.cause.resourceId ? { resourceId: p.cause.resourceId } : {}),
          parts: service,
        },
      ],
    };
    return {
      ...p,
      detail: `${p.detail}, and there is no internet path either (${internet.detail})`,
      evidence: [...p.evidence, ...internet.evidence],
      trails: [endpointStep, ...(internet.trails ?? [])],
    };
  }
  // Without a route, endpoints are the other way out: say that there are none.
  const routeProblem =
    internet.reason === 'NET.NO_ROUTE' ||
    internet.reason === 'NET.BLACKHOLE_ROUTE' ||
    internet.reason === 'NET.NO_PUBLIC_IP';
  return routeProblem
    ? {
        ...internet,
        detail: `${internet.detail}, and ${instanceNet.subnet.vpcId} has no interface endpoints for Systems Manager`,
      }
    : internet;
}

/** Evidence of several services, one item per distinct fact, noting which services it concerns. */
function mergeEvidence(items: { service: SsmService; e: Evidence }[]): Evidence[] {
  const merged = new Map<string, { e: Evidence; services: SsmService[] }>();
  for (const { service, e } of items) {
    const key = JSON.stringify([e.path, e.resourceId, e.actual, e.expected, e.note]);
    const entry = merged.get(key);
    if (entry) entry.services.push(service);
    else merged.set(key, { e, services: [service] });
  }
  return [...merged.values()].map(({ e, services }) => ({
    ...e,
    note: e.note ? `${services.join(', ')}: ${e.note}` : services.join(', '),
  }));
}

const HOP_RANK = new Map(HOP_ORDER.map((hop, i) => [hop, i]));

/**
 * The path hop by hop for explain, one evidence item per distinct path (services that take the same one share
 * it): the instance's interface, then each part of the destinations with the hops it met, in traffic order.
 * The patch-egress check records its S3 and repository paths the same way.
 */
export function hopsEvidence(
  net: InstanceNetwork,
  outcomes: readonly { service: string; outcome: PathOutcome }[],
): Evidence[] {
  const instance: HopStep = {
    hop: 'instance',
    verdict: 'ok',
    detail: `the instance's network interface in ${net.subnet.subnetId} (security groups ${net.groupIds.join(', ') || 'none'}; route table ${net.routeTable.routeTableId}; network ACL ${net.nacl.networkAclId})`,
    resourceId: net.subnet.subnetId,
    parts: `IPv${net.family}`,
  };
  const byPath = new Map<string, { services: string[]; via: string; verdict: string; trails: PathTrail[] }>();
  for (const { service, outcome } of outcomes) {
    const trails = (outcome.trails ?? []).map((t) => ({
      parts: t.parts,
      steps: [instance, ...[...t.steps].sort((a, b) => HOP_RANK.get(a.hop)! - HOP_RANK.get(b.hop)!)],
    }));
    const via =
      outcome.kind === 'open' ? outcome.via : outcome.kind === 'broken' ? outcome.reason : 'unverifiable';
    const verdict = outcome.kind === 'open' ? 'ok' : outcome.kind === 'broken' ? 'blocks' : 'unverifiable';
    const key = JSON.stringify([via, verdict, trails]);
    const entry = byPath.get(key);
    if (entry) entry.services.push(service);
    else byPath.set(key, { services: [service], via, verdict, trails });
  }
  return [...byPath.values()].map((path) => ({ path: 'networkPath.hops', actual: path }));
}

/** The answer for an instance's network, as a function of the instance id (only the "cannot verify" text names it). */
function evaluatePath(
  net: InstanceNetwork,
  index: InventoryIndex,
  cache: PathCache,
  params: NetworkPathParams,
  /** Also record the path hop by hop (explain, --evidence all); lean scans skip it. */
  withHops: boolean,
): (instanceId: string) => CheckResult {
  const ephemeral: PortRange = [params.ephemeralPorts.from, params.ephemeralPorts.to];
  const services: SsmService[] = params.requireEc2messages
    ? ['ssm', 'ssmmessages', 'ec2messages']
    : ['ssm', 'ssmmessages'];
  const outcomes = services.map((service) => ({
    service,
    outcome: servicePath(index, cache, net, service, ephemeral),
  }));
  const evidenceOf = (list: typeof outcomes): Evidence[] => [
    ...mergeEvidence(list.flatMap(({ service, outcome }) => outcome.evidence.map((e) => ({ service, e })))),
    ...(withHops ? hopsEvidence(net, list) : []),
  ];

  const failures = outcomes.filter(
    (o): o is { service: SsmService; outcome: PathBroken } => o.outcome.kind === 'broken',
  );
  const first = failures[0];
  if (first) {
    const same = failures
      .slice(1)
      .filter(
        (f) =>
          f.outcome.reason === first.outcome.reason &&
          f.outcome.cause.resourceId === first.outcome.cause.resourceId,
      );
    const also = same.length > 0 ? ` (the same for ${same.map((f) => f.service).join(', ')})` : '';
    const result: CheckResult = {
      outcome: 'fail',
      reason: first.outcome.reason,
      detail: `${first.service}: ${first.outcome.detail}${also}`,
      evidence: evidenceOf(outcomes),
      cause: first.outcome.cause,
      remediation: first.outcome.remediation,
    };
    return () => result;
  }
  const unverifiable = outcomes.find((o) => o.outcome.kind === 'unverifiable');
  if (unverifiable && unverifiable.outcome.kind === 'unverifiable') {
    const evidence = [
      {
        resourceId: unverifiable.outcome.resourceId,
        path: 'networkPath',
        actual: 'unverifiable',
        note: unverifiable.outcome.detail,
      },
      ...evidenceOf(outcomes),
    ];
    const { service, outcome } = unverifiable;
    return (instanceId) => ({
      outcome: 'not-applicable',
      reason: 'NET.PATH_UNVERIFIABLE',
      detail: `${UNVERIFIABLE_PREFIX}: the path of instance ${instanceId} to ${service} is not a pass and not a failure: ${outcome.detail}.`,
      evidence,
    });
  }
  const vias = outcomes.map(
    ({ service, outcome }) => `${service} via ${outcome.kind === 'open' ? outcome.via : '?'}`,
  );
  const result: CheckResult = { outcome: 'pass', detail: vias.join('; '), evidence: evidenceOf(outcomes) };
  return () => result;
}

export const networkPathToSsm: NamedCheck<Ec2Instance, NetworkPathParams> = {
  name: 'network-path-to-ssm',
  description:
    'The instance can open TCP 443 to ssm and ssmmessages (optionally ec2messages): interface endpoints with private DNS, or a route to an internet gateway (with a public IP) or a NAT; security groups and network ACLs allow it both ways.',
  resourceTypes: ['AWS::EC2::Instance'],
  needs: SERVICE_PATH_NEEDS,
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      requireEc2messages: { type: 'boolean', default: false },
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
  evaluate(instance, { index, params, passEvidence }): CheckResult {
    const cache = pathCacheFor(index);
    // Instances of one subnet with the same groups and kind of public address get the same answer, unless a
    // rule covers only part of their subnet; the data checks (need) run on the first instance of each key.
    const primary =
      instance.networkInterfaces.find((n) => n.deviceIndex === 0) ?? instance.networkInterfaces[0];
    const groups =
      primary && primary.securityGroupIds.length > 0 ? primary.securityGroupIds : instance.securityGroupIds;
    const publicKind = `${instance.publicIpAddress !== undefined || instance.networkInterfaces.some((n) => n.publicIp !== undefined) ? 'p' : ''}${instance.ipv6Addresses.length > 0 || primary?.ipv6Addresses.length ? '6' : ''}${instance.privateIpAddress !== undefined || primary?.privateIpAddresses.length ? '4' : ''}`;
    const withHops = passEvidence !== false;
    const key = `result|${instance.accountId}|${instance.region}|${instance.subnetId ?? '-'}|${[...groups].sort().join(',')}|${publicKind}|${params.requireEc2messages}|${params.ephemeralPorts.from}-${params.ephemeralPorts.to}|${withHops}`;
    const shared = cache.peek<(instanceId: string) => CheckResult>(key);
    if (shared) return shared(instance.instanceId);
    const net = instanceNetwork(instance, index, cache);
    if (!net) {
      return {
        outcome: 'not-applicable',
        detail: `Instance ${instance.instanceId} is not in a VPC subnet.`,
        evidence: [{ path: 'subnetId', actual: undefined, expected: 'a subnet' }],
      };
    }
    cache.addressDependent = false;
    cache.recordHops = withHops;
    const make = evaluatePath(net, index, cache, params, withHops);
    if (!cache.addressDependent) cache.store(key, make);
    return make(instance.instanceId);
  },
};
