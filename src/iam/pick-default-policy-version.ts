// Choosing the default version out of a GAAD-style PolicyVersionList: the only version IAM evaluates.

import type { MaybePolicyDocument } from '../inventory/model.js';
import { decodePolicyDocument } from '../inventory/policy-document.js';

/** One entry of `Policies[].PolicyVersionList` (GetAccountAuthorizationDetails) or a GetPolicyVersion result. */
export interface PolicyVersionEntry {
  VersionId?: string;
  IsDefaultVersion?: boolean;
  /** URL-encoded JSON (IAM API), a JSON string, or an object (AWS CLI output). */
  Document?: unknown;
}

/** The picked version, decoded; undefined when no entry is the default. */
export interface DefaultPolicyVersion {
  versionId?: string;
  policy: MaybePolicyDocument;
}

/**
 * Picks the version IAM evaluates. GAAD returns every version of a managed policy, and only the default one
 * grants or denies anything. `IsDefaultVersion` decides; `DefaultVersionId` breaks a tie or stands in when no
 * entry is flagged. A default version without a document decodes to a parse error, so rules give ERROR.
 */
export function pickDefaultPolicyVersion(
  versions: readonly PolicyVersionEntry[] | undefined,
  defaultVersionId?: string,
): DefaultPolicyVersion | undefined {
  if (versions === undefined || versions.length === 0) return undefined;
  const flagged = versions.filter((v) => v.IsDefaultVersion === true);
  const byId =
    defaultVersionId === undefined ? undefined : versions.find((v) => v.VersionId === defaultVersionId);
  let chosen: PolicyVersionEntry | undefined;
  if (flagged.length === 1) chosen = flagged[0];
  else if (flagged.length > 1) chosen = flagged.find((v) => v.VersionId === defaultVersionId);
  else chosen = byId;
  if (chosen === undefined) return undefined;
  return { versionId: chosen.VersionId, policy: decodePolicyDocument(chosen.Document) };
}
