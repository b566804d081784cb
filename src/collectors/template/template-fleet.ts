// The contract between deploy-time sources (CloudFormation templates, Terraform plans) and the rest of ssmguard.
//
// A deploy-time source does not build the inventory itself: it writes the AWS API responses the deployed
// resources would answer with (the same FleetApiData the generator, the loopback endpoint and the live
// collectors use), so one set of mappers and one engine decide. Beside them it records where each resource is
// declared, and which values nobody can know before deploy; the engine turns a rule that reads one of those
// into ERROR "unknown until deployed", never a pass.

import type { CollectedAccountData } from '../api/api-data.js';
import type { SourceLocation, UnknownValue } from '../../inventory/deploy-time.js';

export type { SourceLocation, UnknownValue } from '../../inventory/deploy-time.js';

/** What a deploy-time source hands over: responses to map, locations to point at, unknowns to fail closed on. */
export interface TemplateFleet {
  kind: 'cloudformation' | 'terraform';
  /** The input files, as given. */
  inputs: string[];
  /**
   * The would-be API responses: one account and one region (placeholders unless `--account`/`--region`/context).
   * Families only a running fleet has (instance information, patch states, run history, the DHMC setting) are
   * absent, so rules that need them give ERROR rather than a guess. `failures` is always empty.
   */
  fleet: { accounts: CollectedAccountData[]; collectedAt: string };
  /** Synthesised resource id → where it is declared. Every resource the source synthesised has one. */
  locations: Record<string, SourceLocation>;
  unknowns: UnknownValue[];
  /** What the source read but does not judge (an unsupported resource type, a transform), for the report's warnings. */
  warnings: string[];
}
