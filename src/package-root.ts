// Locating files shipped with ssmguard (rules/, policies/, examples/) from src/ (tests) or dist/src/ (built).

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The folder holding ssmguard's package.json. */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'rules'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the ssmguard package root (package.json beside rules/)');
    dir = parent;
  }
  cached = dir;
  return dir;
}

export const shippedRulesDir = (): string => join(packageRoot(), 'rules');
export const shippedPoliciesDir = (): string => join(packageRoot(), 'policies');
export const exampleFleetDir = (): string => join(packageRoot(), 'examples', 'example-fleet');
