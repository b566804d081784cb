// Reads a plan file back (for `fix --apply`): JSON, validated against schemas/fix-plan.schema.json, with
// dependencies that point only at earlier changes. Errors name the file and the JSON path.

import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import planSchema from '../../../schemas/fix-plan.schema.json' with { type: 'json' };
import { CheckerError } from '../../errors.js';
import type { FixPlan } from './plan-types.js';

export class FixPlanFileError extends CheckerError {
  readonly code = 'FIX_PLAN_INVALID';
  constructor(
    readonly file: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`${file}: ${detail}`, options);
    this.name = 'FixPlanFileError';
  }
}

let validator: ReturnType<Ajv2020['compile']> | undefined;

/** Parses plan text; throws `FixPlanFileError` naming the JSON path of the first problem. */
export function parseFixPlan(file: string, text: string): FixPlan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FixPlanFileError(file, `not JSON (${(error as Error).message})`, { cause: error });
  }
  validator ??= new Ajv2020({ allErrors: false, strict: false }).compile(planSchema);
  if (!validator(value)) {
    const e = validator.errors?.[0];
    throw new FixPlanFileError(file, `at ${e?.instancePath || '/'}: ${e?.message ?? 'invalid plan'}`);
  }
  const plan = value as FixPlan;
  const seen = new Set<string>();
  for (const change of plan.changes) {
    for (const dependency of change.dependsOn) {
      if (!seen.has(dependency))
        throw new FixPlanFileError(
          file,
          `change ${change.id} depends on ${dependency}, which is not an earlier change`,
        );
    }
    if (seen.has(change.id)) throw new FixPlanFileError(file, `change id ${change.id} appears twice`);
    seen.add(change.id);
  }
  return plan;
}

export async function readFixPlan(file: string): Promise<FixPlan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new FixPlanFileError(
      file,
      `cannot read the plan (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      { cause: error },
    );
  }
  return parseFixPlan(file, text);
}
