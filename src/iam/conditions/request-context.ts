// The request context a policy is evaluated against: condition keys with known values, known absence, or unknown.

/**
 * What the evaluator knows about one condition key:
 * - `known`: the request carries these values (one for single-valued keys);
 * - `absent`: the request certainly does not carry the key (e.g. aws:SourceVpce on a call over the internet);
 * - `unknown`: no inventory can tell (aws:SourceIp behind a NAT instance, a key ssmguard does not model).
 */
export type ContextValue =
  { kind: 'known'; values: readonly string[] } | { kind: 'absent' } | { kind: 'unknown'; why?: string };

/** Condition keys are case-insensitive (IAM User Guide, "IAM JSON policy elements: Condition"), so lookups lower-case. */
export interface RequestContext {
  lookup(key: string): ContextValue;
}

const ABSENT: ContextValue = { kind: 'absent' };
const UNKNOWN: ContextValue = { kind: 'unknown' };

export interface ContextSpec {
  /** Keys with their values; a string for a single value. Keys are matched case-insensitively. */
  values?: Readonly<Record<string, string | readonly string[]>>;
  /** Keys the request certainly does not carry. */
  absent?: readonly string[];
  /**
   * Key prefixes (`aws:PrincipalTag/`) whose whole family is known: a key under one that is not in `values` is
   * absent rather than unknown (the role's tags are all in the data, so an untagged key is not there).
   */
  closedPrefixes?: readonly string[];
  /** Keys that are explicitly unknown, with why (shown in explanations). */
  unknown?: Readonly<Record<string, string>>;
}

/**
 * Builds a context. Every key not named in the spec is unknown: the evaluator never assumes a value, so a policy
 * that tests a key we do not model gives CONDITIONAL rather than a guess.
 */
export function requestContext(spec: ContextSpec = {}): RequestContext & { spec: ContextSpec } {
  const known = new Map<string, ContextValue>();
  for (const [key, value] of Object.entries(spec.values ?? {})) {
    known.set(key.toLowerCase(), {
      kind: 'known',
      values: typeof value === 'string' ? [value] : [...(value as readonly string[])],
    });
  }
  for (const key of spec.absent ?? []) known.set(key.toLowerCase(), ABSENT);
  for (const [key, why] of Object.entries(spec.unknown ?? {}))
    known.set(key.toLowerCase(), { kind: 'unknown', why });
  const prefixes = (spec.closedPrefixes ?? []).map((p) => p.toLowerCase());
  return {
    spec,
    lookup(key) {
      const lower = key.toLowerCase();
      const hit = known.get(lower);
      if (hit !== undefined) return hit;
      return prefixes.some((p) => lower.startsWith(p) && lower.length > p.length) ? ABSENT : UNKNOWN;
    },
  };
}

/** The context that knows nothing: every condition is "maybe", as before request contexts existed. */
export const UNKNOWN_CONTEXT: RequestContext = { lookup: () => UNKNOWN };

/** A one-line rendering of a context value for explanations. */
export function describeContextValue(value: ContextValue): string {
  if (value.kind === 'absent') return 'absent from the request';
  if (value.kind === 'unknown') return `unknown${value.why === undefined ? '' : ` (${value.why})`}`;
  return value.values.length === 1 ? JSON.stringify(value.values[0]) : JSON.stringify(value.values);
}
