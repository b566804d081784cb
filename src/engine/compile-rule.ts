// Compiles a loaded rule (with its resolved parameters) into a function from resource to Evaluation.

import { Ajv2020 } from 'ajv/dist/2020.js';
import { DataUnavailableError } from '../inventory/coverage.js';
import type { InventoryIndex } from '../inventory/inventory-index.js';
import type { Scope } from '../inventory/model.js';
import { resourceTypeSpec, type ResourceTypeSpec } from '../inventory/resource-types.js';
import { errorAt } from '../ruleset/yaml-source.js';
import type { LoadedRule } from '../ruleset/load-rules.js';
import { isAll, isAny, isCheck, isNot, type Condition, type ValueCondition } from '../ruleset/rule.js';
import { compilePath, type PathAccessor } from './compile-path.js';
import { CheckDataError } from './checks/check-data-error.js';
import type { AnyNamedCheck } from './checks/named-check.js';
import { OPERATORS, type Operator } from './operators/index.js';
import { compileTemplate, type TemplateValues } from './template.js';
import type { CauseRef, Evaluation, Evidence, Remediation, Severity } from './types.js';

/** The outcome of one condition on one resource. */
interface ConditionResult {
  ok: boolean;
  /** Set when the condition is decided as not applicable by a named check. */
  notApplicable?: boolean;
  /** A pass that carries a note (its `reason`), e.g. a sufficient but deprecated policy. */
  noted?: boolean;
  reason?: string;
  message?: string;
  detail?: string;
  actual?: unknown;
  evidence: Evidence[];
  cause?: CauseRef;
  remediation?: Partial<Remediation>;
}

type CompiledCondition = (resource: unknown, env: RunEnv) => ConditionResult;

interface RunEnv {
  index: InventoryIndex;
  nowMs: number;
  /** Record evidence for passing conditions too (explain, audits), not only for failures. */
  allEvidence: boolean;
  operatorContext: { nowMs: number };
}

/** Evidence that is never written to: shared by every result that carries none. */
const NO_EVIDENCE: Evidence[] = Object.freeze([]) as unknown as Evidence[];
/** The result of a passing condition when evidence of passes is not recorded; most results are passes. */
const PASS: ConditionResult = Object.freeze({ ok: true, evidence: NO_EVIDENCE });

/** Which evidence results carry: all of it, or only that of failures (the default for large scans). */
export type EvidenceMode = 'all' | 'failures';

export interface CompiledRule {
  id: string;
  spec: ResourceTypeSpec;
  severity: Severity;
  params: Readonly<Record<string, unknown>>;
  loaded: LoadedRule;
  evaluate(resource: Scope, index: InventoryIndex, nowMs: number, evidence?: EvidenceMode): Evaluation;
}

export interface CompileOptions {
  params: Record<string, unknown>;
  severity?: Severity;
  checks: ReadonlyMap<string, AnyNamedCheck>;
}

const ajv = new Map<string, ReturnType<Ajv2020['compile']>>();
let ajvInstance: Ajv2020 | undefined;
function validatorFor(key: string, schema: Record<string, unknown>): ReturnType<Ajv2020['compile']> {
  let v = ajv.get(key);
  if (!v) {
    ajvInstance ??= new Ajv2020({ allErrors: false, strict: false, useDefaults: true });
    v = ajvInstance.compile(schema);
    ajv.set(key, v);
  }
  return v;
}

function isRef(value: unknown, key: 'param' | 'path'): value is Record<typeof key, string> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as Record<string, unknown>)[key] === 'string'
  );
}

function describe(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
}

/** Results are built as plain literals with one field order (no spreads): a large fleet makes millions. */
function newEvaluation(
  ruleId: string,
  resourceType: string,
  resourceId: string,
  scope: Scope,
  status: Evaluation['status'],
  severity: Severity,
  message: string | undefined,
  evidence: Evidence[],
): Evaluation {
  return {
    ruleId,
    resourceType,
    resourceId,
    accountId: scope.accountId,
    region: scope.region,
    status,
    severity,
    message,
    evidence,
  };
}

/**
 * Compiles one rule. Errors (unknown check, bad parameters, operand of the wrong type) are RuleFileErrors
 * naming the file and YAML path.
 */
