// The registry of named checks, by the name a rule's `check:` uses.

import { agentVersionCurrent } from './agent-version-current.js';
import { dhmcCoversInstance } from './dhmc-covers-instance.js';
import { egressAllowsHttps } from './egress-allows-https.js';
import { instanceRoleGrantsActions } from './iam-role-grants-actions.js';
import { instanceRoleTrusted } from './iam-role-trusted.js';
import type { AnyNamedCheck } from './named-check.js';
import { notHybridRegistered } from './not-hybrid-registered.js';
import { instancePatchWindowInstalls } from './patching/instance-patch-window.js';
import { lastPatchRunSucceeded } from './patching/last-patch-run.js';
import { noMissingPatches } from './patching/no-missing-patches.js';
import { patchEgress } from './patching/patch-egress.js';
import { patchGroupBaseline } from './patching/patch-group-baseline.js';
import { patchedRecently } from './patching/patched-recently.js';
import { maintenanceWindowPatches } from './patching/window-patches.js';
import { patchTargetedByTag } from './patch-targeted-by-tag.js';
import { networkPathToSsm } from './network-path/network-path-to-ssm.js';
import { noInboundPorts } from './port-exposure.js';

export const NAMED_CHECKS: ReadonlyMap<string, AnyNamedCheck> = new Map(
  (
    [
      dhmcCoversInstance,
      noInboundPorts,
      egressAllowsHttps,
      notHybridRegistered,
      patchTargetedByTag,
      networkPathToSsm,
      instanceRoleTrusted,
      instanceRoleGrantsActions,
      agentVersionCurrent,
      patchedRecently,
      noMissingPatches,
      maintenanceWindowPatches,
      lastPatchRunSucceeded,
      instancePatchWindowInstalls,
      patchEgress,
      patchGroupBaseline,
    ] as AnyNamedCheck[]
  ).map((c) => [c.name, c]),
);

export type { AnyNamedCheck, CheckContext, CheckResult, NamedCheck } from './named-check.js';
