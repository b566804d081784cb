// Reads the rule files (and policy pack) a Lambda package embeds, selecting rules the way `scan` does.

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CompiledRule } from '../engine/compile-rule.js';
import type { EmbeddedRules } from '../lambda/embedded-rules.js';
import { compareText } from '../compare-text.js';

/**
 * The embedded form of a compiled rule set: each selected rule's YAML text (named by its file's base name, so
 * no build-machine path ends up in the bundle) and the policy pack's text, if any. Rules are compiled again at
 * runtime from this text, so the Lambda runs exactly what the CLI validated.
 */
export async function readRuleFiles(
  rules: readonly CompiledRule[],
  policyFile?: string,
): Promise<EmbeddedRules> {
  const files = await Promise.all(
    [...rules]
      .sort((a, b) => compareText(a.id, b.id))
      .map(async (rule) => ({ file: `${rule.id}.yaml`, text: await readFile(rule.loaded.file, 'utf8') })),
  );
  const embedded: EmbeddedRules = { rules: files };
  if (policyFile !== undefined)
    embedded.policy = { file: basename(policyFile), text: await readFile(policyFile, 'utf8') };
  return embedded;
}
