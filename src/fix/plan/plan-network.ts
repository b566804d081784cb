// Plans the instance-side network links: the metadata endpoint, inbound rules exposing SSM ports (revoked one
// rule at a time, never a whole group), endpoint security groups that block the instances, and missing
// interface endpoints (with private DNS and an endpoint security group allowing 443 from the VPC).

import type { Ec2Instance, SecurityGroupRule } from '../../inventory/model.js';
import { describePeer, ruleAllowsTcpPort } from '../../engine/checks/port-exposure.js';
import { failing, groupBy, type PlanContext } from './plan-context.js';
import type { IpPermission } from './plan-types.js';

const INTERNET = new Set(['0.0.0.0/0', '::/0']);
const ENDPOINT_GROUP_NAME = 'ssmguard-ssm-endpoints';
/** Reasons an added interface endpoint repairs: no path at all, or a missing SSM endpoint in the VPC. */
const MISSING_ENDPOINT_REASONS = [
  'NET.NO_ROUTE',
  'NET.NO_SSM_ENDPOINT',
  'NET.NO_SSMMESSAGES_ENDPOINT',
  'NET.NO_EC2MESSAGES_ENDPOINT',
];

export function planMetadataEndpoint(context: PlanContext): void {
  const { builder } = context;
  for (const result of failing(context, 'ec2-instance-imds-available', ['EC2.IMDS_DISABLED'])) {
    const group = builder.group(
      `ec2-instance-imds-available|EC2.IMDS_DISABLED|${result.accountId}|${result.region}`,
      'Instance metadata endpoint disabled — enable it',
      result.ruleId,
      'EC2.IMDS_DISABLED',
    );
    builder.add(group, {
      kind: 'ec2:modify-instance-metadata-options',
      accountId: result.accountId,
      region: result.region,
      target: { resourceType: 'AWS::EC2::Instance', resourceId: result.resourceId },
      params: { instanceId: result.resourceId, httpEndpoint: 'enabled' },
      after: { httpEndpoint: 'enabled' },
      summary: `enable the instance metadata endpoint of ${result.resourceId}`,
      fixes: [{ ruleId: result.ruleId, reason: 'EC2.IMDS_DISABLED', resourceIds: [result.resourceId] }],
    });
    builder.covers(group, [result.resourceId]);
  }
}

/** The permission (IpPermissions form, one peer) that revokes or authorizes exactly this model rule. */
export function permissionOf(rule: SecurityGroupRule): IpPermission {
  const all = rule.protocol === 'all';
  return {
    IpProtocol: all ? '-1' : rule.protocol,
    ...(!all && { FromPort: rule.fromPort, ToPort: rule.toPort }),
    ...(rule.cidrIpv4 !== undefined && { IpRanges: [{ CidrIp: rule.cidrIpv4 }] }),
    ...(rule.cidrIpv6 !== undefined && { Ipv6Ranges: [{ CidrIpv6: rule.cidrIpv6 }] }),
    ...(rule.referencedGroupId !== undefined && { UserIdGroupPairs: [{ GroupId: rule.referencedGroupId }] }),
    ...(rule.prefixListId !== undefined && { PrefixListIds: [{ PrefixListId: rule.prefixListId }] }),
  };
}

export function planExposure(context: PlanContext): void {
  const { builder, index } = context;
  const params = context.ruleParams['ec2-instance-no-inbound-ssm-ports'] ?? {};
  const ports = Array.isArray(params.ports) ? (params.ports as number[]) : [22, 3389, 443];
  const strict = params.strict === true;
  for (const result of failing(context, 'ec2-instance-no-inbound-ssm-ports', ['NET.INBOUND_SSM_PORT'])) {
    const instance = index.instance(result.resourceId);
    if (!instance) continue;
    for (const { groupId, group: sg } of index.securityGroupsOf(instance)) {
      for (const rule of sg?.ingress ?? []) {
        const exposedPorts = ports.filter((port) => ruleAllowsTcpPort(rule, port));
        const exposed = strict || INTERNET.has(rule.cidrIpv4 ?? '') || INTERNET.has(rule.cidrIpv6 ?? '');
        if (!exposed || exposedPorts.length === 0) continue;
        const group = builder.group(
          `ec2-instance-no-inbound-ssm-ports|NET.INBOUND_SSM_PORT|${groupId}`,
          `Security group ${groupId} opens SSM ports inbound — revoke the exposing rules`,
          result.ruleId,
          'NET.INBOUND_SSM_PORT',
        );
        const permission = permissionOf(rule);
        builder.add(group, {
          key: `revoke|${groupId}|${JSON.stringify(permission)}`,
          kind: 'ec2:revoke-security-group-ingress',
          accountId: result.accountId,
          region: result.region,
          target: { resourceType: 'AWS::EC2::SecurityGroup', resourceId: groupId },
          params: { groupId, permission },
          after: { present: false },
          summary: `revoke inbound ${describeRule(rule)} from ${describePeer(rule)} on ${groupId}`,
          warnings: exposureWarnings(context, groupId, rule, exposedPorts),
          fixes: [
            { ruleId: result.ruleId, reason: 'NET.INBOUND_SSM_PORT', resourceIds: [result.resourceId] },
          ],
        });
        builder.covers(group, [result.resourceId]);
      }
    }
  }
}

