// The CloudFormation reader: short forms, intrinsics, parameters, conditions, positions and malformed templates.

import { readFileSync } from 'node:fs';
import { describe, expect, it, test } from 'vitest';
import {
  looksLikeCloudFormation,
  readCloudFormationTemplate,
} from '../../../src/collectors/template/cfn-read.js';
import { parseCfnTemplate } from '../../../src/collectors/template/cfn-parse.js';
import type {
  CfnResource,
  CfnValue,
  ReadTemplateOptions,
  ResolvedTemplate,
  ResourceValueOf,
} from '../../../src/collectors/template/cfn-template.js';
import { unresolved } from '../../../src/collectors/template/deploy-model.js';
import { TemplateInputError } from '../../../src/collectors/template/template-input-error.js';

/** Refs become "ref:<id>", GetAtts "<id>.<attr>", so tests see which resource was named. */
const OPTIONS: ReadTemplateOptions = {
  accountId: '123456789012',
  region: 'us-east-1',
  stackName: 'app',
  valueOf: (resource, attribute) =>
    attribute === undefined ? `ref:${resource.logicalId}` : `${resource.logicalId}.${attribute}`,
};

/**
 * Reads stack.yaml with OPTIONS, some overridden. (`valueOf` is passed as `resolve`: an object literal's inherited
 * Object.prototype.valueOf would not type-check against a Partial<ReadTemplateOptions>.)
 */
function read(
  text: string,
  overrides: { parameters?: Record<string, string>; region?: string; resolve?: ResourceValueOf } = {},
): ResolvedTemplate {
  const { resolve, ...rest } = overrides;
  return readCloudFormationTemplate('stack.yaml', text, {
    ...OPTIONS,
    ...rest,
    valueOf: resolve ?? OPTIONS.valueOf,
  });
}

function resource(template: ResolvedTemplate, logicalId: string): CfnResource {
  const found = template.resources.find((r) => r.logicalId === logicalId);
  if (!found) throw new Error(`${logicalId} not in ${template.resources.map((r) => r.logicalId).join(', ')}`);
  return found;
}

/** The properties of the only resource of a template whose Resources are `Thing` with these properties. */
function propertiesOf(propertiesYaml: string, preamble = ''): Record<string, CfnValue> {
  const text = `${preamble}
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Thing:
    Type: AWS::EC2::Instance
    Properties:
${propertiesYaml
  .split('\n')
  .map((line) => `      ${line}`)
  .join('\n')}
`;
  return resource(read(text), 'Thing').properties;
}

function inputError(run: () => unknown): TemplateInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateInputError) return error;
    throw error;
  }
  throw new Error('expected a TemplateInputError');
}

