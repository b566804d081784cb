// Template parameters: reading a `--parameters` file, and each parameter's value (given, default, or Unresolved).
//
// The file is the JSON `aws cloudformation create-stack --parameters file://…` takes: a list of
// {ParameterKey, ParameterValue}. Values are strings there, as CloudFormation passes every parameter (a Number
// parameter too); list types split at commas.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html

import { unresolved } from './deploy-model.js';
import type { CfnValue } from './cfn-template.js';
import { parsePositionedDocument, type ParsedTemplate, type PositionedDocument } from './cfn-parse.js';
import { TemplateInputError } from './template-input-error.js';

const PARAMETERS_FILE_SHAPE = {
  kind: 'seq',
  description: 'the create-stack list of {"ParameterKey": …, "ParameterValue": …}',
} as const;

/** The keys of one create-stack Parameter entry. */
const ENTRY_KEYS = new Set(['ParameterKey', 'ParameterValue', 'UsePreviousValue', 'ResolvedValue']);

/** Reads a create-stack parameters file into ParameterKey → ParameterValue; anything else is an error. */
export function readParametersFile(file: string, text: string): Record<string, string> {
  const document = parsePositionedDocument(file, text, 'TEMPLATE_PARAMETERS_INVALID', PARAMETERS_FILE_SHAPE);
  const entries = document.root as unknown[];
  // No prototype: a ParameterKey "__proto__" is a key like any other (and then refused as not declared).
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  entries.forEach((entry, index) => {
    const [key, value] = readEntry(document, entry, index);
    if (Object.hasOwn(values, key))
      throw entryError(document, [index, 'ParameterKey'], `${key} is given twice`);
    values[key] = value;
  });
  return values;
}

function readEntry(document: PositionedDocument, entry: unknown, index: number): [string, string] {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw entryError(document, [index], 'each entry must be {"ParameterKey": …, "ParameterValue": …}');
  }
  const record = entry as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    if (!ENTRY_KEYS.has(name)) throw entryError(document, [index, name], `unknown field ${name}`);
  }
  const key = record['ParameterKey'];
  if (typeof key !== 'string' || key === '') {
    throw entryError(document, [index], 'ParameterKey must be a non-empty string');
  }
  if (record['UsePreviousValue'] !== undefined) {
    // A previous value lives in a deployed stack, which a template checked before deploy does not have.
    throw entryError(
      document,
      [index, 'UsePreviousValue'],
      `${key}: UsePreviousValue needs a deployed stack`,
    );
  }
  const value = record['ParameterValue'];
  if (value === undefined) {
    throw entryError(document, [index], `${key} has no ParameterValue`);
  }
  if (typeof value !== 'string') {
    // The AWS CLI refuses non-string values too ("valid types: <class 'str'>").
    throw entryError(document, [index, 'ParameterValue'], `${key}: ParameterValue must be a string`);
  }
  return [key, value];
}

function entryError(
  document: PositionedDocument,
  path: (string | number)[],
  detail: string,
): TemplateInputError {
  const pos = document.positionOf(path);
  return new TemplateInputError('TEMPLATE_PARAMETERS_INVALID', document.file, detail, pos.line, pos.column);
}

/**
 * Each template parameter's value: the given one, else its Default, else Unresolved. List types become string
 * lists; SSM parameter types are Unresolved (CloudFormation reads the SSM parameter at deploy).
 */
export function resolveParameters(
  template: ParsedTemplate,
  given: Readonly<Record<string, string>> = {},
): Map<string, CfnValue> {
  const section = template.body['Parameters'];
  const declared = section === undefined ? {} : asMapping(template, ['Parameters'], section);
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(declared, key)) {
      // CloudFormation refuses the stack: "Parameters: [X] do not exist in the template".
      throw parameterError(
        template,
        ['Parameters'],
        `parameter ${key} is given but not declared in the template`,
      );
    }
  }
  const values = new Map<string, CfnValue>();
  for (const [name, declaration] of Object.entries(declared)) {
    values.set(
      name,
      resolveParameter(template, name, declaration, Object.hasOwn(given, name) ? given[name] : undefined),
    );
  }
  return values;
}

function resolveParameter(
  template: ParsedTemplate,
  name: string,
  declaration: unknown,
  givenValue: string | undefined,
): CfnValue {
  const path = ['Parameters', name];
  const spec = asMapping(template, path, declaration);
  const type = spec['Type'];
  if (typeof type !== 'string') throw invalid(template, path, `parameter ${name} has no Type`);
  const value = givenValue ?? defaultOf(template, name, spec['Default']);
  if (value === undefined) return unresolved(`parameter ${name} has no default and no value`);
  // The value of an SSM parameter type is the SSM parameter's name; CloudFormation reads its value at deploy.
  if (type.startsWith('AWS::SSM::Parameter::Value<'))
    return unresolved(`SSM parameter '${value}' is resolved at deploy`);
  const isList = type === 'CommaDelimitedList' || type.startsWith('List<');
  const members = isList ? splitList(value) : [value];
  // A given value is refused at the declaration it breaks; a default, at the default.
  const refuse = (detail: string, rule: string) =>
    givenValue !== undefined
      ? parameterError(template, [...path, rule], detail)
      : invalid(template, [...path, 'Default'], detail);
  const isNumber = type === 'Number' || type === 'List<Number>';
  const notNumber = members.find((member) => !isNumeric(member));
  if (isNumber && notNumber !== undefined) {
    throw refuse(`parameter ${name} is ${type}, but '${notNumber}' is not a number`, 'Type');
  }
  const disallowed = findDisallowed(spec['AllowedValues'], members);
  if (disallowed) {
    const detail = `parameter ${name} is '${disallowed.value}', not one of AllowedValues [${disallowed.allowed}]`;
    throw refuse(detail, 'AllowedValues');
  }
  return isList ? members : value;
}

function defaultOf(template: ParsedTemplate, name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalid(template, ['Parameters', name, 'Default'], `parameter ${name}: Default must be a string`);
}

/** CloudFormation space-trims each member of a comma-delimited list. */
function splitList(value: string): string[] {
  return value.split(',').map((member) => member.trim());
}

function isNumeric(value: string): boolean {
  return value.trim() !== '' && Number.isFinite(Number(value));
}

/** The first member outside AllowedValues (each member of a list is checked on its own). */
function findDisallowed(allowed: unknown, members: string[]): { value: string; allowed: string } | undefined {
  if (!Array.isArray(allowed)) return undefined;
  const allowedStrings = allowed.map((a) => String(a));
  const value = members.find((member) => !allowedStrings.includes(member));
  return value === undefined ? undefined : { value, allowed: allowedStrings.join(', ') };
}

function asMapping(template: ParsedTemplate, path: string[], value: unknown): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return value as Record<string, unknown>;
  throw invalid(template, path, `${path.join('.')} must be a mapping`);
}

function invalid(template: ParsedTemplate, path: string[], detail: string): TemplateInputError {
  const pos = template.positionOf(path);
  return new TemplateInputError('TEMPLATE_INVALID', template.file, detail, pos.line, pos.column);
}

/** A given value the template refuses: named at the template's declaration, since the values carry no position. */
function parameterError(template: ParsedTemplate, path: string[], detail: string): TemplateInputError {
  const pos = template.positionOf(path);
  return new TemplateInputError('TEMPLATE_PARAMETERS_INVALID', template.file, detail, pos.line, pos.column);
}
