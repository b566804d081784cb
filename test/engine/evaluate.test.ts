// evaluate(): deterministic order, evidence modes, and one bad resource never stopping the run.
import { describe, expect, it } from 'vitest';
import { NAMED_CHECKS } from '../../src/engine/checks/index.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { resolvePolicy } from '../../src/policy/policy-pack.js';
import { loadRules } from '../../src/ruleset/load-rules.js';
import { shippedRulesDir } from '../../src/package-root.js';
import { buildSampleInventory } from '../fixtures/inventory/sample-inventory.js';

const rules = resolvePolicy(await loadRules([shippedRulesDir()]), undefined, NAMED_CHECKS);
const nowMs = Date.parse('2026-11-20T12:00:00.000Z');

describe('evaluate', () => {
  it.each([Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses an evaluation time of %s instead of judging ages against it',
    (bad) => {
      expect(() => evaluate(buildSampleInventory(), rules, { nowMs: bad })).toThrow(
        expect.objectContaining({ code: 'EVALUATION_TIME_INVALID' }),
      );
    },
  );

  it('orders results by rule id, then resource id, whatever the input order', () => {
    const inventory = buildSampleInventory();
    const forward = evaluate(inventory, rules, { nowMs });
    const reversed = buildSampleInventory();
    reversed.instances.reverse();
    expect(evaluate(reversed, [...rules].reverse(), { nowMs })).toEqual(forward);
    const keys = forward.map((e) => `${e.ruleId} ${e.resourceId}`);
    expect(keys).toEqual([...keys].sort());
  });

  it("records passing evidence in 'all' mode and only failures' evidence in 'failures' mode", () => {
    const all = evaluate(buildSampleInventory(), rules, { nowMs, evidence: 'all' });
    const lean = evaluate(buildSampleInventory(), rules, { nowMs, evidence: 'failures' });
    expect(lean.map((e) => [e.status, e.reason])).toEqual(all.map((e) => [e.status, e.reason]));
    // Messages of failures are the same; pass messages (evidence of compliance) only come with 'all'.
    const failureMessages = (list: typeof all): unknown[] =>
      list.filter((e) => e.status !== 'COMPLIANT').map((e) => e.message);
    expect(failureMessages(lean)).toEqual(failureMessages(all));
    expect(all.some((e) => e.status === 'COMPLIANT' && e.message !== undefined)).toBe(true);
    expect(lean.filter((e) => e.status === 'COMPLIANT').every((e) => e.message === undefined)).toBe(true);
    const compliantAll = all.filter((e) => e.status === 'COMPLIANT');
    expect(compliantAll.some((e) => e.evidence.length > 0)).toBe(true);
    expect(lean.filter((e) => e.status === 'COMPLIANT').every((e) => e.evidence.length === 0)).toBe(true);
    // Failures keep the evidence of the failing condition; 'all' adds that of the conditions that passed before it.
    all.forEach((a, i) => {
      if (a.status !== 'NON_COMPLIANT') return;
      const leanEvidence = lean[i]!.evidence;
      for (const item of leanEvidence) expect(a.evidence).toContainEqual(item);
    });
  });

  it('turns an exception in one resource into an ERROR for that resource only', () => {
    const inventory = buildSampleInventory();
    // A getter that throws stands in for a bug or corrupt data in one resource.
    Object.defineProperty(inventory.instances[0]!, 'metadataOptions', {
      get: () => {
        throw new Error('corrupt');
      },
    });
    const results = evaluate(inventory, rules, { nowMs });
    const broken = results.filter(
      (e) =>
        e.resourceId === inventory.instances[0]!.instanceId && e.ruleId === 'ec2-instance-imds-available',
    );
    expect(broken[0]).toMatchObject({ status: 'ERROR', error: { code: 'EVALUATION_FAILED' } });
    expect(
      results.filter((e) => e.status === 'ERROR' && e.error?.code === 'EVALUATION_FAILED').length,
    ).toBeGreaterThan(0);
    expect(
      results
        .filter((e) => e.resourceId !== inventory.instances[0]!.instanceId)
        .every((e) => e.error?.code !== 'EVALUATION_FAILED'),
    ).toBe(true);
  });
});
