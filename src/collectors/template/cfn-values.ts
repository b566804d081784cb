// Typed readers from resolved CloudFormation property values (CfnValue) to the DeployModel's Maybe<…> shapes.
//
// Each reader returns undefined for an absent property, passes an Unresolved through, and turns a value of the
// wrong type into an Unresolved naming what was found: CloudFormation would reject it at deploy, and ssmguard
// must not guess what was meant.

import { isUnresolved, unresolved, type DeployModel, type DeployTag, type Maybe } from './deploy-model.js';
import type { CfnObject, CfnResource, CfnValue } from './cfn-template.js';

function describeKind(value: CfnValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `the ${typeof value} ${JSON.stringify(value)}`;
}

function wrongType(what: string, expected: string, value: CfnValue): Maybe<never> {
  return unresolved(`${what} is ${describeKind(value)}, not ${expected}`);
}

export function isCfnObject(value: CfnValue | undefined): value is CfnObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isUnresolved(value);
}

/** A string; numbers and booleans read as CloudFormation passes them to the API (as text). */
export function cfnString(value: CfnValue | undefined, what: string): Maybe<string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (isUnresolved(value)) return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return wrongType(what, 'a string', value);
}

/** A number; templates often spell ports and rule numbers as strings ("443"). */
export function cfnNumber(value: CfnValue | undefined, what: string): Maybe<number> | undefined {
  if (value === undefined || value === null) return undefined;
  if (isUnresolved(value)) return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return wrongType(what, 'a number', value);
}

/** A boolean; "true"/"false" in any case, as CloudFormation accepts them. */
export function cfnBoolean(value: CfnValue | undefined, what: string): Maybe<boolean> | undefined {
  if (value === undefined || value === null) return undefined;
  if (isUnresolved(value)) return value;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return wrongType(what, 'a boolean', value);
}

export function cfnList(value: CfnValue | undefined, what: string): Maybe<CfnValue[]> | undefined {
  if (value === undefined || value === null) return undefined;
  if (isUnresolved(value)) return value;
  if (Array.isArray(value)) return value;
  return wrongType(what, 'a list', value);
}

export function cfnObject(value: CfnValue | undefined, what: string): Maybe<CfnObject> | undefined {
  if (value === undefined || value === null) return undefined;
  if (isUnresolved(value)) return value;
  if (isCfnObject(value)) return value;
  return wrongType(what, 'an object', value);
}

/** A list of strings, each of which may itself be unknown (one Fn::ImportValue among literal ids). */
export function cfnStringList(value: CfnValue | undefined, what: string): Maybe<Maybe<string>[]> | undefined {
  const list = cfnList(value, what);
  if (list === undefined || isUnresolved(list)) return list;
  return list.map((item, i) => cfnString(item, `${what}[${i}]`) ?? unresolved(`${what}[${i}] is null`));
}

/** The objects of a list; a non-object item becomes undefined so callers can skip it. */
export function cfnObjectList(value: CfnValue | undefined, what: string): Maybe<CfnObject[]> | undefined {
  const list = cfnList(value, what);
  if (list === undefined || isUnresolved(list)) return list;
  return list.filter(isCfnObject);
}

/** Tags as [{Key, Value}]; a tag whose key is unknown cannot be matched by any rule, so it is left out. */
export function cfnTags(value: CfnValue | undefined, what: string): Maybe<DeployTag[]> {
  const list = cfnObjectList(value, what);
  if (list === undefined) return [];
  if (isUnresolved(list)) return list;
  return list.flatMap((tag) => {
    const key = cfnString(tag.Key, `${what}.Key`);
    if (typeof key !== 'string') return [];
    return [{ Key: key, Value: cfnString(tag.Value, `${what}.Value`) ?? '' }];
  });
}

/**
 * A policy document as JSON, passed through (statements may hold Unresolved values). IAM also accepts a document
 * as a JSON string, so a string that parses to an object is read as that object.
 */
export function cfnDocument(value: CfnValue | undefined, what: string): Maybe<unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (isUnresolved(value)) return value;
  if (typeof value === 'string')
    return parsedJsonObject(value) ?? wrongType(what, 'a policy document', value);
  if (isCfnObject(value)) return value;
  return wrongType(what, 'a policy document', value);
}

function parsedJsonObject(text: string): unknown {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : undefined;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** Tags plus more tags, later keys winning (RunInstances merges a launch template's tags with its own). */
export function mergeTags(...lists: DeployTag[][]): DeployTag[] {
  const byKey = new Map<string, DeployTag>();
  for (const list of lists) for (const tag of list) byKey.set(tag.Key, tag);
  return [...byKey.values()];
}

/** A resource's Tags property; unknown tags as a whole become a note (no rule can match a tag it cannot see). */
export function resourceTags(
  resource: CfnResource,
  notes: DeployModel['notes'],
  property = 'Tags',
): DeployTag[] {
  const tags = cfnTags(resource.properties[property], `${resource.logicalId}.${property}`);
  if (!isUnresolved(tags)) return tags;
  notes.push({
    address: resource.logicalId,
    message: `${property} of ${resource.logicalId} are unknown until deploy (${tags.reason})`,
    location: resource.location,
  });
  return [];
}
