// The contract between the CloudFormation reader (parse, parameters, conditions, intrinsics) and the mapper
// that turns the resolved resources into a DeployModel (#18).

import type { Unresolved } from './deploy-model.js';
import type { SourceLocation } from './template-fleet.js';

/** A property value after every intrinsic function was evaluated; Unresolved where that was impossible. */
export type CfnValue = string | number | boolean | null | CfnValue[] | CfnObject | Unresolved;
export interface CfnObject {
  [key: string]: CfnValue;
}

/**
 * What a `Ref` or `Fn::GetAtt` of a resource of the template evaluates to. The mapper supplies it, because only it
 * knows the id a resource will have in the synthesised responses (sg-…, an ARN, a role name).
 */
export type ResourceValueOf = (resource: ReferencedResource, attribute: string | undefined) => CfnValue;

/** The resource a Ref or GetAtt names, as the mapper sees it while values are still being resolved. */
export interface ReferencedResource {
  logicalId: string;
  type: string;
  /** One top-level property, resolved on demand (a reference cycle resolves to Unresolved, never loops). */
  property(name: string): CfnValue | undefined;
}

export interface ReadTemplateOptions {
  /** `--parameters FILE` values (ParameterKey → ParameterValue); a template default applies otherwise. */
  parameters?: Readonly<Record<string, string>>;
  /** AWS::AccountId, AWS::Region, AWS::StackName (placeholders unless given). */
  accountId: string;
  region: string;
  stackName: string;
  /**
   * Pseudo parameters whose value is a placeholder nobody gave (no --account/--region, no context): a condition
   * comparing one is unknown, since the stack's real account or region decides it.
   */
  assumed?: readonly AssumedPseudoParameter[];
  valueOf: ResourceValueOf;
}

export interface CfnResource {
  logicalId: string;
  /** e.g. "AWS::EC2::Instance". */
  type: string;
  /** Resolved properties (AWS::NoValue removed); {} when the resource has none. */
  properties: CfnObject;
  /** The resource's own line (its logical id key). */
  location: SourceLocation;
  /** Where each property is declared, by dotted path ("Properties.IamInstanceProfile", "…SecurityGroupEgress.0"). */
  propertyLocation(path: string): SourceLocation;
  /** false: its Condition is false and it is not created (such resources are left out); Unresolved: not known. */
  condition: true | Unresolved;
}

export interface ResolvedTemplate {
  file: string;
  /** Resources that will (or may, when `condition` is Unresolved) be created, in template order. */
  resources: CfnResource[];
  /** Template-level problems that are not errors: an unsupported transform, an unreadable Metadata section … */
  warnings: string[];
}

/** The pseudo parameters a placeholder may stand for. */
export type AssumedPseudoParameter = 'AWS::AccountId' | 'AWS::Region';
