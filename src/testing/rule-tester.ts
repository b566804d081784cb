// The rule tester: runs a rule's cases (<id>.test.yaml) through the real engine. Shipped rules and users' own
// rules (`ssmguard test DIR`) use the same code.

import { readFile } from 'node:fs/promises';
import { RuleFileError, RuleSetError } from '../errors.js';
import type { AnyNamedCheck } from '../engine/checks/named-check.js';
import { compileRule } from '../engine/compile-rule.js';
import type { Evaluation, EvaluationStatus } from '../engine/types.js';
import { InventoryIndex } from '../inventory/inventory-index.js';
import {
  emptyInventory,
  RESOURCE_FAMILIES,
  type Inventory,
  type InventoryCollectionName,
  type ResourceFamily,
} from '../inventory/model.js';
import { resourceTypeSpec } from '../inventory/resource-types.js';
import { tagsFromMap } from '../inventory/tags.js';
import { validateResource } from '../inventory/validate-inventory.js';
import type { LoadedRule } from '../ruleset/load-rules.js';
import { errorAt, parseYamlSource, type YamlSource } from '../ruleset/yaml-source.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import casesSchema from '../../schemas/rule-cases.schema.json' with { type: 'json' };
import { inReadingOrder, schemaProblems } from '../ruleset/schema-problems.js';

export const TEST_ACCOUNT = '111122223333';
export const TEST_REGION = 'us-east-1';
/** Cases run at this instant unless they say `now:`, so time-based rules are deterministic. */
export const TEST_NOW = '2026-11-20T12:00:00.000Z';

export interface RuleCase {
  name: string;
  resource: Record<string, unknown>;
  inventory?: Partial<Record<InventoryCollectionName, Record<string, unknown>[]>>;
  /** Families to treat as not read (missing input); by default every family was read. */
  missing?: ResourceFamily[];
  /** Families whose read failed with AccessDenied. */
  unreadable?: ResourceFamily[];
  params?: Record<string, unknown>;
  now?: string;
  expect: EvaluationStatus;
  reason?: string;
  message?: string;
}

export interface CaseOutcome {
  ruleId: string;
  name: string;
  passed: boolean;
  problems: string[];
  evaluation?: Evaluation;
}

