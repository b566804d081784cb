// Evaluating CloudFormation intrinsic functions and conditions to CfnValues, with Unresolved for what only deploy knows.
//
// Functions whose result depends on the account at deploy time (Fn::GetAZs, Fn::ImportValue, dynamic
// references) are Unresolved with a reason, and any function over an Unresolved input is Unresolved too.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html

import { isUnresolved, unresolved, type Unresolved } from './deploy-model.js';
import type { CfnObject, CfnValue, ReferencedResource, ResourceValueOf } from './cfn-template.js';
import type { NodePath, ParsedTemplate } from './cfn-parse.js';
import { TemplateInputError } from './template-input-error.js';

/** What `Ref: AWS::NoValue` evaluates to: the enclosing key or list element is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
export type Evaluated = CfnValue | typeof NO_VALUE;

/** A resource a Ref or GetAtt may name: the mapper's view of it, or why it will not exist. */
export type ResourceTarget =
  { created: true; resource: ReferencedResource } | { created: false; reason: string };

/** What evaluation reads beyond the node itself. */
export interface IntrinsicScope {
  template: ParsedTemplate;
  parameters: ReadonlyMap<string, CfnValue>;
  accountId: string;
  region: string;
  stackName: string;
  /** Pseudo parameters whose value is a placeholder (and those derived from the region, with it). */
  assumed: ReadonlySet<string>;
  /** A declared condition's value; TEMPLATE_INVALID when it is not declared. */
  condition(name: string, path: NodePath): boolean | Unresolved;
  /** The template's resource with this logical id, if declared. */
  resource(logicalId: string): ResourceTarget | undefined;
  valueOf: ResourceValueOf;
}

type Intrinsic = (args: unknown, path: NodePath, scope: IntrinsicScope) => Evaluated;

/** Evaluates a (long-form) template value at `path`; maps and lists lose their AWS::NoValue members. */
export function evaluate(raw: unknown, path: NodePath, scope: IntrinsicScope): Evaluated {
  if (typeof raw === 'string') return literalString(raw);
  if (raw === null || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  if (Array.isArray(raw)) return evaluateList(raw, path, scope);
  if (typeof raw !== 'object') return invalid(scope, path, `unsupported value ${String(raw)}`);
  const record = raw as Record<string, unknown>;
  const keys = Object.keys(record);
  const name = keys[0];
  if (keys.length === 1 && name !== undefined && (name === 'Ref' || name.startsWith('Fn::'))) {
    const intrinsic = INTRINSICS[name];
    const argsPath = [...path, name];
    if (!intrinsic) return unresolved(`${name} is not evaluated`);
    return intrinsic(record[name], argsPath, scope);
  }
  const result: CfnObject = {};
  for (const key of keys) {
    const value = evaluate(record[key], [...path, key], scope);
    if (value !== NO_VALUE) result[key] = value;
  }
  return result;
}

function evaluateList(raw: unknown[], path: NodePath, scope: IntrinsicScope): CfnValue[] {
  const result: CfnValue[] = [];
  raw.forEach((item, index) => {
    const value = evaluate(item, [...path, index], scope);
    if (value !== NO_VALUE) result.push(value);
  });
  return result;
}

/** A literal string, unless it holds a dynamic reference CloudFormation resolves at deploy. */
function literalString(value: string): string | Unresolved {
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
  const reference = /\{\{resolve:[^}]*\}\}/.exec(value);
  if (reference) return unresolved(`dynamic reference '${reference[0]}' is resolved at deploy`);
  return value;
}

/**
 * A condition expression (Fn::Equals/And/Or/Not, or {Condition: name}) to true, false or Unresolved.
 * And/Or short-circuit, so a known false (true) operand decides even beside an Unresolved one.
 */
export function evaluateCondition(raw: unknown, path: NodePath, scope: IntrinsicScope): boolean | Unresolved {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const record = raw as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && keys[0] === 'Condition') {
      const name = record['Condition'];
      if (typeof name !== 'string') return invalid(scope, path, 'Condition must name a condition');
      return scope.condition(name, [...path, 'Condition']);
    }
  }
  const value = evaluate(raw, path, scope);
  if (typeof value === 'boolean' || isUnresolved(value)) return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return invalid(scope, path, 'a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or a Condition');
}

function invalid(scope: IntrinsicScope, path: NodePath, detail: string): never {
  const pos = scope.template.positionOf(path);
  throw new TemplateInputError('TEMPLATE_INVALID', scope.template.file, detail, pos.line, pos.column);
}

