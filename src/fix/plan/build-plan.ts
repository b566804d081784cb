// Builds the fix plan from a scan's results and its inventory: pure (no I/O, no clock), deterministic.

import type { Evaluation } from '../../engine/types.js';
import { InventoryIndex } from '../../inventory/inventory-index.js';
import type { Inventory } from '../../inventory/model.js';
import { PlanBuilder } from './plan-builder.js';
import type { FixDocuments, PlanContext } from './plan-context.js';
import { planCredentials } from './plan-credentials.js';
import { listNeedsPerson } from './plan-needs-person.js';
import {
  planEndpointAccess,
  planExposure,
  planInterfaceEndpoints,
  planMetadataEndpoint,
} from './plan-network.js';
import { planHybridDeregistration, planWindowTargets } from './plan-ssm.js';
import type { FixPlan, FixPlanOptions } from './plan-types.js';

export interface BuildPlanInput {
  inventory: Inventory;
  evaluations: readonly Evaluation[];
  options: FixPlanOptions;
  documents: FixDocuments;
  ruleParams: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  scan: FixPlan['scan'];
  toolVersion: string;
}

/**
 * The smallest set of changes that repairs every link ssmguard can repair safely, in dependency order (a change
 * depends only on earlier ones): credentials first (role, profile, associations or DHMC), then the metadata
 * endpoint, exposure, the network path, window targets, and last the hybrid deregistrations that need a profile.
 * Everything else that fails is listed as needing a person.
 */
export function buildFixPlan(input: BuildPlanInput): FixPlan {
  const index = new InventoryIndex(input.inventory);
  const builder = new PlanBuilder(index);
  const only = new Set(input.options.only);
  const failures = input.evaluations.filter((e) => e.status === 'NON_COMPLIANT' || e.status === 'ERROR');
  const context: PlanContext = {
    builder,
    index,
    results:
      only.size === 0 ? failures : failures.filter((e) => only.has(e.ruleId) || only.has(e.reason ?? '')),
    allResults: input.evaluations,
    options: input.options,
    documents: input.documents,
    ruleParams: input.ruleParams,
  };
  planCredentials(context);
  planMetadataEndpoint(context);
  planExposure(context);
  planEndpointAccess(context);
  planInterfaceEndpoints(context);
  planWindowTargets(context);
  planHybridDeregistration(context);
  listNeedsPerson(context);
  return {
    $schema: 'https://ssmguard.dev/schemas/fix-plan.schema.json',
    schemaVersion: 1,
    kind: 'ssmguard-fix-plan',
    toolVersion: input.toolVersion,
    scan: input.scan,
    options: input.options,
    groups: builder.allGroups(),
    changes: builder.changes,
    needsPerson: builder.needsPerson,
  };
}
