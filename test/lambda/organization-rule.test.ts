// The organization variant end to end against the loopback endpoint with two accounts: one function in the
// administrator account judges a member account's instance by assuming the member role there, reads the member's
// resources and reports to the member's Config with the member's credentials; its own account needs no role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiJson } from '../../src/collectors/api/api-data.js';
import { generateFleet } from '../../src/generator/generate-fleet.js';
import type { EmbeddedRules } from '../../src/lambda/embedded-rules.js';
import { handleConfigEvent, type HandlerDeps } from '../../src/lambda/handle-config-event.js';
import { lambdaClientFactory } from '../../src/lambda/lambda-clients.js';
import { StructuredLog } from '../../src/lambda/structured-log.js';
import { MEMBER_ROLE_NAME } from '../../src/package/config-rules-template.js';
import { fleetToConfigItems } from '../collectors/config/fleet-to-config-items.js';
import { changeEvent, shippedEmbeddedRules, startLambdaWorld } from './lambda-test-kit.js';

const fleet = generateFleet({ seed: 41, instances: 40, accounts: 2, regions: ['us-east-1'] });
const [admin, member] = fleet.accounts.map((a) => a.accountId) as [string, string];
const items = fleetToConfigItems(fleet);
const itemOf = (accountId: string): ApiJson =>
  items.find((i) => i.resourceType === 'AWS::EC2::Instance' && i.awsAccountId === accountId)!;
const RULE = 'ec2-instance-profile-attached';

let world: Awaited<ReturnType<typeof startLambdaWorld>>;
let embedded: EmbeddedRules;
beforeAll(async () => {
  embedded = await shippedEmbeddedRules();
  // The credentials of the function's execution role belong to the administrator account.
  world = await startLambdaWorld(fleet, items);
}, 60_000);
afterAll(async () => world.stop());

function deps(): HandlerDeps {
  const factory = lambdaClientFactory({
    ownAccountId: admin,
    memberRoleName: MEMBER_ROLE_NAME,
    endpointUrl: world.front.url,
  });
  return {
    rules: embedded,
    clients: factory.clients,
    log: new StructuredLog(
      () => {},
      {},
      () => Date.parse(fleet.collectedAt),
    ),
    defaultRegion: 'us-east-1',
    now: () => Date.parse(fleet.collectedAt),
    apiCallCounts: factory.apiCallCounts,
  };
}

describe('an organization rule in a member account', () => {
  it('assumes the member role there, reads the member, and reports with the member credentials', async () => {
    process.env.AWS_ACCESS_KEY_ID = `AKIA${admin}`;
    process.env.AWS_SECRET_ACCESS_KEY = 'loopback-secret';
    world.endpoint.putEvaluations.length = 0;
    const before = world.endpoint.counts.get('sts:AssumeRole') ?? 0;
    const item = itemOf(member);

    // Act
    const summary = await handleConfigEvent(
      changeEvent(item, { accountId: member, region: 'us-east-1', ruleId: RULE }),
      deps(),
    );

    // Assess: one AssumeRole, and PutEvaluations arrived under the member account with the member's instance.
    expect(summary.EvaluationErrors ?? 0).toBe(0);
    expect((world.endpoint.counts.get('sts:AssumeRole') ?? 0) - before).toBe(1);
    expect(world.endpoint.putEvaluations.map((p) => p.accountId)).toEqual([member]);
    const sent = world.endpoint.putEvaluations.flatMap((p) => p.body.Evaluations as ApiJson[]);
    expect(sent.map((e) => e.ComplianceResourceId)).toEqual([item.resourceId]);
  });

  it("judges the administrator account's own instance without assuming any role", async () => {
    world.endpoint.putEvaluations.length = 0;
    const before = world.endpoint.counts.get('sts:AssumeRole') ?? 0;

    await handleConfigEvent(
      changeEvent(itemOf(admin), { accountId: admin, region: 'us-east-1', ruleId: RULE }),
      deps(),
    );

    expect((world.endpoint.counts.get('sts:AssumeRole') ?? 0) - before).toBe(0);
    expect(world.endpoint.putEvaluations.map((p) => p.accountId)).toEqual([admin]);
  });
});
