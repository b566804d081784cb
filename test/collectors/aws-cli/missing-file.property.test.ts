// Property: removing AWS CLI files from a complete export (the example fleet) never turns a NON_COMPLIANT or ERROR
// result into COMPLIANT. A missing file is missing data: ERROR, or an input error, never a pass.

import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadAwsCliInventory } from '../../../src/collectors/aws-cli/index.js';
import { NAMED_CHECKS } from '../../../src/engine/checks/index.js';
import { evaluate } from '../../../src/engine/evaluate.js';
import { instanceDataGaps } from '../../../src/inventory/instance-data-gaps.js';
import { exampleFleetDir, shippedRulesDir } from '../../../src/package-root.js';
import { resolvePolicy } from '../../../src/policy/policy-pack.js';
import { loadRules } from '../../../src/ruleset/load-rules.js';

const rules = resolvePolicy(await loadRules([shippedRulesDir()]), undefined, NAMED_CHECKS);

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

// One evaluation time for every variant: the clock is not input data, and removing the manifest (which holds
// collectedAt) must not move "now".
const nowMs = Date.parse('2026-11-20T12:00:00.000Z');

/** Statuses by rule and resource after loading `files`, or undefined when the load is an input error. */
async function statuses(files: string[]): Promise<Map<string, string> | undefined> {
  const { inventory, errors } = await loadAwsCliInventory(files);
  if (errors.length > 0 || instanceDataGaps(inventory).length > 0) return undefined; // exit 2: no verdicts
  return new Map(evaluate(inventory, rules, { nowMs }).map((e) => [`${e.ruleId} ${e.resourceId}`, e.status]));
}

const all = await filesUnder(exampleFleetDir());
const complete = (await statuses(all))!;

function falseGreens(after: Map<string, string> | undefined): string[] {
  if (after === undefined) return [];
  return [...after]
    .filter(([key, status]) => status === 'COMPLIANT' && (complete.get(key) ?? 'COMPLIANT') !== 'COMPLIANT')
    .map(([key]) => `${key}: ${complete.get(key)} → COMPLIANT`);
}

describe('removing AWS CLI files from a complete export', () => {
  it('the example fleet is complete: every file is used and it gives findings', () => {
    expect(all.length).toBeGreaterThan(20);
    expect([...complete.values()]).toContain('NON_COMPLIANT');
  });

  // Every file once (the example fleet has ~26): cheap enough to be exhaustive rather than sampled.
  it.each(all.map((file) => [path.relative(exampleFleetDir(), file)]))(
    'without %s, no NON_COMPLIANT or ERROR turns COMPLIANT',
    async (relative) => {
      const without = all.filter((f) => path.relative(exampleFleetDir(), f) !== relative);
      expect(falseGreens(await statuses(without))).toEqual([]);
    },
  );

  it('without any two files, no NON_COMPLIANT or ERROR turns COMPLIANT (sampled)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray(all, { minLength: 2, maxLength: 2 }), async (removed) => {
        const after = await statuses(all.filter((f) => !removed.includes(f)));
        expect(falseGreens(after)).toEqual([]);
      }),
      { numRuns: 6, seed: 10 },
    );
  });
});
