// A response that is one page of several must not pass for a complete family (fail closed).
import { describe, expect, it } from 'vitest';
import { InventoryBuilder } from '../../../src/collectors/api/inventory-builder.js';

const WEB_GROUP = {
  GroupId: 'sg-0123456789abcdef0',
  GroupName: 'web',
  VpcId: 'vpc-1',
  OwnerId: '111122223333',
  IpPermissions: [],
  IpPermissionsEgress: [],
};

describe('truncated responses', () => {
  it('keeps the resources but marks the family unreadable', () => {
    // Prepare
    const builder = new InventoryBuilder();
    const page = {
      SecurityGroups: [WEB_GROUP],
      NextToken: 'abc',
    };
    // Act
    builder.addResponse(
      'ec2:DescribeSecurityGroups',
      page,
      { accountId: '111122223333', region: 'us-east-1' },
      'sg.json',
    );
    const { inventory } = builder.build({ kind: 'aws-cli', inputs: [], accounts: [], regions: [] });
    // Assess
    expect(inventory.securityGroups).toHaveLength(1);
    expect(inventory.coverage).toEqual([
      expect.objectContaining({
        family: 'ec2:security-groups',
        status: 'error',
        error: expect.objectContaining({ code: 'RESPONSE_TRUNCATED' }),
      }),
    ]);
  });
});

describe('responses with dropped entries or fields', () => {
  it('keeps what mapped but marks the family unreadable, naming the file and the JSON path', () => {
    // Prepare: an ingress rule whose port is a string (hand-edited or tampered): dropping it silently could
    // hide an exposure finding.
    const builder = new InventoryBuilder();
    const body = {
      SecurityGroups: [WEB_GROUP, 'not a security group'],
    };
    // Act
    builder.addResponse(
      'ec2:DescribeSecurityGroups',
      body,
      { accountId: '111122223333', region: 'us-east-1' },
      'sg.json',
    );
    const { inventory } = builder.build({ kind: 'aws-cli', inputs: [], accounts: [], regions: [] });
    // Assess
    expect(inventory.securityGroups).toHaveLength(1);
    expect(inventory.coverage).toEqual([
      expect.objectContaining({
        family: 'ec2:security-groups',
        status: 'error',
        error: expect.objectContaining({
          code: 'RESPONSE_INCOMPLETE',
          message: expect.stringMatching(/^sg\.json at SecurityGroups\[1\]: /),
        }),
      }),
    ]);
  });
});
