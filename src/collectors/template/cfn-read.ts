// Reading a CloudFormation template into resolved resources: conditions decided, properties evaluated lazily.
//
// Properties are evaluated on demand, so the mapper's ResourceValueOf can read a referenced resource's property
// (a role's name for an instance profile) while the referring resource is itself being resolved; a reference
// cycle is Unresolved rather than a loop.

import { isUnresolved, unresolved, type Unresolved } from './deploy-model.js';
import type {
  CfnObject,
  CfnResource,
  CfnValue,
  ReadTemplateOptions,
  ReferencedResource,
  ResolvedTemplate,
} from './cfn-template.js';
import { parseCfnTemplate, type NodePath, type ParsedTemplate } from './cfn-parse.js';
import { resolveParameters } from './cfn-parameters.js';
import {
  evaluate,
  evaluateCondition,
  NO_VALUE,
  type IntrinsicScope,
  type ResourceTarget,
} from './cfn-intrinsics.js';
import { TemplateInputError } from './template-input-error.js';
import type { SourceLocation } from './template-fleet.js';

/** True for a CloudFormation template (not an AWS CLI output or a Terraform plan, which share JSON). */
export function looksLikeCloudFormation(parsed: unknown): boolean {
  if (!isRecord(parsed)) return false;
  if (Object.hasOwn(parsed, 'AWSTemplateFormatVersion')) return true;
  const resources = parsed['Resources'];
  if (!isRecord(resources)) return false;
  const declared = Object.entries(resources).filter(([logicalId]) => !logicalId.startsWith('Fn::ForEach::'));
  const types = declared.map(([, resource]) => (isRecord(resource) ? resource['Type'] : undefined));
  // Registry types (Org::Service::Thing) are allowed beside AWS:: and Custom:: ones, but not on their own.
  return (
    types.length > 0 &&
    types.every((type) => typeof type === 'string') &&
    types.some((type) => /^(AWS|Custom)::/.test(type as string))
  );
}

/** Parses, resolves parameters and conditions, and evaluates each created resource's properties. */
export function readCloudFormationTemplate(
  file: string,
  text: string,
  options: ReadTemplateOptions,
): ResolvedTemplate {
  const template = parseCfnTemplate(file, text);
  refuseTransforms(template);
  const warnings: string[] = [];
  const declarations = readDeclarations(template);
  const targets = new Map<string, ResourceTarget>();
  const scope: IntrinsicScope = {
    template,
    parameters: resolveParameters(template, options.parameters),
    accountId: options.accountId,
    region: options.region,
    stackName: options.stackName,
    assumed: assumedPseudoParameters(options.assumed ?? []),
    // Bound below: conditions need the scope's parameters, and the scope needs the conditions.
    condition: (name, usedAt) => conditions(name, usedAt),
    resource: (logicalId) => targets.get(logicalId),
    valueOf: options.valueOf,
  };
  const resourceIds = new Set(declarations.map((declaration) => declaration.logicalId));
  const conditions = conditionResolver(template, scope, resourceIds);
  const resolvers: PropertyResolver[] = [];
  for (const declaration of declarations) {
    const condition = declaredCondition(declaration, scope);
    if (condition === false) {
      const reason = `resource ${declaration.logicalId} is not created: its condition ${declaration.condition} is false`;
      targets.set(declaration.logicalId, { created: false, reason });
      continue;
    }
    const resolver = new PropertyResolver(declaration, scope, condition);
    resolvers.push(resolver);
    targets.set(declaration.logicalId, { created: true, resource: resolver.referenced });
  }
  const resources = resolvers.map((resolver) => resolver.toResource());
  return { file, resources, warnings };
}

interface Declaration {
  logicalId: string;
  type: string;
  condition: string | undefined;
  properties: Record<string, unknown>;
  template: ParsedTemplate;
}

