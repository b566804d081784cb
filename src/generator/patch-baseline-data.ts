// The synthetic fleets' patch baselines: the DescribePatchBaselines listing (AWS's predefined defaults and the
// account's own) and a GetPatchBaseline output for each baseline in use, derived without drawing randomness.

import type { ApiJson } from '../collectors/api/api-data.js';
import { baselineKey } from '../inventory/patch-baseline-id.js';
import { cliTimestamp } from './aws-formats.js';

/** One approval rule, as a generator writes it (GetPatchBaseline ApprovalRules.PatchRules[]). */
export interface ApprovalRuleSpec {
  filters: Record<string, string[]>;
  approveAfterDays: number;
  complianceLevel?: string;
}

interface PredefinedBaseline {
  id: string;
  name: string;
  operatingSystem: string;
  description: string;
  rules: ApprovalRuleSpec[];
}

// AWS's predefined baselines are named by ARN and owned by an AWS account; the pb- ids are synthetic. The
// approval rules are shaped like those the user guide describes for each predefined baseline (classification and
// severity filters, a 7-day auto-approval delay), not copied from a live account.
// https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-predefined-and-custom-patch-baselines.html
const AWS_OWNER = 'arn:aws:ssm:us-east-1:075727635805:patchbaseline';
const SECURITY_LINUX: ApprovalRuleSpec[] = [
  { filters: { CLASSIFICATION: ['Security'], SEVERITY: ['Critical', 'Important'] }, approveAfterDays: 7 },
  { filters: { CLASSIFICATION: ['Bugfix'] }, approveAfterDays: 7 },
];

export const PREDEFINED_BASELINES: readonly PredefinedBaseline[] = [
  {
    id: `${AWS_OWNER}/pb-0b7a6c0d2f1e3a5c9`,
    name: 'AWS-DefaultPatchBaseline',
    operatingSystem: 'WINDOWS',
    description: 'Default Patch Baseline Provided by AWS.',
    rules: [
      {
        filters: {
          CLASSIFICATION: ['CriticalUpdates', 'SecurityUpdates'],
          MSRC_SEVERITY: ['Critical', 'Important'],
        },
        approveAfterDays: 7,
      },
    ],
  },
  {
    id: `${AWS_OWNER}/pb-0f4c1e2d3b5a69788`,
    name: 'AWS-AmazonLinux2023DefaultPatchBaseline',
    operatingSystem: 'AMAZON_LINUX_2023',
    description: 'Default Patch Baseline for Amazon Linux 2023 Provided by AWS.',
    rules: SECURITY_LINUX,
  },
  {
    id: `${AWS_OWNER}/pb-0d2a4c6e8f1b3d5a7`,
    name: 'AWS-AmazonLinux2DefaultPatchBaseline',
    operatingSystem: 'AMAZON_LINUX_2',
    description: 'Default Patch Baseline for Amazon Linux 2 Provided by AWS.',
    rules: SECURITY_LINUX,
  },
  {
    id: `${AWS_OWNER}/pb-09c1e3a5b7d9f2c4e`,
    name: 'AWS-RedHatDefaultPatchBaseline',
    operatingSystem: 'REDHAT_ENTERPRISE_LINUX',
    description: 'Default Patch Baseline for Redhat Enterprise Linux Provided by AWS.',
    rules: SECURITY_LINUX,
  },
  {
    id: `${AWS_OWNER}/pb-06e8a0c2d4f6b8e1a`,
    name: 'AWS-UbuntuDefaultPatchBaseline',
    operatingSystem: 'UBUNTU',
    description: 'Default Patch Baseline for Ubuntu Provided by AWS.',
    rules: [{ filters: { PRIORITY: ['Required', 'Important', 'Standard'] }, approveAfterDays: 7 }],
  },
];

/** The approval rules a custom baseline of the synthetic fleets gets when its spec names none. */
export function defaultCustomRules(operatingSystem: string): ApprovalRuleSpec[] {
  return operatingSystem === 'WINDOWS'
    ? [
        {
          filters: {
            CLASSIFICATION: ['CriticalUpdates', 'SecurityUpdates'],
            MSRC_SEVERITY: ['Critical', 'Important'],
          },
          approveAfterDays: 7,
          complianceLevel: 'CRITICAL',
        },
      ]
    : [
        {
          filters: { CLASSIFICATION: ['Security', 'Bugfix'], SEVERITY: ['Critical', 'Important'] },
          approveAfterDays: 7,
          complianceLevel: 'HIGH',
        },
      ];
}

/** A custom baseline a patch group is registered with, with what it approves. */
export interface CustomBaseline {
  id: string;
  name: string;
  operatingSystem: string;
  description: string;
  rules: ApprovalRuleSpec[];
}

/**
 * The two outputs: the listing (predefined, then custom baselines in registration order; every predefined one
 * is its OS's default here) and one GetPatchBaseline per baseline in use — every custom baseline a group names and
 * every default, which is what a collector reads, with the groups registered with it. `createdMs` dates them.
 */
export function patchBaselineOutputs(
  registrations: readonly { patchGroup: string; baseline: CustomBaseline }[],
  createdMs: number,
): { DescribePatchBaselines: ApiJson; GetPatchBaseline: ApiJson[] } {
  const unique = [...new Map(registrations.map((r) => [baselineKey(r.baseline.id), r.baseline])).values()];
  const groupsOf = (id: string): string[] =>
    registrations.filter((r) => baselineKey(r.baseline.id) === baselineKey(id)).map((r) => r.patchGroup);
  const identities = [
    ...PREDEFINED_BASELINES.map((b) => identity(b, true)),
    ...unique.map((b) => identity(b, false)),
  ];
  const created = cliTimestamp(createdMs);
  // In the order a collector reads them: the baselines the groups name, then the defaults.
  const details = [...unique, ...PREDEFINED_BASELINES].map((b) => ({
    BaselineId: b.id,
    Name: b.name,
    OperatingSystem: b.operatingSystem,
    GlobalFilters: { PatchFilters: [] },
    ApprovalRules: { PatchRules: b.rules.map(patchRule) },
    ApprovedPatches: [],
    ApprovedPatchesComplianceLevel: 'UNSPECIFIED',
    ApprovedPatchesEnableNonSecurity: false,
    RejectedPatches: [],
    RejectedPatchesAction: 'ALLOW_AS_DEPENDENCY',
    PatchGroups: groupsOf(b.id),
    CreatedDate: created,
    ModifiedDate: created,
    Description: b.description,
    Sources: [],
  }));
  return { DescribePatchBaselines: { BaselineIdentities: identities }, GetPatchBaseline: details };
}

function identity(b: PredefinedBaseline | CustomBaseline, isDefault: boolean): ApiJson {
  return {
    BaselineId: b.id,
    BaselineName: b.name,
    OperatingSystem: b.operatingSystem,
    BaselineDescription: b.description,
    DefaultBaseline: isDefault,
  };
}

function patchRule(rule: ApprovalRuleSpec): ApiJson {
  return {
    PatchFilterGroup: {
      PatchFilters: Object.entries(rule.filters).map(([Key, Values]) => ({ Key, Values })),
    },
    ComplianceLevel: rule.complianceLevel ?? 'UNSPECIFIED',
    ApproveAfterDays: rule.approveAfterDays,
    EnableNonSecurity: false,
  };
}
