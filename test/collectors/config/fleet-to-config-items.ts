// Test support: expresses a FleetApiData (generator output, API shape) as AWS Config configuration items, the way
// Config records the same resources: event/snapshot form by default, or API form (configuration as a string).

import type { ApiJson, FleetApiData } from '../../../src/collectors/api/api-data.js';

const OPAQUE = new Set(['PolicyDocument', 'AssumeRolePolicyDocument', 'Document']);

/** PascalCase API members → Config's lowerCamelCase, leaving policy documents untouched. */
export function toConfigCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toConfigCase);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    out[key.charAt(0).toLowerCase() + key.slice(1)] = OPAQUE.has(key) ? member : toConfigCase(member);
  }
  return out;
}

const list = (value: unknown, key: string): ApiJson[] => {
  const entries = (value as ApiJson | undefined)?.[key];
  return Array.isArray(entries) ? (entries as ApiJson[]) : [];
};

function tagMap(tags: unknown): Record<string, string> {
  const map: Record<string, string> = {};
  for (const tag of Array.isArray(tags) ? (tags as ApiJson[]) : [])
    map[String(tag.Key)] = String(tag.Value ?? '');
  return map;
}

export interface ConfigItemOptions {
  /** Capture time of every item (default: the fleet's collectedAt). */
  captureTime?: string;
}

/**
 * Every resource of the fleet that Config records, as event-form items: EC2 instances, security groups (with
 * Config's `ipv4Ranges` objects and `ipRanges` strings), VPCs, subnets, route tables, NACLs, VPC endpoints,
 * IAM roles and customer-managed policies. SSM state is not part of Config and is left out.
 */
