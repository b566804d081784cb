// Recognising AWS CLI outputs by their top-level keys.

import { describe, expect, test } from 'vitest';
import { recognizeResponse } from '../../../src/collectors/aws-cli/recognize-response.js';

describe('recognizeResponse', () => {
  test.for([
    [{ Reservations: [] }, ['ec2:DescribeInstances']],
    [{ Reservations: 'oops' }, ['ec2:DescribeInstances']],
    [{ SecurityGroups: [] }, ['ec2:DescribeSecurityGroups']],
    [{ Vpcs: [], Subnets: [] }, ['ec2:DescribeVpcs', 'ec2:DescribeSubnets']],
    [{ VpcId: 'vpc-1', EnableDnsSupport: { Value: true } }, ['ec2:DescribeVpcAttribute']],
    [{ VpcId: 'vpc-1', EnableDnsHostnames: { Value: true } }, ['ec2:DescribeVpcAttribute']],
    [{ RouteTables: [] }, ['ec2:DescribeRouteTables']],
    [{ NetworkAcls: [] }, ['ec2:DescribeNetworkAcls']],
    [{ VpcEndpoints: [] }, ['ec2:DescribeVpcEndpoints']],
    [{ RoleDetailList: [], Policies: [], UserDetailList: [] }, ['iam:GetAccountAuthorizationDetails']],
    [{ InstanceInformationList: [] }, ['ssm:DescribeInstanceInformation']],
    [{ ActivationList: [] }, ['ssm:DescribeActivations']],
    [{ WindowIdentities: [] }, ['ssm:DescribeMaintenanceWindows']],
    [{ Targets: [{ WindowId: 'mw-1', WindowTargetId: 't' }] }, ['ssm:DescribeMaintenanceWindowTargets']],
    [{ Targets: [] }, ['ssm:DescribeMaintenanceWindowTargets']],
    [{ Tasks: [{ WindowId: 'mw-1', WindowTaskId: 't' }] }, ['ssm:DescribeMaintenanceWindowTasks']],
    [{ Mappings: [{ PatchGroup: 'g', BaselineIdentity: {} }] }, ['ssm:DescribePatchGroups']],
    [{ BaselineIdentities: [] }, ['ssm:DescribePatchBaselines']],
    [{ BaselineId: 'pb-1', OperatingSystem: 'WINDOWS', ApprovalRules: {} }, ['ssm:GetPatchBaseline']],
    [
      {
        ServiceSetting: {
          SettingId: '/ssm/managed-instance/default-ec2-instance-management-role',
          SettingValue: '$None',
        },
      },
      ['ssm:GetServiceSetting'],
    ],
  ] as const)('recognises %j', ([body, kinds]) => {
    expect(recognizeResponse(body)).toEqual({ type: 'responses', kinds });
  });

  test.for([
    [
      { Targets: [{ Id: '1', Arn: 'arn:aws:lambda:…' }] },
      'no recognised AWS API response (top-level keys: "Targets")',
    ],
    [{ Policies: [], UserDetailList: [] }, 'get-account-authorization-details output without RoleDetailList'],
    [[{ InstanceId: 'i-1' }], 'a JSON array, not an AWS API response (was --query used?)'],
    [{}, 'an empty JSON object'],
    [{ schemaVersion: 1, coverage: [] }, 'an ssmguard inventory bundle'],
    [{ configurationItems: [] }, 'an AWS Config snapshot'],
    ['text', 'not a JSON object'],
    [
      { ServiceSetting: { SettingId: '/ssm/managed-instance/activation-tier' } },
      'a service setting other than',
    ],
  ] as const)('does not recognise %j', ([body, reason]) => {
    const result = recognizeResponse(body);
    expect(result.type).toBe('unrecognised');
    expect(result.type === 'unrecognised' && result.reason).toContain(reason);
  });

  test('recognises the ssmguard manifest', () => {
    expect(recognizeResponse({ ssmguardSource: { accountId: '111122223333' } })).toEqual({
      type: 'manifest',
      manifest: { accountId: '111122223333' },
    });
  });

  test('never echoes huge or hostile key lists in full', () => {
    const body = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${'k'.repeat(200)}${i}`, i]));
    const result = recognizeResponse(body);
    expect(result.type === 'unrecognised' && result.reason.length).toBeLessThan(400);
  });
});
