// Message templates: "{{resource.id}}", "{{resource.tags.Name}}", "{{actual}}", "{{detail}}", "{{param.ports}}",
// "{{rule.title}}". Compiled once per rule; placeholders are checked when the rule loads.

import type { InventoryIndex } from '../inventory/inventory-index.js';
import type { ResourceTypeSpec } from '../inventory/resource-types.js';
import type { RuleDefinition } from '../ruleset/rule.js';
import { validateRulePath, parseRulePath } from '../ruleset/rule-path.js';
import { compilePath } from './compile-path.js';

export interface TemplateValues {
  resource: unknown;
  index: InventoryIndex;
  params: Readonly<Record<string, unknown>>;
  rule: RuleDefinition;
  actual?: unknown;
  detail?: string;
}

/** A compiled template; `constant` is set when it has no placeholder (the same text for every result). */
export type Template = ((values: TemplateValues) => string) & { constant?: string };

function show(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(show).join(', ');
  return JSON.stringify(value) ?? '(none)';
}

/** Compiles a template; throws an Error naming the bad placeholder. */
export function compileTemplate(text: string, spec: ResourceTypeSpec): Template {
  const parts: (string | Template)[] = [];
  let last = 0;
  for (const match of text.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)) {
    parts.push(text.slice(last, match.index));
    last = (match.index ?? 0) + match[0].length;
    const name = match[1] ?? '';
    if (name === 'actual') parts.push((v) => show(v.actual));
    else if (name === 'detail') parts.push((v) => v.detail ?? '');
    else if (name === 'resource.id') parts.push((v) => spec.idOf(v.resource as never));
    else if (name === 'rule.title') parts.push((v) => v.rule.title);
    else if (name === 'rule.id') parts.push((v) => v.rule.id);
    else if (name.startsWith('param.')) {
      const key = name.slice('param.'.length);
      parts.push((v) => show(Object.hasOwn(v.params, key) ? v.params[key] : undefined));
    } else if (name.startsWith('resource.')) {
      const path = name.slice('resource.'.length);
      const problem = validateRulePath(spec.type, parseRulePath(path));
      if (problem) throw new Error(`placeholder {{${name}}}: ${problem}`);
      const accessor = compilePath(path, spec);
      parts.push((v) => show(accessor.read(v.resource, v.index)));
    } else {
      throw new Error(
        `unknown placeholder {{${name}}} (use resource.<path>, actual, detail, param.<name>, rule.title)`,
      );
    }
  }
  parts.push(text.slice(last));
  const pieces = parts.filter((p) => p !== '');
  // Most remediation texts have no placeholder: hand back the same string instead of building it again.
  if (pieces.every((p) => typeof p === 'string')) {
    const constant = (pieces as string[]).join('');
    return Object.assign(() => constant, { constant });
  }
  return (values) => {
    let out = '';
    for (const p of pieces) out += typeof p === 'string' ? p : p(values);
    return out;
  };
}
