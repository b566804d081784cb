// Mapping DescribePatchBaselines and GetPatchBaseline responses, and their wrong shapes.
import { describe, expect, it } from 'vitest';
import { mapPatchBaseline, mapPatchBaselines } from '../../../src/collectors/api/map-patch-baselines.js';

const SCOPE = { accountId: '111122223333', region: 'eu-west-1' };

const WINDOWS_DEFAULT = {
  BaselineId: 'arn:aws:ssm:eu-west-1:111122223333:patchbaseline/pb-0a1b2c3d4e5f60000',
  BaselineName: 'AWS-DefaultPatchBaseline',
  OperatingSystem: 'WINDOWS',
  BaselineDescription: 'Default Patch Baseline Provided by AWS.',
  DefaultBaseline: true,
};

describe('mapPatchBaselines', () => {
  it('maps AWS-managed and own baselines with their OS and default flag', () => {
    // Act
    const r = mapPatchBaselines(
      { BaselineIdentities: [WINDOWS_DEFAULT, { BaselineId: 'pb-1', OperatingSystem: 'AMAZON_LINUX_2023' }] },
      SCOPE,
      'f',
    );
    // Assess
    expect(r.items).toEqual([
      {
        ...SCOPE,
        baselineId: WINDOWS_DEFAULT.BaselineId,
        baselineName: 'AWS-DefaultPatchBaseline',
        operatingSystem: 'WINDOWS',
        defaultBaseline: true,
      },
      { ...SCOPE, baselineId: 'pb-1', operatingSystem: 'AMAZON_LINUX_2023', defaultBaseline: false },
    ]);
    expect(r.issues).toEqual([]);
  });

  it('drops an entry without BaselineId with an issue naming its path', () => {
    // Act
    const r = mapPatchBaselines({ BaselineIdentities: [{ BaselineName: 'x' }, WINDOWS_DEFAULT] }, SCOPE, 'f');
    // Assess
    expect(r.items.map((b) => b.baselineName)).toEqual(['AWS-DefaultPatchBaseline']);
    expect(r.issues).toEqual([
      expect.objectContaining({ path: expect.stringContaining('BaselineIdentities[0]') }),
    ]);
  });

  it('reports a wrong-shaped response without throwing', () => {
    // Act
    const r = mapPatchBaselines({ BaselineIdentities: 'nope' }, SCOPE, 'f');
    // Assess
    expect(r.items).toEqual([]);
    expect(r.issues.length).toBeGreaterThan(0);
  });
});

describe('mapPatchBaseline', () => {
  it('maps approval rules, global filters, explicit approvals and rejections', () => {
    // Prepare
    const body = {
      BaselineId: 'pb-1',
      Name: 'queue-al2023',
      OperatingSystem: 'AMAZON_LINUX_2023',
      GlobalFilters: { PatchFilters: [{ Key: 'PRODUCT', Values: ['*'] }] },
      ApprovalRules: {
        PatchRules: [
          {
            PatchFilterGroup: {
              PatchFilters: [
                { Key: 'CLASSIFICATION', Values: ['Security', 'Bugfix'] },
                { Key: 'SEVERITY', Values: ['Critical', 'Important'] },
              ],
            },
            ComplianceLevel: 'CRITICAL',
            ApproveAfterDays: 7,
            EnableNonSecurity: false,
          },
          { PatchFilterGroup: { PatchFilters: [] }, ApproveUntilDate: '2026-11-01' },
        ],
      },
      ApprovedPatches: ['kernel-6.1'],
      ApprovedPatchesComplianceLevel: 'HIGH',
      RejectedPatches: ['openssl-3.0.1'],
      RejectedPatchesAction: 'BLOCK',
      Sources: [{ Name: 'mirror', Products: ['AmazonLinux2023'], Configuration: '[main]' }],
    };
    // Act
    const r = mapPatchBaseline(body, SCOPE, 'f');
    // Assess
    expect(r.issues).toEqual([]);
    expect(r.items).toEqual([
      {
        ...SCOPE,
        baselineId: 'pb-1',
        baselineName: 'queue-al2023',
        operatingSystem: 'AMAZON_LINUX_2023',
        approvalRules: [
          {
            filters: { CLASSIFICATION: ['Security', 'Bugfix'], SEVERITY: ['Critical', 'Important'] },
            complianceLevel: 'CRITICAL',
            approveAfterDays: 7,
            enableNonSecurity: false,
          },
          { filters: {}, approveUntilDate: '2026-11-01' },
        ],
        globalFilters: { PRODUCT: ['*'] },
        approvedPatches: ['kernel-6.1'],
        approvedPatchesComplianceLevel: 'HIGH',
        rejectedPatches: ['openssl-3.0.1'],
        rejectedPatchesAction: 'BLOCK',
        sources: ['mirror'],
      },
    ]);
  });

  it('maps a baseline with no rules to empty lists (it approves nothing)', () => {
    // Act
    const r = mapPatchBaseline({ BaselineId: 'pb-2', OperatingSystem: 'WINDOWS' }, SCOPE, 'f');
    // Assess
    expect(r.items[0]).toMatchObject({ approvalRules: [], approvedPatches: [], globalFilters: {} });
  });

  it('flags a filter without Key and a non-array PatchRules, keeping the rest', () => {
    // Act
    const bad = mapPatchBaseline(
      {
        BaselineId: 'pb-3',
        GlobalFilters: { PatchFilters: [{ Values: ['x'] }, { Key: 'PRODUCT', Values: ['*'] }] },
        ApprovalRules: { PatchRules: 'all' },
      },
      SCOPE,
      'f',
    );
    // Assess
    expect(bad.items[0]).toMatchObject({ globalFilters: { PRODUCT: ['*'] }, approvalRules: [] });
    expect(bad.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([expect.stringContaining('GlobalFilters.PatchFilters[0]')]),
    );
    expect(bad.issues.length).toBe(2);
  });

  it('maps nothing from a response without BaselineId or not an object', () => {
    expect(mapPatchBaseline({ Name: 'x' }, SCOPE, 'f').items).toEqual([]);
    expect(mapPatchBaseline([1], SCOPE, 'f').items).toEqual([]);
  });
});
