// AWS::SSM::PatchCompliance items become patch states with what they carry, and name what they do not carry.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configItemsOf, mapConfigItems } from '../../../src/collectors/config/index.js';
import { loadInput } from '../../../src/cli/load-input.js';

const FIXTURE = fileURLToPath(
  new URL('../../fixtures/config/patch-compliance-snapshot.json', import.meta.url),
);

async function mapFixture() {
  const document = configItemsOf(JSON.parse(await readFile(FIXTURE, 'utf8')) as unknown, FIXTURE);
  return mapConfigItems(document!.items);
}

const NEVER_CARRIED = [
  'notApplicableCount',
  'operation',
  'operationEndTime',
  'operationStartTime',
  'otherNonCompliantCount',
];

describe('AWS::SSM::PatchCompliance items', () => {
  it('maps a compliant node: counts by patch state, no security patch open, no operation', async () => {
    // Act
    const { inventory } = await mapFixture();

    // Assess
    expect(inventory.instancePatchStates.find((s) => s.instanceId === 'i-0a1b2c3d4e5f60718')).toEqual({
      accountId: '111122223333',
      region: 'us-east-1',
      instanceId: 'i-0a1b2c3d4e5f60718',
      patchGroup: 'web-prod',
      baselineId: 'pb-0c1f2a3b4d5e6f708',
      operation: '',
      operationStartTime: '',
      operationEndTime: '',
      installedCount: 2,
      installedOtherCount: 1,
      installedPendingRebootCount: 0,
      installedRejectedCount: 0,
      missingCount: 0,
      failedCount: 0,
      notApplicableCount: 0,
      criticalNonCompliantCount: 0,
      securityNonCompliantCount: 0,
      otherNonCompliantCount: 0,
      unknownFields: NEVER_CARRIED,
    });
  });

  it('takes the critical count from the summary (counts as strings too) and leaves the security count unknown when patches are open', async () => {
    const { inventory } = await mapFixture();
    const state = inventory.instancePatchStates.find((s) => s.instanceId === 'i-0f9e8d7c6b5a40312')!;
    expect(state).toMatchObject({
      patchGroup: 'reports',
      installedCount: 1,
      missingCount: 1,
      failedCount: 1,
      criticalNonCompliantCount: 1,
    });
    expect(state.unknownFields).toEqual([...NEVER_CARRIED, 'securityNonCompliantCount'].sort());
  });

  it('counts installed-pending-reboot patches (an empty patch group stays empty)', async () => {
    const { inventory } = await mapFixture();
    const state = inventory.instancePatchStates.find((s) => s.instanceId === 'i-07b6a5c4d3e2f1009')!;
    expect(state).toMatchObject({
      patchGroup: '',
      installedPendingRebootCount: 1,
      criticalNonCompliantCount: 0,
    });
    expect(state.unknownFields).toContain('securityNonCompliantCount');
  });

  it('leaves deleted items out, reports an item without Patch content by id, and marks the scope read', async () => {
    const { inventory, issues, skipped } = await mapFixture();
    expect(inventory.instancePatchStates.map((s) => s.instanceId).sort()).toEqual([
      'i-07b6a5c4d3e2f1009',
      'i-0a1b2c3d4e5f60718',
      'i-0f9e8d7c6b5a40312',
    ]);
    expect(skipped).toEqual({ 'AWS::SSM::PatchCompliance (ResourceDeleted)': 1 });
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'ENTRY_INVALID',
        path: 'AWS::SSM::PatchCompliance AWS::SSM::ManagedInstanceInventory/i-0d1e2f3a4b5c6d7e8',
        message: expect.stringContaining('Content.Patch'),
      }),
    ]);
    expect(
      inventory.coverage.filter((c) => c.family === 'ssm:instance-patch-states').map((c) => c.status),
    ).toEqual(['read']);
  });

  it('leaves every count unknown when the summary lacks its counts', () => {
    const { inventory } = mapConfigItems([
      {
        resourceType: 'AWS::SSM::PatchCompliance',
        resourceId: 'AWS::SSM::ManagedInstanceInventory/i-0123456789abcdef0',
        awsAccountId: '111122223333',
        awsRegion: 'us-east-1',
        configurationItemStatus: 'OK',
        relationships: [],
        supplementaryConfiguration: {},
        configuration: {
          'AWS:ComplianceItem': {
            Content: {
              Patch: {
                ComplianceSummary: { PatchBaselineId: 'pb-0123456789abcdef0', Status: 'COMPLIANT' },
                'ALAS-1': { Id: 'ALAS-1', PatchState: 'Installed' },
              },
            },
          },
        },
      },
    ]);
    expect(inventory.instancePatchStates[0]!.unknownFields).toEqual(
      expect.arrayContaining([
        'installedCount',
        'missingCount',
        'failedCount',
        'installedPendingRebootCount',
        'criticalNonCompliantCount',
        'securityNonCompliantCount',
      ]),
    );
  });

  it('loads as Config input, but patch compliance alone is no instance data (the scan names what it read)', async () => {
    await expect(loadInput([FIXTURE])).rejects.toThrow(
      /no EC2 instance data[\s\S]*read instead: ssm:instance-patch-states/,
    );
  });
});
