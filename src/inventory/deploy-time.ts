// Facts a deploy-time source (CloudFormation template, Terraform plan) adds to an inventory: where each resource is
// declared, and which values cannot be known before deploy. Shared by the template collectors, the engine's
// unknown-until-deployed judgement and the reports.

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
  /** For a reference to something the input does not declare: that id, which `--context` may resolve. */
  outsideId?: string;
}

/** What the engine and the reports need of a deploy-time source. */
export interface DeployTimeFacts {
  kind: 'cloudformation' | 'terraform';
  /** Resource id → where it is declared. */
  locations: Readonly<Record<string, SourceLocation>>;
  unknowns: readonly UnknownValue[];
}
