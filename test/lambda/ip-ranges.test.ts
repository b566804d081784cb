// The Config rule Lambda narrows the public SSM endpoints like the CLI: with the packaged ip-ranges, a route
// table that routes only 0.0.0.0/1 (where the test file puts the region's AMAZON ranges) passes; without ranges
// the same instances are NOT_APPLICABLE (cannot be verified), never COMPLIANT.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiJson, FleetApiData } from '../../src/collectors/api/api-data.js';
import { parseIpRangesFile } from '../../src/collectors/ip-ranges/parse-ip-ranges.js';
import { EXAMPLE_FLEET_FACTS as F, buildExampleFleet } from '../../src/generator/example-fleet.js';
import type { EmbeddedRules } from '../../src/lambda/embedded-rules.js';
import { handleConfigEvent } from '../../src/lambda/handle-config-event.js';
import { publishedRanges } from '../support/ip-ranges-fixture.js';
import {
  recordedEvaluations,
  scheduledEvent,
  shippedEmbeddedRules,
  startLambdaWorld,
  type LambdaWorld,
} from './lambda-test-kit.js';

const NAT_TABLE = 'rtb-0b6217710cffe51f9';
let rules: EmbeddedRules;
let fleet: FleetApiData;
let world: LambdaWorld | undefined;

beforeAll(async () => {
  rules = await shippedEmbeddedRules();
  fleet = buildExampleFleet();
  // The private subnets route only 0.0.0.0/1 to their NAT gateway.
  for (const account of fleet.accounts)
    for (const region of account.regions)
      for (const table of (region.DescribeRouteTables as { RouteTables: ApiJson[] }).RouteTables)
        if (table.RouteTableId === NAT_TABLE)
          for (const route of table.Routes as ApiJson[])
            if (route.DestinationCidrBlock === '0.0.0.0/0') route.DestinationCidrBlock = '0.0.0.0/1';
});
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

async function periodic(withRanges: boolean): Promise<Map<string, ApiJson>> {
  world = await startLambdaWorld(fleet);
  const deps = world.deps(rules);
  const ranges = parseIpRangesFile(publishedRanges(), 'ip-ranges.json').ranges;
  await handleConfigEvent(
    scheduledEvent({ accountId: F.accountId, region: F.region, ruleId: 'ec2-instance-network-path-to-ssm' }),
    withRanges ? { ...deps, ipRanges: ranges } : deps,
  );
  return new Map(
    recordedEvaluations(world.endpoint).map((e) => [String(e.ComplianceResourceId), e as ApiJson]),
  );
}

describe('the Config rule Lambda with ip-ranges', () => {
  it('passes the split route only when the ranges put every AMAZON prefix of the region behind it', async () => {
    // Act
    const without = await periodic(false);
    const withRanges = await periodic(true);
    // Assess
    const unverifiable = [...without.values()].filter((e) =>
      String(e.Annotation).startsWith('NET.PATH_UNVERIFIABLE'),
    );
    expect(unverifiable.length).toBeGreaterThan(0);
    for (const e of unverifiable) {
      expect(e.ComplianceType).toBe('NOT_APPLICABLE');
      expect(withRanges.get(String(e.ComplianceResourceId))?.ComplianceType).toBe('COMPLIANT');
    }
  });
});
