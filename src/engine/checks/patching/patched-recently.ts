// Named check: the instance's latest patch operation is recent and left it patched (an Install, or a Scan that
// found nothing missing).

import type { Ec2Instance, InstancePatchState, PatchStateField } from '../../../inventory/model.js';
import type { Evidence } from '../../types.js';
import { CheckDataError } from '../check-data-error.js';
import type { NamedCheck } from '../named-check.js';

interface Params {
  maxAgeDays: number;
}

const DAY_MS = 86_400_000;

/** What the patch state says, as evidence every patching outcome check shows. */
export function patchStateEvidence(state: InstancePatchState): Evidence {
  return {
    path: 'patchState',
    resourceId: state.baselineId,
    actual: {
      operation: state.operation,
      operationEndTime: state.operationEndTime,
      missing: state.missingCount,
      failed: state.failedCount,
      installedPendingReboot: state.installedPendingRebootCount,
      criticalNonCompliant: state.criticalNonCompliantCount,
      securityNonCompliant: state.securityNonCompliantCount,
    },
  };
}

/** The reason code of an ERROR for a patch state that lacks what a rule needs (declared by every patch rule). */
export const PATCH_STATE_INCOMPLETE = 'PATCH.STATE_INCOMPLETE';

/** True when the source of the patch state did not carry `field` (its value is a placeholder). */
export function isUnknown(state: InstancePatchState, field: PatchStateField): boolean {
  return state.unknownFields?.includes(field) === true;
}

/**
 * Throws the ERROR "cannot be verified" when the patch state lacks any of `fields`: only AWS Config's
 * AWS::SSM::PatchCompliance items leave fields out (they record no operation and no operation times), and a rule
 * never judges a placeholder. The message names what is missing and the call that reads it.
 */
export function requireKnown(
  state: InstancePatchState,
  fields: readonly PatchStateField[],
  needed: string,
): void {
  const missing = fields.filter((f) => isUnknown(state, f));
  if (missing.length === 0) return;
  throw new CheckDataError(
    'PATCH_STATE_INCOMPLETE',
    PATCH_STATE_INCOMPLETE,
    `cannot be verified: ${needed} needs ${missing.join(', ')}, which the patch state of ${state.instanceId} does not carry (AWS Config's AWS::SSM::PatchCompliance items record the compliance summary and each patch's state, but no patch operation and no operation times); give the output of 'aws ssm describe-instance-patch-states --instance-ids ${state.instanceId}'`,
    { key: 'patch-state-incomplete' },
    [{ path: 'patchState.unknownFields', resourceId: state.instanceId, actual: missing }],
  );
}

/**
 * DescribeInstancePatchStates keeps only the latest operation per node
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_InstancePatchState.html), so the time
 * of the last Install is known only when the latest operation is one. A later Scan that found nothing missing
 * proves the node is as patched as its baseline asks; a Scan that found missing patches proves it is not.
 */
export const patchedRecently: NamedCheck<Ec2Instance, Params> = {
  name: 'patched-recently',
  description: "The instance's latest patch operation ended within N days and left nothing missing.",
  resourceTypes: ['AWS::EC2::Instance'],
  needs: ['instance.patch-state'],
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: { maxAgeDays: { type: 'number', exclusiveMinimum: 0, default: 35 } },
  },
  evaluate(instance, { index, params, nowMs }) {
    const state = index.patchStateOf(instance);
    if (state === undefined) {
      return {
        outcome: 'fail',
        reason: 'PATCH.NO_PATCH_STATE',
        detail: 'Patch Manager has no patch state for it: it was never scanned or patched',
        evidence: [{ path: 'patchState', actual: null }],
        cause: { key: 'no-patch-state' },
      };
    }
    // The age and the kind of the latest operation are the whole verdict: without them there is none.
    requireKnown(state, ['operation', 'operationEndTime'], 'when the latest patch operation ended');
    const evidence = [patchStateEvidence(state)];
    const endMs = Date.parse(state.operationEndTime);
    const ageDays = (nowMs - endMs) / DAY_MS;
    const when = `${state.operation} ended ${state.operationEndTime}`;
    if (Number.isNaN(endMs) || ageDays > params.maxAgeDays) {
      return {
        outcome: 'fail',
        reason: 'PATCH.PATCH_STATE_STALE',
        detail: `its latest patch operation (${when}) is more than ${params.maxAgeDays} days old`,
        evidence,
        cause: { key: `stale|${state.patchGroup}` },
      };
    }
    if (state.operation !== 'Install' && state.missingCount > 0) {
      return {
        outcome: 'fail',
        reason: 'PATCH.SCAN_ONLY',
        detail: `its latest patch operation was a ${state.operation} (ended ${state.operationEndTime}) that found ${state.missingCount} approved patches missing, and no Install is recorded after it`,
        evidence,
        cause: { key: `scan-only|${state.patchGroup}` },
      };
    }
    return { outcome: 'pass', detail: when, evidence };
  },
};
