// Parameters: the create-stack `--parameters file://…` format, and each template parameter's value.

import { describe, expect, it, test } from 'vitest';
import { readParametersFile, resolveParameters } from '../../../src/collectors/template/cfn-parameters.js';
import { parseCfnTemplate } from '../../../src/collectors/template/cfn-parse.js';
import { unresolved } from '../../../src/collectors/template/deploy-model.js';
import { TemplateInputError } from '../../../src/collectors/template/template-input-error.js';

function inputError(run: () => unknown): TemplateInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateInputError) return error;
    throw error;
  }
  throw new Error('expected a TemplateInputError');
}

describe('readParametersFile', () => {
  it('reads the create-stack list of ParameterKey and ParameterValue', () => {
    const text = `[
  { "ParameterKey": "Env", "ParameterValue": "prod" },
  { "ParameterKey": "Subnets", "ParameterValue": "subnet-a,subnet-b" },
  { "ParameterKey": "Count", "ParameterValue": "3" }
]`;
    expect(readParametersFile('params.json', text)).toEqual({
      Env: 'prod',
      Subnets: 'subnet-a,subnet-b',
      Count: '3',
    });
  });

  it('reads an empty list as no values', () => {
    expect(readParametersFile('params.json', '[]')).toEqual({});
  });

  test.for([
    {
      name: 'a UsePreviousValue entry',
      text: '[\n  {"ParameterKey": "Env", "UsePreviousValue": true}\n]',
      says: 'Env: UsePreviousValue needs a deployed stack',
      at: [2, 27],
    },
    {
      name: 'a ResolvedValue-only entry',
      text: '[\n  {"ParameterKey": "Ami", "ResolvedValue": "ami-1"}\n]',
      says: 'Ami has no ParameterValue',
      at: [2, 3],
    },
    {
      name: 'a number as ParameterValue',
      text: '[\n  {"ParameterKey": "Count",\n   "ParameterValue": 3}\n]',
      says: 'Count: ParameterValue must be a string',
      at: [3, 4],
    },
    {
      name: 'an unknown field',
      text: '[{"ParameterKey": "Env", "ParameterValue": "x", "Value": "y"}]',
      says: 'unknown field Value',
      at: [1, 49],
    },
    {
      name: 'a missing ParameterKey',
      text: '[{"ParameterValue": "x"}]',
      says: 'ParameterKey must be a non-empty string',
      at: [1, 2],
    },
    {
      name: 'a key given twice',
      text: '[\n {"ParameterKey": "Env", "ParameterValue": "a"},\n {"ParameterKey": "Env", "ParameterValue": "b"}\n]',
      says: 'Env is given twice',
      at: [3, 3],
    },
    { name: 'an entry that is not a mapping', text: '["Env=prod"]', says: 'each entry must be', at: [1, 2] },
    {
      name: 'a CodePipeline-style mapping',
      text: '{"Parameters": {"Env": "prod"}}',
      says: 'the top level is not the create-stack list',
      at: [1, 1],
    },
    { name: 'truncated JSON', text: '[\n  {"ParameterKey": "Env",', says: '', at: [2, 26] },
    { name: 'an empty file', text: '', says: 'the file is empty', at: [1, 1] },
  ])('refuses $name, naming file and position', ({ text, says, at }) => {
    const error = inputError(() => readParametersFile('params.json', text));
    expect(error.code).toBe('TEMPLATE_PARAMETERS_INVALID');
    expect(error.file).toBe('params.json');
    expect(error.detail).toContain(says);
    expect([error.line, error.column]).toEqual(at);
    expect(error.message).toContain(`params.json:${at[0]}:${at[1]}`);
  });
});

describe('resolveParameters', () => {
  const template = parseCfnTemplate(
    'stack.yaml',
    `Parameters:
  Env:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
  Azs:
    Type: CommaDelimitedList
    Default: "us-east-1a, us-east-1b"
    AllowedValues: [us-east-1a, us-east-1b, us-east-1c]
  Size:
    Type: Number
    Default: 8
  Ami:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base
  Vpc:
    Type: AWS::EC2::VPC::Id
Resources:
  R: {Type: AWS::S3::Bucket}
`,
  );

  it('takes defaults, splits and trims lists, keeps numbers as strings', () => {
    expect(Object.fromEntries(resolveParameters(template))).toEqual({
      Env: 'dev',
      Azs: ['us-east-1a', 'us-east-1b'],
      Size: '8',
      Ami: unresolved(
        "SSM parameter '/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base' is resolved at deploy",
      ),
      Vpc: unresolved('parameter Vpc has no default and no value'),
    });
  });

  it('lets given values win, an SSM parameter path included', () => {
    const values = resolveParameters(template, {
      Env: 'prod',
      Ami: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
      Vpc: 'vpc-0abc',
    });
    expect(values.get('Env')).toBe('prod');
    expect(values.get('Vpc')).toBe('vpc-0abc');
    expect(values.get('Ami')).toEqual(
      unresolved(
        "SSM parameter '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' is resolved at deploy",
      ),
    );
  });

  test.for<{ name: string; given: Record<string, string>; says: string; at: number[] }>([
    {
      name: 'a value outside AllowedValues',
      given: { Env: 'qa' },
      says: "Env is 'qa', not one of",
      at: [5, 5],
    },
    {
      name: 'a list member outside AllowedValues',
      given: { Azs: 'us-east-1a,eu-west-1a' },
      says: "'eu-west-1a'",
      at: [9, 5],
    },
    {
      name: 'a Number that is not a number',
      given: { Size: 'eight' },
      says: "'eight' is not a number",
      at: [11, 5],
    },
    {
      name: 'an undeclared parameter',
      given: { Envv: 'prod' },
      says: 'Envv is given but not declared',
      at: [1, 1],
    },
  ])('refuses $name as TEMPLATE_PARAMETERS_INVALID', ({ given, says, at }) => {
    const error = inputError(() => resolveParameters(template, given));
    expect(error.code).toBe('TEMPLATE_PARAMETERS_INVALID');
    expect(error.detail).toContain(says);
    expect([error.line, error.column]).toEqual(at);
  });

  it('refuses a template whose own Default breaks AllowedValues as TEMPLATE_INVALID', () => {
    const bad = parseCfnTemplate(
      'bad.yaml',
      'Parameters:\n  Env:\n    Type: String\n    Default: qa\n    AllowedValues: [dev]\nResources: {}\n',
    );
    const error = inputError(() => resolveParameters(bad));
    expect(error.code).toBe('TEMPLATE_INVALID');
    expect([error.line, error.column]).toEqual([4, 5]);
  });

  it('refuses a parameter without Type', () => {
    const bad = parseCfnTemplate('bad.yaml', 'Parameters:\n  Env:\n    Default: dev\nResources: {}\n');
    const error = inputError(() => resolveParameters(bad));
    expect(error.code).toBe('TEMPLATE_INVALID');
    expect(error.detail).toBe('parameter Env has no Type');
    expect([error.line, error.column]).toEqual([2, 3]);
  });
});
