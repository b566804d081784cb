// Makes (and reverses) one change through the SDK. Each change kind's calls are listed once, with the IAM
// permissions they need, so policies/iam/ssmguard-fix-apply.json and the per-plan policy are checked against them.

import {
  AssociateIamInstanceProfileCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcEndpointCommand,
  DeleteSecurityGroupCommand,
  DeleteVpcEndpointsCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcEndpointsCommand,
  DisassociateIamInstanceProfileCommand,
  type IpPermission as SdkIpPermission,
  ModifyInstanceMetadataOptionsCommand,
  ReplaceIamInstanceProfileAssociationCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
} from '@aws-sdk/client-iam';
import {
  DeregisterManagedInstanceCommand,
  ResetServiceSettingCommand,
  UpdateMaintenanceWindowTargetCommand,
  UpdateServiceSettingCommand,
} from '@aws-sdk/client-ssm';
import type { Change, ChangeKind, GroupRef, IpPermission, JsonValue } from '../plan/plan-types.js';
import type { FixClients } from './fix-clients.js';

/**
 * The IAM actions each change kind calls to apply and to undo, besides the reads every run makes. Sources: the
 * Service Authorization Reference for EC2, IAM and SSM; iam:PassRole for associating or replacing a profile
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/permission-to-pass-iam-roles.html), for
 * AddRoleToInstanceProfile (https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html)
 * and for the DHMC role (https://docs.aws.amazon.com/cli/latest/reference/ssm/register-default-host-management-configuration.html).
 */
export const CHANGE_CALLS: Readonly<
  Record<ChangeKind, { apply: readonly string[]; undo: readonly string[] }>
> = {
  'iam:create-role': { apply: ['iam:CreateRole'], undo: ['iam:DeleteRole'] },
  'iam:attach-role-policy': { apply: ['iam:AttachRolePolicy'], undo: ['iam:DetachRolePolicy'] },
  'iam:put-role-policy': { apply: ['iam:PutRolePolicy'], undo: ['iam:DeleteRolePolicy'] },
  'iam:create-instance-profile': {
    apply: ['iam:CreateInstanceProfile'],
    undo: ['iam:DeleteInstanceProfile'],
  },
  'iam:add-role-to-instance-profile': {
    apply: ['iam:AddRoleToInstanceProfile', 'iam:PassRole'],
    undo: ['iam:RemoveRoleFromInstanceProfile'],
  },
  'ec2:associate-iam-instance-profile': {
    apply: ['ec2:AssociateIamInstanceProfile', 'iam:PassRole'],
    undo: ['ec2:DescribeIamInstanceProfileAssociations', 'ec2:DisassociateIamInstanceProfile'],
  },
  'ec2:replace-iam-instance-profile-association': {
    apply: [
      'ec2:DescribeIamInstanceProfileAssociations',
      'ec2:ReplaceIamInstanceProfileAssociation',
      'iam:PassRole',
    ],
    undo: [
      'ec2:DescribeIamInstanceProfileAssociations',
      'ec2:ReplaceIamInstanceProfileAssociation',
      'iam:PassRole',
    ],
  },
  'ssm:update-service-setting': {
    apply: ['ssm:UpdateServiceSetting', 'iam:PassRole'],
    undo: ['ssm:ResetServiceSetting', 'ssm:UpdateServiceSetting'],
  },
  'ec2:modify-instance-metadata-options': {
    apply: ['ec2:ModifyInstanceMetadataOptions'],
    undo: ['ec2:ModifyInstanceMetadataOptions'],
  },
  'ec2:revoke-security-group-ingress': {
    apply: ['ec2:RevokeSecurityGroupIngress'],
    undo: ['ec2:AuthorizeSecurityGroupIngress'],
  },
  'ec2:create-security-group': { apply: ['ec2:CreateSecurityGroup'], undo: ['ec2:DeleteSecurityGroup'] },
  'ec2:authorize-security-group-ingress': {
    apply: ['ec2:AuthorizeSecurityGroupIngress'],
    undo: ['ec2:RevokeSecurityGroupIngress'],
  },
  'ec2:create-vpc-endpoint': { apply: ['ec2:CreateVpcEndpoint'], undo: ['ec2:DeleteVpcEndpoints'] },
  'ssm:update-maintenance-window-target': {
    apply: ['ssm:UpdateMaintenanceWindowTarget'],
    undo: ['ssm:UpdateMaintenanceWindowTarget'],
  },
  'ssm:deregister-managed-instance': { apply: ['ssm:DeregisterManagedInstance'], undo: [] },
};

/** Kinds AWS cannot reverse (a hybrid node registers again only with a new activation). */
export const IRREVERSIBLE: ReadonlySet<ChangeKind> = new Set(['ssm:deregister-managed-instance']);

const sdkPermission = (p: IpPermission): SdkIpPermission => p as SdkIpPermission;