function readDeclarations(template: ParsedTemplate): Declaration[] {
  const section = template.body['Resources'];
  if (section === undefined) throw invalid(template, [], 'the template has no Resources section');
  if (!isRecord(section)) throw invalid(template, ['Resources'], 'Resources must be a mapping');
  const declarations: Declaration[] = [];
  for (const [logicalId, resource] of Object.entries(section)) {
    if (logicalId.startsWith('Fn::ForEach::')) {
      // Resources it would declare could attach a Deny or cut a route: judging without them could pass a broken
      // stack, so the template is refused rather than judged in part.
      const pos = template.positionOf(['Resources', logicalId]);
      throw new TemplateInputError(
        'TEMPLATE_UNSUPPORTED',
        template.file,
        `${logicalId} is not expanded by ssmguard: scan the processed template (${PROCESSED_TEMPLATE})`,
        pos.line,
        pos.column,
      );
    }
    declarations.push(readDeclaration(template, logicalId, resource));
  }
  if (declarations.length === 0) throw invalid(template, ['Resources'], 'Resources declares no resources');
  return declarations;
}

function readDeclaration(template: ParsedTemplate, logicalId: string, resource: unknown): Declaration {
  const path = ['Resources', logicalId];
  if (!isRecord(resource)) throw invalid(template, path, `resource ${logicalId} must be a mapping`);
  const type = resource['Type'];
  if (typeof type !== 'string' || type === '')
    throw invalid(template, path, `resource ${logicalId} has no Type`);
  const condition = resource['Condition'];
  if (condition !== undefined && typeof condition !== 'string') {
    throw invalid(template, [...path, 'Condition'], `resource ${logicalId}: Condition must name a condition`);
  }
  const properties = resource['Properties'] ?? {};
  if (!isRecord(properties)) {
    throw invalid(template, [...path, 'Properties'], `resource ${logicalId}: Properties must be a mapping`);
  }
  return { logicalId, type, condition, properties, template };
}

function declaredCondition(declaration: Declaration, scope: IntrinsicScope): boolean | Unresolved {
  const name = declaration.condition;
  if (name === undefined) return true;
  const value = scope.condition(name, ['Resources', declaration.logicalId, 'Condition']);
  return isUnresolved(value) ? unresolved(`condition ${name} is unknown: ${value.reason}`) : value;
}

/** Each named condition of the Conditions section, evaluated once; an undeclared or circular one is invalid. */
function conditionResolver(
  template: ParsedTemplate,
  scope: IntrinsicScope,
  resourceIds: ReadonlySet<string>,
): IntrinsicScope['condition'] {
  const section = template.body['Conditions'] ?? {};
  if (!isRecord(section)) throw invalid(template, ['Conditions'], 'Conditions must be a mapping');
  const values = new Map<string, boolean | Unresolved>();
  const evaluating = new Set<string>();
  // A condition cannot refer to resources (CloudFormation evaluates conditions before creating any).
  const conditionScope: IntrinsicScope = {
    ...scope,
    resource: (logicalId) => {
      if (!resourceIds.has(logicalId)) return undefined;
      throw invalid(
        template,
        ['Conditions'],
        `a condition refers to resource ${logicalId}; conditions use parameters`,
      );
    },
  };
  const resolve = (name: string, usedAt: NodePath): boolean | Unresolved => {
    const known = values.get(name);
    if (known !== undefined) return known;
    if (!Object.hasOwn(section, name)) throw invalid(template, usedAt, `condition ${name} is not declared`);
    if (evaluating.has(name)) throw invalid(template, usedAt, `condition ${name} refers to itself`);
    evaluating.add(name);
    const value = evaluateCondition(section[name], ['Conditions', name], conditionScope);
    evaluating.delete(name);
    values.set(name, value);
    return value;
  };
  conditionScope.condition = resolve;
  return resolve;
}

/** One resource's properties, each evaluated on first use and remembered. */
class PropertyResolver {
  readonly referenced: ReferencedResource;
  private readonly values = new Map<string, CfnValue | undefined>();
  private readonly evaluating = new Set<string>();

