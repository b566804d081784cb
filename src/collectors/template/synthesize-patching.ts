// Writes DescribePatchBaselines, GetPatchBaseline, DescribePatchGroups and (when declared) the DHMC service
// setting for a DeployModel.

import type { ApiJson } from '../api/api-data.js';
import { DHMC_SETTING_ID, isDhmcSettingId } from '../api/map-service-setting.js';
import { patchBaselineOutputs } from '../../generator/patch-baseline-data.js';
import type { DeployPatchBaseline } from './deploy-model.js';
import type { Site, SynthesisContext } from './synthesis-context.js';

export interface PatchingResponses {
  DescribePatchBaselines: ApiJson;
  GetPatchBaseline: ApiJson[];
  DescribePatchGroups: ApiJson;
}

interface DeclaredBaseline {
  baseline: DeployPatchBaseline;
  site: Site;
  operatingSystem?: string;
}

/**
 * The region's baselines: AWS's predefined ones (each its OS's default unless a declared baseline is registered as
 * the default for that OS), written as the synthetic generator writes them, and the declared ones.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-predefined-and-custom-patch-baselines.html
 */
export function patchingResponses(ctx: SynthesisContext): PatchingResponses {
  const declared: DeclaredBaseline[] = ctx.model.patchBaselines.map((baseline) => {
    const site = ctx.declare(baseline, baseline.baselineId, 'patchBaselines');
    const operatingSystem = ctx.known(baseline.operatingSystem, site, 'operatingSystem');
    return operatingSystem === undefined ? { baseline, site } : { baseline, site, operatingSystem };
  });
  const customDefaults = new Set(
    declared.filter((d) => d.baseline.defaultBaseline === true).map((d) => d.operatingSystem),
  );
  const predefined = patchBaselineOutputs([], Date.parse(ctx.collectedAt));
  const identities = (predefined.DescribePatchBaselines.BaselineIdentities as ApiJson[]).map((identity) =>
    customDefaults.has(String(identity.OperatingSystem)) ? { ...identity, DefaultBaseline: false } : identity,
  );
  const details = declared.map((d) => baselineDetail(ctx, d));
  const mappings = declared.flatMap((d) =>
    d.baseline.patchGroups
      .map((group, i) => ctx.known(group, d.site, `patchGroups[${i}]`))
      .filter((group): group is string => group !== undefined)
      .map((PatchGroup) => ({ PatchGroup, BaselineIdentity: identityOf(d) })),
  );
  return {
    DescribePatchBaselines: { BaselineIdentities: [...identities, ...declared.map(identityOf)] },
    GetPatchBaseline: [...details, ...predefined.GetPatchBaseline],
    DescribePatchGroups: { Mappings: mappings },
  };
}

function identityOf(d: DeclaredBaseline): ApiJson {
  const identity: ApiJson = {
    BaselineId: d.baseline.baselineId,
    BaselineName: d.baseline.name,
    DefaultBaseline: d.baseline.defaultBaseline === true,
  };
  if (d.operatingSystem !== undefined) identity.OperatingSystem = d.operatingSystem;
  return identity;
}

/** GetPatchBaseline of a declared baseline; unknown approval rules are left out, so it approves nothing by them. */
function baselineDetail(ctx: SynthesisContext, d: DeclaredBaseline): ApiJson {
  const { baseline, site } = d;
  const detail: ApiJson = {
    BaselineId: baseline.baselineId,
    Name: baseline.name,
    GlobalFilters: { PatchFilters: [] },
    ApprovedPatches: ctx.knownList(baseline.approvedPatches, site, 'approvedPatches'),
    ApprovedPatchesComplianceLevel: 'UNSPECIFIED',
    ApprovedPatchesEnableNonSecurity: false,
    RejectedPatches: [],
    RejectedPatchesAction: 'ALLOW_AS_DEPENDENCY',
    PatchGroups: baseline.patchGroups.filter((group): group is string => typeof group === 'string'),
    CreatedDate: ctx.collectedAt,
    ModifiedDate: ctx.collectedAt,
    Sources: [],
  };
  if (d.operatingSystem !== undefined) detail.OperatingSystem = d.operatingSystem;
  const rules = ctx.document(baseline.approvalRules, site, 'approvalRules');
  if (rules !== undefined) detail.ApprovalRules = rules;
  return detail;
}

/**
 * GetServiceSetting for Default Host Management Configuration, only when the model declares it: otherwise the
 * account's setting is not in the input, and the response is absent (rules that need it give ERROR).
 */
export function dhmcSetting(ctx: SynthesisContext): ApiJson | undefined {
  let response: ApiJson | undefined;
  for (const setting of ctx.model.serviceSettings) {
    const site = ctx.declare(setting, setting.settingId, 'serviceSettings');
    const value = ctx.known(setting.settingValue, site, 'settingValue');
    if (!isDhmcSettingId(setting.settingId) || value === undefined) continue;
    response = {
      ServiceSetting: {
        SettingId: DHMC_SETTING_ID,
        SettingValue: value,
        LastModifiedDate: ctx.collectedAt,
        LastModifiedUser: 'template',
        ARN: `arn:aws:ssm:${ctx.region}:${ctx.accountId}:servicesetting${DHMC_SETTING_ID}`,
        Status: 'Customized',
      },
    };
  }
  return response;
}
