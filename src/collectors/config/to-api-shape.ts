// Converts a Config item's lowerCamelCase `configuration` into the PascalCase API shape the API mappers read.

import { isJsonObject } from '../api/mapping-context.js';

/**
 * Keys whose values are data, not structure, and must reach the mapper untouched: policy documents (their
 * keys and condition keys such as "aws:SourceVpc" are case-sensitive) and tag maps (user-chosen keys).
 */
const OPAQUE_KEYS: ReadonlySet<string> = new Set(['PolicyDocument', 'AssumeRolePolicyDocument', 'Document']);

/**
 * Config records EC2 and IAM resources as the service's own response object serialised with lowerCamelCase
 * member names (`groupId`, `ipPermissionsEgress`, `state.name`; see the property lists in
 * github.com/awslabs/aws-config-resource-schema). Upper-casing the first letter of every member name gives
 * the API shape (`GroupId`, `IpPermissionsEgress`, `State.Name`), so the API mappers, which own every
 * normalisation (SG rule peers, route targets, state codes, policy decoding), map Config data too. Shape
 * differences beyond the case of names are handled by each resource type's adapter before this runs.
 */
export function toApiShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toApiShape);
  if (!isJsonObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    const name = key.length === 0 ? key : key.charAt(0).toUpperCase() + key.slice(1);
    if (name === '__proto__') continue;
    out[name] =
      OPAQUE_KEYS.has(name) || (name === 'Tags' && isJsonObject(member)) ? member : toApiShape(member);
  }
  return out;
}