/** Identity and list fields a fixture may leave out, per model definition; the tester fills them in. */
const DEFAULTS: Record<string, (i: number) => Record<string, unknown>> = {
  Ec2Instance: (i) => ({
    instanceId: `i-0000000000000000${i}`,
    state: 'running',
    tags: {},
    securityGroupIds: [],
    ipv6Addresses: [],
    networkInterfaces: [],
    platform: 'linux',
  }),
  InstanceProfile: (i) => ({
    instanceProfileName: `profile-${i}`,
    arn: `arn:aws:iam::${TEST_ACCOUNT}:instance-profile/profile-${i}`,
    path: '/',
    roleArns: [],
  }),
  IamRole: (i) => ({
    roleName: `role-${i}`,
    arn: `arn:aws:iam::${TEST_ACCOUNT}:role/role-${i}`,
    path: '/',
    attachedPolicies: [],
    inlinePolicies: [],
    instanceProfileArns: [],
    tags: {},
  }),
  ManagedPolicy: (i) => ({
    policyName: `policy-${i}`,
    arn: `arn:aws:iam::${TEST_ACCOUNT}:policy/policy-${i}`,
    isAwsManaged: false,
  }),
  SecurityGroup: (i) => ({ groupId: `sg-0000000000000000${i}`, ingress: [], egress: [], tags: {} }),
  Vpc: (i) => ({
    vpcId: `vpc-0000000000000000${i}`,
    cidrBlocks: ['10.0.0.0/16'],
    ipv6CidrBlocks: [],
    isDefault: false,
    tags: {},
  }),
  Subnet: (i) => ({
    subnetId: `subnet-0000000000000000${i}`,
    vpcId: 'vpc-00000000000000000',
    ipv6CidrBlocks: [],
    ipv6Native: false,
    mapPublicIpOnLaunch: false,
    tags: {},
  }),
  RouteTable: (i) => ({
    routeTableId: `rtb-0000000000000000${i}`,
    vpcId: 'vpc-00000000000000000',
    isMain: false,
    subnetIds: [],
    routes: [],
  }),
  NetworkAcl: (i) => ({
    networkAclId: `acl-0000000000000000${i}`,
    vpcId: 'vpc-00000000000000000',
    isDefault: false,
    subnetIds: [],
    entries: [],
  }),
  VpcEndpoint: (i) => ({
    vpcEndpointId: `vpce-0000000000000000${i}`,
    vpcId: 'vpc-00000000000000000',
    serviceName: `com.amazonaws.${TEST_REGION}.ssm`,
    endpointType: 'Interface',
    state: 'available',
    privateDnsEnabled: true,
    subnetIds: [],
    securityGroupIds: [],
    routeTableIds: [],
  }),
  NatGateway: (i) => ({
    natGatewayId: `nat-0000000000000000${i}`,
    vpcId: 'vpc-00000000000000000',
    subnetId: 'subnet-00000000000000000',
    state: 'available',
    connectivityType: 'public',
    publicIps: [],
    privateIps: [],
    tags: {},
  }),
  InternetGateway: (i) => ({ internetGatewayId: `igw-0000000000000000${i}`, attachments: [], tags: {} }),
  EgressOnlyInternetGateway: (i) => ({
    egressOnlyInternetGatewayId: `eigw-0000000000000000${i}`,
    attachments: [],
    tags: {},
  }),
  ManagedNode: (i) => ({ instanceId: `i-0000000000000000${i}`, pingStatus: 'Online' }),
  Activation: (i) => ({
    activationId: `00000000-0000-0000-0000-00000000000${i}`,
    registrationLimit: 1,
    registrationsCount: 0,
    expired: false,
  }),
  MaintenanceWindow: (i) => ({ windowId: `mw-0000000000000000${i}`, enabled: true }),
  MaintenanceWindowTarget: (i) => ({
    windowId: 'mw-00000000000000000',
    windowTargetId: `00000000-0000-0000-0000-0000000000${i}0`,
    resourceType: 'INSTANCE',
    targets: [],
  }),
  MaintenanceWindowTask: (i) => ({
    windowId: 'mw-00000000000000000',
    windowTaskId: `00000000-0000-0000-0000-0000000001${i}0`,
    taskArn: 'AWS-RunPatchBaseline',
    type: 'RUN_COMMAND',
    targets: [],
  }),
  MaintenanceWindowExecution: (i) => ({
    windowId: 'mw-00000000000000000',
    windowExecutionId: `00000000-0000-0000-0000-0000000002${i}0`,
    status: 'SUCCESS',
  }),
  MaintenanceWindowExecutionTask: (i) => ({
    windowExecutionId: '00000000-0000-0000-0000-000000000200',
    taskExecutionId: `00000000-0000-0000-0000-0000000003${i}0`,
    taskArn: 'AWS-RunPatchBaseline',
    taskType: 'RUN_COMMAND',
    status: 'SUCCESS',
  }),
  MaintenanceWindowExecutionTaskInvocation: (i) => ({
    windowExecutionId: '00000000-0000-0000-0000-000000000200',
    taskExecutionId: '00000000-0000-0000-0000-000000000300',
    invocationId: `00000000-0000-0000-0000-0000000004${i}0`,
    taskType: 'RUN_COMMAND',
    status: 'SUCCESS',
  }),
  PatchGroupMapping: (i) => ({
    patchGroup: `group-${i}`,
    baselineId: `pb-0000000000000000${i}`,
    defaultBaseline: false,
  }),
  PatchBaselineIdentity: (i) => ({ baselineId: `pb-0000000000000000${i}`, defaultBaseline: false }),
  PatchBaselineDetail: (i) => ({
    baselineId: `pb-0000000000000000${i}`,
    approvalRules: [],
    globalFilters: {},
    approvedPatches: [],
    rejectedPatches: [],
    sources: [],
  }),
  InstancePatchState: (i) => ({
    instanceId: `i-0000000000000000${i}`,
    patchGroup: '',
    baselineId: 'pb-0000000000000000a',
    operation: 'Install',
    operationStartTime: '2026-11-18T02:00:00.000Z',
    operationEndTime: '2026-11-18T02:20:00.000Z',
    installedCount: 0,
    installedOtherCount: 0,
    installedPendingRebootCount: 0,
    installedRejectedCount: 0,
    missingCount: 0,
    failedCount: 0,
    notApplicableCount: 0,
    criticalNonCompliantCount: 0,
    securityNonCompliantCount: 0,
    otherNonCompliantCount: 0,
  }),
  DhmcSetting: () => ({ enabled: false }),
};

