// The link order of one rule set: the declared links, then the links only user rules name, with each rule's
// place in it. Built once per report, so per-result work is an array index, not a lookup by name.

import { compareText } from '../../compare-text.js';
import { CHAIN_LINKS, FALLBACK_LINK, type ChainLinkRole } from './chain-links.js';

/** What the layout needs to know about a rule. */
export interface ChainRule {
  id: string;
  link: string;
}

export class ChainLayout {
  /** Link ids in chain order: declared links, then other links named by rules (alphabetically). */
  readonly links: readonly string[];
  private readonly roles: readonly ChainLinkRole[];
  private readonly indexByRule = new Map<string, number>();
  private readonly fallbackIndex: number;

  constructor(rules: readonly ChainRule[]) {
    const declared = CHAIN_LINKS.map((l) => l.id);
    const extra = [...new Set(rules.map((r) => r.link))]
      .filter((l) => !declared.includes(l))
      .sort(compareText);
    this.links = [...declared, ...extra];
    // A link no declaration names is part of the readiness chain: a user rule's link can break it.
    this.roles = this.links.map((id) => CHAIN_LINKS.find((l) => l.id === id)?.role ?? 'readiness');
    for (const r of rules) this.indexByRule.set(r.id, this.links.indexOf(r.link));
    this.fallbackIndex = this.links.indexOf(FALLBACK_LINK);
  }

  /** The index (in `links`) of the link a rule checks. */
  linkIndexOf(ruleId: string): number {
    return this.indexByRule.get(ruleId) ?? this.fallbackIndex;
  }

  linkOf(ruleId: string): string {
    return this.links[this.linkIndexOf(ruleId)]!;
  }

  isReadiness(linkIndex: number): boolean {
    return this.roles[linkIndex] === 'readiness';
  }

  /** A link of the patching chain, which continues the readiness chain (see ChainLinkRole). */
  isPatching(linkIndex: number): boolean {
    return this.roles[linkIndex] === 'patching';
  }

  /** By link id; a link outside the layout is a readiness link, as a user rule's link is. */
  isReadinessLink(link: string): boolean {
    const i = this.links.indexOf(link);
    return i === -1 || this.isReadiness(i);
  }
}