/** The arguments as a list of `count` (or between min and max) items. */
function argumentList(
  fn: string,
  args: unknown,
  path: NodePath,
  scope: IntrinsicScope,
  min: number,
  max = min,
): unknown[] {
  if (!Array.isArray(args) || args.length < min || args.length > max) {
    const count = min === max ? `${min}` : `${min} to ${max}`;
    return invalid(scope, path, `${fn} takes a list of ${count} arguments`);
  }
  return args;
}

/** A value used as text (Fn::Sub variable, Fn::Join member): strings, numbers and booleans qualify. */
function asText(fn: string, value: Evaluated, path: NodePath, scope: IntrinsicScope): string | Unresolved {
  if (typeof value === 'string' || isUnresolved(value)) return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return invalid(scope, path, `${fn} needs a string here, not ${describe(value)}`);
}

function describe(value: Evaluated): string {
  if (value === NO_VALUE) return 'AWS::NoValue';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : typeof value;
}

function asList(
  fn: string,
  value: Evaluated,
  path: NodePath,
  scope: IntrinsicScope,
): CfnValue[] | Unresolved {
  if (Array.isArray(value) || isUnresolved(value)) return value;
  return invalid(scope, path, `${fn} needs a list here, not ${describe(value)}`);
}

/** The first Unresolved in a value, searched depth-first. */
function firstUnresolved(value: CfnValue): Unresolved | undefined {
  if (isUnresolved(value)) return value;
  if (value === null || typeof value !== 'object') return undefined;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    const found = firstUnresolved(item);
    if (found) return found;
  }
  return undefined;
}

const INTRINSICS: Record<string, Intrinsic> = {
  Ref: (args, path, scope) => {
    if (typeof args !== 'string') return invalid(scope, path, 'Ref takes a logical id or parameter name');
    return referTo(args, undefined, path, scope);
  },
  'Fn::GetAtt': (args, path, scope) => {
    const list = typeof args === 'string' && args.includes('.') ? splitAttribute(args) : args;
    const [logicalId, attribute] = argumentList('Fn::GetAtt', list, path, scope, 2);
    if (typeof logicalId !== 'string') return invalid(scope, [...path, 0], 'Fn::GetAtt takes a logical id');
    const name = asText('Fn::GetAtt', evaluate(attribute, [...path, 1], scope), [...path, 1], scope);
    if (isUnresolved(name)) return name;
    return referTo(logicalId, name, path, scope);
  },
  'Fn::Sub': (args, path, scope) => substitute(args, path, scope),
  'Fn::Join': (args, path, scope) => {
    const [delimiter, members] = argumentList('Fn::Join', args, path, scope, 2);
    if (typeof delimiter !== 'string')
      return invalid(scope, [...path, 0], 'Fn::Join takes a string delimiter');
    const list = asList('Fn::Join', evaluate(members, [...path, 1], scope), [...path, 1], scope);
    if (isUnresolved(list)) return list;
    const texts = list.map((member) => asText('Fn::Join', member, [...path, 1], scope));
    const pending = texts.find(isUnresolved);
    return pending ?? literalString((texts as string[]).join(delimiter));
  },
  'Fn::Select': (args, path, scope) => {
    const [rawIndex, members] = argumentList('Fn::Select', args, path, scope, 2);
    const index = evaluate(rawIndex, [...path, 0], scope);
    if (isUnresolved(index)) return index;
    const list = asList('Fn::Select', evaluate(members, [...path, 1], scope), [...path, 1], scope);
    if (isUnresolved(list)) return list;
    const position = Number(index);
    if (!Number.isInteger(position) || position < 0 || position >= list.length) {
      return invalid(
        scope,
        [...path, 0],
        `Fn::Select index ${String(index)} is outside the list of ${list.length}`,
      );
    }
    return list[position] as CfnValue;
  },
  'Fn::Split': (args, path, scope) => {
    const [delimiter, source] = argumentList('Fn::Split', args, path, scope, 2);
    if (typeof delimiter !== 'string')
      return invalid(scope, [...path, 0], 'Fn::Split takes a string delimiter');
    const text = asText('Fn::Split', evaluate(source, [...path, 1], scope), [...path, 1], scope);
    return isUnresolved(text) ? text : text.split(delimiter);
  },
  'Fn::If': (args, path, scope) => {
    const [name, whenTrue, whenFalse] = argumentList('Fn::If', args, path, scope, 3);
    if (typeof name !== 'string') return invalid(scope, [...path, 0], 'Fn::If takes a condition name first');
    const condition = scope.condition(name, [...path, 0]);
    if (isUnresolved(condition)) return unresolved(`condition ${name} is unknown: ${condition.reason}`);
    return condition ? evaluate(whenTrue, [...path, 1], scope) : evaluate(whenFalse, [...path, 2], scope);
  },
  'Fn::Equals': (args, path, scope) => {
    const [left, right] = argumentList('Fn::Equals', args, path, scope, 2);
    const guessed = assumedIn(left, scope) ?? assumedIn(right, scope);
    if (guessed !== undefined)
      return unresolved(
        `${guessed} is not known (no --account, --region or --context says where the stack deploys)`,
      );
    const a = evaluate(left, [...path, 0], scope);
    const b = evaluate(right, [...path, 1], scope);
    if (a === NO_VALUE || b === NO_VALUE) return invalid(scope, path, 'Fn::Equals of AWS::NoValue');
    const pending = firstUnresolved(a) ?? firstUnresolved(b);
    if (pending) return pending;
    return comparable(a) === comparable(b);
  },
  'Fn::And': (args, path, scope) => combine('Fn::And', false, args, path, scope),
  'Fn::Or': (args, path, scope) => combine('Fn::Or', true, args, path, scope),
  'Fn::Not': (args, path, scope) => {
    const [operand] = argumentList('Fn::Not', args, path, scope, 1);
    const value = evaluateCondition(operand, [...path, 0], scope);
    return isUnresolved(value) ? value : !value;
  },
  'Fn::FindInMap': (args, path, scope) => findInMap(args, path, scope),
  'Fn::Base64': (args, path, scope) => {
    const text = asText('Fn::Base64', evaluate(args, path, scope), path, scope);
    return isUnresolved(text) ? text : Buffer.from(text, 'utf8').toString('base64');
  },
  'Fn::Length': (args, path, scope) => {
    const list = asList('Fn::Length', evaluate(args, path, scope), path, scope);
    return isUnresolved(list) ? list : list.length;
  },
  'Fn::ToJsonString': (args, path, scope) => {
    const value = evaluate(args, path, scope);
    if (value === NO_VALUE) return invalid(scope, path, 'Fn::ToJsonString of AWS::NoValue');
    return firstUnresolved(value) ?? JSON.stringify(value);
  },
  'Fn::GetAZs': () => unresolved('Fn::GetAZs is resolved at deploy'),
  'Fn::Cidr': () => unresolved('Fn::Cidr is resolved at deploy'),
  'Fn::ImportValue': (args, path, scope) => {
    const name = asText('Fn::ImportValue', evaluate(args, path, scope), path, scope);
    if (isUnresolved(name))
      return unresolved(`Fn::ImportValue of a name unknown before deploy (${name.reason})`);
    return unresolved(`Fn::ImportValue of '${name}'`);
  },
  'Fn::Transform': (args) => {
    const macro =
      typeof args === 'object' && args !== null ? (args as Record<string, unknown>)['Name'] : undefined;
    return unresolved(
      `Fn::Transform${typeof macro === 'string' ? ` (macro ${macro})` : ''} is not evaluated`,
    );
  },
};

