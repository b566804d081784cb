// Named check: the instance's latest patch state shows no failed, critical or security non-compliant patches,
// and no installed patch waiting for a reboot beyond a grace period.

import type { Ec2Instance } from '../../../inventory/model.js';
import type { NamedCheck } from '../named-check.js';
import type { InstancePatchState, PatchStateField } from '../../../inventory/model.js';
import { isUnknown, patchStateEvidence, requireKnown } from './patched-recently.js';

interface Params {
  rebootGraceHours: number;
  /** Count every missing approved patch, not only critical and security ones. */
  includeAllMissing: boolean;
}

/**
 * The counts are those of the node's latest operation (InstancePatchState). Which patches count as missing at
 * all is the baseline's decision (approval rules and auto-approval delays), so the grace period here applies
 * only to patches installed but waiting for a reboot (RebootOption NoReboot leaves them so).
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-compliance-states.html
 */
export const noMissingPatches: NamedCheck<Ec2Instance, Params> = {
  name: 'no-missing-patches',
  description:
    'No failed, critical or security non-compliant patches; no reboot pending beyond the grace period.',
  resourceTypes: ['AWS::EC2::Instance'],
  needs: ['instance.patch-state'],
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      rebootGraceHours: { type: 'number', minimum: 0, default: 24 },
      includeAllMissing: { type: 'boolean', default: false },
    },
  },
  evaluate(instance, { index, params, nowMs }) {
    const state = index.patchStateOf(instance);
    if (state === undefined) {
      return {
        outcome: 'fail',
        reason: 'PATCH.NO_PATCH_STATE',
        detail: 'Patch Manager has no patch state for it, so nothing shows it is patched',
        evidence: [{ path: 'patchState', actual: null }],
        cause: { key: 'no-patch-state' },
      };
    }
    const evidence = [patchStateEvidence(state)];
    const cause = { resourceType: 'AWS::SSM::PatchBaseline', resourceId: state.baselineId };
    // A count the source did not carry is neither zero nor a failure: a known count decides, an unknown one only
    // keeps the rule from passing (requireKnown below).
    const known = (field: CountField): number => (isUnknown(state, field) ? 0 : state[field]);
    const failed = known('failedCount');
    if (failed > 0) {
      return {
        outcome: 'fail',
        reason: 'PATCH.INSTALL_FAILED',
        detail: `${failed} patches failed to install (${
          operationKnown(state)
            ? `${state.operation} ended ${state.operationEndTime}`
            : `reported in the patch compliance of baseline ${state.baselineId}`
        })`,
        evidence,
        cause,
      };
    }
    const critical = known('criticalNonCompliantCount');
    const security = known('securityNonCompliantCount');
    const missing = params.includeAllMissing ? known('missingCount') : 0;
    if (critical > 0 || security > 0 || missing > 0) {
      const parts = [
        ...(critical > 0 ? [`${critical} critical`] : []),
        ...(security > 0 ? [`${security} security`] : []),
        ...(missing > 0 ? [`${missing} approved`] : []),
      ];
      return {
        outcome: 'fail',
        reason: 'PATCH.MISSING_PATCHES',
        detail: `${parts.join(', ')} patches are not installed (${reportedBy(state)})`,
        evidence,
        cause,
      };
    }
    requireKnown(
      state,
      [
        'failedCount',
        'criticalNonCompliantCount',
        'securityNonCompliantCount',
        'installedPendingRebootCount',
        ...(params.includeAllMissing ? (['missingCount'] as const) : []),
      ],
      'a verdict on failed, critical, security and pending-reboot patches',
    );
    const pending = state.installedPendingRebootCount;
    // How long the patches have waited is known only from the operation that installed them.
    if (pending > 0)
      requireKnown(state, ['operationEndTime'], `the ${params.rebootGraceHours}-hour reboot grace period`);
    const waitedHours = (nowMs - Date.parse(state.operationEndTime)) / 3_600_000;
    if (pending > 0 && !(waitedHours <= params.rebootGraceHours)) {
      return {
        outcome: 'fail',
        reason: 'PATCH.REBOOT_PENDING',
        detail: `${pending} installed patches have waited for a reboot since ${state.operationEndTime} (more than ${params.rebootGraceHours} hours)`,
        evidence,
        cause,
      };
    }
    return { outcome: 'pass', detail: `nothing missing per baseline ${state.baselineId}`, evidence };
  },
};

type CountField = Exclude<PatchStateField, 'operation' | 'operationStartTime' | 'operationEndTime'>;

function operationKnown(state: InstancePatchState): boolean {
  return !isUnknown(state, 'operation') && !isUnknown(state, 'operationEndTime');
}

/** Which report the counts come from: the operation when known, else the compliance summary. */
function reportedBy(state: InstancePatchState): string {
  return operationKnown(state)
    ? `reported by the ${state.operation} that ended ${state.operationEndTime}`
    : `reported in the patch compliance of baseline ${state.baselineId}`;
}
