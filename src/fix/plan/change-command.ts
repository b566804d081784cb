// The AWS CLI command(s) that make one change, for the plan's shell script and its text.

import type { Change, GroupRef, JsonValue } from './plan-types.js';

/** Quotes a word for POSIX sh: bare when it is safe, else in single quotes. */
export function shellWord(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}

const json = (value: JsonValue | object): string => shellWord(JSON.stringify(value));

/** The shell variable holding a security group referenced by name (created by the plan). */
function groupVariable(ref: GroupRef): string {
  return 'groupId' in ref ? ref.groupId : `sg_${ref.vpcId.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** Lines that put the group's id in a shell variable (nothing for a group named by id). */
function resolveGroup(ref: GroupRef, region: string): string[] {
  if ('groupId' in ref) return [];
  return [
    `${groupVariable(ref)}=$(aws ec2 describe-security-groups --region ${region} --filters Name=vpc-id,Values=${ref.vpcId} Name=group-name,Values=${shellWord(ref.groupName)} --query 'SecurityGroups[0].GroupId' --output text)`,
  ];
}

const groupArgument = (ref: GroupRef): string =>
  'groupId' in ref ? ref.groupId : `"$${groupVariable(ref)}"`;

/** The commands, in order; several lines when an id must be looked up first. */
export function changeCommands(change: Change): string[] {
  const r = `--region ${change.region}`;
  switch (change.kind) {
    case 'iam:create-role': {
      const p = change.params;
      return [
        `aws iam create-role --role-name ${shellWord(p.roleName)} --path ${shellWord(p.path)} --description ${shellWord(p.description)} --assume-role-policy-document ${json(p.trustPolicy)}`,
      ];
    }
    case 'iam:attach-role-policy':
      return [
        `aws iam attach-role-policy --role-name ${shellWord(change.params.roleName)} --policy-arn ${change.params.policyArn}`,
      ];
    case 'iam:put-role-policy': {
      const p = change.params;
      return [
        `aws iam put-role-policy --role-name ${shellWord(p.roleName)} --policy-name ${shellWord(p.policyName)} --policy-document ${json(p.policyDocument)}`,
      ];
    }
    case 'iam:create-instance-profile':
      return [
        `aws iam create-instance-profile --instance-profile-name ${shellWord(change.params.instanceProfileName)} --path ${shellWord(change.params.path)}`,
      ];
    case 'iam:add-role-to-instance-profile':
      return [
        `aws iam add-role-to-instance-profile --instance-profile-name ${shellWord(change.params.instanceProfileName)} --role-name ${shellWord(change.params.roleName)}`,
      ];
    case 'ec2:associate-iam-instance-profile':
      return [
        `aws ec2 associate-iam-instance-profile ${r} --instance-id ${change.params.instanceId} --iam-instance-profile Name=${shellWord(change.params.instanceProfileName)}`,
      ];
    case 'ec2:replace-iam-instance-profile-association':
      return [
        `association=$(aws ec2 describe-iam-instance-profile-associations ${r} --filters Name=instance-id,Values=${change.params.instanceId} Name=state,Values=associated --query 'IamInstanceProfileAssociations[0].AssociationId' --output text)`,
        `aws ec2 replace-iam-instance-profile-association ${r} --association-id "$association" --iam-instance-profile Name=${shellWord(change.params.instanceProfileName)}`,
      ];
    case 'ssm:update-service-setting':
      return [
        `aws ssm update-service-setting ${r} --setting-id ${change.params.settingId} --setting-value ${shellWord(change.params.settingValue)}`,
      ];
    case 'ec2:modify-instance-metadata-options':
      return [
        `aws ec2 modify-instance-metadata-options ${r} --instance-id ${change.params.instanceId} --http-endpoint enabled`,
      ];
    case 'ec2:revoke-security-group-ingress':
      return [
        `aws ec2 revoke-security-group-ingress ${r} --group-id ${change.params.groupId} --ip-permissions ${json([change.params.permission])}`,
      ];
    case 'ec2:create-security-group': {
      const p = change.params;
      return [
        `aws ec2 create-security-group ${r} --group-name ${shellWord(p.groupName)} --description ${shellWord(p.description)} --vpc-id ${p.vpcId}`,
      ];
    }
    case 'ec2:authorize-security-group-ingress':
      return [
        ...resolveGroup(change.params.group, change.region),
        `aws ec2 authorize-security-group-ingress ${r} --group-id ${groupArgument(change.params.group)} --ip-permissions ${json([change.params.permission])}`,
      ];
    case 'ec2:create-vpc-endpoint': {
      const p = change.params;
      return [
        ...resolveGroup(p.group, change.region),
        `aws ec2 create-vpc-endpoint ${r} --vpc-id ${p.vpcId} --vpc-endpoint-type Interface --service-name ${p.serviceName} --subnet-ids ${p.subnetIds.join(' ')} --security-group-ids ${groupArgument(p.group)} --private-dns-enabled`,
      ];
    }
    case 'ssm:update-maintenance-window-target': {
      const p = change.params;
      return [
        `aws ssm update-maintenance-window-target ${r} --window-id ${p.windowId} --window-target-id ${p.windowTargetId} --targets ${json(p.targets)}`,
      ];
    }
    case 'ssm:deregister-managed-instance':
      return [`aws ssm deregister-managed-instance ${r} --instance-id ${change.params.managedInstanceId}`];
  }
}
