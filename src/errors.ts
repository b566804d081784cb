// The base of ssmguard's typed errors: every error a user can meet has a stable `code` the CLI keys help on.

/** Base class; subclasses set a literal `code` and `name` (literals survive bundling). */
export abstract class CheckerError extends Error {
  abstract readonly code: string;
}

/** A rule file (or policy pack) that breaks the schema or cannot be compiled. */
export class RuleFileError extends CheckerError {
  readonly code = 'RULE_FILE_INVALID';
  constructor(
    readonly file: string,
    readonly yamlPath: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
    options?: ErrorOptions,
  ) {
    super(
      `${file}${line !== undefined ? `:${line}:${column ?? 1}` : ''} at ${yamlPath || '(root)'}: ${detail}`,
      options,
    );
    this.name = 'RuleFileError';
  }
}

/** Several load errors at once, so a user fixes all of them in one pass. */
export class RuleSetError extends CheckerError {
  readonly code: string = 'RULESET_INVALID';
  constructor(readonly errors: RuleFileError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'RuleSetError';
  }
}

/** A policy pack that breaks schemas/policy.schema.json or its waiver rules: every problem, with file and line. */
export class PolicyPackError extends RuleSetError {
  override readonly code = 'POLICY_INVALID';
  constructor(errors: RuleFileError[]) {
    super(errors);
    this.name = 'PolicyPackError';
  }
}

/** Usage errors: bad flags, unknown rule ids, impossible combinations. */
export class UsageError extends CheckerError {
  readonly code = 'USAGE';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** An evaluation time that is not a finite instant: time-based checks would silently compare against NaN. */
export class EvaluationTimeError extends CheckerError {
  readonly code = 'EVALUATION_TIME_INVALID';
  constructor(nowMs: number) {
    super(`the evaluation time must be a finite epoch-millisecond instant, got ${String(nowMs)}`);
    this.name = 'EvaluationTimeError';
  }
}

/**
 * An ordinary file-system failure met while reading or writing a path the user named (a missing folder, a file
 * where a folder is needed, no permission): a user error that names the path, never an "internal error".
 */
export class FileAccessError extends CheckerError {
  readonly code = 'FILE_ACCESS';
  constructor(
    readonly path: string,
    readonly systemCode: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'FileAccessError';
  }
}
