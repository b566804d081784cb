// Keeps identifiers whole in the HTML report: browsers may break a line after a hyphen or a slash, which splits
// instance ids, ARNs, rule ids and command options ("--instance-" / "id"). Each word that holds such a break
// opportunity is set in a `.id` span (white-space: nowrap); the text itself, spaces included, is unchanged.

import { html, type SafeHtml } from './escape-html.js';

/**
 * Characters inside a word after (or before) which a browser may break a line (Unicode line breaking: hyphens,
 * slashes, question marks, plus signs). Punctuation that ends a word ("profile,", "region.") is no such place.
 */
export const BREAKABLE = /[-/?&+=]/;

const isBreakable = (word: string): boolean => BREAKABLE.test(word.replace(/^[("']+|[)"'.,;:!]+$/g, ''));

/** `text`, escaped, with every word that a browser could break set unbreakable. */
export function unbreakable(text: string): SafeHtml {
  return html`${text.split(/(\s+)/).map((part) => (part !== '' && !/^\s/.test(part) && isBreakable(part) ? html`<span class="id">${part}</span>` : part))}`;
}