function describeRule(rule: SecurityGroupRule): string {
  if (rule.protocol === 'all') return 'all traffic';
  return rule.fromPort === rule.toPort
    ? `${rule.protocol}/${rule.fromPort}`
    : `${rule.protocol}/${rule.fromPort}-${rule.toPort}`;
}

/** What else revoking the rule closes, and who else uses the group. */
function exposureWarnings(
  context: PlanContext,
  groupId: string,
  rule: SecurityGroupRule,
  exposed: readonly number[],
): string[] {
  const warnings: string[] = [];
  const wider = rule.protocol === 'all' || rule.fromPort !== rule.toPort;
  if (wider)
    warnings.push(
      `the rule also opens ${describeRule(rule)} beyond port(s) ${exposed.join(', ')}: revoking it closes all of that from ${describePeer(rule)}`,
    );
  const users = context.index.inventory.instances.filter((i) =>
    context.index.securityGroupIdsOf(i).includes(groupId),
  );
  if (users.length > 1)
    warnings.push(
      `${groupId} is used by ${users.length} instances: ${users
        .slice(0, 5)
        .map((i) => i.instanceId)
        .join(', ')}${users.length > 5 ? ', …' : ''}`,
    );
  return warnings;
}

/** The Systems Manager interface endpoint services an instance needs in its region. */
function ssmServices(context: PlanContext, region: string): string[] {
  const params = context.ruleParams['ec2-instance-network-path-to-ssm'] ?? {};
  const names = ['ssm', 'ssmmessages', ...(params.requireEc2messages === true ? ['ec2messages'] : [])];
  return names.map((name) => `com.amazonaws.${region}.${name}`);
}

export function planEndpointAccess(context: PlanContext): void {
  const { builder, index } = context;
  for (const result of failing(context, 'ec2-instance-network-path-to-ssm', ['NET.ENDPOINT_SG_BLOCKS'])) {
    const instance = index.instance(result.resourceId);
    const vpc = instance?.vpcId !== undefined ? index.vpc(instance.vpcId) : undefined;
    const cidr = vpc?.cidrBlocks[0];
    if (!instance || !vpc || cidr === undefined) continue;
    const services = new Set(ssmServices(context, instance.region));
    const endpoints = index
      .endpointsInVpc(vpc.vpcId)
      .filter((e) => services.has(e.serviceName) && e.endpointType === 'Interface');
    const groupIds = [...new Set(endpoints.flatMap((e) => e.securityGroupIds))];
    const group = builder.group(
      `ec2-instance-network-path-to-ssm|NET.ENDPOINT_SG_BLOCKS|${groupIds.join(',')}`,
      `Endpoint security group(s) ${groupIds.join(', ')} block the instances — allow TCP 443 from ${vpc.vpcId} (${cidr})`,
      result.ruleId,
      'NET.ENDPOINT_SG_BLOCKS',
    );
    const permission: IpPermission = {
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      IpRanges: [{ CidrIp: cidr }],
    };
    for (const groupId of groupIds) {
      builder.add(group, {
        key: `authorize|${groupId}|${cidr}`,
        kind: 'ec2:authorize-security-group-ingress',
        accountId: instance.accountId,
        region: instance.region,
        target: { resourceType: 'AWS::EC2::SecurityGroup', resourceId: groupId },
        params: { group: { groupId }, permission },
        after: { present: true },
        summary: `allow inbound tcp/443 from ${cidr} (${vpc.vpcId}) on endpoint security group ${groupId}`,
        fixes: [
          { ruleId: result.ruleId, reason: 'NET.ENDPOINT_SG_BLOCKS', resourceIds: [result.resourceId] },
        ],
      });
    }
    builder.covers(group, [result.resourceId]);
  }
}

