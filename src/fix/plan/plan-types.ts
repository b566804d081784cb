// The fix plan: what `ssmguard fix` proposes and `fix --apply` executes (schemas/fix-plan.schema.json).

/** A JSON value as it appears in a plan's before/after states. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One EC2 security-group rule in the shape EC2's IpPermissions take, with a single peer. */
export type IpPermission = {
  /** "tcp", "udp", "icmp", … or "-1" for all traffic. */
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: { CidrIp: string }[];
  Ipv6Ranges?: { CidrIpv6: string }[];
  UserIdGroupPairs?: { GroupId: string }[];
  PrefixListIds?: { PrefixListId: string }[];
};

/** A security group named by id, or by the name it gets from a create-security-group change of the plan. */
export type GroupRef = { groupId: string } | { groupName: string; vpcId: string };

// A type alias, not an interface, so it is assignable to JsonValue.
export type MaintenanceTarget = { Key: string; Values: string[] };

/** The parameters of each change kind: exactly what its AWS call needs. */
export interface ChangeParams {
  'iam:create-role': { roleName: string; path: string; trustPolicy: JsonValue; description: string };
  'iam:attach-role-policy': { roleName: string; policyArn: string };
  'iam:put-role-policy': { roleName: string; policyName: string; policyDocument: JsonValue };
  'iam:create-instance-profile': { instanceProfileName: string; path: string };
  'iam:add-role-to-instance-profile': { instanceProfileName: string; roleName: string };
  /** `roleArn`: the role the profile carries, which the caller passes to EC2 (iam:PassRole). */
  'ec2:associate-iam-instance-profile': {
    instanceId: string;
    instanceProfileName: string;
    instanceProfileArn: string;
    roleArn: string;
  };
  'ec2:replace-iam-instance-profile-association': {
    instanceId: string;
    currentInstanceProfileArn: string;
    instanceProfileName: string;
    instanceProfileArn: string;
    roleArn: string;
  };
  'ssm:update-service-setting': { settingId: string; settingValue: string };
  'ec2:modify-instance-metadata-options': { instanceId: string; httpEndpoint: 'enabled' };
  'ec2:revoke-security-group-ingress': { groupId: string; permission: IpPermission };
  'ec2:create-security-group': { groupName: string; description: string; vpcId: string };
  'ec2:authorize-security-group-ingress': { group: GroupRef; permission: IpPermission };
  'ec2:create-vpc-endpoint': { vpcId: string; serviceName: string; subnetIds: string[]; group: GroupRef };
  'ssm:update-maintenance-window-target': {
    windowId: string;
    windowTargetId: string;
    targets: MaintenanceTarget[];
  };
  'ssm:deregister-managed-instance': { managedInstanceId: string; ec2InstanceId: string };
}

export type ChangeKind = keyof ChangeParams;

export const CHANGE_KINDS = [
  'iam:create-role',
  'iam:attach-role-policy',
  'iam:put-role-policy',
  'iam:create-instance-profile',
  'iam:add-role-to-instance-profile',
  'ec2:associate-iam-instance-profile',
  'ec2:replace-iam-instance-profile-association',
  'ssm:update-service-setting',
  'ec2:modify-instance-metadata-options',
  'ec2:revoke-security-group-ingress',
  'ec2:create-security-group',
  'ec2:authorize-security-group-ingress',
  'ec2:create-vpc-endpoint',
  'ssm:update-maintenance-window-target',
  'ssm:deregister-managed-instance',
] as const satisfies readonly ChangeKind[];

/** What a change repairs: rule results (by rule, reason and resource). */
export interface ChangeFix {
  ruleId: string;
  reason: string;
  resourceIds: string[];
}

interface ChangeOf<K extends ChangeKind> {
  /** "c001", … in dependency order: a change only depends on earlier ones. */
  id: string;
  kind: K;
  accountId: string;
  /** "global" for IAM. */
  region: string;
  target: { resourceType: string; resourceId: string };
  params: ChangeParams[K];
  /** The target's state when planned; apply refuses the change when the target is neither this nor `after`. */
  before: JsonValue;
  /** The target's state once the change is made; apply skips a change whose target already is this. */
  after: JsonValue;
  dependsOn: string[];
  /** The group (root cause) the change belongs to. */
  group: string;
  summary: string;
  /** Things a reviewer must know (a shared security group, other ports a revoked range also closed…). */
  warnings: string[];
  fixes: ChangeFix[];
}

export type Change = { [K in ChangeKind]: ChangeOf<K> }[ChangeKind];

/** A root cause and the changes that repair it. */
export interface ChangeGroup {
  key: string;
  title: string;
  ruleId: string;
  reason: string;
  resourceIds: string[];
  changeIds: string[];
}

/** A broken link the fixer does not touch, and why. */
export interface NeedsPerson {
  ruleId: string;
  reason: string;
  resourceId: string;
  accountId: string;
  region: string;
  why: string;
  /** The deciding statement or resource (a Deny's policy and Sid, the boundary's ARN…), from the rule's evidence. */
  statement?: string;
  message?: string;
}

export interface FixPlanOptions {
  /** Instance credentials: an instance profile (default), or Default Host Management Configuration. */
  credentials: 'profile' | 'dhmc';
  /** The permissions of a role the plan creates: AmazonSSMManagedInstanceCore, or ssmguard's least-privilege policy. */
  policy: 'core' | 'least-privilege';
  /** Replace instance profiles whose role fails the IAM rules. */
  replace: boolean;
  /** Rule ids or reason codes the plan is narrowed to (empty: everything). */
  only: string[];
}

export interface FixPlan {
  $schema?: string;
  schemaVersion: 1;
  kind: 'ssmguard-fix-plan';
  toolVersion: string;
  /** The scan the plan was made from: its input hash and evaluation time. */
  scan: { inputHash: string; evaluatedAt: string; sourceKind: string; accounts: string[]; regions: string[] };
  options: FixPlanOptions;
  groups: ChangeGroup[];
  changes: Change[];
  needsPerson: NeedsPerson[];
}
