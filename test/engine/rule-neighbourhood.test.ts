// Each rule's declared neighbourhood is exactly what it reads: over the example fleet, the families a rule's
// evaluations look at (coverage checks, guarded lookups) are the families its neighbourhood fills, no more, no less.

import { describe, expect, it } from 'vitest';
import { inventoryFromFleet } from '../../src/collectors/api/index.js';
import { loadRuleSet } from '../../src/cli/rule-set.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { ruleNeighbourhood } from '../../src/engine/rule-neighbourhood.js';
import { buildExampleFleet } from '../../src/generator/example-fleet.js';
import { InventoryIndex } from '../../src/inventory/inventory-index.js';
import type { ResourceFamily } from '../../src/inventory/model.js';
import { familiesOf } from '../../src/inventory/neighbourhood.js';

const fleet = buildExampleFleet();

/**
 * Declared families the example fleet never makes a rule ask the coverage about: route devices are looked up only
 * when a route names one, and no route of the example fleet names an egress-only internet gateway; the IAM request
 * context reads a NAT gateway's public address (for aws:SourceIp) without a coverage check, since an unread one
 * leaves the key unknown rather than failing the check. The grants rule reads the path only for a role whose
 * policies read a path key, or behind an endpoint with its own policy: none in the example fleet (its endpoints
 * have AWS's default full-access policy), so only the endpoints are asked about there (test/lambda/scoped-reads
 * covers the second round).
 */
const UNEXERCISED: Record<string, ResourceFamily[]> = {
  'ec2-instance-network-path-to-ssm': ['ec2:egress-only-internet-gateways'],
  // Read for IPv6 routes, and for an S3 interface endpoint's private DNS: the example fleet has neither.
  'ec2-instance-patch-egress': ['ec2:egress-only-internet-gateways', 'ec2:vpc-attributes', 'ec2:vpcs'],
  'ec2-instance-role-grants-ssm-core': [
    'ec2:egress-only-internet-gateways',
    'ec2:internet-gateways',
    'ec2:nat-gateways',
    'ec2:network-acls',
    'ec2:route-tables',
    'ec2:security-groups',
    'ec2:subnets',
    'ec2:vpc-attributes',
    'ec2:vpcs',
  ],
};
const inventory = inventoryFromFleet(fleet, {
  kind: 'live',
  inputs: [],
  accounts: [],
  regions: [],
}).inventory;
const nowMs = Date.parse(fleet.collectedAt);
const { rules } = await loadRuleSet({});

/** Evaluates one rule over the fleet and records every family its evaluations asked the coverage about. */
function familiesRead(rule: (typeof rules)[number]): ResourceFamily[] {
  const index = new InventoryIndex(inventory);
  const asked = new Set<ResourceFamily>();
  const state = index.coverage.state.bind(index.coverage);
  index.coverage.state = (family, scope) => {
    asked.add(family);
    return state(family, scope);
  };
  // Families read per call (a window's targets and tasks) are asked per parent.
  const parentState = index.coverage.parentState.bind(index.coverage);
  index.coverage.parentState = (family, scope, parentId) => {
    asked.add(family);
    return parentState(family, scope, parentId);
  };
  evaluate(index, [rule], { nowMs });
  // The resource's own family is the configuration item itself on a change event: never a neighbour.
  asked.delete(rule.spec.family);
  return [...asked].sort();
}

describe('rule neighbourhoods', () => {
  it.for(rules.map((rule) => [rule.id, rule] as const))(
    '%s reads exactly the families its neighbourhood declares',
    ([, rule]) => {
      const read = familiesRead(rule);
      const declared = familiesOf(ruleNeighbourhood(rule));
      // Never less than it reads (the Lambda would lack data), and more only where the example fleet does not
      // take a branch that reads it.
      expect(read.filter((f) => !declared.includes(f))).toEqual([]);
      expect(declared.filter((f) => !read.includes(f))).toEqual(UNEXERCISED[rule.id] ?? []);
    },
  );

  it('fails for a rule that reads a family it did not declare', () => {
    // Prepare: the network-path rule with its check's declaration cut down to the security groups only.
    const rule = rules.find((r) => r.id === 'ec2-instance-network-path-to-ssm')!;
    const declared = familiesOf(['instance.security-groups']);

    // Act + Assess
    expect(familiesRead(rule)).not.toEqual(declared);
    expect(familiesRead(rule).filter((f) => !declared.includes(f))).toContain('ec2:route-tables');
  });
});
