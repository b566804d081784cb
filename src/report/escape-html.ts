// HTML escaping for the HTML report: one escapeHtml, and an `html` template tag that escapes every value it is
// given unless the value is already-built markup. Every AWS-derived string goes through here.

import { neutraliseControls } from '../neutralise-controls.js';

/** Markup that was built by `html` (or is a trusted constant), so it is not escaped again. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and quoted attribute values. Control characters and bidi overrides become
 * visible `\u001b`-style escapes (neutraliseControls), so hostile tag values can neither smuggle in anything a
 * browser would act on nor reorder what the reviewer reads.
 */
export function escapeHtml(value: string): string {
  return neutraliseControls(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

type HtmlValue = SafeHtml | string | number | undefined | null | readonly HtmlValue[];

function toHtml(value: HtmlValue): string {
  if (value === undefined || value === null) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((v: HtmlValue) => toHtml(v)).join('');
  return escapeHtml(String(value));
}

/** Template tag: literal parts are markup, interpolated values are escaped (arrays are joined, SafeHtml kept). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += toHtml(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Serializes data for a `<script type="application/json">` block: `<` is escaped so `</script>` cannot end it. */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
