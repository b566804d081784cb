// Table tests for every condition operator and modifier: values, missing keys, unknown keys, wrong types.
import { describe, expect, test } from 'vitest';
import { compileCondition, requestContext, type Tri } from '../../../src/iam/conditions/index.js';

interface Row {
  name: string;
  condition: Record<string, Record<string, unknown>>;
  /** Context values; keys not listed are absent unless `unknown` names them. */
  context?: Record<string, string | string[]>;
  unknown?: string[];
  expect: Tri;
}

const REGION = 'aws:RequestedRegion';
const rows: Row[] = [
  // String*
  {
    name: 'StringEquals matches exactly',
    condition: { StringEquals: { [REGION]: 'eu-west-1' } },
    context: { [REGION]: 'eu-west-1' },
    expect: true,
  },
  {
    name: 'StringEquals is case-sensitive',
    condition: { StringEquals: { [REGION]: 'EU-WEST-1' } },
    context: { [REGION]: 'eu-west-1' },
    expect: false,
  },
  {
    name: 'StringEquals ORs the values of one key',
    condition: { StringEquals: { [REGION]: ['us-east-1', 'eu-west-1'] } },
    context: { [REGION]: 'eu-west-1' },
    expect: true,
  },
  {
    name: 'StringEquals on a missing key is false',
    condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
    expect: false,
  },
  {
    name: 'StringNotEquals is true when no value matches',
    condition: { StringNotEquals: { [REGION]: ['us-east-1', 'us-west-2'] } },
    context: { [REGION]: 'eu-west-1' },
    expect: true,
  },
  {
    name: 'StringNotEquals is false when one value matches',
    condition: { StringNotEquals: { [REGION]: ['us-east-1', 'eu-west-1'] } },
    context: { [REGION]: 'eu-west-1' },
    expect: false,
  },
  {
    name: 'StringNotEquals on a missing key is true',
    condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } },
    expect: true,
  },
  {
    name: 'StringEqualsIgnoreCase ignores case',
    condition: { StringEqualsIgnoreCase: { 'aws:PrincipalTag/Team': 'OPS' } },
    context: { 'aws:PrincipalTag/Team': 'ops' },
    expect: true,
  },
  {
    name: 'StringNotEqualsIgnoreCase ignores case',
    condition: { StringNotEqualsIgnoreCase: { 'aws:PrincipalTag/Team': 'OPS' } },
    context: { 'aws:PrincipalTag/Team': 'ops' },
    expect: false,
  },
  {
    name: 'StringLike matches * and ?',
    condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/ssm-?-*' } },
    context: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/ssm-a-prod' },
    expect: true,
  },
  {
    name: 'StringLike fails when the pattern does not match',
    condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/admin-*' } },
    context: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/ssm-a' },
    expect: false,
  },
  {
    name: 'StringNotLike on a missing key is true',
    condition: { StringNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/admin-*' } },
    expect: true,
  },
  {
    name: 'condition key names are case-insensitive',
    condition: { StringEquals: { 'AWS:requestedregion': 'eu-west-1' } },
    context: { [REGION]: 'eu-west-1' },
    expect: true,
  },
  {
    name: 'a number policy value compares as text',
    condition: { StringEquals: { 'aws:PrincipalAccount': 111122223333 } },
    context: { 'aws:PrincipalAccount': '111122223333' },
    expect: true,
  },
  // Numeric*
  {
    name: 'NumericEquals compares numbers',
    condition: { NumericEquals: { 'ec2:RoleDelivery': '2.0' } },
    context: { 'ec2:RoleDelivery': '2' },
    expect: true,
  },
  {
    name: 'NumericNotEquals',
    condition: { NumericNotEquals: { 'ec2:RoleDelivery': '2' } },
    context: { 'ec2:RoleDelivery': '1.0' },
    expect: true,
  },
  {
    name: 'NumericLessThan',
    condition: { NumericLessThan: { 'ec2:RoleDelivery': 2 } },
    context: { 'ec2:RoleDelivery': '1.0' },
    expect: true,
  },
  {
    name: 'NumericLessThanEquals at the bound',
    condition: { NumericLessThanEquals: { 'ec2:RoleDelivery': 2 } },
    context: { 'ec2:RoleDelivery': '2' },
    expect: true,
  },
  {
    name: 'NumericGreaterThan',
    condition: { NumericGreaterThan: { 'aws:EpochTime': 100 } },
    context: { 'aws:EpochTime': '99' },
    expect: false,
  },
  {
    name: 'NumericGreaterThanEquals',
    condition: { NumericGreaterThanEquals: { 'aws:EpochTime': 100 } },
    context: { 'aws:EpochTime': '100' },
    expect: true,
  },
  {
    name: 'Numeric on a non-numeric context value does not match',
    condition: { NumericEquals: { 'ec2:RoleDelivery': 2 } },
    context: { 'ec2:RoleDelivery': 'two' },
    expect: false,
  },
  {
    name: 'Numeric with a non-numeric policy value never matches',
    condition: { NumericEquals: { 'ec2:RoleDelivery': 'two' } },
    context: { 'ec2:RoleDelivery': '2' },
    expect: false,
  },
  // Date*
  {
    name: 'DateLessThan with ISO 8601',
    condition: { DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } },
    context: { 'aws:CurrentTime': '2026-12-01T20:00:00Z' },
    expect: true,
  },
  {
    name: 'DateGreaterThan with epoch seconds',
    condition: { DateGreaterThan: { 'aws:EpochTime': '1796083200' } },
    context: { 'aws:EpochTime': '1796169600' },
    expect: true,
  },
  {
    name: 'DateEquals with a bare date',
    condition: { DateEquals: { 'aws:CurrentTime': '2026-12-01' } },
    context: { 'aws:CurrentTime': '2026-12-01T00:00:00Z' },
    expect: true,
  },
  {
    name: 'DateNotEquals',
    condition: { DateNotEquals: { 'aws:CurrentTime': '2026-12-01' } },
    context: { 'aws:CurrentTime': '2026-12-02T00:00:00Z' },
    expect: true,
  },
  {
    name: 'DateLessThanEquals',
    condition: { DateLessThanEquals: { 'aws:CurrentTime': '2026-12-01T20:00:00Z' } },
    context: { 'aws:CurrentTime': '2026-12-01T20:00:00Z' },
    expect: true,
  },
  {
    name: 'DateGreaterThanEquals',
    condition: { DateGreaterThanEquals: { 'aws:CurrentTime': '2026-12-02T00:00:00Z' } },
    context: { 'aws:CurrentTime': '2026-12-01T20:00:00Z' },
    expect: false,
  },
  {
    name: 'Date with an unparsable context value does not match',
    condition: { DateLessThan: { 'aws:CurrentTime': '2027-01-01' } },
    context: { 'aws:CurrentTime': 'yesterday' },
    expect: false,
  },
  // Bool
  {
    name: 'Bool true',
    condition: { Bool: { 'aws:SecureTransport': 'true' } },
    context: { 'aws:SecureTransport': 'true' },
    expect: true,
  },
  {
    name: 'Bool is case-insensitive',
    condition: { Bool: { 'aws:ViaAWSService': 'FALSE' } },
    context: { 'aws:ViaAWSService': 'false' },
    expect: true,
  },
  {
    name: 'Bool with a JSON boolean',
    condition: { Bool: { 'aws:ViaAWSService': false } },
    context: { 'aws:ViaAWSService': 'true' },
    expect: false,
  },
  {
    name: 'Bool on a missing key is false',
    condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    expect: false,
  },
  // BinaryEquals
  {
    name: 'BinaryEquals compares base64 bytes',
    condition: { BinaryEquals: { 'x:Blob': 'QmluYXJ5' } },
    context: { 'x:Blob': 'QmluYXJ5' },
    expect: true,
  },
  {
    name: 'BinaryEquals on other bytes',
    condition: { BinaryEquals: { 'x:Blob': 'QmluYXJ5' } },
    context: { 'x:Blob': 'T3RoZXI=' },
    expect: false,
  },
  // IpAddress / NotIpAddress
  {
    name: 'IpAddress in an IPv4 CIDR',
    condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
    context: { 'aws:SourceIp': '203.0.113.7' },
    expect: true,
  },
  {
    name: 'IpAddress outside an IPv4 CIDR',
    condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
    context: { 'aws:SourceIp': '198.51.100.7' },
    expect: false,
  },
  {
    name: 'IpAddress with a single address',
    condition: { IpAddress: { 'aws:SourceIp': '203.0.113.7' } },
    context: { 'aws:SourceIp': '203.0.113.7' },
    expect: true,
  },
  {
    name: 'IpAddress in an IPv6 CIDR',
    condition: { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } },
    context: { 'aws:SourceIp': '2001:db8:0:1::7' },
    expect: true,
  },
  {
    name: 'IpAddress: IPv4 address never in an IPv6 CIDR',
    condition: { IpAddress: { 'aws:SourceIp': '::/0' } },
    context: { 'aws:SourceIp': '203.0.113.7' },
    expect: false,
  },
  {
    name: 'IpAddress with a /0',
    condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } },
    context: { 'aws:SourceIp': '203.0.113.7' },
    expect: true,
  },
  {
    name: 'NotIpAddress outside the ranges',
    condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } },
    context: { 'aws:SourceIp': '198.51.100.7' },
    expect: true,
  },
  {
    name: 'NotIpAddress on a missing key is true',
    condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
    expect: true,
  },
  {
    name: 'IpAddress on a missing key is false',
    condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
    expect: false,
  },
  // Arn*
  {
    name: 'ArnLike matches per component',
    condition: { ArnLike: { 'ec2:SourceInstanceARN': 'arn:aws:ec2:*:111122223333:instance/*' } },
    context: { 'ec2:SourceInstanceARN': 'arn:aws:ec2:eu-west-1:111122223333:instance/i-1' },
    expect: true,
  },
  {
    name: 'ArnLike does not let * cross a colon',
    condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*' } },
    context: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/x' },
    expect: false,
  },
  {
    name: 'ArnEquals behaves like ArnLike',
    condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/ssm-*' } },
    context: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/ssm-core' },
    expect: true,
  },
  {
    name: 'ArnNotLike',
    condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/admin' } },
    context: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/ssm-core' },
    expect: true,
  },
  {
    name: 'ArnNotEquals on a missing key is true',
    condition: { ArnNotEquals: { 'aws:SourceArn': 'arn:aws:iam::*:role/admin' } },
    expect: true,
  },
  {
    name: 'ArnLike on a non-ARN context value',
    condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/x' } },
    context: { 'aws:PrincipalArn': 'not-an-arn' },
    expect: false,
  },
  // Null
  { name: 'Null true: the key is absent', condition: { Null: { 'aws:SourceVpce': 'true' } }, expect: true },
  {
    name: 'Null true: the key is present',
    condition: { Null: { 'aws:SourceVpce': 'true' } },
    context: { 'aws:SourceVpce': 'vpce-1' },
    expect: false,
  },
  {
    name: 'Null false: the key is present',
    condition: { Null: { 'ec2:SourceInstanceARN': false } },
    context: { 'ec2:SourceInstanceARN': 'arn:aws:ec2:eu-west-1:1:instance/i-1' },
    expect: true,
  },
  // IfExists
  {
    name: 'IfExists passes on a missing key',
    condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } },
    expect: true,
  },
  {
    name: 'IfExists still checks a present key',
    condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } },
    context: { 'aws:SourceVpce': 'vpce-2' },
    expect: false,
  },
  {
    name: 'negated IfExists passes on a missing key',
    condition: { StringNotEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } },
    expect: true,
  },
  {
    name: 'BoolIfExists on a missing key',
    condition: { BoolIfExists: { 'aws:ViaAWSService': 'false' } },
    expect: true,
  },
  {
    name: 'IpAddressIfExists on a present key',
    condition: { IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } },
    context: { 'aws:SourceIp': '203.0.113.7' },
    expect: false,
  },
  // ForAllValues / ForAnyValue
  {
    name: 'ForAllValues: every value in the set',
    condition: {
      'ForAllValues:StringEquals': { 'aws:PrincipalOrgPaths': ['o-1/r-1/ou-a/', 'o-1/r-1/ou-b/'] },
    },
    context: { 'aws:PrincipalOrgPaths': ['o-1/r-1/ou-a/'] },
    expect: true,
  },
  {
    name: 'ForAllValues: one value outside the set',
    condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } },
    context: { 'aws:TagKeys': ['a', 'c'] },
    expect: false,
  },
  {
    name: 'ForAllValues on a missing key is true',
    condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a'] } },
    expect: true,
  },
  {
    name: 'ForAllValues on an empty key is true',
    condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a'] } },
    context: { 'aws:TagKeys': [] },
    expect: true,
  },
  {
    name: 'ForAnyValue: one value in the set',
    condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-1/r-1/ou-prod/*' } },
    context: { 'aws:PrincipalOrgPaths': ['o-1/r-1/ou-dev/', 'o-1/r-1/ou-prod/x/'] },
    expect: true,
  },
  {
    name: 'ForAnyValue: no value in the set',
    condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['x'] } },
    context: { 'aws:TagKeys': ['a', 'b'] },
    expect: false,
  },
  {
    name: 'ForAnyValue on a missing key is false',
    condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['x'] } },
    expect: false,
  },
  {
    name: 'ForAnyValue:StringNotEquals: some value outside',
    condition: { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['a'] } },
    context: { 'aws:TagKeys': ['a', 'b'] },
    expect: true,
  },
  {
    name: 'ForAllValues:StringNotEquals: every value outside',
    condition: { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['a'] } },
    context: { 'aws:TagKeys': ['a', 'b'] },
    expect: false,
  },
  // Policy variables
  {
    name: 'a variable resolves from the context',
    condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } },
    context: { 'aws:ResourceTag/team': 'ops', 'aws:PrincipalTag/team': 'ops' },
    expect: true,
  },
  {
    name: 'a variable with another value',
    condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } },
    context: { 'aws:ResourceTag/team': 'ops', 'aws:PrincipalTag/team': 'dev' },
    expect: false,
  },
  {
    name: 'a variable whose key is missing takes its default',
    condition: { StringEquals: { 'x:Owner': "${aws:username, 'nobody'}" } },
    context: { 'x:Owner': 'nobody' },
    expect: true,
  },
  {
    name: 'a variable whose key is missing matches nothing',
    condition: { StringEquals: { 'x:Owner': '${aws:username}' } },
    context: { 'x:Owner': 'nobody' },
    expect: false,
  },
  {
    name: 'a variable inside ArnLike',
    condition: { ArnLike: { 'x:Arn': 'arn:aws:ec2:*:*:instance/${ec2:InstanceId}' } },
    context: { 'x:Arn': 'arn:aws:ec2:eu-west-1:1:instance/i-1', 'ec2:InstanceId': 'i-1' },
    expect: true,
  },
  {
    name: 'variables are not substituted in Numeric operators',
    condition: { NumericEquals: { 'x:N': '${x:M}' } },
    context: { 'x:N': '1', 'x:M': '1' },
    expect: false,
  },
  {
    name: 'the ${*} escape is a literal star',
    condition: { StringEquals: { 'x:Name': 'a${*}b' } },
    context: { 'x:Name': 'a*b' },
    expect: true,
  },
  // Unknown keys and combination
  {
    name: 'an unknown key makes the clause unknown',
    condition: { StringEquals: { 'aws:SourceIp': '1.2.3.4' } },
    unknown: ['aws:SourceIp'],
    expect: 'unknown',
  },
  {
    name: 'an unknown key with IfExists stays unknown',
    condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } },
    unknown: ['aws:SourceVpce'],
    expect: 'unknown',
  },
  {
    name: 'Null on an unknown key is unknown',
    condition: { Null: { 'aws:SourceVpce': 'true' } },
    unknown: ['aws:SourceVpce'],
    expect: 'unknown',
  },
  {
    name: 'a false clause decides an AND with an unknown one',
    condition: { StringEquals: { [REGION]: 'us-east-1', 'aws:SourceIp': 'x' } },
    context: { [REGION]: 'eu-west-1' },
    unknown: ['aws:SourceIp'],
    expect: false,
  },
  {
    name: 'operators are ANDed',
    condition: { StringEquals: { [REGION]: 'eu-west-1' }, Bool: { 'aws:SecureTransport': 'false' } },
    context: { [REGION]: 'eu-west-1', 'aws:SecureTransport': 'true' },
    expect: false,
  },
  {
    name: 'an unknown variable makes the clause unknown',
    condition: { StringEquals: { 'x:Owner': '${aws:PrincipalTag/owner}' } },
    context: { 'x:Owner': 'a' },
    unknown: ['aws:PrincipalTag/owner'],
    expect: 'unknown',
  },
];

describe('condition operators', () => {
  test.for(rows)('$name', (row) => {
    // Prepare
    const compiled = compileCondition(row.condition, true);
    if (typeof compiled === 'string') throw new Error(compiled);
    const context = requestContext({
      values: row.context ?? {},
      unknown: Object.fromEntries((row.unknown ?? []).map((k) => [k, 'test'])),
      closedPrefixes: [''],
    });

    // Act
    const outcome = compiled.evaluate(context);

    // Assess
    expect(outcome.result).toBe(row.expect);
    expect(outcome.trace.length).toBeGreaterThan(0);
    if (row.expect === 'unknown') expect(outcome.unknownKeys.length).toBeGreaterThan(0);
  });
});

describe('malformed Condition blocks', () => {
  test.for([
    {
      name: 'an unknown operator',
      condition: { StringEqual: { k: 'v' } },
      says: 'not an IAM condition operator',
    },
    {
      name: 'IfExists on Null',
      condition: { NullIfExists: { k: 'true' } },
      says: 'IfExists cannot be added to Null',
    },
    {
      name: 'a wrong set qualifier',
      condition: { 'ForEachValue:StringEquals': { k: 'v' } },
      says: 'ForAllValues',
    },
    { name: 'an object value', condition: { StringEquals: { k: { a: 1 } } }, says: 'values must be' },
    { name: 'a Null value that is not true/false', condition: { Null: { k: 'maybe' } }, says: 'true' },
  ])('refuses $name', ({ condition, says }) => {
    const compiled = compileCondition(condition as never, true);
    expect(typeof compiled).toBe('string');
    expect(compiled).toContain(says);
  });
});
