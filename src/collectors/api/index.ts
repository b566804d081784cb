// The API mappers' public surface: per-response mapping, the inventory builder and whole-fleet mapping.

export { addAccount, addRegion, inventoryFromFleet } from './build-inventory.js';
export type { FleetInput } from './build-inventory.js';
export { fillUnknownScope } from './fill-unknown-scope.js';
export { InventoryBuilder } from './inventory-builder.js';
export { mapApiResponse } from './map-api-response.js';
export type { InventoryResources, MappedResponse } from './map-api-response.js';
export { toIsoTimestamp } from './mapping-context.js';
export type { MapIssue, MapIssueCode, MapResult, PartialScope } from './mapping-context.js';
export { mapActivations } from './map-activations.js';
export { mapAuthorizationDetails } from './map-authorization-details.js';
export { mapDescribeInstances } from './map-describe-instances.js';
export { mapDescribeSubnets } from './map-describe-subnets.js';
export { mapDescribeVpcs } from './map-describe-vpcs.js';
export { mapInstanceInformation } from './map-instance-information.js';
export { mapMaintenanceWindowTargets } from './map-maintenance-window-targets.js';
export { mapMaintenanceWindowTasks } from './map-maintenance-window-tasks.js';
export { mapMaintenanceWindows } from './map-maintenance-windows.js';
export { mapNetworkAcls } from './map-network-acls.js';
export { mapPatchGroups } from './map-patch-groups.js';
export { mapInstancePatchStates } from './map-instance-patch-states.js';
export { mapRouteTables } from './map-route-tables.js';
export { mapSecurityGroups, normaliseIpProtocol } from './map-security-groups.js';
export { DHMC_SETTING_ID, isDhmcSettingId, mapServiceSetting } from './map-service-setting.js';
export { mapVpcAttribute } from './map-vpc-attribute.js';
export type { VpcAttributes } from './map-vpc-attribute.js';
export { mapVpcEndpoints } from './map-vpc-endpoints.js';