const COLLECTION_DEFINITIONS: Partial<Record<InventoryCollectionName, string>> = {
  instances: 'Ec2Instance',
  instanceProfiles: 'InstanceProfile',
  roles: 'IamRole',
  managedPolicies: 'ManagedPolicy',
  securityGroups: 'SecurityGroup',
  vpcs: 'Vpc',
  subnets: 'Subnet',
  routeTables: 'RouteTable',
  networkAcls: 'NetworkAcl',
  vpcEndpoints: 'VpcEndpoint',
  natGateways: 'NatGateway',
  internetGateways: 'InternetGateway',
  egressOnlyInternetGateways: 'EgressOnlyInternetGateway',
  managedNodes: 'ManagedNode',
  activations: 'Activation',
  maintenanceWindows: 'MaintenanceWindow',
  maintenanceWindowTargets: 'MaintenanceWindowTarget',
  maintenanceWindowTasks: 'MaintenanceWindowTask',
  maintenanceWindowTaskDetails: 'MaintenanceWindowTaskDetail',
  maintenanceWindowExecutions: 'MaintenanceWindowExecution',
  maintenanceWindowExecutionTasks: 'MaintenanceWindowExecutionTask',
  maintenanceWindowExecutionTaskInvocations: 'MaintenanceWindowExecutionTaskInvocation',
  patchGroups: 'PatchGroupMapping',
  patchBaselines: 'PatchBaselineIdentity',
  patchBaselineDetails: 'PatchBaselineDetail',
  instancePatchStates: 'InstancePatchState',
  dhmcSettings: 'DhmcSetting',
  serviceControlPolicies: 'ServiceControlPolicy',
};

function fill(definition: string, item: Record<string, unknown>, i: number): Record<string, unknown> {
  const regional =
    definition === 'IamRole' || definition === 'InstanceProfile' || definition === 'ManagedPolicy'
      ? 'global'
      : TEST_REGION;
  const scope = definition === 'ServiceControlPolicy' ? {} : { accountId: TEST_ACCOUNT, region: regional };
  const filled = { ...scope, ...(DEFAULTS[definition]?.(i) ?? {}), ...item };
  if ('tags' in filled) filled.tags = tagsFromMap(filled.tags);
  return filled;
}