describe('short-form tags', () => {
  test.for([
    { name: '!Ref of a resource', yaml: 'P: !Ref Bucket', expected: 'ref:Bucket' },
    { name: '!GetAtt scalar form', yaml: 'P: !GetAtt Bucket.Arn', expected: 'Bucket.Arn' },
    {
      name: '!GetAtt with a dotted attribute',
      yaml: 'P: !GetAtt Bucket.Endpoint.Address',
      expected: 'Bucket.Endpoint.Address',
    },
    { name: '!GetAtt sequence form', yaml: 'P: !GetAtt [Bucket, Arn]', expected: 'Bucket.Arn' },
    { name: '!Sub scalar form', yaml: 'P: !Sub "${AWS::StackName}-${Bucket}"', expected: 'app-ref:Bucket' },
    {
      name: '!Sub sequence form',
      yaml: 'P: !Sub ["${Name}-x", {Name: !Ref AWS::Region}]',
      expected: 'us-east-1-x',
    },
    { name: '!Join', yaml: "P: !Join ['/', [a, !Ref AWS::AccountId, 3]]", expected: 'a/123456789012/3' },
    { name: '!Select', yaml: 'P: !Select [1, [a, b, c]]', expected: 'b' },
    { name: '!Split', yaml: "P: !Split [',', 'a,b']", expected: ['a', 'b'] },
    { name: '!Select of !Split', yaml: "P: !Select [2, !Split ['-', 'x-y-z']]", expected: 'z' },
    { name: '!If true branch', yaml: 'P: !If [Always, yes, no]', expected: 'yes' },
    { name: '!Equals', yaml: 'P: !Equals [!Ref AWS::Region, us-east-1]', expected: true },
    { name: '!And', yaml: 'P: !And [!Equals [a, a], !Condition Always]', expected: true },
    { name: '!Or', yaml: 'P: !Or [!Equals [a, b], !Condition Never]', expected: false },
    { name: '!Not', yaml: 'P: !Not [!Condition Never]', expected: true },
    { name: '!FindInMap', yaml: 'P: !FindInMap [RegionMap, !Ref AWS::Region, Ami]', expected: 'ami-0abc' },
    {
      name: '!Base64',
      yaml: 'P: !Base64 "#!/bin/bash"',
      expected: Buffer.from('#!/bin/bash').toString('base64'),
    },
    {
      name: '!Base64 of a mapping',
      yaml: 'P: !Base64 {"Fn::Sub": "${AWS::Region}"}',
      expected: 'dXMtZWFzdC0x',
    },
    { name: '!Length', yaml: 'P: !Length [a, b, c]', expected: 3 },
    {
      name: '!ToJsonString',
      yaml: 'P: !ToJsonString {a: [1, !Ref AWS::Partition]}',
      expected: '{"a":[1,"aws"]}',
    },
    { name: '!GetAZs', yaml: "P: !GetAZs ''", expected: unresolved('Fn::GetAZs is resolved at deploy') },
    {
      name: '!Cidr',
      yaml: 'P: !Cidr [10.0.0.0/16, 4, 8]',
      expected: unresolved('Fn::Cidr is resolved at deploy'),
    },
    {
      name: '!ImportValue',
      yaml: 'P: !ImportValue net-PrivateSubnet',
      expected: unresolved("Fn::ImportValue of 'net-PrivateSubnet'"),
    },
    {
      name: '!Transform',
      yaml: 'P: !Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}',
      expected: unresolved('Fn::Transform (macro AWS::Include) is not evaluated'),
    },
  ])('$name', ({ yaml, expected }) => {
    const preamble = `Conditions:
  Always: !Equals [a, a]
  Never: !Equals [a, b]
Mappings:
  RegionMap:
    us-east-1: {Ami: ami-0abc}`;
    expect(propertiesOf(yaml, preamble)['P']).toEqual(expected);
  });

  it('turns each short form into its long form', () => {
    // Prepare
    const text = `Resources:
  R:
    Type: AWS::EC2::Instance
    Properties:
      A: !GetAtt Web.Arn
      B: !Condition IsProd
      C: !Sub ['\${X}', {X: !Ref Y}]
`;
    // Act
    const parsed = parseCfnTemplate('t.yaml', text);
    // Assess
    expect(parsed.body).toEqual({
      Resources: {
        R: {
          Type: 'AWS::EC2::Instance',
          Properties: {
            A: { 'Fn::GetAtt': ['Web', 'Arn'] },
            B: { Condition: 'IsProd' },
            C: { 'Fn::Sub': ['${X}', { X: { Ref: 'Y' } }] },
          },
        },
      },
    });
  });

  it('reads the same template written in JSON long form', () => {
    const json = JSON.stringify(
      {
        AWSTemplateFormatVersion: '2010-09-09',
        Resources: {
          Bucket: { Type: 'AWS::S3::Bucket' },
          Thing: {
            Type: 'AWS::EC2::Instance',
            Properties: {
              Name: { 'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, { 'Fn::GetAtt': ['Bucket', 'Arn'] }]] },
            },
          },
        },
      },
      null,
      2,
    );
    const template = readCloudFormationTemplate('stack.json', json, OPTIONS);
    expect(resource(template, 'Thing').properties).toEqual({ Name: 'app-Bucket.Arn' });
  });
});

describe('Fn::Sub', () => {
  it('writes ${!Literal} as ${Literal}', () => {
    expect(propertiesOf('P: !Sub "echo ${!HOME} in ${AWS::Region}"')['P']).toBe('echo ${HOME} in us-east-1');
  });

  it('substitutes resource attributes, parameters and pseudo parameters in a multi-line block', () => {
    const preamble = `Parameters:
  Env: {Type: String, Default: prod}`;
    const props = propertiesOf(
      `UserData: !Sub |
  #!/bin/bash
  echo \${Env} \${Bucket.Arn} \${AWS::Partition} \${AWS::URLSuffix}`,
      preamble,
    );
    expect(props['UserData']).toBe('#!/bin/bash\necho prod Bucket.Arn aws amazonaws.com\n');
  });

  it('is Unresolved with the reason of its first Unresolved piece', () => {
    const preamble = `Parameters:
  Vpc: {Type: AWS::EC2::VPC::Id}`;
    expect(propertiesOf('P: !Sub "${AWS::Region}/${Vpc}"', preamble)['P']).toEqual(
      unresolved('parameter Vpc has no default and no value'),
    );
  });

  it('rejects a variable that is neither parameter nor resource, at the Sub', () => {
    const error = inputError(() => propertiesOf('P: !Sub "${Nope}"'));
    expect(error.code).toBe('TEMPLATE_INVALID');
    expect(error.detail).toContain("'Nope', neither a parameter nor a resource");
    expect([error.line, error.column]).toEqual([8, 15]);
  });
});

describe('pseudo parameters', () => {
  test.for([
    { region: 'us-east-1', partition: 'aws', suffix: 'amazonaws.com' },
    { region: 'cn-north-1', partition: 'aws-cn', suffix: 'amazonaws.com.cn' },
    { region: 'us-gov-west-1', partition: 'aws-us-gov', suffix: 'amazonaws.com' },
  ])('$region is in partition $partition', ({ region, partition, suffix }) => {
    const text = `Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      Partition: !Ref AWS::Partition
      Suffix: !Ref AWS::URLSuffix
      Stack: !Ref AWS::StackId
      Notify: !Ref AWS::NotificationARNs
`;
    const props = resource(read(text, { region }), 'R').properties;
    expect(props['Partition']).toBe(partition);
    expect(props['Suffix']).toBe(suffix);
    expect(props['Stack']).toMatch(
      new RegExp(`^arn:${partition}:cloudformation:${region}:123456789012:stack/app/`),
    );
    expect(props['Notify']).toEqual(unresolved('AWS::NotificationARNs are given at deploy'));
  });
});

describe('values only deploy knows', () => {
  test.for([
    {
      name: 'an SSM dynamic reference',
      yaml: "ImageId: '{{resolve:ssm:/golden/ami}}'",
      reason: "dynamic reference '{{resolve:ssm:/golden/ami}}' is resolved at deploy",
    },
    {
      name: 'a Secrets Manager dynamic reference inside a Sub',
      yaml: 'P: !Sub "pw={{resolve:secretsmanager:db:SecretString:pw}}"',
      reason: "dynamic reference '{{resolve:secretsmanager:db:SecretString:pw}}' is resolved at deploy",
    },
    {
      name: 'an ImportValue of a Sub',
      yaml: 'SubnetId: !ImportValue {"Fn::Sub": "${AWS::StackName}-Subnet"}',
      reason: "Fn::ImportValue of 'app-Subnet'",
    },
    {
      name: 'Select of GetAZs',
      yaml: "Az: !Select [0, !GetAZs '']",
      reason: 'Fn::GetAZs is resolved at deploy',
    },
    {
      name: 'Join over an ImportValue',
      yaml: "P: !Join [',', [a, !ImportValue shared-Sg]]",
      reason: "Fn::ImportValue of 'shared-Sg'",
    },
    { name: 'an unknown function', yaml: 'P: {"Fn::Foo": [1]}', reason: 'Fn::Foo is not evaluated' },
    {
      name: 'ToJsonString over an Unresolved member',
      yaml: 'P: !ToJsonString {a: !GetAZs ""}',
      reason: 'Fn::GetAZs is resolved at deploy',
    },
  ])('$name is Unresolved with its reason', ({ yaml, reason }) => {
    const props = propertiesOf(yaml);
    expect(Object.values(props)[0]).toEqual(unresolved(reason));
  });

  it('keeps a known element of a list beside an Unresolved one', () => {
    const props = propertiesOf(
      "SecurityGroupIds: [sg-1, !ImportValue shared-Sg]\nFirst: !Select [0, [sg-1, !GetAZs '']]",
    );
    expect(props['SecurityGroupIds']).toEqual(['sg-1', unresolved("Fn::ImportValue of 'shared-Sg'")]);
    expect(props['First']).toBe('sg-1');
    expect(propertiesOf("N: !Length [a, !GetAZs '']")['N']).toBe(2);
  });
});

describe('AWS::NoValue', () => {
  it('removes the property, the list element and the mapping key', () => {
    // Prepare
    const preamble = `Conditions:
  IsProd: !Equals [a, b]`;
    // Act
    const props = propertiesOf(
      `KeyName: !If [IsProd, prod-key, !Ref AWS::NoValue]
SecurityGroupIds: [sg-1, !If [IsProd, sg-2, !Ref AWS::NoValue]]
MetadataOptions:
  HttpTokens: required
  HttpPutResponseHopLimit: !If [IsProd, 2, !Ref AWS::NoValue]`,
      preamble,
    );
    // Assess
    expect(props).toEqual({ SecurityGroupIds: ['sg-1'], MetadataOptions: { HttpTokens: 'required' } });
  });
});

describe('parameters', () => {
  const template = `Parameters:
  Env:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
    Default: subnet-a, subnet-b
  Count:
    Type: Number
    Default: 2
  Ami:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base
  Vpc:
    Type: AWS::EC2::VPC::Id
Resources:
  R:
    Type: AWS::EC2::Instance
    Properties:
      Env: !Ref Env
      Subnets: !Ref Subnets
      Count: !Ref Count
      ImageId: !Ref Ami
      Vpc: !Ref Vpc
`;

  it('uses defaults, lists for list types, strings for numbers, Unresolved for SSM types and missing values', () => {
    expect(resource(read(template), 'R').properties).toEqual({
      Env: 'dev',
      Subnets: ['subnet-a', 'subnet-b'],
      Count: '2',
      ImageId: unresolved(
        "SSM parameter '/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base' is resolved at deploy",
      ),
      Vpc: unresolved('parameter Vpc has no default and no value'),
    });
  });

  it('lets given values override defaults', () => {
    const props = resource(
      read(template, { parameters: { Env: 'prod', Vpc: 'vpc-1', Subnets: 's-1' } }),
      'R',
    ).properties;
    expect(props['Env']).toBe('prod');
    expect(props['Vpc']).toBe('vpc-1');
    expect(props['Subnets']).toEqual(['s-1']);
  });

  it('refuses a given value outside AllowedValues, at the parameter declaration', () => {
    const error = inputError(() => read(template, { parameters: { Env: 'qa' } }));
    expect(error.code).toBe('TEMPLATE_PARAMETERS_INVALID');
    expect(error.detail).toContain("parameter Env is 'qa', not one of AllowedValues [dev, prod]");
    expect([error.line, error.column]).toEqual([5, 5]);
  });

  it('refuses a given parameter the template does not declare', () => {
    const error = inputError(() => read(template, { parameters: { Envv: 'prod' } }));
    expect(error.code).toBe('TEMPLATE_PARAMETERS_INVALID');
    expect(error.detail).toContain('Envv');
  });
});

describe('conditions', () => {
  const template = `Parameters:
  Env: {Type: String, Default: prod}
  Mode: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  IsLocked: !Equals [!Ref Mode, locked]
  ProdOrLocked: !Or [!Condition IsProd, !Condition IsLocked]
  DevAndLocked: !And [!Condition IsDev, !Condition IsLocked]
Resources:
  ProdOnly:
    Type: AWS::EC2::Instance
    Condition: IsProd
    Properties:
      Size: !If [IsLocked, small, large]
  DevOnly:
    Type: AWS::EC2::Instance
    Condition: IsDev
  LockedOnly:
    Type: AWS::EC2::Instance
    Condition: IsLocked
  Either:
    Type: AWS::EC2::Instance
    Condition: ProdOrLocked
  Neither:
    Type: AWS::EC2::Instance
    Condition: DevAndLocked
  Consumer:
    Type: AWS::EC2::Instance
    Properties:
      Peer: !Ref DevOnly
`;

  it('leaves out false ones, keeps true ones, and marks those on an Unresolved parameter', () => {
    // Act
    const result = read(template);
    // Assess
    expect(result.resources.map((r) => r.logicalId)).toEqual([
      'ProdOnly',
      'LockedOnly',
      'Either',
      'Consumer',
    ]);
    expect(resource(result, 'ProdOnly').condition).toBe(true);
    expect(resource(result, 'Either').condition).toBe(true);
    expect(resource(result, 'LockedOnly').condition).toEqual(
      unresolved('condition IsLocked is unknown: parameter Mode has no default and no value'),
    );
    expect(resource(result, 'ProdOnly').properties['Size']).toEqual(
      unresolved('condition IsLocked is unknown: parameter Mode has no default and no value'),
    );
  });

  it('makes a Ref to a resource that is not created Unresolved', () => {
    expect(resource(read(template), 'Consumer').properties['Peer']).toEqual(
      unresolved('resource DevOnly is not created: its condition IsDev is false'),
    );
  });

  it('follows given parameters', () => {
    const result = read(template, { parameters: { Env: 'dev', Mode: 'open' } });
    expect(result.resources.map((r) => r.logicalId)).toEqual(['DevOnly', 'Consumer']);
    expect(resource(result, 'Consumer').properties['Peer']).toBe('ref:DevOnly');
  });

  it('refuses a resource whose Condition is not declared', () => {
    const error = inputError(() =>
      read('Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Condition: Nope\n'),
    );
    expect(error.code).toBe('TEMPLATE_INVALID');
    expect(error.detail).toBe('condition Nope is not declared');
    expect([error.line, error.column]).toEqual([4, 5]);
  });

  it('refuses a condition that refers to a resource', () => {
    const text = `Conditions:
  HasBucket: !Equals [!Ref Bucket, x]
Resources:
  Bucket: {Type: AWS::S3::Bucket, Condition: HasBucket}
`;
    const error = inputError(() => read(text));
    expect(error.detail).toBe('a condition refers to resource Bucket; conditions use parameters');
    expect(error.line).toBe(1);
  });

  it('refuses circular conditions', () => {
    const text = `Conditions:
  A: !Condition B
  B: !Not [!Condition A]
Resources:
  R: {Type: AWS::S3::Bucket, Condition: A}
`;
    expect(inputError(() => read(text)).detail).toMatch(/condition [AB] refers to itself/);
  });
});

describe('references between resources', () => {
  it('lets valueOf read a referenced resource property lazily', () => {
    // Prepare
    const text = `Resources:
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref Role]
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "\${AWS::StackName}-web"
`;
    const valueOf: ReadTemplateOptions['valueOf'] = (target, attribute) =>
      target.type === 'AWS::IAM::Role' && attribute === undefined
        ? (target.property('RoleName') ?? 'none')
        : 'x';
    // Act
    const result = read(text, { resolve: valueOf });
    // Assess
    expect(resource(result, 'Profile').properties['Roles']).toEqual(['app-web']);
  });

  it('resolves a reference cycle to Unresolved instead of looping', () => {
    const text = `Resources:
  A:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: !GetAtt B.GroupName
  B:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: !GetAtt A.GroupName
`;
    const valueOf: ReadTemplateOptions['valueOf'] = (target, attribute) =>
      target.property(attribute ?? 'GroupName') ?? 'none';
    const result = read(text, { resolve: valueOf });
    expect(resource(result, 'A').properties['GroupName']).toEqual(
      unresolved('reference cycle through A.GroupName'),
    );
  });

  test.for([
    { name: 'Ref', yaml: 'P: !Ref Missing', at: [8, 15] },
    { name: 'GetAtt', yaml: 'P:\n  Fn::GetAtt: [Missing, Arn]', at: [9, 9] },
  ])('refuses a $name of an undeclared logical id, at its position', ({ yaml, at }) => {
    const error = inputError(() => propertiesOf(yaml));
    expect(error.code).toBe('TEMPLATE_INVALID');
    expect(error.detail).toContain("'Missing', neither a parameter nor a resource");
    expect([error.line, error.column]).toEqual(at);
  });
});

describe('template structure', () => {
  test.for([
    {
      name: 'no Resources',
      text: 'AWSTemplateFormatVersion: "2010-09-09"\n',
      detail: 'has no Resources section',
    },
    { name: 'empty Resources', text: 'Resources: {}\n', detail: 'Resources declares no resources' },
    {
      name: 'a resource without Type',
      text: 'Resources:\n  R:\n    Properties: {}\n',
      detail: 'R has no Type',
    },
  ])('refuses a template with $name', ({ text, detail }) => {
    const error = inputError(() => read(text));
    expect(error.code).toBe('TEMPLATE_INVALID');
    expect(error.detail).toContain(detail);
  });

  it.each([
    [
      'a macro transform',
      'Transform: AWS::Serverless-2016-10-31\n',
      'Transform AWS::Serverless-2016-10-31',
      1,
    ],
    ['a transform list', 'Transform: [AWS::LanguageExtensions, MyMacro]\n', 'Transform MyMacro', 1],
  ])(
    'refuses %s, which rewrites the template before deploy (TEMPLATE_UNSUPPORTED)',
    (_what, head, name, line) => {
      const text = `${head}Resources:
  Fn:
    Type: AWS::EC2::Instance
`;
      const error = inputError(() => read(text));
      expect(error.code).toBe('TEMPLATE_UNSUPPORTED');
      expect(error.detail).toContain(`${name} is not expanded by ssmguard: scan the processed template`);
      expect(error.line).toBe(line);
    },
  );

  it('refuses an Fn::ForEach it does not expand, at its line', () => {
    const text = `Transform: AWS::LanguageExtensions
Resources:
  R:
    Type: AWS::EC2::Instance
  Fn::ForEach::Denies:
    - Name
    - [A, B]
    - Deny\${Name}: {Type: AWS::IAM::Policy}
`;
    const error = inputError(() => read(text));
    expect(error.code).toBe('TEMPLATE_UNSUPPORTED');
    expect(error.line).toBe(5);
  });

  it('evaluates AWS::LanguageExtensions functions without a warning', () => {
    const text = `Transform: AWS::LanguageExtensions
Mappings:
  Sizes: {dev: {Type: t3.micro}}
Resources:
  R:
    Type: AWS::EC2::Instance
    Properties:
      InstanceType: !FindInMap [Sizes, prod, Type, {DefaultValue: t3.large}]
`;
    const result = read(text);
    expect(result.warnings).toEqual([]);
    expect(resource(result, 'R').properties['InstanceType']).toBe('t3.large');
  });
});

describe('source locations', () => {
  const text = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  WebLaunchTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: ami-1
        SecurityGroupIds:
          - sg-1
          - !Ref WebSg
  WebSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupEgress:
        - IpProtocol: tcp
          CidrIp: 0.0.0.0/0
`;

  it('gives each resource the line of its logical id and the logical id as address', () => {
    const result = read(text);
    expect(resource(result, 'WebLaunchTemplate').location).toEqual({
      file: 'stack.yaml',
      line: 3,
      column: 3,
      address: 'WebLaunchTemplate',
    });
    expect(resource(result, 'WebSg').location.line).toBe(11);
  });

  test.for([
    { path: 'Properties.LaunchTemplateData.ImageId', line: 7, column: 9 },
    // A tagged node starts at its value, after the tag.
    { path: 'Properties.LaunchTemplateData.SecurityGroupIds.1', line: 10, column: 18 },
    { path: 'Properties.LaunchTemplateData.IamInstanceProfile', line: 6, column: 7 },
    { path: 'Properties.Nope.Deeper', line: 5, column: 5 },
    { path: 'Metadata', line: 3, column: 3 },
  ])('places $path at line $line', ({ path, line, column }) => {
    const location = resource(read(text), 'WebLaunchTemplate').propertyLocation(path);
    expect(location).toEqual({ file: 'stack.yaml', line, column, address: 'WebLaunchTemplate' });
  });

  it('places properties of a JSON template too', () => {
    const json = `{
  "Resources": {
    "WebSg": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "SecurityGroupEgress": [
          { "IpProtocol": "tcp", "CidrIp": "0.0.0.0/0" }
        ]
      }
    }
  }
}`;
    const sg = readCloudFormationTemplate('stack.json', json, OPTIONS).resources[0];
    expect(sg?.location).toMatchObject({ line: 3, column: 5 });
    expect(sg?.propertyLocation('Properties.SecurityGroupEgress.0')).toMatchObject({ line: 7, column: 11 });
    expect(sg?.propertyLocation('Properties.SecurityGroupEgress.0.CidrIp')).toMatchObject({
      line: 7,
      column: 34,
    });
  });
});

describe('malformed templates', () => {
  test.for([
    {
      name: 'bad YAML indentation',
      text: 'Resources:\n  R:\n    Type: AWS::S3::Bucket\n   Bad: x\n',
      at: [4, 1],
    },
    { name: 'a tab as indentation', text: 'Resources:\n\tR: {Type: AWS::S3::Bucket}\n', at: [2, 1] },
    { name: 'truncated JSON', text: '{\n  "Resources": {\n    "R": {"Type": "AWS::S3::Bucket"', at: [3, 36] },
    {
      name: 'a duplicate key',
      text: 'Resources:\n  R: {Type: AWS::S3::Bucket}\n  R: {Type: AWS::S3::Bucket}\n',
      at: [3, 3],
    },
    { name: 'a duplicate JSON key', text: '{"Resources": {}, "Resources": {}}', at: [1, 19] },
    {
      name: '!Ref on a list',
      text: 'Resources:\n  R:\n    Type: X\n    Properties: {A: !Ref [a]}\n',
      at: [4, 21],
    },
    {
      name: '!Join on a scalar',
      text: 'Resources:\n  R:\n    Type: X\n    Properties:\n      A: !Join x\n',
      at: [5, 10],
    },
    {
      name: '!GetAtt without attribute',
      text: 'Resources:\n  R:\n    Type: X\n    Properties:\n      A: !GetAtt Web\n',
      at: [5, 10],
    },
    { name: 'an empty file', text: '', at: [1, 1] },
    { name: 'a top-level list', text: '- Resources\n', at: [1, 1] },
  ])('$name is TEMPLATE_MALFORMED at line and column', ({ text, at }) => {
    const error = inputError(() => read(text));
    expect(error.code).toBe('TEMPLATE_MALFORMED');
    expect(error.file).toBe('stack.yaml');
    expect([error.line, error.column]).toEqual(at);
  });
});

describe('looksLikeCloudFormation', () => {
  const describeInstances: unknown = JSON.parse(
    readFileSync(
      new URL('../../fixtures/aws-cli/realistic/111122223333/us-east-1/instances.json', import.meta.url),
      'utf8',
    ),
  );
  const terraformPlan = {
    format_version: '1.2',
    terraform_version: '1.9.5',
    planned_values: { root_module: { resources: [{ address: 'aws_instance.web', type: 'aws_instance' }] } },
    resource_changes: [{ address: 'aws_instance.web', change: { actions: ['create'] } }],
  };

  test.for([
    {
      name: 'a template with AWSTemplateFormatVersion only',
      parsed: { AWSTemplateFormatVersion: '2010-09-09' },
      is: true,
    },
    { name: 'Resources of AWS:: types', parsed: { Resources: { B: { Type: 'AWS::S3::Bucket' } } }, is: true },
    { name: 'a Custom:: resource', parsed: { Resources: { C: { Type: 'Custom::Lookup' } } }, is: true },
    { name: 'an AWS CLI describe-instances output', parsed: describeInstances, is: false },
    { name: 'a Terraform plan', parsed: terraformPlan, is: false },
    { name: 'Resources without Type', parsed: { Resources: { B: { Name: 'x' } } }, is: false },
    {
      name: 'Resources of registry types only',
      parsed: { Resources: { B: { Type: 'Org::Svc::Thing' } } },
      is: false,
    },
    { name: 'a list', parsed: [{ Resources: {} }], is: false },
    { name: 'null', parsed: null, is: false },
  ])('$name → $is', ({ parsed, is }) => {
    expect(looksLikeCloudFormation(parsed)).toBe(is);
  });
});

describe('templates AWS would refuse', () => {
  test.for([
    {
      name: 'a GetAtt of a parameter',
      yaml: 'P: !GetAtt Env.Arn',
      says: "'Env', a parameter, which has no attributes",
    },
    {
      name: 'a FindInMap of a missing key',
      yaml: 'P: !FindInMap [Sizes, prod, Type]',
      says: 'Mappings has no Sizes.prod.Type',
    },
    {
      name: 'a Select past the end',
      yaml: 'P: !Select [3, [a, b]]',
      says: 'index 3 is outside the list of 2',
    },
    {
      name: 'an If on an undeclared condition',
      yaml: 'P: !If [Nope, a, b]',
      says: 'condition Nope is not declared',
    },
    {
      name: 'a Join of a mapping',
      yaml: "P: !Join ['', {a: b}]",
      says: 'Fn::Join needs a list here, not a mapping',
    },
    {
      name: 'a Sub of a list parameter',
      yaml: 'P: !Sub "${Zones}"',
      says: 'Fn::Sub needs a string here, not a list',
    },
    {
      name: 'an Equals of one argument',
      yaml: 'P: !Equals [a]',
      says: 'Fn::Equals takes a list of 2 arguments',
    },
  ])('refuses $name as TEMPLATE_INVALID', ({ yaml, says }) => {
    const preamble = `Parameters:
  Env: {Type: String, Default: dev}
  Zones: {Type: CommaDelimitedList, Default: "a,b"}
Mappings:
  Sizes: {dev: {Type: t3.micro}}`;
    const error = inputError(() => propertiesOf(yaml, preamble));
    expect(error.code).toBe('TEMPLATE_INVALID');
    expect(error.detail).toContain(says);
    expect(error.line).toBe(12);
  });

  it('refuses an unknown short-form tag as TEMPLATE_MALFORMED', () => {
    const error = inputError(() => read('Resources:\n  R:\n    Type: X\n    Properties: {A: !Reff B}\n'));
    expect(error.code).toBe('TEMPLATE_MALFORMED');
    expect(error.detail).toContain('!Reff');
    expect([error.line, error.column]).toEqual([4, 21]);
  });
});

describe('a realistic template', () => {
  // An Auto Scaling group whose launch template names a profile only in prod, SSM parameter AMI, imported subnets.
  const text = `AWSTemplateFormatVersion: "2010-09-09"
Description: Web tier
Parameters:
  Env:
    Type: String
    AllowedValues: [dev, prod]
    Default: dev
  LatestAmi:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
  NetworkStack:
    Type: String
    Default: net
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  WebRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: !Sub "ec2.\${AWS::URLSuffix}"}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore
  WebProfile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref WebRole]
  WebLaunchTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: !Ref LatestAmi
        IamInstanceProfile: !If
          - IsProd
          - Arn: !GetAtt WebProfile.Arn
          - !Ref AWS::NoValue
        MetadataOptions: {HttpTokens: required, HttpEndpoint: enabled}
        UserData:
          Fn::Base64: !Sub |
            #!/bin/bash
            echo \${Env}
  WebGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "2"
      MaxSize: "4"
      LaunchTemplate:
        LaunchTemplateId: !Ref WebLaunchTemplate
        Version: !GetAtt WebLaunchTemplate.LatestVersionNumber
      VPCZoneIdentifier:
        - Fn::ImportValue: !Sub "\${NetworkStack}-PrivateSubnetA"
        - Fn::ImportValue: !Sub "\${NetworkStack}-PrivateSubnetB"
