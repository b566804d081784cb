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
  evaluate(index, [rule], { nowMs });
  // The resource's own family is the configuration item itself on a change event: never a neighbour.
  asked.delete(rule.spec.family);
  return [...asked].sort();
}

describe('rule neighbourhoods', () => {
  it.for(rules.map((rule) => [rule.id, rule] as const))(
    '%s reads exactly the families its neighbourhood declares',
    ([, rule]) => {
      expect(familiesRead(rule)).toEqual(familiesOf(ruleNeighbourhood(rule)));
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
