// The offline IAM evaluator's public surface: effective permissions, trust policies, action sets, AWS managed policies.

export * from './action-sets.js';
export * from './agent-request-decisions.js';
export * from './agent-request-model.js';
export * from './conditions/index.js';
export * from './aws-managed-policies.js';
export * from './evaluate-actions.js';
export * from './iam-evaluation-error.js';
export * from './pick-default-policy-version.js';
export * from './role-permission-cache.js';
export * from './role-permissions.js';
export * from './scp-layers.js';
export * from './trust-policy.js';
export { ANY_RESOURCE, type ResourceMatch } from './match-resource.js';
export type { PolicyCondition } from './compile-policy.js';
export * from './full-access-policy.js';
