// Cases for globMatch, the `*` / `?` matcher behind action and resource patterns.
import { describe, expect, test } from 'vitest';
import { globMatch } from '../../src/iam/glob-match.js';

describe('globMatch', () => {
  test.for([
    ['*', '', true],
    ['*', 'anything:at/all', true],
    ['ssm:*', 'ssm:getdocument', true],
    ['ssm:*', 'ssmmessages:opendatachannel', false],
    ['ssm:*instance*', 'ssm:updateinstanceinformation', true],
    ['ssm:*instance*', 'ssm:getdocument', false],
    ['ssm:update?nstance*', 'ssm:updateinstanceinformation', true],
    ['ssm:?', 'ssm:', false],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['a*a*a*a*b', 'a'.repeat(200), false],
    ['arn:aws:s3:::bucket*', 'arn:aws:s3:::bucket/a/b', true],
    ['arn:aws:ec2:*:*:instance/*', 'arn:aws:ec2:us-east-1:1:instance/i-1', true],
    ['Case', 'case', false],
    ['a.b', 'axb', false],
    ['**', 'x', true],
    ['x*', 'x', true],
  ] as const)('%s ~ %s → %s', ([pattern, text, expected]) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });
});
