// Matching IAM action names against Action / NotAction patterns (case-insensitive, `*` and `?` wildcards).

import { globMatch, hasWildcard } from './glob-match.js';

/** A precompiled action list; `listed` says whether the (lower-cased) action name is named by a pattern. */
export interface ActionPatternSet {
  listed(actionLower: string): boolean;
}

/** `service:Action` with no wildcard: what a caller may ask about. */
const CONCRETE_ACTION = /^[a-z0-9][a-z0-9-]*:[a-z0-9][a-z0-9-]*$/i;

/** True for a concrete action name such as `ssm:UpdateInstanceInformation` (no wildcards). */
export function isConcreteActionName(action: string): boolean {
  return CONCRETE_ACTION.test(action);
}

/** A service prefix as IAM accepts it: letters, digits and hyphens, no wildcard. */
const SERVICE_PREFIX = /^[a-z0-9][a-z0-9-]*$/i;

/**
 * True for a pattern IAM accepts in Action/NotAction: `*`, or `service:name` where only the name may hold
 * wildcards. IAM refuses a wildcard in the service prefix (`ssm*:*`, `*:*`: "Action vendors … must not contain
 * wildcards"), an empty service or name, and a second colon (aws-facts-2 §4;
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html), so seeing one
 * means the document is not what IAM stored.
 */
export function isActionPattern(pattern: string): boolean {
  if (pattern === '*') return true;
  const colon = pattern.indexOf(':');
  if (colon <= 0 || colon === pattern.length - 1 || pattern.indexOf(':', colon + 1) !== -1) return false;
  return SERVICE_PREFIX.test(pattern.slice(0, colon));
}

/**
 * Compiles action patterns once. Action names are case-insensitive in IAM (`IAM:listaccesskeys` ≡
 * `iam:ListAccessKeys`), so patterns are lower-cased here and callers lower-case the action once.
 * Exact names go into a Set; wildcard patterns are kept for `globMatch`.
 */
export function compileActionPatterns(patterns: readonly string[]): ActionPatternSet {
  const exact = new Set<string>();
  const wild: string[] = [];
  for (const raw of patterns) {
    const pattern = raw.toLowerCase();
    if (/^\*+$/.test(pattern)) return MATCH_EVERYTHING;
    if (hasWildcard(pattern)) wild.push(pattern);
    else exact.add(pattern);
  }
  if (wild.length === 0) return { listed: (actionLower) => exact.has(actionLower) };
  return {
    listed: (actionLower) =>
      exact.has(actionLower) || wild.some((pattern) => globMatch(pattern, actionLower)),
  };
}

const MATCH_EVERYTHING: ActionPatternSet = { listed: () => true };