export function planInterfaceEndpoints(context: PlanContext): void {
  const results = failing(context, 'ec2-instance-network-path-to-ssm', MISSING_ENDPOINT_REASONS);
  const withVpc = results.filter((r) => context.index.instance(r.resourceId)?.vpcId !== undefined);
  for (const [vpcId, vpcResults] of groupBy(withVpc, (r) => context.index.instance(r.resourceId)!.vpcId!)) {
    const vpc = context.index.vpc(vpcId);
    const instances = vpcResults.map((r) => context.index.instance(r.resourceId)!);
    const region = instances[0]!.region;
    const present = new Set(
      context.index
        .endpointsInVpc(vpcId)
        .filter((e) => e.endpointType === 'Interface')
        .map((e) => e.serviceName),
    );
    const missing = ssmServices(context, region).filter((service) => !present.has(service));
    const blocker = !vpc
      ? `VPC ${vpcId} is not in the inventory`
      : vpc.enableDnsSupport !== true || vpc.enableDnsHostnames !== true
        ? `private DNS for interface endpoints needs enableDnsSupport and enableDnsHostnames on ${vpcId}; ssmguard does not change VPC DNS attributes`
        : missing.length === 0
          ? `${vpcId} already has the Systems Manager interface endpoints; the path fails elsewhere (state, private DNS or routing)`
          : undefined;
    if (blocker !== undefined || !vpc) {
      for (const result of vpcResults) context.builder.person(result, blocker ?? 'VPC not in the inventory');
      continue;
    }
    addEndpoints(
      context,
      vpc.vpcId,
      vpc.cidrBlocks,
      instances,
      missing,
      vpcResults.map((r) => ({ id: r.resourceId, reason: r.reason ?? '' })),
    );
  }
}

function addEndpoints(
  context: PlanContext,
  vpcId: string,
  cidrs: readonly string[],
  instances: readonly Ec2Instance[],
  services: readonly string[],
  repaired: readonly { id: string; reason: string }[],
): void {
  const { builder } = context;
  const { accountId, region } = instances[0]!;
  const group = builder.group(
    `ec2-instance-network-path-to-ssm|endpoints|${vpcId}`,
    `No network path to Systems Manager in ${vpcId} — add interface endpoints ${services.map((s) => s.split('.').pop()).join(', ')} with private DNS`,
    'ec2-instance-network-path-to-ssm',
    'NET.NO_ROUTE',
  );
  const ref = { groupName: ENDPOINT_GROUP_NAME, vpcId };
  const sg = { resourceType: 'AWS::EC2::SecurityGroup', resourceId: `${vpcId}/${ENDPOINT_GROUP_NAME}` };
  const dependsOn = [
    builder.add(group, {
      key: `create-sg|${vpcId}|${ENDPOINT_GROUP_NAME}`,
      kind: 'ec2:create-security-group',
      accountId,
      region,
      target: sg,
      params: {
        groupName: ENDPOINT_GROUP_NAME,
        description: 'Systems Manager interface endpoints: HTTPS from the VPC (ssmguard fix)',
        vpcId,
      },
      after: { exists: true },
      summary: `create security group ${ENDPOINT_GROUP_NAME} in ${vpcId} for the endpoints`,
    }),
  ];
  for (const cidr of cidrs) {
    dependsOn.push(
      builder.add(group, {
        key: `authorize|${vpcId}/${ENDPOINT_GROUP_NAME}|${cidr}`,
        kind: 'ec2:authorize-security-group-ingress',
        accountId,
        region,
        target: sg,
        params: {
          group: ref,
          permission: { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: cidr }] },
        },
        after: { present: true },
        dependsOn: [dependsOn[0]!],
        summary: `allow inbound tcp/443 from ${cidr} on ${ENDPOINT_GROUP_NAME}`,
      }),
    );
  }
  // One subnet per Availability Zone: an interface endpoint takes at most one subnet in each.
  const subnets = [
    ...groupBy(
      instances.filter((i) => i.subnetId !== undefined),
      (i) => i.availabilityZone ?? i.subnetId!,
    ).values(),
  ].map((list) => list[0]!.subnetId!);
  const fixes = [...groupBy(repaired, (r) => r.reason)].map(([reason, list]) => ({
    ruleId: 'ec2-instance-network-path-to-ssm',
    reason,
    resourceIds: list.map((r) => r.id),
  }));
  for (const serviceName of services) {
    builder.add(group, {
      kind: 'ec2:create-vpc-endpoint',
      accountId,
      region,
      target: { resourceType: 'AWS::EC2::VPCEndpoint', resourceId: `${vpcId}/${serviceName}` },
      params: { vpcId, serviceName, subnetIds: subnets, group: ref },
      after: { exists: true, privateDnsEnabled: true },
      dependsOn,
      summary: `create interface endpoint ${serviceName} in ${vpcId} (subnets ${subnets.join(', ')}) with private DNS`,
      warnings: [
        `with private DNS, every instance in ${vpcId} resolves ${serviceName.split('.').slice(2).join('.')} to the endpoint (the security group allows 443 from the whole VPC)`,
      ],
      fixes,
    });
  }
  builder.covers(
    group,
    repaired.map((r) => r.id),
  );
}
