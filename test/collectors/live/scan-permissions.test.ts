// policies/iam/ssmguard-scan-readonly.json grants every operation a live scan really calls: the operations are
// taken from the loopback endpoint's request counts during full scans, not from a list kept by hand.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { collectFleet } from '../../../src/collectors/live/collect-fleet.js';
import { generateFleet } from '../../../src/generator/generate-fleet.js';
import { type AwsEndpoint, startAwsEndpoint } from '../../support/aws-endpoint/start-aws-endpoint.js';
import { FAKE_CREDENTIALS } from './live-test-kit.js';

const POLICY_FILE = fileURLToPath(
  new URL('../../../policies/iam/ssmguard-scan-readonly.json', import.meta.url),
);

// Called by the scan's own identity on the role it assumes in each account; granted to the caller
// (on arn:aws:iam::*:role/<role-name>) rather than in the read-only policy of the scanned accounts, whose
// role would otherwise be able to hop on to other roles.
const CALLER_ONLY = new Set(['sts:AssumeRole']);

interface PolicyDocument {
  Statement: { Effect: string; Action: string | string[]; Resource: string | string[] }[];
}

beforeAll(() => {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});

let endpoint: AwsEndpoint | undefined;
afterEach(async () => {
  await endpoint?.stop();
  endpoint = undefined;
});

/** The endpoint's `service:Operation` keys are the IAM actions: every API a scan calls has its own action. */
const iamAction = (operation: string): string => operation;

it('grants every operation a single-account and an organization-wide scan call', async () => {
  // Prepare
  const fleet = generateFleet({ seed: 41, instances: 200, accounts: 2, regions: ['us-east-1', 'eu-west-1'] });
  endpoint = await startAwsEndpoint({ fleet });
  const base = { endpointUrl: endpoint.url, credentials: FAKE_CREDENTIALS, maxAttempts: 1 };

  // Act: every path through the collectors — own account, named regions; organization, every region.
  await collectFleet({ ...base, regions: ['us-east-1', 'eu-west-1'] });
  await collectFleet({ ...base, regions: 'all', organization: true, roleName: 'ssmguard-scan' });

  // Assess
  const called = [...endpoint.counts.keys()].map(iamAction).sort();
  expect(called).toEqual(
    expect.arrayContaining([
      'ec2:DescribeRegions',
      'organizations:ListAccounts',
      'sts:AssumeRole',
      'ssm:DescribeMaintenanceWindowTargets',
    ]),
  );
  const policy = JSON.parse(readFileSync(POLICY_FILE, 'utf8')) as PolicyDocument;
  const granted = new Set(
    policy.Statement.filter((statement) => statement.Effect === 'Allow').flatMap((statement) =>
      [statement.Action].flat(),
    ),
  );
  expect(called.filter((action) => !granted.has(action) && !CALLER_ONLY.has(action))).toEqual([]);
  // Read-only: nothing that is not a Describe/Get/List call.
  expect([...granted].filter((action) => !/^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]+$/.test(action))).toEqual(
    [],
  );
});
