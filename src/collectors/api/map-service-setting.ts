// Maps an SSM GetServiceSetting response for the Default Host Management Configuration into DhmcSetting.

import type { DhmcSetting } from '../../inventory/model.js';
import {
  isJsonObject,
  jsonTypeOf,
  MappingContext,
  scopeFromArn,
  type MapResult,
  type PartialScope,
} from './mapping-context.js';

/** The DHMC service setting id; GetServiceSetting accepts it bare or as the setting's ARN. */
export const DHMC_SETTING_ID = '/ssm/managed-instance/default-ec2-instance-management-role';

/** True for the DHMC setting id in either form (bare id or `arn:…:servicesetting/ssm/managed-instance/…`). */
export function isDhmcSettingId(settingId: unknown): boolean {
  if (typeof settingId !== 'string') return false;
  if (settingId === DHMC_SETTING_ID) return true;
  return settingId.startsWith('arn:') && settingId.endsWith(`:servicesetting${DHMC_SETTING_ID}`);
}

/**
 * Maps GetServiceSetting for DHMC. `SettingValue` is the role name with optional path
 * ("service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole"), or "$None" when disabled (seen in real
 * output after ResetServiceSetting); an empty value is treated as disabled too. Any other setting is an issue.
 */
export function mapServiceSetting(
  body: unknown,
  scope: PartialScope,
  origin: string,
): MapResult<DhmcSetting> {
  const ctx = new MappingContext(origin, scope);
  const setting = isJsonObject(body) ? body.ServiceSetting : undefined;
  if (!isJsonObject(setting)) {
    ctx.issue('RESPONSE_INVALID', 'ServiceSetting', `expected an object, got ${jsonTypeOf(setting)}`);
    return ctx.result([], false);
  }
  const settingId = setting.SettingId;
  if (!isDhmcSettingId(settingId)) {
    ctx.issue('RESPONSE_INVALID', 'ServiceSetting.SettingId', `not the DHMC setting (${DHMC_SETTING_ID})`);
    return ctx.result([], false);
  }
  const value = ctx.string(setting.SettingValue, 'SettingValue', 'ServiceSetting');
  if (value === undefined) {
    ctx.issue('RESPONSE_INVALID', 'ServiceSetting.SettingValue', 'missing SettingValue');
    return ctx.result([], false);
  }
  const arnScope = scopeFromArn(ctx.string(setting.ARN, 'ARN', 'ServiceSetting') ?? (settingId as string));
  const { accountId, region } = ctx.scope(arnScope.accountId, arnScope.region);
  const trimmed = value.trim();
  const enabled = trimmed !== '' && trimmed !== '$None';
  const dhmc: DhmcSetting = { accountId, region, enabled };
  if (enabled) dhmc.roleName = trimmed;
  const status = ctx.string(setting.Status, 'Status', 'ServiceSetting');
  if (status !== undefined) dhmc.status = status;
  return ctx.result([dhmc]);
}