export function fleetToConfigItems(fleet: FleetApiData, options: ConfigItemOptions = {}): ApiJson[] {
  const captureTime = options.captureTime ?? fleet.collectedAt;
  const items: ApiJson[] = [];
  const item = (
    accountId: string,
    region: string,
    resourceType: string,
    resourceId: string,
    arn: string,
    configuration: unknown,
    tags: unknown,
    extra: ApiJson = {},
  ): void => {
    items.push({
      version: undefined,
      configurationItemVersion: '1.3',
      configurationItemCaptureTime: captureTime,
      configurationStateId: 1_700_000_000_000 + items.length,
      awsAccountId: accountId,
      configurationItemStatus: 'OK',
      resourceType,
      resourceId,
      resourceName: null,
      ARN: arn,
      awsRegion: region,
      availabilityZone: 'Not Applicable',
      configurationStateMd5Hash: '',
      resourceCreationTime: captureTime,
      tags: tagMap(tags),
      relationships: [],
      configuration,
      supplementaryConfiguration: {},
      relatedEvents: [],
      ...extra,
    });
    delete items[items.length - 1]!.version;
  };
  for (const account of fleet.accounts) {
    const { accountId } = account;
    const gaad = account.GetAccountAuthorizationDetails;
    for (const role of list(gaad, 'RoleDetailList')) {
      const { Tags, RoleLastUsed: _lastUsed, ...rest } = role;
      item(
        accountId,
        'global',
        'AWS::IAM::Role',
        String(role.RoleId),
        String(role.Arn),
        { ...(toConfigCase(rest) as ApiJson), tags: toConfigCase(Tags ?? []) },
        Tags,
      );
    }
    for (const policy of list(gaad, 'Policies')) {
      if (String(policy.Arn).startsWith('arn:aws:iam::aws:')) continue; // Config records customer-managed policies only.
      item(
        accountId,
        'global',
        'AWS::IAM::Policy',
        String(policy.PolicyId),
        String(policy.Arn),
        toConfigCase(policy),
        [],
      );
    }
    for (const region of account.regions) {
      const r = region.region;
      const ec2Arn = (type: string, id: string): string => `arn:aws:ec2:${r}:${accountId}:${type}/${id}`;
      for (const reservation of list(region.DescribeInstances, 'Reservations')) {
        for (const instance of list(reservation, 'Instances')) {
          const zone = (instance.Placement as ApiJson | undefined)?.AvailabilityZone;
          item(
            accountId,
            r,
            'AWS::EC2::Instance',
            String(instance.InstanceId),
            ec2Arn('instance', String(instance.InstanceId)),
            toConfigCase(instance),
            instance.Tags,
            {
              availabilityZone: zone,
              relationships: [
                ...list(instance, 'SecurityGroups').map((g) => ({
                  resourceId: g.GroupId,
                  resourceName: null,
                  resourceType: 'AWS::EC2::SecurityGroup',
                  name: 'Is associated with SecurityGroup',
                })),
                ...(instance.SubnetId
                  ? [
                      {
                        resourceId: instance.SubnetId,
                        resourceName: null,
                        resourceType: 'AWS::EC2::Subnet',
                        name: 'Is contained in Subnet',
                      },
                    ]
                  : []),
              ],
            },
          );
        }
      }
      for (const group of list(region.DescribeSecurityGroups, 'SecurityGroups')) {
        const configuration = toConfigCase(group) as ApiJson;
        for (const key of ['ipPermissions', 'ipPermissionsEgress']) {
          for (const permission of (configuration[key] as ApiJson[] | undefined) ?? []) {
            // Config's quirk (aws-facts §0 #10): ipv4Ranges objects, plus ipRanges as bare strings.
            const ranges = (permission.ipRanges as ApiJson[] | undefined) ?? [];
            permission.ipv4Ranges = ranges;
            permission.ipRanges = ranges.map((range) => range.cidrIp);
          }
        }
        item(
          accountId,
          r,
          'AWS::EC2::SecurityGroup',
          String(group.GroupId),
          ec2Arn('security-group', String(group.GroupId)),
          configuration,
          group.Tags,
        );
      }
      const simple: [string, string, string, string, string][] = [
        ['DescribeVpcs', 'Vpcs', 'VpcId', 'AWS::EC2::VPC', 'vpc'],
        ['DescribeSubnets', 'Subnets', 'SubnetId', 'AWS::EC2::Subnet', 'subnet'],
        ['DescribeRouteTables', 'RouteTables', 'RouteTableId', 'AWS::EC2::RouteTable', 'route-table'],
        ['DescribeNetworkAcls', 'NetworkAcls', 'NetworkAclId', 'AWS::EC2::NetworkAcl', 'network-acl'],
        ['DescribeVpcEndpoints', 'VpcEndpoints', 'VpcEndpointId', 'AWS::EC2::VPCEndpoint', 'vpc-endpoint'],
        ['DescribeNatGateways', 'NatGateways', 'NatGatewayId', 'AWS::EC2::NatGateway', 'natgateway'],
        [
          'DescribeInternetGateways',
          'InternetGateways',
          'InternetGatewayId',
          'AWS::EC2::InternetGateway',
          'internet-gateway',
        ],
        [
          'DescribeEgressOnlyInternetGateways',
          'EgressOnlyInternetGateways',
          'EgressOnlyInternetGatewayId',
          'AWS::EC2::EgressOnlyInternetGateway',
          'egress-only-internet-gateway',
        ],
      ];
      for (const [operation, key, idKey, type, arnType] of simple) {
        for (const entry of list(region[operation as keyof typeof region], key)) {
          item(
            accountId,
            r,
            type,
            String(entry[idKey]),
            ec2Arn(arnType, String(entry[idKey])),
            toConfigCase(entry),
            entry.Tags,
          );
        }
      }
    }
  }
  return items;
}

/**
 * The fleet's patch states as AWS Config records them (AWS::SSM::PatchCompliance, event form): per node one compliance
 * summary and one entry per patch, in the PatchState the counts name. The summary's non-compliant counts are the
 * critical ones (CriticalNonCompliantCount) and, as Medium, the rest of the missing, failed and pending-reboot
 * patches. Like the real items, they carry no operation and no operation times.
 */