/** Builds the case's inventory; fixture problems (fields not in the model) are thrown as RuleFileErrors. */
function buildCaseInventory(
  rule: LoadedRule,
  testCase: RuleCase,
  source: YamlSource,
  at: string,
): { inventory: Inventory; resource: Record<string, unknown> } {
  const spec = resourceTypeSpec(rule.definition.resourceType)!;
  const inventory = emptyInventory({
    kind: 'fixture',
    inputs: [source.file],
    accounts: [TEST_ACCOUNT],
    regions: [TEST_REGION],
  });
  const resource = fill(spec.definition, testCase.resource, 0);
  const check = (definition: string, value: unknown, where: string): void => {
    const issues = validateResource(definition, value);
    if (issues.length > 0) {
      const first = issues[0]!;
      throw errorAt(
        source,
        where,
        `fixture is not a valid ${definition}: ${first.path || '(root)'} ${first.message}`,
      );
    }
  };
  check(spec.definition, resource, `${at}.resource`);
  (inventory[spec.collection] as unknown[]).push(resource);
  for (const [collection, items] of Object.entries(testCase.inventory ?? {}) as [
    InventoryCollectionName,
    Record<string, unknown>[],
  ][]) {
    const definition = COLLECTION_DEFINITIONS[collection];
    if (!definition)
      throw errorAt(source, `${at}.inventory.${collection}`, `unknown inventory collection "${collection}"`);
    items.forEach((item, i) => {
      const filled = fill(definition, item, i + 1);
      check(definition, filled, `${at}.inventory.${collection}[${i}]`);
      (inventory[collection] as unknown[]).push(filled);
    });
  }
  const missing = new Set(testCase.missing ?? []);
  const unreadable = new Set(testCase.unreadable ?? []);
  for (const family of RESOURCE_FAMILIES) {
    if (missing.has(family)) continue;
    inventory.coverage.push(
      unreadable.has(family)
        ? {
            family,
            status: 'error',
            error: { code: 'AccessDenied', message: 'User is not authorized (test case)' },
          }
        : { family, status: 'read' },
    );
  }
  return { inventory, resource };
}

let casesValidator: ReturnType<Ajv2020['compile']> | undefined;
function casesSchemaValidator(): ReturnType<Ajv2020['compile']> {
  casesValidator ??= new Ajv2020({
    allErrors: true,
    strict: false,
    verbose: true,
    validateFormats: false,
  }).compile(casesSchema);
  return casesValidator;
}

/** Every problem of a cases file, checked against schemas/rule-cases.schema.json, and the cases when there is none. */
export function checkRuleCases(
  file: string,
  text: string,
): { cases?: RuleCase[]; source?: YamlSource; problems: RuleFileError[] } {
  let source: YamlSource;
  try {
    source = parseYamlSource(file, text);
  } catch (error) {
    if (error instanceof RuleFileError) return { problems: [error] };
    throw error;
  }
  if (!Array.isArray(source.value))
    return { source, problems: [errorAt(source, '', 'a cases file is a list of cases (- name: …)')] };
  const validate = casesSchemaValidator();
  const problems: RuleFileError[] = validate(source.value)
    ? []
    : schemaProblems(validate.errors ?? []).map(({ yamlPath, detail }) => errorAt(source, yamlPath, detail));
  (source.value as { now?: unknown }[]).forEach((c, i) => {
    if (typeof c?.now === 'string' && !Number.isFinite(Date.parse(c.now)))
      problems.push(errorAt(source, `[${i}].now`, `"${c.now}" is not an ISO 8601 time`));
  });
  if (problems.length > 0) return { source, problems: inReadingOrder(problems) };
  return { cases: source.value as RuleCase[], source, problems };
}

/** Parses a cases file; structural problems are RuleFileErrors with line numbers (the first is thrown). */
export function parseRuleCases(file: string, text: string): { cases: RuleCase[]; source: YamlSource } {
  const { cases, source, problems } = checkRuleCases(file, text);
  if (!cases || !source) throw problems.length === 1 ? problems[0]! : new RuleSetError(problems);
  return { cases, source };
}

/**
 * What a schema cannot see in a rule's cases: parameters the rule does not declare, or values its schema refuses.
 * Reads the cases as far as they are mappings with a `params` mapping, so it also runs on cases with other problems.
 */
export function checkCasesAgainstRule(
  rule: LoadedRule,
  cases: readonly unknown[],
  source: YamlSource,
): RuleFileError[] {
  const problems: RuleFileError[] = [];
  cases.forEach((testCase, i) => {
    const params = (testCase as { params?: unknown } | null)?.params;
    if (params === null || typeof params !== 'object' || Array.isArray(params)) return;
    for (const [name, value] of Object.entries(params)) {
      const spec = rule.definition.parameters?.[name];
      const at = `[${i}].params.${name}`;
      if (!spec) problems.push(errorAt(source, at, `rule ${rule.definition.id} has no parameter "${name}"`));
      else {
        const problem = parameterProblem(spec.schema, value);
        if (problem) problems.push(errorAt(source, at, `parameter "${name}": ${problem}`));
      }
    }
  });
  return problems;
}

