// Memoising role permission decisions: many instances share one role, so each role is evaluated once.

import type { IamRole } from '../inventory/model.js';
import type { ResolvedActionSet } from './action-sets.js';
import type { ScpLayer } from './evaluate-actions.js';
import { ANY_RESOURCE } from './match-resource.js';
import {
  evaluateRolePermissions,
  type ManagedPolicyLookup,
  type RolePermissionEvaluation,
  type RolePermissionOptions,
} from './role-permissions.js';

export interface RolePermissionCacheOptions {
  managedPolicies: ManagedPolicyLookup;
  boundaryPolicies?: ManagedPolicyLookup;
  /** The evaluation to memoise; replaceable so tests can count calls. */
  evaluate?: (role: IamRole, options: RolePermissionOptions) => RolePermissionEvaluation;
}

const NO_SCPS = '-';
// SCP layer arrays are usually built once per account and reused, so their key is computed once per array.
const scpKeys = new WeakMap<readonly ScpLayer[], string>();

/**
 * Caches role decisions by role ARN + action-set key + SCP set + resource. One cache serves one inventory: it
 * assumes a role ARN, a managed-policy ARN and an SCP id stand for one document each, as they do within a
 * snapshot. Lookups are a string concatenation and one Map access.
 */
export class RolePermissionCache {
  private readonly entries = new Map<string, RolePermissionEvaluation>();
  private readonly options: RolePermissionCacheOptions;
  private hitCount = 0;
  private missCount = 0;

  constructor(options: RolePermissionCacheOptions) {
    this.options = options;
  }

  /** The decisions for a role, evaluated on first request and remembered. */
  evaluate(
    role: IamRole,
    actionSet: ResolvedActionSet,
    scpLayers?: readonly ScpLayer[],
    resource: string = ANY_RESOURCE,
  ): RolePermissionEvaluation {
    const key = `${role.arn}\u0000${actionSet.key}\u0000${scpKey(scpLayers)}\u0000${resource}`;
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      this.hitCount += 1;
      return cached;
    }
    this.missCount += 1;
    const evaluate = this.options.evaluate ?? evaluateRolePermissions;
    const result = evaluate(role, {
      actionSet,
      managedPolicies: this.options.managedPolicies,
      boundaryPolicies: this.options.boundaryPolicies,
      scpLayers,
      resource,
    });
    this.entries.set(key, result);
    return result;
  }

  /** How many lookups were answered from the cache and how many evaluated. */
  get stats(): { hits: number; misses: number; size: number } {
    return { hits: this.hitCount, misses: this.missCount, size: this.entries.size };
  }
}

/** A stable key for an SCP set: layer names and policy ids, in order (the hierarchy order matters). */
export function scpKey(layers: readonly ScpLayer[] | undefined): string {
  if (layers === undefined) return NO_SCPS;
  let key = scpKeys.get(layers);
  if (key === undefined) {
    key = layers.map((l) => `${l.name}[${l.policies.map((p) => p.id).join(',')}]`).join('/');
    scpKeys.set(layers, key);
  }
  return key;
}
