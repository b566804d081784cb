// Coverage of maintenance-window targets and tasks at the grain of the call (one per window): a window whose
// targets or tasks were not read makes the instances it may select ERROR, and leaves the other windows' alone.

import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryFromFleet } from '../../../src/collectors/api/build-inventory.js';
import type { CollectedAccountData } from '../../../src/collectors/api/api-data.js';
import { loadAwsCliInventory } from '../../../src/collectors/aws-cli/index.js';
import { NAMED_CHECKS } from '../../../src/engine/checks/index.js';
import { evaluate } from '../../../src/engine/evaluate.js';
import type { Evaluation } from '../../../src/engine/types.js';
import { CoverageIndex } from '../../../src/inventory/coverage.js';
import type { Inventory } from '../../../src/inventory/model.js';
import { shippedRulesDir } from '../../../src/package-root.js';
import { resolvePolicy } from '../../../src/policy/policy-pack.js';
import { loadRules } from '../../../src/ruleset/load-rules.js';

const rules = resolvePolicy(await loadRules([shippedRulesDir()]), undefined, NAMED_CHECKS);
const FLEET = path.resolve('examples/example-fleet');
const REGION_DIR = '111122223333/us-east-1';
const RULE = 'ec2-instance-patch-targeted-by-tag';
// The window rule reads each window's own targets and tasks too.
const WINDOW_RULE = 'ssm-maintenance-window-patches';
// The patch-window link per instance reads the windows that select it, so a missing window file makes it ERROR too.
const INSTANCE_WINDOW_RULE = 'ec2-instance-patch-window-installs';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ssmguard-window-coverage-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A copy of the example fleet with `change` applied to its region folder. */
async function fleetCopy(name: string, change: (regionDir: string) => Promise<void>): Promise<string> {
  const dir = path.join(work, name);
  await cp(FLEET, dir, { recursive: true });
  await change(path.join(dir, REGION_DIR));
  return dir;
}

async function scan(dir: string): Promise<{ inventory: Inventory; results: Map<string, Evaluation> }> {
  const { inventory } = await loadAwsCliInventory([dir]);
  const nowMs = Date.parse(inventory.source.collectedAt ?? '2026-11-20T12:00:00Z');
  const results = new Map(
    evaluate(inventory, rules, { nowMs }).map((e) => [`${e.ruleId} ${e.resourceId}`, e]),
  );
  return { inventory, results };
}

function changed(before: Map<string, Evaluation>, after: Map<string, Evaluation>): Evaluation[] {
  return [...after.entries()].filter(([key, e]) => before.get(key)?.status !== e.status).map(([, e]) => e);
}

async function windowFiles(kind: 'targets' | 'tasks'): Promise<string[]> {
  const names = await readdir(path.join(FLEET, REGION_DIR));
  return names.filter((n) => n.startsWith(`ssm-describe-maintenance-window-${kind}-`)).sort();
}

