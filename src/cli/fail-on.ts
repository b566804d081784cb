// `--fail-on SEVERITY`: the threshold at which findings make a command exit 1.

import { SEVERITIES, type Severity } from '../engine/types.js';
import { UsageError } from '../errors.js';

export function parseFailOn(value: string): Severity | 'none' {
  if (value === 'none' || (SEVERITIES as readonly string[]).includes(value))
    return value as Severity | 'none';
  throw new UsageError(`--fail-on must be one of ${[...SEVERITIES, 'none'].join(', ')}`);
}
