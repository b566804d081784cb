// The typed errors of reading deploy-time inputs: CloudFormation templates, their parameter files, Terraform plans.

import { CheckerError } from '../../errors.js';

/** Stable codes: the CLI keys its help text on these. */
export type TemplateInputErrorCode =
  /** Not parseable as YAML/JSON, or a short-form tag used wrongly (`!GetAtt` with no attribute). */
  | 'TEMPLATE_MALFORMED'
  /** Parseable, but not a template AWS would accept (Resources missing, a resource without Type, a bad Condition). */
  | 'TEMPLATE_INVALID'
  /** A template ssmguard cannot judge as written: a macro Transform or an Fn::ForEach it does not expand. */
  | 'TEMPLATE_UNSUPPORTED'
  /** A `--parameters` file that is not the create-stack list of ParameterKey/ParameterValue. */
  | 'TEMPLATE_PARAMETERS_INVALID'
  /** A `terraform show -json` output that does not parse or lacks what a plan has. */
  | 'PLAN_INVALID';

/** One deploy-time input that cannot be used, with the 1-based line and column when known. */
export class TemplateInputError extends CheckerError {
  readonly code: TemplateInputErrorCode;
  constructor(
    code: TemplateInputErrorCode,
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
    options?: ErrorOptions,
  ) {
    super(`${file}${line !== undefined ? `:${line}:${column ?? 1}` : ''}: ${detail}`, options);
    this.name = 'TemplateInputError';
    this.code = code;
  }
}
