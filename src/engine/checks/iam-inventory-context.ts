// Per-inventory IAM state for the IAM checks: the role-permission cache and each account's SCP layers.

import { DataUnavailableError } from '../../inventory/coverage.js';
import {
  RolePermissionCache,
  ScpNotSuppliedError,
  scpLayersForAccount,
  type ScpLayer,
} from '../../iam/index.js';
import { CheckDataError } from './check-data-error.js';
import type { InventoryIndex } from '../../inventory/inventory-index.js';
import { GLOBAL_REGION } from '../../inventory/model.js';

/** The SCP layers to evaluate for an account, or none, with the sentence that says which (for evidence). */
export interface ScpSelection {
  layers: readonly ScpLayer[] | undefined;
  note: string;
}

/** What the IAM checks remember about one inventory. */
export interface IamInventoryContext {
  permissions: RolePermissionCache;
  /**
   * Memoises a per-role verdict under two object keys (e.g. the instance profile or DHMC role, and the resolved
   * action set or check), so the per-instance cost is two map lookups and no string building.
   */
  remember<T>(owner: object, key: object, compute: () => T): T;
  /** Memoises under a string key (role + action set + the context values its policies read). */
  rememberText<T>(key: string, compute: () => T): T;
  /** How many distinct verdicts `rememberText` computed (for tests and benchmarks). */
  readonly verdictCount: number;
  scpFor(accountId: string): ScpSelection;
}

// Named checks are module-level singletons, so anything cached must be keyed by the inventory: results of one
// scan must never leak into another (the Lambda and the tests evaluate many inventories in one process).
const contexts = new WeakMap<InventoryIndex, IamInventoryContext>();

/** The context of an inventory, created on first use. */
export function iamContextOf(index: InventoryIndex): IamInventoryContext {
  let context = contexts.get(index);
  if (context === undefined) {
    context = createContext(index);
    contexts.set(index, context);
  }
  return context;
}

function createContext(index: InventoryIndex): IamInventoryContext {
  const scps = new Map<string, ScpSelection>();
  const memo = new Map<object, Map<object, unknown>>();
  const textMemo = new Map<string, unknown>();
  return {
    permissions: new RolePermissionCache({ managedPolicies: { get: (arn) => index.managedPolicy(arn) } }),
    remember<T>(owner: object, key: object, compute: () => T): T {
      let byKey = memo.get(owner);
      if (byKey === undefined) {
        byKey = new Map();
        memo.set(owner, byKey);
      }
      if (byKey.has(key)) return byKey.get(key) as T;
      const value = compute();
      byKey.set(key, value);
      return value;
    },
    get verdictCount() {
      return textMemo.size;
    },
    rememberText<T>(key: string, compute: () => T): T {
      if (textMemo.has(key)) return textMemo.get(key) as T;
      const value = compute();
      textMemo.set(key, value);
      return value;
    },
    scpFor(accountId) {
      let selection = scps.get(accountId);
      if (selection === undefined) {
        selection = selectScps(index, accountId);
        scps.set(accountId, selection);
      }
      return selection;
    },
  };
}

/**
 * SCPs are an optional layer: without `--scp` (coverage missing) the layer is left out and the evidence says so.
 * This is not an ERROR: SCPs rarely touch the agent's actions, and demanding them would make every offline scan
 * fail. SCPs that were supplied but could not be read are an ERROR (DataUnavailableError), never skipped. The same array is returned for every instance of an account, so the
 * permission cache keys it once.
 */
function selectScps(index: InventoryIndex, accountId: string): ScpSelection {
  const state = index.coverage.state('org:service-control-policies', { accountId, region: GLOBAL_REGION });
  if (state.status === 'missing') {
    return {
      layers: undefined,
      note: 'SCPs not supplied: the SCP layer was not evaluated (ssmguard scan --scp FILE)',
    };
  }
  // SCPs that were supplied but could not be read are not the same as no SCPs: an unread Deny could be there.
  if (state.status === 'error')
    throw new DataUnavailableError(
      'org:service-control-policies',
      { accountId, region: GLOBAL_REGION },
      state,
    );
  try {
    return scpLayersForAccount(
      accountId,
      index.inventory.serviceControlPolicies,
      index.inventory.organizations ?? [],
    );
  } catch (error) {
    // The tree attaches an SCP whose document is not in the data: its level cannot be judged.
    if (!(error instanceof ScpNotSuppliedError)) throw error;
    throw new CheckDataError(error.code, 'IAM.POLICY_UNREADABLE', error.message, {
      resourceType: 'AWS::Organizations::Policy',
      resourceId: error.policyId,
    });
  }
}