export function fleetToPatchComplianceItems(fleet: FleetApiData): ApiJson[] {
  const captureTime = fleet.collectedAt;
  const items: ApiJson[] = [];
  const states: [string, string][] = [
    ['InstalledCount', 'Installed'],
    ['InstalledOtherCount', 'InstalledOther'],
    ['InstalledPendingRebootCount', 'InstalledPendingReboot'],
    ['InstalledRejectedCount', 'InstalledRejected'],
    ['MissingCount', 'Missing'],
    ['FailedCount', 'Failed'],
  ];
  for (const account of fleet.accounts) {
    for (const region of account.regions) {
      for (const state of list(region.DescribeInstancePatchStates, 'InstancePatchStates')) {
        const n = (key: string): number => Number(state[key] ?? 0);
        const baselineId = String(state.BaselineId);
        const patchGroup = String(state.PatchGroup ?? '');
        const open = n('MissingCount') + n('FailedCount') + n('InstalledPendingRebootCount');
        const critical = Math.min(n('CriticalNonCompliantCount'), open);
        const patch: ApiJson = {
          ComplianceSummary: {
            ComplianceType: 'Patch',
            PatchGroup: patchGroup,
            PatchBaselineId: baselineId,
            Status: open > 0 ? 'NON_COMPLIANT' : 'COMPLIANT',
            OverallSeverity: critical > 0 ? 'CRITICAL' : open > 0 ? 'MEDIUM' : 'UNSPECIFIED',
            ExecutionType: 'Command',
            NonCompliantCriticalCount: critical,
            NonCompliantHighCount: 0,
            NonCompliantMediumCount: open - critical,
            NonCompliantLowCount: 0,
            NonCompliantInformationalCount: 0,
            NonCompliantUnspecifiedCount: 0,
            CompliantCriticalCount: 0,
            CompliantHighCount: 0,
            CompliantMediumCount: n('InstalledCount') + n('InstalledOtherCount'),
            CompliantLowCount: 0,
            CompliantInformationalCount: 0,
            CompliantUnspecifiedCount: 0,
          },
        };
        let serial = 0;
        for (const [countKey, patchState] of states) {
          for (let i = 0; i < n(countKey); i++) {
            const id = `ALAS2-2026-${String(1000 + serial++)}`;
            const compliant = patchState === 'Installed' || patchState === 'InstalledOther';
            patch[id] = {
              Id: id,
              Title: `package-${serial}.x86_64`,
              Status: compliant ? 'COMPLIANT' : 'NON_COMPLIANT',
              Severity: 'MEDIUM',
              PatchSeverity: 'Medium',
              Classification: 'Security',
              PatchState: patchState,
              InstalledTime: compliant ? String(state.OperationEndTime) : '',
              PatchBaselineId: baselineId,
              PatchGroup: patchGroup,
              CVEIds: '',
            };
          }
        }
        const instanceId = String(state.InstanceId);
        items.push({
          configurationItemVersion: '1.3',
          configurationItemCaptureTime: captureTime,
          configurationStateId: 1_800_000_000_000 + items.length,
          awsAccountId: account.accountId,
          configurationItemStatus: 'OK',
          resourceType: 'AWS::SSM::PatchCompliance',
          resourceId: `AWS::SSM::ManagedInstanceInventory/${instanceId}`,
          resourceName: null,
          awsRegion: region.region,
          availabilityZone: 'Not Applicable',
          configurationStateMd5Hash: '',
          tags: {},
          relationships: [],
          configuration: {
            'AWS:ComplianceItem': {
              SchemaVersion: '1.0',
              CaptureTime: captureTime,
              Content: { Patch: patch },
            },
          },
          supplementaryConfiguration: {},
          relatedEvents: [],
        });
      }
    }
  }
  return items;
}

/**
 * The API form of event-form items (GetResourceConfigHistory / SelectResourceConfig): `accountId`, `arn`,
 * `version`, `configurationItemMD5Hash`, `relationshipName`, and `configuration` as a JSON string.
 */
export function toApiFormItem(item: ApiJson): ApiJson {
  const {
    awsAccountId,
    ARN,
    configurationItemVersion,
    configurationStateMd5Hash,
    configuration,
    relationships,
    relatedEvents: _events,
    ...rest
  } = item;
  return {
    ...rest,
    version: configurationItemVersion,
    accountId: awsAccountId,
    arn: ARN,
    configurationItemMD5Hash: configurationStateMd5Hash,
    configuration:
      configuration === null || configuration === undefined ? null : JSON.stringify(configuration),
    relationships: ((relationships as ApiJson[] | undefined) ?? []).map(({ name, ...relationship }) => ({
      ...relationship,
      relationshipName: name,
    })),
    supplementaryConfiguration: {},
  };
}
