// The SSM write operations `ssmguard fix --apply` (and its undo) call, changing the region's data so later
// reads see them, with SSM's error codes (https://docs.aws.amazon.com/systems-manager/latest/APIReference/).

import type { ApiJson, RegionApiData } from '../../../src/collectors/api/api-data.js';
import { AwsWireError, missingParameter } from './wire-error.js';

const list = (value: unknown): ApiJson[] => (Array.isArray(value) ? (value as ApiJson[]) : []);

function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw missingParameter('ssm', name);
  return value;
}

function regionData(data: RegionApiData | undefined, region: string): RegionApiData {
  if (!data)
    throw new AwsWireError('AccessDeniedException', `region ${region} is not served by this endpoint`);
  return data;
}

type Handler = (data: RegionApiData, body: Record<string, unknown>, region: string) => unknown;

const HANDLERS: Record<string, Handler> = {
  UpdateMaintenanceWindowTarget(data, body) {
    const windowId = text(body, 'WindowId');
    const targetId = text(body, 'WindowTargetId');
    const target = data.DescribeMaintenanceWindowTargets.flatMap((r) => list(r.Targets)).find(
      (t) => t.WindowId === windowId && t.WindowTargetId === targetId,
    );
    if (!target)
      throw new AwsWireError('DoesNotExistException', `Maintenance window target ${targetId} does not exist`);
    if (body.Targets !== undefined) {
      if (!Array.isArray(body.Targets) || body.Targets.length === 0) {
        throw new AwsWireError(
          'ValidationException',
          "1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length greater than or equal to 1",
        );
      }
      target.Targets = body.Targets as ApiJson[];
    }
    return { WindowId: windowId, WindowTargetId: targetId, Targets: target.Targets, Name: target.Name };
  },
  DeregisterManagedInstance(data, body) {
    const instanceId = text(body, 'InstanceId');
    const nodes = list(data.DescribeInstanceInformation.InstanceInformationList);
    if (!nodes.some((n) => n.InstanceId === instanceId))
      throw new AwsWireError('InvalidInstanceId', `Instance ${instanceId} is not a managed instance`);
    data.DescribeInstanceInformation.InstanceInformationList = nodes.filter(
      (n) => n.InstanceId !== instanceId,
    );
    return {};
  },
  UpdateServiceSetting(data, body) {
    const settingId = text(body, 'SettingId');
    const value = text(body, 'SettingValue');
    const setting = settingNamed(data, settingId);
    Object.assign(setting, {
      SettingValue: value,
      Status: 'Customized',
      LastModifiedDate: new Date().toISOString(),
      LastModifiedUser: 'ssmguard-test',
    });
    return {};
  },
  ResetServiceSetting(data, body) {
    const setting = settingNamed(data, text(body, 'SettingId'));
    // The DHMC setting's default value is "$None" (disabled).
    Object.assign(setting, {
      SettingValue: '$None',
      Status: 'Default',
      LastModifiedDate: new Date().toISOString(),
    });
    return { ServiceSetting: setting };
  },
};

function settingNamed(data: RegionApiData, settingId: string): ApiJson {
  const setting = data.GetServiceSetting?.ServiceSetting as ApiJson | undefined;
  if (!setting || !(settingId === setting.SettingId || String(setting.ARN ?? '').endsWith(settingId))) {
    throw new AwsWireError('ServiceSettingNotFound', `No setting found for ${settingId}`);
  }
  return setting;
}

export function isSsmWrite(operation: string): boolean {
  return Object.hasOwn(HANDLERS, operation);
}

export function handleSsmWrite(
  operation: string,
  data: RegionApiData | undefined,
  body: Record<string, unknown>,
  region: string,
): unknown {
  return HANDLERS[operation]!(regionData(data, region), body, region);
}
