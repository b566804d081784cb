// The readiness chain's links, declared as data in chain order: add a link here and both the report's
// per-instance chains and `ssmguard explain` show it.

/**
 * `readiness` links are the chain SSM needs for an instance to be Online: the first broken one is the instance's
 * root cause. `independent` links are findings in their own right (an open port, patching), never the cause of
 * a lost connection.
 */
export type ChainLinkRole = 'readiness' | 'independent';

export interface ChainLinkDefinition {
  /** The value of a rule's `link` field. */
  id: string;
  role: ChainLinkRole;
}

/** In order: an instance's chain lists its links in this order, then any link only a user rule names. */
export const CHAIN_LINKS: readonly ChainLinkDefinition[] = [
  { id: 'state', role: 'readiness' },
  { id: 'credentials', role: 'readiness' },
  { id: 'trust', role: 'readiness' },
  { id: 'permissions', role: 'readiness' },
  { id: 'imds', role: 'readiness' },
  { id: 'registration', role: 'readiness' },
  { id: 'egress', role: 'readiness' },
  { id: 'network', role: 'readiness' },
  { id: 'outcome', role: 'readiness' },
  { id: 'exposure', role: 'independent' },
  { id: 'agent', role: 'independent' },
  { id: 'patching', role: 'independent' },
  { id: 'patch-window', role: 'independent' },
  { id: 'patch-baseline', role: 'independent' },
  { id: 'patch-outcome', role: 'independent' },
];

/** The link a result counts in when its rule is unknown (a rule outside the rule set). */
export const FALLBACK_LINK = 'outcome';
