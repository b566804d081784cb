// Per-inventory memo for the network-path check: parsed CIDRs, NACL entries in rule order, and results shared by
// every instance of a subnet, so 100,000 instances cost a few map lookups each.

import type { InventoryIndex } from '../../../inventory/inventory-index.js';
import type { NetworkAcl, NetworkAclEntry } from '../../../inventory/model.js';
import { parseCidr, type Cidr } from './cidr.js';

export class PathCache {
  private readonly cidrs = new Map<string, Cidr | undefined>();
  private readonly naclEntries = new Map<string, readonly NetworkAclEntry[]>();
  private readonly results = new Map<string, unknown>();
  /**
   * Set while evaluating an instance whose answer depended on its exact address (a rule covering part of its
   * subnet); such answers are not shared with the subnet's other instances.
   */
  addressDependent = false;
  /**
   * Whether paths record their hops for explain (`networkPath.hops`): set per evaluation by the check, and part
   * of the memo keys of the paths that record them. Lean scans skip the work.
   */
  recordHops = true;

  /** Parses once per distinct text; malformed text is undefined (and matches nothing). */
  cidr(text: string): Cidr | undefined {
    if (this.cidrs.has(text)) return this.cidrs.get(text);
    const parsed = parseCidr(text);
    this.cidrs.set(text, parsed);
    return parsed;
  }

  /** One direction's entries in ascending rule number: the order AWS evaluates them in. */
  entriesOf(acl: NetworkAcl, egress: boolean): readonly NetworkAclEntry[] {
    const key = `${acl.networkAclId}|${egress ? 'out' : 'in'}`;
    let entries = this.naclEntries.get(key);
    if (!entries) {
      entries = acl.entries.filter((e) => e.egress === egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
      this.naclEntries.set(key, entries);
    }
    return entries;
  }

  /** A stored result, if any. */
  peek<T>(key: string): T | undefined {
    return this.results.get(key) as T | undefined;
  }

  store(key: string, value: unknown): void {
    this.results.set(key, value);
  }

  /** Memoises `compute` under `key`; keys are built from the ids and parameters the result depends on. */
  memo<T>(key: string, compute: () => T): T {
    if (this.results.has(key)) return this.results.get(key) as T;
    const value = compute();
    this.results.set(key, value);
    return value;
  }
}

const caches = new WeakMap<InventoryIndex, PathCache>();

/** The cache of one inventory index; it goes away with the index. */
export function pathCacheFor(index: InventoryIndex): PathCache {
  let cache = caches.get(index);
  if (!cache) {
    cache = new PathCache();
    caches.set(index, cache);
  }
  return cache;
}