let parameterAjv: Ajv2020 | undefined;

/** Why a case's parameter value breaks the rule's parameter schema, or undefined when it fits. */
function parameterProblem(schema: Record<string, unknown>, value: unknown): string | undefined {
  parameterAjv ??= new Ajv2020({ strict: false });
  const validate = parameterAjv.compile(schema);
  if (validate(value)) return undefined;
  const e = validate.errors?.[0];
  return `${e?.instancePath || 'value'} ${e?.message ?? 'is invalid'}`;
}

/** Runs every case of one rule and reports each outcome. */
export async function runRuleCases(
  rule: LoadedRule,
  checks: ReadonlyMap<string, AnyNamedCheck>,
): Promise<CaseOutcome[]> {
  if (!rule.casesFile) {
    return [
      {
        ruleId: rule.definition.id,
        name: '(cases file)',
        passed: false,
        problems: [`${rule.file}: no ${rule.definition.id}.test.yaml beside the rule`],
      },
    ];
  }
  const { cases, source } = parseRuleCases(rule.casesFile, await readFile(rule.casesFile, 'utf8'));
  return cases.map((testCase, i) => runOneCase(rule, testCase, source, `[${i}]`, checks));
}

export function runOneCase(
  rule: LoadedRule,
  testCase: RuleCase,
  source: YamlSource,
  at: string,
  checks: ReadonlyMap<string, AnyNamedCheck>,
): CaseOutcome {
  const outcome: CaseOutcome = {
    ruleId: rule.definition.id,
    name: testCase.name,
    passed: false,
    problems: [],
  };
  try {
    const params: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(rule.definition.parameters ?? {}))
      params[name] = structuredClone(spec.default);
    for (const [name, value] of Object.entries(testCase.params ?? {})) {
      const spec = rule.definition.parameters?.[name];
      if (!spec)
        throw errorAt(
          source,
          `${at}.params.${name}`,
          `rule ${rule.definition.id} has no parameter "${name}"`,
        );
      const problem = parameterProblem(spec.schema, value);
      if (problem) throw errorAt(source, `${at}.params.${name}`, `parameter "${name}": ${problem}`);
      params[name] = value;
    }
    for (const family of [...(testCase.missing ?? []), ...(testCase.unreadable ?? [])]) {
      if (!(RESOURCE_FAMILIES as readonly string[]).includes(family)) {
        throw errorAt(source, at, `unknown data family "${family}" (known: ${RESOURCE_FAMILIES.join(', ')})`);
      }
    }
    const compiled = compileRule(rule, { params, checks });
    const { inventory, resource } = buildCaseInventory(rule, testCase, source, at);
    const nowMs = Date.parse(testCase.now ?? TEST_NOW);
    const evaluation = compiled.evaluate(resource as never, new InventoryIndex(inventory), nowMs);
    outcome.evaluation = evaluation;
    if (evaluation.status !== testCase.expect) {
      outcome.problems.push(
        `expected ${testCase.expect}, got ${evaluation.status}${evaluation.message ? `: ${evaluation.message}` : ''}`,
      );
    }
    if (testCase.reason !== undefined && evaluation.reason !== testCase.reason) {
      outcome.problems.push(`expected reason ${testCase.reason}, got ${evaluation.reason ?? '(none)'}`);
    }
    if (testCase.message !== undefined && evaluation.message !== testCase.message) {
      outcome.problems.push(`expected message "${testCase.message}", got "${evaluation.message ?? ''}"`);
    }
  } catch (error) {
    if (error instanceof RuleFileError) outcome.problems.push(error.message);
    else throw error;
  }
  outcome.passed = outcome.problems.length === 0;
  return outcome;
}
