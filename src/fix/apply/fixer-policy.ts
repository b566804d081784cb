// The least-privilege IAM policy `fix --apply` (and `--undo`) needs: the reads of the re-read, and per change
// kind exactly the calls it makes, with iam:PassRole only on the role(s) the plan hands to EC2 or SSM.

import { API_RESPONSE_KINDS } from '../../collectors/api/api-data.js';
import {
  CHANGE_KINDS,
  type Change,
  type ChangeKind,
  type FixPlan,
  type JsonValue,
} from '../plan/plan-types.js';
import { CHANGE_CALLS } from './change-calls.js';

/** Reads every run makes: the scan's collectors (by region), the named profiles, and who the caller is. */
export const FIX_READ_ACTIONS: readonly string[] = [
  ...new Set([
    ...Object.values(API_RESPONSE_KINDS).map((kind) => kind.permission),
    'ec2:DescribeIamInstanceProfileAssociations',
    'iam:GetInstanceProfile',
    'sts:GetCallerIdentity',
  ]),
].sort();

const PASS_ROLE = 'iam:PassRole';
const sidOf = (kind: ChangeKind): string =>
  kind
    .split(/[:-]/)
    .map((word) =>
      word === 'iam' || word === 'ec2' || word === 'ssm'
        ? word.toUpperCase()
        : word.charAt(0).toUpperCase() + word.slice(1),
    )
    .join('');

/** The IAM resources (ARNs) a change writes, where IAM actions are scoped by resource; `*` for EC2 and SSM. */
function resourcesOf(change: Change): string[] {
  const iam = (type: string, name: string, path = '/') =>
    `arn:aws:iam::${change.accountId}:${type}${path}${name}`;
  switch (change.kind) {
    case 'iam:create-role':
      return [iam('role', change.params.roleName, change.params.path)];
    case 'iam:attach-role-policy':
    case 'iam:put-role-policy':
      return [rolePath(change, change.params.roleName)];
    case 'iam:create-instance-profile':
      return [iam('instance-profile', change.params.instanceProfileName, change.params.path)];
    case 'iam:add-role-to-instance-profile':
      return [iam('instance-profile', change.params.instanceProfileName)];
    default:
      // EC2 and SSM write actions are granted per change kind on any resource: their resource-level scoping (and
      // the tags or conditions it would rest on) is not something a plan can know for every target.
      return ['*'];
  }
}

/** A role ARN with its path, for roles the plan creates (their path is in the create change) or names. */
function rolePath(change: Change, roleName: string): string {
  return roleName === 'AWSSystemsManagerDefaultEC2InstanceManagementRole'
    ? `arn:aws:iam::${change.accountId}:role/service-role/${roleName}`
    : `arn:aws:iam::${change.accountId}:role/${roleName}`;
}

/** The roles the plan passes: a profile's role to EC2 (associate, replace, add-role), the DHMC role to SSM. */
export function passedRoles(plan: FixPlan): string[] {
  const roles = new Set<string>();
  for (const change of plan.changes) {
    if (
      change.kind === 'ec2:associate-iam-instance-profile' ||
      change.kind === 'ec2:replace-iam-instance-profile-association'
    )
      roles.add(change.params.roleArn);
    if (change.kind === 'iam:add-role-to-instance-profile')
      roles.add(rolePath(change, change.params.roleName));
    if (change.kind === 'ssm:update-service-setting')
      roles.add(`arn:aws:iam::${change.accountId}:role/${change.params.settingValue}`);
  }
  return [...roles].sort();
}

type Statement = { Sid: string; Effect: 'Allow'; Action: string[]; Resource: string | string[] };

function statement(Sid: string, actions: readonly string[], resources: readonly string[]): Statement {
  const unique = [...new Set(resources)].sort();
  return {
    Sid,
    Effect: 'Allow',
    Action: [...new Set(actions)].sort(),
    Resource: unique.includes('*') || unique.length === 0 ? '*' : unique.length === 1 ? unique[0]! : unique,
  };
}

const writeActions = (kind: ChangeKind): string[] =>
  [...CHANGE_CALLS[kind].apply, ...CHANGE_CALLS[kind].undo].filter(
    (a) => a !== PASS_ROLE && !FIX_READ_ACTIONS.includes(a),
  );

/** The policy for exactly this plan's change kinds and targets. */
export function fixerPolicyFor(plan: FixPlan): JsonValue {
  const kinds = CHANGE_KINDS.filter((kind) => plan.changes.some((c) => c.kind === kind));
  const has = (...wanted: ChangeKind[]): boolean => kinds.some((kind) => wanted.includes(kind));
  const reads = FIX_READ_ACTIONS.filter(
    (action) =>
      (action !== 'iam:GetInstanceProfile' ||
        has('iam:create-instance-profile', 'iam:add-role-to-instance-profile')) &&
      (action !== 'ec2:DescribeIamInstanceProfileAssociations' ||
        has('ec2:associate-iam-instance-profile', 'ec2:replace-iam-instance-profile-association')),
  );
  const statements: Statement[] = [statement('SsmguardFixReads', reads, ['*'])];
  for (const kind of kinds) {
    const actions = writeActions(kind);
    if (actions.length > 0)
      statements.push(
        statement(sidOf(kind), actions, plan.changes.filter((c) => c.kind === kind).flatMap(resourcesOf)),
      );
  }
  const roles = passedRoles(plan);
  if (roles.length > 0) statements.push(statement('PassTheInstanceRoleOnly', [PASS_ROLE], roles));
  return { Version: '2012-10-17', Statement: statements } as JsonValue;
}

/** The shipped policy (policies/iam/ssmguard-fix-apply.json): every change kind, roles ssmguard itself creates. */
export function genericFixerPolicy(): JsonValue {
  const statements: Statement[] = [statement('SsmguardFixReads', FIX_READ_ACTIONS, ['*'])];
  for (const kind of CHANGE_KINDS) {
    const actions = writeActions(kind);
    const iamScope = kind.startsWith('iam:')
      ? kind === 'iam:create-instance-profile' || kind === 'iam:add-role-to-instance-profile'
        ? ['arn:aws:iam::*:instance-profile/ssmguard-ssm-instance-profile*']
        : [
            'arn:aws:iam::*:role/ssmguard-ssm-instance-role*',
            'arn:aws:iam::*:role/service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole',
          ]
      : ['*'];
    if (actions.length > 0) statements.push(statement(sidOf(kind), actions, iamScope));
  }
  statements.push(
    statement(
      'PassTheInstanceRoleOnly',
      [PASS_ROLE],
      [
        'arn:aws:iam::*:role/ssmguard-ssm-instance-role*',
        'arn:aws:iam::*:role/service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole',
      ],
    ),
  );
  return { Version: '2012-10-17', Statement: statements } as JsonValue;
}
