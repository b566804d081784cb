// Matching resource ARNs against Resource / NotResource patterns (case-sensitive, `*` spans `/`, policy variables).

import type { RequestContext } from './conditions/request-context.js';
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
  /** With a context, policy variables resolve; without one (or for an unknown key) they only "possibly" match. */
  match(resource: string, context?: RequestContext, literal?: boolean): ResourceMatch;
  /** The keys of the policy variables the patterns hold (lower-cased), for cache keys. */
  readonly variableKeys: readonly string[];
  /** True when every pattern is `*`. */
  readonly everything: boolean;
}

interface CompiledPattern {
  /** `all` / `none`, or `some` when an unresolved variable leaves it open. */
  test(resource: string, context: RequestContext | undefined): ResourceMatch;
  variableKeys: readonly string[];
  /** The pattern is `*` (or `**`…): every resource. */
  everything: boolean;
}

/**
 * Compiles a Resource (or, with `negated`, NotResource) list once.
 *
 * Resource ARNs are matched case-sensitively; `*` spans any characters including `/` and `:`, `?` is one
 * character. With policy language version 2012-10-17, `${…}` is a policy variable resolved per request
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html): a known value is
 * substituted as literal text, a key the request lacks (and no default) makes the pattern match nothing, and an
 * unknown key leaves it "possibly" matching. `${*}`, `${?}` and `${$}` are the escapes for the literal characters.
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
  const variableKeys = [...new Set(compiled.flatMap((p) => p.variableKeys))];
  // `literal`: the resource is exactly this text. For an action without resource types the request's resource is
  // literally `*`, which only `*`-like patterns cover; without it, `*` asks about "any resource".
  const listed = (resource: string, context: RequestContext | undefined, literal = false): ResourceMatch => {
    if (resource === ANY_RESOURCE && !literal) {
      if (listedEverything) return 'all';
      return compiled.length > 0 ? 'some' : 'none';
    }
    let result: ResourceMatch = 'none';
    for (const p of compiled) {
      const hit = p.test(resource, context);
      if (hit === 'all') return 'all';
      if (hit === 'some') result = 'some';
    }
    return result;
  };
  const everything = !negated && compiled.length > 0 && compiled.every((p) => p.everything);
  if (!negated) return { match: listed, variableKeys, everything };
  return {
    variableKeys,
    everything: false,
    match(resource, context, literal) {
      const hit = listed(resource, context, literal);
      if (hit === 'all') return 'none';
      return hit === 'none' ? 'all' : 'some';
    },
  };
}

type Piece = { literal: string } | { glob: string } | { key: string; fallback?: string };

function compilePattern(pattern: string, policyVariables: boolean): CompiledPattern {
  if (/^\*+$/.test(pattern)) return { test: () => 'all', variableKeys: [], everything: true };
  if (!policyVariables || !pattern.includes('${')) {
    return {
      test: (resource) => (globMatch(pattern, resource) ? 'all' : 'none'),
      variableKeys: [],
      everything: false,
    };
  }
  // Policy variables are rare: only these become a RegExp, built per resolved value.
  const pieces: Piece[] = [];
  let rest = pattern;
  for (;;) {
    const start = rest.indexOf('${');
    const end = start === -1 ? -1 : rest.indexOf('}', start + 2);
    if (start === -1 || end === -1) {
      pieces.push({ glob: rest });
      break;
    }
    pieces.push({ glob: rest.slice(0, start) });
    const body = rest.slice(start + 2, end).trim();
    const variable = /^([^,\s]+)\s*(?:,\s*'([^']*)')?$/.exec(body);
    if (body === '*' || body === '?' || body === '$') pieces.push({ literal: body });
    else if (variable === null) pieces.push({ glob: rest.slice(start, end + 1) });
    else
      pieces.push(
        variable[2] === undefined ? { key: variable[1]! } : { key: variable[1]!, fallback: variable[2] },
      );
    rest = rest.slice(end + 1);
  }
  const variableKeys = pieces.flatMap((p) => ('key' in p ? [p.key.toLowerCase()] : []));
  const unresolved = new RegExp(`^${pieces.map((p) => sourceOf(p, '.*')).join('')}$`, 's');
  return {
    variableKeys,
    everything: false,
    test(resource, context) {
      if (context === undefined) return unresolved.test(resource) ? 'some' : 'none';
      let source = '';
      let open = false;
      for (const piece of pieces) {
        if (!('key' in piece)) {
          source += sourceOf(piece, '');
          continue;
        }
        const found = context.lookup(piece.key);
        if (found.kind === 'unknown') {
          open = true;
          source += '.*';
        } else if (found.kind === 'known' && found.values.length === 1)
          source += escapeRegExp(found.values[0]!);
        else if (piece.fallback !== undefined) source += escapeRegExp(piece.fallback);
        else return 'none'; // a missing key without a default: the pattern matches nothing
      }
      if (!new RegExp(`^${source}$`, 's').test(resource)) return 'none';
      return open ? 'some' : 'all';
    },
  };
}

function sourceOf(piece: Piece, variable: string): string {
  if ('glob' in piece) return globToRegExpSource(piece.glob);
  if ('literal' in piece) return escapeRegExp(piece.literal);
  return variable;
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?|()[\]{}]/g, '\\$&');
}
