// The neighbourhood vocabulary: what a rule may read around the resource it judges, and the families each fills.

import type { ResourceFamily } from './model.js';

/**
 * One part of a resource's neighbourhood, named relative to the resource (an instance's security groups, the
 * endpoints of its VPC…) or to its scope (the region's DHMC setting). Relations and named checks declare the
 * parts they read; a rule's neighbourhood is the union over its paths and checks (engine/rule-neighbourhood.ts),
 * and the Config rule Lambda reads exactly that around a changed resource (lambda/scoped-reader.ts).
 */
export const NEIGHBOURS = {
  'instance.security-groups': {
    families: ['ec2:security-groups'],
    description: 'the security groups of the instance and its network interfaces',
  },
  'instance.subnet': { families: ['ec2:subnets'], description: "the instance's subnet" },
  'instance.route-table': {
    families: ['ec2:route-tables'],
    description: "the route table of the instance's subnet (its association, else the VPC's main table)",
  },
  'instance.network-acl': {
    families: ['ec2:network-acls'],
    description: "the network ACL of the instance's subnet",
  },
  'instance.route-devices': {
    families: ['ec2:nat-gateways', 'ec2:internet-gateways', 'ec2:egress-only-internet-gateways'],
    description:
      "the NAT, internet and egress-only internet gateways that the route tables of the instance's subnet (and of its VPC's endpoints' subnets) name",
  },
  'instance.vpc': { families: ['ec2:vpcs'], description: "the instance's VPC" },
  'instance.vpc-attributes': {
    families: ['ec2:vpc-attributes'],
    description: "the DNS attributes of the instance's VPC (enableDnsSupport, enableDnsHostnames)",
  },
  'vpc.endpoints': {
    families: [
      'ec2:vpc-endpoints',
      'ec2:security-groups',
      'ec2:subnets',
      'ec2:route-tables',
      'ec2:network-acls',
    ],
    description:
      "the VPC's endpoints, their security groups, and their subnets' route tables and network ACLs",
  },
  'vpc.endpoint-policies': {
    families: ['ec2:vpc-endpoints'],
    description:
      "the VPC's endpoints and their policies only (DescribeVpcEndpoints), without their groups and subnets",
  },
  'instance.iam': {
    families: ['iam:authorization-details'],
    description:
      'the instance profile and its role with its trust policy (and the DHMC role, when DHMC is on)',
  },
  'instance.iam-policies': {
    families: ['iam:authorization-details'],
    description: 'the permissions of those roles: inline and managed policies, boundary and tags',
  },
  'instance.managed-node': {
    families: ['ssm:instance-information'],
    description: "the instance's SSM managed-node entry",
  },
  'instance.patch-state': {
    families: ['ssm:instance-patch-states'],
    description: "the instance's latest patch operation (DescribeInstancePatchStates)",
  },
  'account.hybrid-nodes': {
    families: ['ssm:instance-information'],
    description: 'the hybrid-activated (mi-) managed nodes of the account and region',
  },
  'region.dhmc': {
    families: ['ssm:dhmc-setting'],
    description: 'the DHMC setting of the account and region',
  },
  'region.maintenance-windows': {
    families: ['ssm:maintenance-windows', 'ssm:maintenance-window-targets', 'ssm:maintenance-window-tasks'],
    description: 'the maintenance windows of the region, their targets and tasks',
  },
  'region.window-runs': {
    families: [
      'ssm:maintenance-windows',
      'ssm:maintenance-window-executions',
      'ssm:maintenance-window-execution-tasks',
      'ssm:maintenance-window-execution-task-invocations',
    ],
    description:
      "the recent runs of the region's maintenance windows: the latest finished run's task runs and patch invocations",
  },
  'region.patch-groups': { families: ['ssm:patch-groups'], description: 'the patch groups of the region' },
  'region.patch-baselines': {
    families: ['ssm:patch-baselines', 'ssm:patch-baseline-details'],
    description:
      "the region's patch baselines (each OS's default among them) and what each baseline in use approves (GetPatchBaseline)",
  },
  'window.targets-and-tasks': {
    families: [
      'ssm:maintenance-window-targets',
      'ssm:maintenance-window-tasks',
      'ssm:maintenance-window-task-details',
    ],
    description:
      "a maintenance window's own targets and tasks (one call each per window), and its tasks' parameters (GetMaintenanceWindowTask)",
  },
  'window.task-roles': {
    families: ['iam:authorization-details'],
    description: "the service roles a maintenance window's tasks run as, and their trust policies",
  },
  'target.window': {
    families: ['ssm:maintenance-windows'],
    description: 'the maintenance window a window target belongs to',
  },
  'account.scps': {
    families: ['org:service-control-policies'],
    description: 'the service control policies applying to the account (optional: supplied offline)',
  },
} as const satisfies Record<string, { families: readonly ResourceFamily[]; description: string }>;

export type Neighbour = keyof typeof NEIGHBOURS;

/** The families a set of neighbours fills, sorted. */
export function familiesOf(neighbours: Iterable<Neighbour>): ResourceFamily[] {
  const out = new Set<ResourceFamily>();
  for (const neighbour of neighbours) for (const family of NEIGHBOURS[neighbour].families) out.add(family);
  return [...out].sort();
}