function splitAttribute(value: string): string[] {
  const dot = value.indexOf('.');
  return [value.slice(0, dot), value.slice(dot + 1)];
}

/** Equals compares what CloudFormation passes: every scalar as its string. */
function comparable(value: CfnValue): string {
  if (Array.isArray(value)) return JSON.stringify(value.map(comparable));
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value as string | number | boolean | null);
}

function combine(fn: string, decisive: boolean, args: unknown, path: NodePath, scope: IntrinsicScope) {
  // CloudFormation takes between 2 and 10 conditions in Fn::And and Fn::Or.
  const operands = argumentList(fn, args, path, scope, 2, 10);
  let pending: Unresolved | undefined;
  for (const [index, operand] of operands.entries()) {
    const value = evaluateCondition(operand, [...path, index], scope);
    if (value === decisive) return decisive;
    if (isUnresolved(value)) pending ??= value;
  }
  return pending ?? !decisive;
}

const PSEUDO_PARAMETERS: Record<string, (scope: IntrinsicScope) => Evaluated> = {
  'AWS::AccountId': (scope) => scope.accountId,
  'AWS::Region': (scope) => scope.region,
  'AWS::StackName': (scope) => scope.stackName,
  // The stack id ends in a GUID CloudFormation generates; a fixed one keeps the ARN's shape for rules.
  'AWS::StackId': (scope) =>
    `arn:${partitionOf(scope.region)}:cloudformation:${scope.region}:${scope.accountId}:stack/${scope.stackName}/00000000-0000-0000-0000-000000000000`,
  'AWS::Partition': (scope) => partitionOf(scope.region),
  'AWS::URLSuffix': (scope) => (scope.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'),
  'AWS::NoValue': () => NO_VALUE,
  'AWS::NotificationARNs': () => unresolved('AWS::NotificationARNs are given at deploy'),
};

/** The assumed pseudo parameter an operand reads (by Ref, or inside a Fn::Sub string), if any. */
function assumedIn(raw: unknown, scope: IntrinsicScope, depth = 0): string | undefined {
  if (scope.assumed.size === 0 || depth > 8) return undefined;
  if (typeof raw === 'string') return undefined;
  if (Array.isArray(raw)) {
    for (const item of raw) {
      const found = assumedIn(item, scope, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const record = raw as Record<string, unknown>;
  const ref = record['Ref'];
  if (typeof ref === 'string' && scope.assumed.has(ref)) return ref;
  const sub = record['Fn::Sub'];
  const text = typeof sub === 'string' ? sub : Array.isArray(sub) ? sub[0] : undefined;
  if (typeof text === 'string')
    for (const name of scope.assumed) if (text.includes(`\${${name}}`)) return name;
  return assumedIn(Object.values(record), scope, depth + 1);
}

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Ref (attribute undefined) or Fn::GetAtt of a name: a pseudo parameter, a parameter, or a resource. */
function referTo(
  name: string,
  attribute: string | undefined,
  path: NodePath,
  scope: IntrinsicScope,
): Evaluated {
  const fn = attribute === undefined ? 'Ref' : 'Fn::GetAtt';
  if (attribute === undefined) {
    // Own keys only: a logical id or parameter named "constructor" or "__proto__" is not a pseudo parameter.
    const pseudo = Object.hasOwn(PSEUDO_PARAMETERS, name) ? PSEUDO_PARAMETERS[name] : undefined;
    if (pseudo) return pseudo(scope);
    const parameter = scope.parameters.get(name);
    if (parameter !== undefined) return parameter;
  }
  const target = scope.resource(name);
  if (!target) {
    const what = scope.parameters.has(name)
      ? 'a parameter, which has no attributes'
      : 'neither a parameter nor a resource';
    return invalid(scope, path, `${fn} of '${name}', ${what}`);
  }
  if (!target.created) return unresolved(target.reason);
  return scope.valueOf(target.resource, attribute);
}

/** Fn::Sub, in both forms: "text ${Name}" and ["text ${Var}", {Var: value}]. */
function substitute(args: unknown, path: NodePath, scope: IntrinsicScope): Evaluated {
  const [text, variables] =
    typeof args === 'string' ? [args, {}] : argumentList('Fn::Sub', args, path, scope, 2);
  const textPath = typeof args === 'string' ? path : [...path, 0];
  if (typeof text !== 'string') return invalid(scope, textPath, 'Fn::Sub takes a string to substitute into');
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
    return invalid(scope, [...path, 1], 'Fn::Sub variables must be a mapping');
  }
  const given = variables as Record<string, unknown>;
  let pending: Unresolved | undefined;
  const result = text.replace(/\$\{([^}]*)\}/g, (_match, inner: string) => {
    // "${!Literal}" writes "${Literal}" itself.
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    const value = Object.hasOwn(given, name)
      ? evaluate(given[name], [...path, 1, name], scope)
      : name.includes('.')
        ? referTo(...(splitAttribute(name) as [string, string]), textPath, scope)
        : referTo(name, undefined, textPath, scope);
    const piece = asText('Fn::Sub', value, textPath, scope);
    if (isUnresolved(piece)) {
      pending ??= piece;
      return '';
    }
    return piece;
  });
  return pending ?? literalString(result);
}

/** Fn::FindInMap [MapName, TopLevelKey, SecondLevelKey, {DefaultValue}?] over the Mappings section. */
function findInMap(args: unknown, path: NodePath, scope: IntrinsicScope): Evaluated {
  const list = argumentList('Fn::FindInMap', args, path, scope, 3, 4);
  const keys: string[] = [];
  for (const index of [0, 1, 2]) {
    const key = asText(
      'Fn::FindInMap',
      evaluate(list[index], [...path, index], scope),
      [...path, index],
      scope,
    );
    if (isUnresolved(key)) return key;
    keys.push(key);
  }
  const [mapName, topKey, secondKey] = keys as [string, string, string];
  const found = lookUp(scope.template.body['Mappings'], keys);
  if (found !== undefined) return evaluate(found, ['Mappings', mapName, topKey, secondKey], scope);
  // The DefaultValue option comes with the AWS::LanguageExtensions transform.
  const option = list[3];
  if (typeof option === 'object' && option !== null && Object.hasOwn(option, 'DefaultValue')) {
    return evaluate((option as Record<string, unknown>)['DefaultValue'], [...path, 3, 'DefaultValue'], scope);
  }
  return invalid(scope, path, `Fn::FindInMap: Mappings has no ${mapName}.${topKey}.${secondKey}`);
}

function lookUp(mappings: unknown, keys: string[]): unknown {
  let node: unknown = mappings;
  for (const key of keys) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, key)) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
