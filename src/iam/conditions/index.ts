// The IAM condition engine's public surface: request contexts, compiled Condition blocks, three-valued results.

export * from './compile-condition.js';
export * from './request-context.js';
export * from './tri-state.js';
export { parseIpBlock, ipBlockContains } from './ip-address.js';
export { CONDITION_OPERATORS } from './operator-table.js';