  constructor(
    private readonly declaration: Declaration,
    private readonly scope: IntrinsicScope,
    private readonly condition: true | Unresolved,
  ) {
    this.referenced = {
      logicalId: declaration.logicalId,
      type: declaration.type,
      property: (name) => this.property(name),
    };
  }

  property(name: string): CfnValue | undefined {
    if (this.values.has(name)) return this.values.get(name);
    if (!Object.hasOwn(this.declaration.properties, name)) return undefined;
    if (this.evaluating.has(name)) {
      return unresolved(`reference cycle through ${this.declaration.logicalId}.${name}`);
    }
    this.evaluating.add(name);
    const path = ['Resources', this.declaration.logicalId, 'Properties', name];
    const value = evaluate(this.declaration.properties[name], path, this.scope);
    this.evaluating.delete(name);
    const result = value === NO_VALUE ? undefined : value;
    this.values.set(name, result);
    return result;
  }

  toResource(): CfnResource {
    const { logicalId, type, template } = this.declaration;
    const properties: CfnObject = {};
    for (const name of Object.keys(this.declaration.properties)) {
      const value = this.property(name);
      if (value !== undefined) properties[name] = value;
    }
    const locate = (path: NodePath): SourceLocation => {
      const pos = template.positionOf(['Resources', logicalId, ...path]);
      return { file: template.file, line: pos.line, column: pos.column, address: logicalId };
    };
    return {
      logicalId,
      type,
      properties,
      location: locate([]),
      propertyLocation: (dotted) => locate(splitDottedPath(dotted)),
      condition: this.condition,
    };
  }
}

/** "Properties.SecurityGroupEgress.0" → ["Properties", "SecurityGroupEgress", 0]. */
function splitDottedPath(dotted: string): (string | number)[] {
  if (dotted === '') return [];
  return dotted.split('.').map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/** AWS::LanguageExtensions is evaluated here (Fn::Length, Fn::ToJsonString, FindInMap defaults); others are not. */
/** How to get what CloudFormation deploys once macros and Fn::ForEach are expanded. */
const PROCESSED_TEMPLATE =
  'aws cloudformation get-template --stack-name STACK --template-stage Processed, or the template of a change set';

/**
 * A macro (AWS::Serverless, a company macro) rewrites the template before deploy: the resources as declared are
 * not what gets deployed, so judging them could pass a broken stack. Only AWS::LanguageExtensions, whose intrinsics
 * ssmguard evaluates, is read as written.
 */
function refuseTransforms(template: ParsedTemplate): void {
  const transform = template.body['Transform'];
  if (transform === undefined) return;
  const entries = Array.isArray(transform) ? transform : [transform];
  const names = entries.map((entry) =>
    typeof entry === 'string'
      ? entry
      : isRecord(entry) && typeof entry['Name'] === 'string'
        ? entry['Name']
        : '?',
  );
  const macro = names.find((name) => name !== 'AWS::LanguageExtensions');
  if (macro === undefined) return;
  const pos = template.positionOf(['Transform']);
  throw new TemplateInputError(
    'TEMPLATE_UNSUPPORTED',
    template.file,
    `Transform ${macro} is not expanded by ssmguard: scan the processed template (${PROCESSED_TEMPLATE})`,
    pos.line,
    pos.column,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(template: ParsedTemplate, path: NodePath, detail: string): TemplateInputError {
  const pos = template.positionOf(path);
  return new TemplateInputError('TEMPLATE_INVALID', template.file, detail, pos.line, pos.column);
}

/** The region's placeholder stands for the partition and URL suffix too, which follow from it. */
function assumedPseudoParameters(assumed: readonly string[]): ReadonlySet<string> {
  const names = new Set(assumed);
  if (names.has('AWS::Region'))
    for (const derived of ['AWS::Partition', 'AWS::URLSuffix']) names.add(derived);
  return names;
}
