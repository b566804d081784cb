// The bundle collector's public surface: reading and writing inventory bundles, and their errors.

export { readInventoryBundle, SUPPORTED_BUNDLE_VERSIONS, writeInventoryBundle } from './inventory-bundle.js';
export type { WriteBundleOptions } from './inventory-bundle.js';
export { BundleIoError, BundleJsonError, BundleVersionError } from './bundle-errors.js';
