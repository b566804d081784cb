// Deterministic ids for what AWS creates implicitly (a VPC's main route table, default network ACL and default
// security group, association ids, IAM unique ids), shared by the synthesiser and the sources that reference them.

import { createHash } from 'node:crypto';

/** A sha256-derived lowercase hex string of `length` characters: the same seed gives the same id in every run. */
export function stableHex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

/** An id in EC2's long form ("rtb-0" + 16 hex digits) for something AWS creates implicitly, derived from `seed`. */
export function implicitId(prefix: string, seed: string): string {
  return `${prefix}-0${stableHex(`${prefix}|${seed}`, 16)}`;
}

/** IAM's unique ids: a four-letter prefix (AROA roles, AIPA instance profiles, ANPA policies) and 17 characters. */
export function iamUniqueId(prefix: 'AROA' | 'AIPA' | 'ANPA', arn: string): string {
  return `${prefix}${stableHex(arn, 17).toUpperCase()}`;
}

/**
 * The id the synthesised responses give a VPC's main route table. A source that references it (Terraform's
 * aws_vpc.main_route_table_id, aws_default_route_table) uses this id; a declared table with it is the main table.
 */
export function mainRouteTableIdOf(vpcId: string): string {
  return implicitId('rtb', `main|${vpcId}`);
}

/** The id of a VPC's default network ACL (Fn::GetAtt Vpc.DefaultNetworkAcl, aws_default_network_acl). */
export function defaultNetworkAclIdOf(vpcId: string): string {
  return implicitId('acl', `default|${vpcId}`);
}

/** The id of a VPC's default security group (Fn::GetAtt Vpc.DefaultSecurityGroup, aws_default_security_group). */
export function defaultSecurityGroupIdOf(vpcId: string): string {
  return implicitId('sg', `default|${vpcId}`);
}