`;

  it('resolves what the template knows and leaves the rest Unresolved with reasons', () => {
    // Act
    const result = read(text);
    // Assess
    expect(result.warnings).toEqual([]);
    expect(result.resources.map((r) => `${r.logicalId} ${r.type} ${r.location.line}`)).toEqual([
      'WebRole AWS::IAM::Role 17',
      'WebProfile AWS::IAM::InstanceProfile 28',
      'WebLaunchTemplate AWS::EC2::LaunchTemplate 32',
      'WebGroup AWS::AutoScaling::AutoScalingGroup 46',
    ]);
    const role = resource(result, 'WebRole').properties;
    expect(role['ManagedPolicyArns']).toEqual(['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
    expect(JSON.stringify(role['AssumeRolePolicyDocument'])).toContain('"Service":"ec2.amazonaws.com"');
    expect(resource(result, 'WebProfile').properties['Roles']).toEqual(['ref:WebRole']);
    const data = resource(result, 'WebLaunchTemplate').properties['LaunchTemplateData'] as Record<
      string,
      CfnValue
    >;
    expect(data['IamInstanceProfile']).toBeUndefined();
    expect(data['ImageId']).toEqual(
      unresolved(
        "SSM parameter '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' is resolved at deploy",
      ),
    );
    expect(Buffer.from(data['UserData'] as string, 'base64').toString()).toBe('#!/bin/bash\necho dev\n');
    expect(resource(result, 'WebGroup').properties).toMatchObject({
      LaunchTemplate: {
        LaunchTemplateId: 'ref:WebLaunchTemplate',
        Version: 'WebLaunchTemplate.LatestVersionNumber',
      },
      VPCZoneIdentifier: [
        unresolved("Fn::ImportValue of 'net-PrivateSubnetA'"),
        unresolved("Fn::ImportValue of 'net-PrivateSubnetB'"),
      ],
    });
  });

  it('attaches the profile in prod, and places it', () => {
    const launchTemplate = resource(read(text, { parameters: { Env: 'prod' } }), 'WebLaunchTemplate');
    const data = launchTemplate.properties['LaunchTemplateData'] as Record<string, CfnValue>;
    expect(data['IamInstanceProfile']).toEqual({ Arn: 'WebProfile.Arn' });
    expect(launchTemplate.propertyLocation('Properties.LaunchTemplateData.IamInstanceProfile')).toEqual({
      file: 'stack.yaml',
      line: 37,
      column: 9,
      address: 'WebLaunchTemplate',
    });
  });
});