export function compileRule(loaded: LoadedRule, options: CompileOptions): CompiledRule {
  const { definition, source } = loaded;
  const spec = resourceTypeSpec(definition.resourceType);
  if (!spec) throw errorAt(source, 'resourceType', `unknown resource type ${definition.resourceType}`);
  const params = options.params;

  const resolveParam = (name: string, at: string): unknown => {
    if (!Object.hasOwn(params, name)) throw errorAt(source, at, `unknown parameter "${name}"`);
    return params[name];
  };

  const compileValue = (condition: ValueCondition, at: string): CompiledCondition => {
    const operatorKeys = Object.keys(condition).filter(
      (k) => !['path', 'match', 'reason', 'message'].includes(k),
    );
    if (operatorKeys.length !== 1) {
      throw errorAt(
        source,
        at,
        `a value condition needs exactly one operator (found: ${operatorKeys.join(', ') || 'none'})`,
      );
    }
    const opName = operatorKeys[0]!;
    const operator: Operator | undefined = OPERATORS.get(opName);
    if (!operator) throw errorAt(source, `${at}.${opName}`, `unknown operator "${opName}"`);
    const accessor = compilePath(condition.path, spec);
    let rawOperand = condition[opName];
    let operandAccessor: PathAccessor | undefined;
    if (isRef(rawOperand, 'param')) rawOperand = resolveParam(rawOperand.param, `${at}.${opName}.param`);
    else if (isRef(rawOperand, 'path')) operandAccessor = compilePath(rawOperand.path, spec);
    if (!operandAccessor) {
      const problem = operator.checkOperand(rawOperand);
      if (problem) throw errorAt(source, `${at}.${opName}`, `operator "${opName}" ${problem}`);
    }
    const literal = rawOperand;
    const match = condition.match ?? 'any';
    const expectedText = operandAccessor
      ? `${opName} ${operandAccessor.path}`
      : `${opName} ${describe(literal)}`;
    const expected = match === 'any' ? expectedText : `${match} ${expectedText}`;
    return (resource, env) => {
      const actual = accessor.read(resource, env.index);
      const operand = operandAccessor ? operandAccessor.read(resource, env.index) : literal;
      const context = env.operatorContext;
      let ok: boolean;
      if (accessor.many) {
        const values = actual as unknown[];
        if (match === 'all') ok = values.every((v) => operator.test(v, operand, context));
        else if (match === 'none') ok = !values.some((v) => operator.test(v, operand, context));
        else ok = values.some((v) => operator.test(v, operand, context));
      } else {
        ok = operator.test(actual, operand, context);
      }
      if (ok && !env.allEvidence) return PASS;
      return {
        ok,
        reason: condition.reason,
        message: condition.message,
        actual,
        evidence: [{ path: condition.path, actual, expected }],
      };
    };
  };

  const compileCheck = (
    name: string,
    withParams: Record<string, unknown> | undefined,
    meta: Condition,
    at: string,
  ): CompiledCondition => {
    const check = options.checks.get(name);
    if (!check) {
      throw errorAt(
        source,
        `${at}.check`,
        `unknown named check "${name}" (known: ${[...options.checks.keys()].sort().join(', ')})`,
      );
    }
    if (!check.resourceTypes.includes(definition.resourceType)) {
      throw errorAt(source, `${at}.check`, `check "${name}" does not apply to ${definition.resourceType}`);
    }
    const resolved: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(withParams ?? {})) {
      resolved[key] = isRef(value, 'param') ? resolveParam(value.param, `${at}.with.${key}.param`) : value;
    }
    const validate = validatorFor(`check:${name}`, check.parameters);
    const checkParams = structuredClone(resolved);
    if (!validate(checkParams)) {
      const e = validate.errors?.[0];
      throw errorAt(
        source,
        `${at}.with`,
        `parameters of check "${name}": ${e?.instancePath || '(root)'} ${e?.message ?? 'invalid'}`,
      );
    }
    return (resource, env) => {
      const result = check.evaluate(resource, {
        index: env.index,
        params: checkParams,
        nowMs: env.nowMs,
        passEvidence: env.allEvidence,
      });
      // A noted pass keeps its reason, detail and evidence even in lean scans: the note is the point of it.
      if (result.outcome === 'pass') {
        if (result.reason !== undefined)
          return {
            ok: true,
            noted: true,
            reason: result.reason,
            detail: result.detail,
            evidence: result.evidence,
          };
        return env.allEvidence ? { ok: true, detail: result.detail, evidence: result.evidence } : PASS;
      }
      if (result.outcome === 'not-applicable') {
        return {
          ok: true,
          notApplicable: true,
          reason: result.reason,
          detail: result.detail,
          evidence: result.evidence,
        };
      }
      return {
        ok: false,
        reason: result.reason ?? meta.reason,
        message: meta.message,
        detail: result.detail,
        evidence: result.evidence,
        cause: result.cause,
        remediation: result.remediation,
      };
    };
  };

  const compileCondition = (condition: Condition, at: string): CompiledCondition => {
    if (isAll(condition)) {
      const parts = condition.all.map((c, i) => compileCondition(c, `${at}.all[${i}]`));
      return (resource, env) => {
        let evidence: Evidence[] = NO_EVIDENCE;
        let notApplicable: ConditionResult | undefined;
        let noted: ConditionResult | undefined;
        for (const part of parts) {
          const r = part(resource, env);
          if (r.ok && r.noted) noted ??= r;
          if (!r.ok)
            return {
              ...r,
              reason: r.reason ?? condition.reason,
              message: r.message ?? condition.message,
              evidence: evidence.length > 0 ? [...evidence, ...r.evidence] : r.evidence,
            };
          if (r.notApplicable && !notApplicable) notApplicable = r;
          if (r.evidence.length > 0)
            evidence = evidence.length > 0 ? [...evidence, ...r.evidence] : r.evidence;
        }
        if (notApplicable) return { ...notApplicable, evidence };
        if (noted) return { ...noted, evidence };
        return evidence.length > 0 ? { ok: true, evidence } : PASS;
      };
    }
    if (isAny(condition)) {
      const parts = condition.any.map((c, i) => compileCondition(c, `${at}.any[${i}]`));
      return (resource, env) => {
        const evidence: Evidence[] = [];
        let firstFailure: ConditionResult | undefined;
        const failures: ConditionResult[] = [];
        for (const part of parts) {
          const r = part(resource, env);
          if (r.ok)
            return evidence.length > 0 && env.allEvidence
              ? { ...r, evidence: [...evidence, ...r.evidence] }
              : r;
          firstFailure ??= r;
          failures.push(r);
          evidence.push(...r.evidence);
        }
        const f = firstFailure!;
        // Every alternative failed: the details of all of them explain why (e.g. no profile *and* no DHMC).
        const details = failures.flatMap((r) => (r.detail ? [r.detail] : []));
        const detail = details.length > 0 ? details.join('; ') : undefined;
        const withCause = failures.find((r) => r.cause);
        return {
          ...f,
          detail,
          cause: f.cause ?? withCause?.cause,
          reason: condition.reason ?? f.reason,
          message: condition.message ?? f.message,
          evidence,
        };
      };
    }
    if (isNot(condition)) {
      const inner = compileCondition(condition.not, `${at}.not`);
      return (resource, env) => {
        const r = inner(resource, env);
        return {
          ok: !r.ok,
          reason: condition.reason,
          message: condition.message,
          actual: r.actual,
          detail: r.detail,
          evidence: r.evidence,
        };
      };
    }
    if (isCheck(condition)) return compileCheck(condition.check, condition.with, condition, at);
    return compileValue(condition, at);
  };

  const template = (text: string, at: string): ReturnType<typeof compileTemplate> => {
    try {
      return compileTemplate(text, spec);
    } catch (error) {
      throw errorAt(source, at, (error as Error).message);
    }
  };
  const check = compileCondition(definition.check, 'check');
  const when = definition.when ? compileCondition(definition.when, 'when') : undefined;
  const templates = {
    message: template(definition.message, 'message'),
    pass: definition.passMessage ? template(definition.passMessage, 'passMessage') : undefined,
    notApplicable: definition.notApplicableMessage
      ? template(definition.notApplicableMessage, 'notApplicableMessage')
      : undefined,
    remediationText: template(definition.remediation.text, 'remediation.text'),
    remediationCommand: definition.remediation.command
      ? template(definition.remediation.command, 'remediation.command')
      : undefined,
  };
  const messageTemplates = new Map<string, ReturnType<typeof compileTemplate>>();
  const templateFor = (text: string): ReturnType<typeof compileTemplate> => {
    let t = messageTemplates.get(text);
    if (!t) {
      t = template(text, 'check');
      messageTemplates.set(text, t);
    }
    return t;
  };
  // Validate every condition-level message template at load, so a bad placeholder fails early.
  const visitMessages = (c: Condition): void => {
    if (c.message) templateFor(c.message);
    if (isAll(c)) c.all.forEach(visitMessages);
    else if (isAny(c)) c.any.forEach(visitMessages);
    else if (isNot(c)) visitMessages(c.not);
  };
  visitMessages(definition.check);

  const severity = options.severity ?? definition.severity;
  // A remediation with no placeholder and no per-result override is one shared (never mutated) object.
  let staticRemediation: Remediation | undefined;
  const remediationFor = (values: TemplateValues, override?: Partial<Remediation>): Remediation => {
    if (
      override === undefined &&
      templates.remediationText.constant !== undefined &&
      (templates.remediationCommand === undefined || templates.remediationCommand.constant !== undefined)
    ) {
      staticRemediation ??= templates.remediationCommand
        ? { text: templates.remediationText.constant, command: templates.remediationCommand.constant! }
        : { text: templates.remediationText.constant };
      return staticRemediation;
    }
    const command =
      override?.command ?? (templates.remediationCommand ? templates.remediationCommand(values) : undefined);
    const text = override?.text ?? templates.remediationText(values);
    return command ? { text, command } : { text };
  };

  let env: RunEnv | undefined;
  return {
    id: definition.id,
    spec,
    severity,
    params,
    loaded,
    evaluate(resource, index, nowMs, evidenceMode = 'all'): Evaluation {
      // One environment per (index, time, mode): a scan calls this once per resource with the same three.
      if (
        env === undefined ||
        env.index !== index ||
        env.nowMs !== nowMs ||
        env.allEvidence !== (evidenceMode === 'all')
      ) {
        env = { index, nowMs, allEvidence: evidenceMode === 'all', operatorContext: { nowMs } };
      }
      const resourceId = spec.idOf(resource);
      const result = (
        status: Evaluation['status'],
        message: string | undefined,
        evidence: Evidence[],
      ): Evaluation =>
        newEvaluation(definition.id, spec.type, resourceId, resource, status, severity, message, evidence);
      try {
        // A resource whose own family failed to read completely in its scope (a response with dropped entries
        // or fields, or cut short) is not judged on partial data. (A family merely absent is fine: the resource
        // itself is here, e.g. the one item of a Config change event.)
        const parentId = spec.parentIdOf?.(resource);
        const own =
          parentId === undefined
            ? index.coverage.state(spec.family, resource)
            : index.coverage.parentState(spec.family, resource, parentId);
        if (own.status === 'error') throw new DataUnavailableError(spec.family, resource, own, parentId);
        if (when) {
          const applicable = when(resource, env);
          if (!applicable.ok || applicable.notApplicable) {
            const values: TemplateValues = { resource, index, params, rule: definition };
            const message = templates.notApplicable
              ? templates.notApplicable(values)
              : (applicable.detail ??
                `Not applicable: ${applicable.evidence.map((e) => `${e.path ?? ''} is ${describe(e.actual)}`).join('; ')}`);
            return result('NOT_APPLICABLE', message, applicable.evidence);
          }
        }
        const outcome = check(resource, env);
        if (outcome.ok) {
          if (outcome.notApplicable) {
            const na = result('NOT_APPLICABLE', outcome.detail, outcome.evidence);
            if (outcome.reason !== undefined) na.reason = outcome.reason;
            return na;
          }
          // Pass messages are evidence of compliance: rendered when passes are recorded ('all') or the pass carries
          // a note (reason); skipped in lean scans otherwise.
          const noted = outcome.noted === true;
          const message =
            templates.pass && (env.allEvidence || noted)
              ? templates.pass({
                  resource,
                  index,
                  params,
                  rule: definition,
                  actual: outcome.actual,
                  detail: outcome.detail,
                })
              : undefined;
          const compliant = result('COMPLIANT', message, outcome.evidence);
          if (noted) compliant.reason = outcome.reason;
          return compliant;
        }
        const withResult: TemplateValues = {
          resource,
          index,
          params,
          rule: definition,
          actual: outcome.actual,
          detail: outcome.detail,
        };
        const reason = outcome.reason ?? definition.reason;
        const failure = result(
          'NON_COMPLIANT',
          (outcome.message ? templateFor(outcome.message) : templates.message)(withResult),
          outcome.evidence,
        );
        failure.reason = reason;
        failure.remediation = remediationFor(withResult, outcome.remediation);
        failure.cause = outcome.cause ?? { key: reason };
        return failure;
      } catch (error) {
        const failed = (
          reason: string,
          message: string,
          evidence: Evidence[],
          problem: Evaluation['error'],
          cause?: CauseRef,
        ): Evaluation => {
          const e = result('ERROR', message, evidence);
          e.reason = reason;
          e.error = problem;
          if (cause) e.cause = cause;
          return e;
        };
        if (error instanceof DataUnavailableError) {
          return failed(
            error.code === 'DATA_MISSING' ? 'DATA.MISSING' : 'DATA.UNREADABLE',
            error.message,
            [],
            { code: error.code, message: error.message, permission: error.permission },
            { key: `${error.family}|${error.code}` },
          );
        }
        if (error instanceof CheckDataError) {
          return failed(
            error.reason,
            error.message,
            error.evidence,
            { code: error.code, message: error.message },
            error.causeRef ?? { key: `${error.reason}|${error.code}` },
          );
        }
        // A bug or unexpected data in one resource must not stop the run: report it against that resource.
        const message = error instanceof Error ? error.message : String(error);
        return failed('INTERNAL.EVALUATION_FAILED', `evaluation failed: ${message}`, [], {
          code: 'EVALUATION_FAILED',
          message,
        });
      }
    },
  };
}
