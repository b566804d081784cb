// The readiness chain's links, declared as data in chain order: add a link here and both the report's
// per-instance chains and `ssmguard explain` show it.

/**
 * `readiness` links are the chain SSM needs for an instance to be Online: the first broken one is the instance's
 * root cause. `patching` links continue that chain from "agent online" to "patched" (targeted → window runs a patch
 * install → baseline approves → last run succeeded → patched recently): an instance whose readiness chain holds is
 * explained by its first broken patching link; one whose readiness chain is broken is explained by that alone
 * (an offline instance patches nothing, so its patch findings are symptoms). `independent` links are findings in
 * their own right (an open port, an old agent), never the cause of a lost connection.
 */
export type ChainLinkRole = 'readiness' | 'patching' | 'independent';

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
  // The patching chain, in order. `patching`: tagged and targeted by a tag-based window target.
  { id: 'patching', role: 'patching' },
  { id: 'patch-window', role: 'patching' },
  { id: 'patch-baseline', role: 'patching' },
  // The patch operation can download: the Region's Patch Manager S3 buckets and the OS repositories.
  { id: 'patch-egress', role: 'patching' },
  // The slot for "the latest window execution succeeded for the instance" (ec2-instance-last-patch-run-succeeded).
  { id: 'patch-run', role: 'patching' },
  { id: 'patch-outcome', role: 'patching' },
];

/** The link a result counts in when its rule is unknown (a rule outside the rule set). */
export const FALLBACK_LINK = 'outcome';
