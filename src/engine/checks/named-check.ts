// The contract of a named check: TypeScript logic that does not belong in YAML, still wrapped by a YAML rule.

import type { InventoryIndex } from '../../inventory/inventory-index.js';
import type { Neighbour } from '../../inventory/neighbourhood.js';
import type { CauseRef, Evidence, Remediation } from '../types.js';

export interface CheckContext<P> {
  index: InventoryIndex;
  /** Parameters after defaults, validated against the check's schema. */
  params: P;
  /** Evaluation time in epoch milliseconds (the engine reads no clock). */
  nowMs: number;
  /**
   * False in lean scans, where the evidence of a pass is dropped: a check may then skip building it (failures
   * always carry their evidence).
   */
  passEvidence?: boolean;
}

export type CheckResult =
  | {
      outcome: 'pass';
      evidence: Evidence[];
      detail?: string;
      /** A note on a pass worth reporting (e.g. IAM.DEPRECATED_POLICY): the result keeps it as its reason. */
      reason?: string;
    }
  | {
      outcome: 'fail';
      /** Overrides the rule's reason code (e.g. IAM.EXPLICIT_DENY rather than IAM.MISSING_ACTION). */
      reason?: string;
      /** Human detail, available to the rule's message as {{detail}}. */
      detail: string;
      evidence: Evidence[];
      cause?: CauseRef;
      /** A fix more precise than the rule's (e.g. naming the statement to remove). */
      remediation?: Partial<Remediation>;
    }
  | {
      outcome: 'not-applicable';
      /** Why, as a reason code, when it is worth reporting (e.g. NET.PATH_UNVERIFIABLE). */
      reason?: string;
      detail: string;
      evidence: Evidence[];
    };

export interface NamedCheck<R = never, P = Record<string, unknown>> {
  name: string;
  description: string;
  /** Resource types the check accepts. */
  resourceTypes: readonly string[];
  /**
   * What the check reads around the resource (the rule's neighbourhood is derived from it): the Config rule Lambda
   * reads exactly this on a change, and a test fails when the check reads a family these do not fill.
   */
  needs: readonly Neighbour[];
  /**
   * Needs the check reads only for some resources, said by `wanted` once the `needs` are read (the Config rule
   * Lambda reads them in a second round, and only then): the IAM grants check needs the network path only when
   * the role's policies read a path key or an endpoint on the way has a policy. Part of the rule's neighbourhood.
   */
  deferredNeeds?: DeferredNeeds<R>;
  /** JSON Schema (type: object) of the `with:` parameters; defaults belong in it. */
  parameters: Record<string, unknown>;
  evaluate(resource: R, context: CheckContext<P>): CheckResult;
}

/** Needs read only when `wanted` says a resource's evaluation consults them (see `NamedCheck.deferredNeeds`). */
export interface DeferredNeeds<R> {
  needs: readonly Neighbour[];
  wanted(resource: R, index: InventoryIndex): boolean;
}

/** A check of any resource/parameter type, as stored in the registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry is heterogeneous by design; each check is typed where it is written
export type AnyNamedCheck = NamedCheck<any, any>;