/** The id of a security group named by reference: by id, or looked up by name in its VPC. */
async function groupId(clients: FixClients, region: string, ref: GroupRef): Promise<string> {
  if ('groupId' in ref) return ref.groupId;
  const found = await clients.ec2(region).send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [ref.vpcId] },
        { Name: 'group-name', Values: [ref.groupName] },
      ],
    }),
  );
  const id = found.SecurityGroups?.[0]?.GroupId;
  if (id === undefined) throw new Error(`security group ${ref.groupName} in ${ref.vpcId} not found`);
  return id;
}

async function associationId(clients: FixClients, region: string, instanceId: string): Promise<string> {
  const found = await clients.ec2(region).send(
    new DescribeIamInstanceProfileAssociationsCommand({
      Filters: [
        { Name: 'instance-id', Values: [instanceId] },
        { Name: 'state', Values: ['associated'] },
      ],
    }),
  );
  const id = found.IamInstanceProfileAssociations?.[0]?.AssociationId;
  if (id === undefined) throw new Error(`instance ${instanceId} has no instance profile association`);
  return id;
}

/** Makes the change; returns a detail for the log (an id AWS assigned). */
export async function applyChange(change: Change, clients: FixClients): Promise<string | undefined> {
  const ec2 = () => clients.ec2(change.region);
  const ssm = () => clients.ssm(change.region);
  switch (change.kind) {
    case 'iam:create-role': {
      const p = change.params;
      const out = await clients.iam().send(
        new CreateRoleCommand({
          RoleName: p.roleName,
          Path: p.path,
          Description: p.description,
          AssumeRolePolicyDocument: JSON.stringify(p.trustPolicy),
        }),
      );
      return out.Role?.Arn;
    }
    case 'iam:attach-role-policy':
      await clients.iam().send(
        new AttachRolePolicyCommand({
          RoleName: change.params.roleName,
          PolicyArn: change.params.policyArn,
        }),
      );
      return undefined;
    case 'iam:put-role-policy': {
      const p = change.params;
      await clients.iam().send(
        new PutRolePolicyCommand({
          RoleName: p.roleName,
          PolicyName: p.policyName,
          PolicyDocument: JSON.stringify(p.policyDocument),
        }),
      );
      return undefined;
    }
    case 'iam:create-instance-profile': {
      const out = await clients.iam().send(
        new CreateInstanceProfileCommand({
          InstanceProfileName: change.params.instanceProfileName,
          Path: change.params.path,
        }),
      );
      return out.InstanceProfile?.Arn;
    }
    case 'iam:add-role-to-instance-profile':
      await clients.iam().send(
        new AddRoleToInstanceProfileCommand({
          InstanceProfileName: change.params.instanceProfileName,
          RoleName: change.params.roleName,
        }),
      );
      return undefined;
    case 'ec2:associate-iam-instance-profile': {
      const out = await ec2().send(
        new AssociateIamInstanceProfileCommand({
          InstanceId: change.params.instanceId,
          IamInstanceProfile: { Name: change.params.instanceProfileName },
        }),
      );
      return out.IamInstanceProfileAssociation?.AssociationId;
    }
    case 'ec2:replace-iam-instance-profile-association': {
      const id = await associationId(clients, change.region, change.params.instanceId);
      const out = await ec2().send(
        new ReplaceIamInstanceProfileAssociationCommand({
          AssociationId: id,
          IamInstanceProfile: { Name: change.params.instanceProfileName },
        }),
      );
      return out.IamInstanceProfileAssociation?.AssociationId;
    }
    case 'ssm:update-service-setting':
      await ssm().send(
        new UpdateServiceSettingCommand({
          SettingId: change.params.settingId,
          SettingValue: change.params.settingValue,
        }),
      );
      return undefined;
    case 'ec2:modify-instance-metadata-options':
      await ec2().send(
        new ModifyInstanceMetadataOptionsCommand({
          InstanceId: change.params.instanceId,
          HttpEndpoint: 'enabled',
        }),
      );
      return undefined;
    case 'ec2:revoke-security-group-ingress':
      await ec2().send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: change.params.groupId,
          IpPermissions: [sdkPermission(change.params.permission)],
        }),
      );
      return undefined;
    case 'ec2:create-security-group': {
      const p = change.params;
      const out = await ec2().send(
        new CreateSecurityGroupCommand({
          GroupName: p.groupName,
          Description: p.description,
          VpcId: p.vpcId,
        }),
      );
      return out.GroupId;
    }
    case 'ec2:authorize-security-group-ingress': {
      const id = await groupId(clients, change.region, change.params.group);
      await ec2().send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: id,
          IpPermissions: [sdkPermission(change.params.permission)],
        }),
      );
      return undefined;
    }
    case 'ec2:create-vpc-endpoint': {
      const p = change.params;
      const id = await groupId(clients, change.region, p.group);
      const out = await ec2().send(
        new CreateVpcEndpointCommand({
          VpcId: p.vpcId,
          ServiceName: p.serviceName,
          VpcEndpointType: 'Interface',
          SubnetIds: p.subnetIds,
          SecurityGroupIds: [id],
          PrivateDnsEnabled: true,
        }),
      );
      return out.VpcEndpoint?.VpcEndpointId;
    }
    case 'ssm:update-maintenance-window-target': {
      const p = change.params;
      await ssm().send(
        new UpdateMaintenanceWindowTargetCommand({
          WindowId: p.windowId,
          WindowTargetId: p.windowTargetId,
          Targets: p.targets,
        }),
      );
      return undefined;
    }
    case 'ssm:deregister-managed-instance':
      await ssm().send(new DeregisterManagedInstanceCommand({ InstanceId: change.params.managedInstanceId }));
      return undefined;
  }
}

