// Maps an SSM DescribeInstanceInformation response into ManagedNode models (EC2 i- and hybrid mi- nodes).

import type { ManagedNode } from '../../inventory/model.js';
import { MappingContext, type MapResult, type PartialScope } from './mapping-context.js';

type NodeStringField =
  | 'agentVersion'
  | 'platformType'
  | 'platformName'
  | 'platformVersion'
  | 'resourceType'
  | 'ipAddress'
  | 'computerName'
  | 'activationId'
  | 'iamRole'
  | 'sourceId'
  | 'sourceType';

const STRING_FIELDS: readonly (readonly [NodeStringField, string])[] = [
  ['agentVersion', 'AgentVersion'],
  ['platformType', 'PlatformType'],
  ['platformName', 'PlatformName'],
  ['platformVersion', 'PlatformVersion'],
  ['resourceType', 'ResourceType'],
  ['ipAddress', 'IPAddress'],
  ['computerName', 'ComputerName'],
  ['activationId', 'ActivationId'],
  ['iamRole', 'IamRole'],
  ['sourceId', 'SourceId'],
  ['sourceType', 'SourceType'],
];

/**
 * Maps DescribeInstanceInformation. Stopped and terminated instances are not returned at all, and an EC2
 * instance registered through an activation appears under its mi- id (SourceId is the mi- id too), so
 * joining to EC2 is the rules' job. `IamRole` is set only for hybrid / Quick Setup nodes. Timestamps arrive
 * as epoch seconds on the wire, Dates from the SDK and ISO strings from the CLI; all become ISO strings.
 */
export function mapInstanceInformation(
  body: unknown,
  scope: PartialScope,
  origin: string,
): MapResult<ManagedNode> {
  const ctx = new MappingContext(origin, scope);
  const list = ctx.responseList(body, 'InstanceInformationList');
  if (list === undefined) return ctx.result([], false);
  const items: ManagedNode[] = [];
  for (let n = 0; n < list.length; n++) {
    const path = `InstanceInformationList[${n}]`;
    const o = list[n];
    if (!ctx.entry(o, path)) continue;
    const instanceId = ctx.requiredString(o.InstanceId, 'InstanceId', path);
    if (instanceId === undefined) continue;
    const { accountId, region } = ctx.scope(undefined, undefined);
    // A node without PingStatus cannot be called Online; "Unknown" keeps it from counting as connected.
    const node: ManagedNode = {
      accountId,
      region,
      instanceId,
      pingStatus: ctx.string(o.PingStatus, 'PingStatus', path) ?? 'Unknown',
    };
    const lastPing = ctx.timestamp(o.LastPingDateTime, 'LastPingDateTime', path);
    if (lastPing !== undefined) node.lastPingDateTime = lastPing;
    for (const [field, key] of STRING_FIELDS) {
      const value = ctx.string(o[key], key, path);
      if (value !== undefined && value !== '') node[field] = value;
    }
    const isLatest = ctx.boolean(o.IsLatestVersion, 'IsLatestVersion', path);
    if (isLatest !== undefined) node.isLatestVersion = isLatest;
    const registered = ctx.timestamp(o.RegistrationDate, 'RegistrationDate', path);
    if (registered !== undefined) node.registrationDate = registered;
    items.push(node);
  }
  return ctx.result(items);
}
