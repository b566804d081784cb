// The AWS Config source's public surface: item normalisation, document recognition, mapping and file loading.

export {
  CONFIG_RESOURCE_TYPES,
  CONFIG_TYPES_NOT_MAPPED,
  configTypeMapping,
} from './config-resource-types.js';
export type { ConfigTypeMapping } from './config-resource-types.js';
export { configItemsOf, looksLikeConfigDocument, recognizeConfigDocument } from './config-document.js';
export type { ConfigDocumentKind } from './config-document.js';
export { ConfigItemError, isLiveItem, normaliseConfigurationItem } from './configuration-item.js';
export type { ConfigRelationship, ConfigurationItem, ConfigurationItemStatus } from './configuration-item.js';
export { findConfigInputs, loadConfigInventory, readConfigFile } from './load-config-inventory.js';
export type { ConfigInputs } from './load-config-inventory.js';
export { addConfigItems, mapConfigItems } from './map-config-items.js';
export type { MapConfigItemsOptions, MapConfigItemsResult } from './map-config-items.js';
export { toApiShape } from './to-api-shape.js';