const field = (state: JsonValue, key: string): JsonValue | undefined =>
  typeof state === 'object' && state !== null && !Array.isArray(state) ? state[key] : undefined;

/** Reverses an applied change (its "after" holds), back to its "before". */
export async function undoChange(change: Change, clients: FixClients): Promise<void> {
  const ec2 = () => clients.ec2(change.region);
  const ssm = () => clients.ssm(change.region);
  switch (change.kind) {
    case 'iam:create-role':
      await clients.iam().send(new DeleteRoleCommand({ RoleName: change.params.roleName }));
      return;
    case 'iam:attach-role-policy':
      await clients.iam().send(
        new DetachRolePolicyCommand({
          RoleName: change.params.roleName,
          PolicyArn: change.params.policyArn,
        }),
      );
      return;
    case 'iam:put-role-policy':
      await clients.iam().send(
        new DeleteRolePolicyCommand({
          RoleName: change.params.roleName,
          PolicyName: change.params.policyName,
        }),
      );
      return;
    case 'iam:create-instance-profile':
      await clients
        .iam()
        .send(new DeleteInstanceProfileCommand({ InstanceProfileName: change.params.instanceProfileName }));
      return;
    case 'iam:add-role-to-instance-profile':
      await clients.iam().send(
        new RemoveRoleFromInstanceProfileCommand({
          InstanceProfileName: change.params.instanceProfileName,
          RoleName: change.params.roleName,
        }),
      );
      return;
    case 'ec2:associate-iam-instance-profile': {
      const id = await associationId(clients, change.region, change.params.instanceId);
      await ec2().send(new DisassociateIamInstanceProfileCommand({ AssociationId: id }));
      return;
    }
    case 'ec2:replace-iam-instance-profile-association': {
      const id = await associationId(clients, change.region, change.params.instanceId);
      await ec2().send(
        new ReplaceIamInstanceProfileAssociationCommand({
          AssociationId: id,
          IamInstanceProfile: { Arn: change.params.currentInstanceProfileArn },
        }),
      );
      return;
    }
    case 'ssm:update-service-setting': {
      const previous = field(change.before, 'settingValue');
      if (previous === '$None' || typeof previous !== 'string')
        await ssm().send(new ResetServiceSettingCommand({ SettingId: change.params.settingId }));
      else
        await ssm().send(
          new UpdateServiceSettingCommand({ SettingId: change.params.settingId, SettingValue: previous }),
        );
      return;
    }
    case 'ec2:modify-instance-metadata-options':
      await ec2().send(
        new ModifyInstanceMetadataOptionsCommand({
          InstanceId: change.params.instanceId,
          HttpEndpoint: 'disabled',
        }),
      );
      return;
    case 'ec2:revoke-security-group-ingress':
      await ec2().send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: change.params.groupId,
          IpPermissions: [sdkPermission(change.params.permission)],
        }),
      );
      return;
    case 'ec2:create-security-group': {
      const id = await groupId(clients, change.region, {
        groupName: change.params.groupName,
        vpcId: change.params.vpcId,
      });
      await ec2().send(new DeleteSecurityGroupCommand({ GroupId: id }));
      return;
    }
    case 'ec2:authorize-security-group-ingress': {
      const id = await groupId(clients, change.region, change.params.group);
      await ec2().send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: id,
          IpPermissions: [sdkPermission(change.params.permission)],
        }),
      );
      return;
    }
    case 'ec2:create-vpc-endpoint': {
      const p = change.params;
      const found = await ec2().send(
        new DescribeVpcEndpointsCommand({
          Filters: [
            { Name: 'vpc-id', Values: [p.vpcId] },
            { Name: 'service-name', Values: [p.serviceName] },
          ],
        }),
      );
      const ids = (found.VpcEndpoints ?? [])
        .map((e) => e.VpcEndpointId)
        .filter((id): id is string => id !== undefined);
      await ec2().send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: ids }));
      return;
    }
    case 'ssm:update-maintenance-window-target': {
      const targets = field(change.before, 'targets') as { Key: string; Values: string[] }[];
      await ssm().send(
        new UpdateMaintenanceWindowTargetCommand({
          WindowId: change.params.windowId,
          WindowTargetId: change.params.windowTargetId,
          Targets: targets,
        }),
      );
      return;
    }
    case 'ssm:deregister-managed-instance':
      throw new Error('a deregistered hybrid node cannot be registered again without a new activation');
  }
}
