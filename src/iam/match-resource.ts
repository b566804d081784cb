// Matching resource ARNs against Resource / NotResource patterns (case-sensitive, `*` spans `/`, policy variables).

import { globMatch, globToRegExpSource } from './glob-match.js';

/**
 * How a statement's resource element relates to the resource asked about:
 * - `all`: it certainly applies;
 * - `some`: it applies to part of what was asked (the caller asked about "any resource" and the statement is
 *   scoped to some ARNs), or it depends on a policy variable such as `${aws:username}`;
 * - `none`: it certainly does not apply.
 */
export type ResourceMatch = 'all' | 'some' | 'none';

/** The resource a caller asks about when it does not know the exact ARN: "any resource". */
export const ANY_RESOURCE = '*';

/** A precompiled Resource or NotResource element. */
export interface ResourcePatternSet {
  match(resource: string): ResourceMatch;
}

interface CompiledPattern {
  test(resource: string): boolean;
  /** The pattern held a policy variable, so `test` only says "could match". */
  variable: boolean;
  /** The pattern is `*` (or `**`…): every resource. */
  everything: boolean;
}

/**
 * Compiles a Resource (or, with `negated`, NotResource) list once.
 *
 * Resource ARNs are matched case-sensitively; `*` spans any characters including `/` and `:`, `?` is one
 * character. With policy language version 2012-10-17, `${…}` is a policy variable resolved per request
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html), so a pattern holding
 * one can only "possibly" match; `${*}`, `${?}` and `${$}` are the escapes for the literal characters.
 *
 * Asked about "any resource" (`*`), a list holding `*` covers it, any other list covers only some of it.
 */
export function compileResourcePatterns(
  patterns: readonly string[],
  negated: boolean,
  policyVariables: boolean,
): ResourcePatternSet {
  const compiled = patterns.map((pattern) => compilePattern(pattern, policyVariables));
  const listedEverything = compiled.some((p) => p.everything);
  const listed = (resource: string): ResourceMatch => {
    if (resource === ANY_RESOURCE) {
      if (listedEverything) return 'all';
      return compiled.length > 0 ? 'some' : 'none';
    }
    let result: ResourceMatch = 'none';
    for (const p of compiled) {
      if (!p.test(resource)) continue;
      if (!p.variable) return 'all';
      result = 'some';
    }
    return result;
  };
  if (!negated) return { match: listed };
  return {
    match(resource) {
      const hit = listed(resource);
      if (hit === 'all') return 'none';
      return hit === 'none' ? 'all' : 'some';
    },
  };
}

function compilePattern(pattern: string, policyVariables: boolean): CompiledPattern {
  if (/^\*+$/.test(pattern)) return { test: () => true, variable: false, everything: true };
  if (!policyVariables || !pattern.includes('${')) {
    return { test: (resource) => globMatch(pattern, resource), variable: false, everything: false };
  }
  // Policy variables are rare: only these become a RegExp.
  let source = '';
  let variable = false;
  let rest = pattern;
  for (;;) {
    const start = rest.indexOf('${');
    const end = start === -1 ? -1 : rest.indexOf('}', start + 2);
    if (start === -1 || end === -1) {
      source += globToRegExpSource(rest);
      break;
    }
    source += globToRegExpSource(rest.slice(0, start));
    const name = rest.slice(start + 2, end).trim();
    if (name === '*' || name === '?' || name === '$') {
      source += `\\${name}`;
    } else {
      // Unknown per request: any value could be substituted (a missing key without a default makes the
      // statement not apply at all, which "could match" also covers).
      source += '.*';
      variable = true;
    }
    rest = rest.slice(end + 1);
  }
  const regex = new RegExp(`^${source}$`, 's');
  return { test: (resource) => regex.test(resource), variable, everything: false };
}