describe('maintenance-window coverage per window', () => {
  it('a complete export reads every window, and the scope as a whole', async () => {
    const { inventory } = await scan(FLEET);
    const coverage = new CoverageIndex(inventory.coverage);
    for (const window of inventory.maintenanceWindows) {
      expect(coverage.parentState('ssm:maintenance-window-targets', window, window.windowId).status).toBe(
        'read',
      );
      expect(coverage.parentState('ssm:maintenance-window-tasks', window, window.windowId).status).toBe(
        'read',
      );
    }
    const scope = { accountId: '111122223333', region: 'us-east-1' };
    expect(coverage.state('ssm:maintenance-window-targets', scope).status).toBe('read');
  });

  it.each(['targets', 'tasks'] as const)(
    'without one window’s %s file, only ERRORs naming that window appear, and only in the rules reading windows',
    async (kind) => {
      const full = await scan(FLEET);
      for (const file of await windowFiles(kind)) {
        const windowId = /mw-[0-9a-f]{17}/.exec(file)![0];
        const dir = await fleetCopy(`${kind}-${windowId}`, (regionDir) => rm(path.join(regionDir, file)));
        const less = await scan(dir);
        const diff = changed(full.results, less.results);
        for (const e of diff) {
          expect([RULE, WINDOW_RULE, INSTANCE_WINDOW_RULE]).toContain(e.ruleId);
          expect(e.status).toBe('ERROR');
          expect(e.message).toContain(`window ${windowId}`);
          expect(e.message).toContain(`describe-maintenance-window-${kind} --window-id ${windowId}`);
        }
        // The window patches instances in the example fleet: losing its file is visible, never silent.
        if (kind === 'targets') expect(diff.length).toBeGreaterThan(0);
        // Other windows keep their coverage.
        const coverage = new CoverageIndex(less.inventory.coverage);
        for (const w of less.inventory.maintenanceWindows) {
          const state = coverage.parentState(`ssm:maintenance-window-${kind}`, w, w.windowId).status;
          expect(state).toBe(w.windowId === windowId ? 'missing' : 'read');
        }
      }
    },
  );

  it('takes an empty response’s window from its file name, and says so when the name holds none', async () => {
    const [file] = await windowFiles('tasks');
    const windowId = /mw-[0-9a-f]{17}/.exec(file!)![0];
    const emptyNamed = await fleetCopy('empty-named', (regionDir) =>
      writeFile(path.join(regionDir, file!), '{"Tasks": []}\n'),
    );
    const named = await loadAwsCliInventory([emptyNamed]);
    const window = named.inventory.maintenanceWindows.find((w) => w.windowId === windowId)!;
    expect(
      new CoverageIndex(named.inventory.coverage).parentState(
        'ssm:maintenance-window-tasks',
        window,
        windowId,
      ).status,
    ).toBe('read');

    const emptyUnnamed = await fleetCopy('empty-unnamed', async (regionDir) => {
      await rm(path.join(regionDir, file!));
      await writeFile(path.join(regionDir, 'tasks.json'), '{"Tasks": []}\n');
    });
    const unnamed = await loadAwsCliInventory([emptyUnnamed]);
    expect(unnamed.issues.map((i) => i.code)).toContain('PARENT_UNKNOWN');
    expect(
      new CoverageIndex(unnamed.inventory.coverage).parentState(
        'ssm:maintenance-window-tasks',
        window,
        windowId,
      ).status,
    ).toBe('missing');
  });

  it('a live read that fails for one window marks that window alone unreadable', () => {
    const account: CollectedAccountData = {
      accountId: '111122223333',
      failures: [],
      regions: [
        {
          accountId: '111122223333',
          region: 'us-east-1',
          DescribeMaintenanceWindows: {
            WindowIdentities: [
              { WindowId: 'mw-0aaaaaaaaaaaaaaa1', Enabled: true },
              { WindowId: 'mw-0aaaaaaaaaaaaaaa2', Enabled: true },
            ],
          },
          DescribeMaintenanceWindowTargets: [{ Targets: [] }],
          failures: [
            {
              kind: 'ssm:DescribeMaintenanceWindowTargets',
              code: 'ThrottlingException',
              message: 'Rate exceeded',
              parentId: 'mw-0aaaaaaaaaaaaaaa2',
            },
          ],
        },
      ],
    };
    const { inventory } = inventoryFromFleet(
      { accounts: [account] },
      { kind: 'live', inputs: [], accounts: [], regions: [] },
    );
    const coverage = new CoverageIndex(inventory.coverage);
    const scope = { accountId: '111122223333', region: 'us-east-1' };
    const family = 'ssm:maintenance-window-targets';
    expect(coverage.parentState(family, scope, 'mw-0aaaaaaaaaaaaaaa1').status).toBe('read');
    expect(coverage.parentState(family, scope, 'mw-0aaaaaaaaaaaaaaa2')).toMatchObject({
      status: 'error',
      error: { code: 'ThrottlingException' },
    });
    // Scope-wide questions fail closed.
    expect(coverage.state(family, scope).status).toBe('error');
  });
});
