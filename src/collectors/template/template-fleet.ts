// The contract between deploy-time sources (CloudFormation templates, Terraform plans) and the rest of ssmguard.
//
// A deploy-time source does not build the inventory itself: it writes the AWS API responses the deployed
// resources would answer with (the same FleetApiData the generator, the loopback endpoint and the live
// collectors use), so one set of mappers and one engine decide. Beside them it records where each resource is
// declared, and which values nobody can know before deploy; the engine turns a rule that reads one of those
// into ERROR "unknown until deployed", never a pass.

import type { FleetApiData } from '../api/api-data.js';

/** Where a resource (or one of its properties) is declared, for text, JSON and SARIF findings. */
export interface SourceLocation {
  /** The template or plan file as given on the command line. */
  file: string;
  /** 1-based line of the resource's declaration (or of the property, when known). */
  line: number;
  /** 1-based column, when known. */
  column?: number;
  /** CloudFormation logical id ("WebLaunchTemplate") or Terraform address ("module.app.aws_instance.web[0]"). */
  address: string;
}

/** A value the deployed resource will have but the template or plan cannot tell. */
export interface UnknownValue {
  /** The id the resource has in the synthesised API responses (the instance id, role ARN, subnet id …). */
  resourceId: string;
  /** The DeployModel collection the resource is in ("instances", "roles", "routeTables" …). */
  collection: string;
  /** The DeployModel property path that is unknown, e.g. "iamInstanceProfileArn", "routes[1].NatGatewayId". */
  property: string;
  /**
   * Why it is unknown, in words a user acts on: "known after apply", "Fn::ImportValue of 'net-PrivateSubnet'",
   * "parameter VpcId has no default and no value", "Fn::FindInMap is not evaluated".
   */
  reason: string;
  location?: SourceLocation;
}

/** What a deploy-time source hands over: responses to map, locations to point at, unknowns to fail closed on. */
export interface TemplateFleet {
  kind: 'cloudformation' | 'terraform';
  /** The input files, as given. */
  inputs: string[];
  /** The would-be API responses: one account and one region (placeholders unless `--account`/`--region`/context). */
  fleet: FleetApiData;
  /** Synthesised resource id → where it is declared. Every resource the source synthesised has one. */
  locations: Record<string, SourceLocation>;
  unknowns: UnknownValue[];
  /** What the source read but does not judge (an unsupported resource type, a transform), for the report's warnings. */
  warnings: string[];
}
