// Loads CloudFormation templates and Terraform plans as an inventory of what they would deploy: recognise by
// content, read, map into one DeployModel, synthesise the API responses, map those like any other fleet, and
// keep where each resource is declared and what cannot be known before deploy.

import { open, readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { inventoryFromFleet } from '../api/build-inventory.js';
import type { DeployTimeFacts, SourceLocation, UnknownValue } from '../../inventory/deploy-time.js';
import type { Inventory } from '../../inventory/model.js';
import { cfnValueOf, type StackIdentity } from './cfn-identity.js';
import { mapCloudFormation } from './cfn-map.js';
import { readParametersFile } from './cfn-parameters.js';
import { looksLikeCloudFormation, readCloudFormationTemplate } from './cfn-read.js';
import type { AssumedPseudoParameter } from './cfn-template.js';
import type { DeployModel, DeployNote } from './deploy-model.js';
import { mergeContext, unknownsAfterContext } from './merge-context.js';
import { synthesizeFleet } from './synthesize.js';
import { TemplateInputError } from './template-input-error.js';
import { looksLikeTerraformPlan, readTerraformPlan } from './terraform-plan.js';

export type DeployTimeKind = 'cloudformation' | 'terraform';

/** Placeholders for what a template does not say and no option or context gave (ids built from them say so). */
export const PLACEHOLDER_ACCOUNT = '123456789012';
export const PLACEHOLDER_REGION = 'us-east-1';

export interface DeployTimeLoadOptions {
  accountId?: string;
  region?: string;
  /** `--parameters FILE`: the create-stack parameter list, for every CloudFormation template given. */
  parametersFile?: string;
  /** `--context`: an inventory of the target account (exported or live) for what the template references. */
  context?: Inventory;
  /** Evaluation time of a template: it describes resources as they would be now. */
  now: () => number;
}

export interface DeployTimeInput {
  inventory: Inventory;
  facts: DeployTimeFacts;
  warnings: string[];
}

// A template's first lines: a mapping with one of CloudFormation's top-level sections.
const YAML_TEMPLATE = /^(AWSTemplateFormatVersion|Resources|Transform)\s*:/m;
const JSON_TEMPLATE =
  /"AWSTemplateFormatVersion"\s*:|"Resources"\s*:\s*\{\s*"[^"]+"\s*:\s*\{\s*"Type"\s*:\s*"(AWS|Custom)::/;
const JSON_PLAN = /"format_version"\s*:/;
const JSON_PLAN_TOOL = /"terraform_version"\s*:/;
const PEEK_BYTES = 65536;

/**
 * Whether a file is a CloudFormation template or a Terraform plan, by content: a JSON object naming
 * AWSTemplateFormatVersion or typed Resources (confirmed by parsing), a `terraform show -json` output, or a YAML
 * document with a CloudFormation section at its top level. Anything else is left to the other sources.
 */
export async function deployTimeKindOf(file: string): Promise<DeployTimeKind | undefined> {
  // Only the head is read for every input file: a 100,000-instance export must not be read twice to say "not a
  // template". The whole file is read only when the head looks like a plan or a JSON template.
  const head = (await peek(file))?.replace(/^\uFEFF/, '');
  if (head === undefined) return undefined;
  if (/^\s*\{/.test(head)) {
    const hintsPlan = JSON_PLAN.test(head) && JSON_PLAN_TOOL.test(head);
    const hintsTemplate = JSON_TEMPLATE.test(head);
    if (!hintsPlan && !hintsTemplate) return undefined;
    const parsed = parseJsonOrUndefined(await readFile(file, 'utf8'));
    // A truncated plan or template still is one: its reader reports where it breaks.
    if (parsed === undefined) return hintsPlan ? 'terraform' : 'cloudformation';
    if (looksLikeTerraformPlan(parsed)) return 'terraform';
    if (looksLikeCloudFormation(parsed)) return 'cloudformation';
    return undefined;
  }
  if (/^\s*\[/.test(head)) return undefined;
  return YAML_TEMPLATE.test(head) ? 'cloudformation' : undefined;
}

/** The first PEEK_BYTES of a file as text, or undefined when it cannot be read (its loader reports why). */
async function peek(file: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(PEEK_BYTES), 0, PEEK_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A stack name for generated resource names: the template's file name, as CloudFormation would accept it. */
function stackNameOf(file: string): string {
  const name = basename(file, extname(file))
    .replace(/[^A-Za-z0-9-]/g, '-')
    .replace(/^[^A-Za-z]+/, '');
  return name === '' ? 'stack' : name.slice(0, 128);
}

/** Each template its own stack (two `app.yaml` of different folders are two stacks: "app", "app-2"). */
function uniqueStackName(file: string, used: Set<string>): string {
  const base = stackNameOf(file);
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
  used.add(name);
  return name;
}

/** The account and region the template is judged in: the options', else the context's only one, else placeholders. */
function targetOf(options: DeployTimeLoadOptions): Target {
  const accounts = options.context?.source.accounts ?? [];
  const regions = (options.context?.source.regions ?? []).filter((r) => r !== 'global');
  const accountId = options.accountId ?? (accounts.length === 1 ? accounts[0]! : undefined);
  const region = options.region ?? (regions.length === 1 ? regions[0]! : undefined);
  const assumed: AssumedPseudoParameter[] = [];
  if (accountId === undefined) assumed.push('AWS::AccountId');
  if (region === undefined) assumed.push('AWS::Region');
  return { accountId: accountId ?? PLACEHOLDER_ACCOUNT, region: region ?? PLACEHOLDER_REGION, assumed };
}

/** Where the stack or plan is judged, and which of it is a placeholder nobody gave. */
interface Target {
  accountId: string;
  region: string;
  assumed: AssumedPseudoParameter[];
}

async function readModel(
  file: string,
  kind: DeployTimeKind,
  target: Target,
  parameters: Readonly<Record<string, string>> | undefined,
  stackName: string,
): Promise<DeployModel> {
  const text = await readFile(file, 'utf8');
  if (kind === 'terraform')
    return readTerraformPlan(file, text, { accountId: target.accountId, region: target.region });
  const stack: StackIdentity = { ...target, stackName };
  const template = readCloudFormationTemplate(file, text, {
    ...stack,
    assumed: target.assumed,
    ...(parameters ? { parameters } : {}),
    valueOf: (resource, attribute) => cfnValueOf(resource, attribute, stack),
  });
  // The mapper carries the reader's template-level warnings over as notes.
  return mapCloudFormation(template, stack);
}

/** The id field of each DeployModel collection, to refuse two inputs that would declare the same resource. */
const ID_FIELDS: Readonly<Record<string, string>> = {
  instances: 'instanceId',
  roles: 'arn',
  instanceProfiles: 'arn',
  managedPolicies: 'arn',
  securityGroups: 'groupId',
  vpcs: 'vpcId',
  subnets: 'subnetId',
  routeTables: 'routeTableId',
  networkAcls: 'networkAclId',
  vpcEndpoints: 'vpcEndpointId',
  natGateways: 'natGatewayId',
  internetGateways: 'internetGatewayId',
  maintenanceWindows: 'windowId',
  maintenanceWindowTargets: 'windowTargetId',
  maintenanceWindowTasks: 'windowTaskId',
  patchBaselines: 'baselineId',
};

/**
 * Several templates or plans deploy into one account and region: their resources side by side. Two that declare
 * the same id (two plans with an aws_instance.app, two roles of one name) would shadow each other's verdicts, so
 * that is an input error naming both.
 */
function mergeModels(models: DeployModel[]): DeployModel {
  const [first, ...rest] = models;
  const merged = { ...first! } as unknown as Record<string, unknown>;
  for (const model of rest) {
    for (const [key, value] of Object.entries(model)) {
      if (Array.isArray(value)) merged[key] = [...(merged[key] as unknown[]), ...(value as unknown[])];
    }
  }
  const result = merged as unknown as DeployModel;
  refuseDuplicates(result);
  return result;
}

function refuseDuplicates(model: DeployModel): void {
  const record = model as unknown as Record<string, unknown>;
  for (const [collection, field] of Object.entries(ID_FIELDS)) {
    const seen = new Map<string, { location: { file: string; line: number; address: string } }>();
    for (const item of record[collection] as { location: SourceLocation }[]) {
      const id = (item as unknown as Record<string, unknown>)[field];
      if (typeof id !== 'string') continue;
      const earlier = seen.get(id);
      if (earlier !== undefined && earlier.location.file !== item.location.file) {
        throw new TemplateInputError(
          'TEMPLATE_INVALID',
          item.location.file,
          `${item.location.address} is ${id}, as ${earlier.location.address} of ${earlier.location.file} is: the two inputs declare the same resource (scan them one at a time)`,
          item.location.line,
        );
      }
      seen.set(id, item);
    }
  }
}

/** What a scan judges: an instance (or group), a maintenance window or a patch baseline. */
function judgesSomething(model: DeployModel): boolean {
  return model.instances.length + model.maintenanceWindows.length + model.patchBaselines.length > 0;
}

/** Reads every template or plan given into one inventory with its deploy-time facts. */
export async function loadDeployTimeInput(
  files: readonly { file: string; kind: DeployTimeKind }[],
  options: DeployTimeLoadOptions,
): Promise<DeployTimeInput> {
  const target = targetOf(options);
  const parameters =
    options.parametersFile === undefined
      ? undefined
      : readParametersFile(options.parametersFile, await readParametersText(options.parametersFile));
  const models: DeployModel[] = [];
  const stackNames = new Set<string>();
  for (const { file, kind } of files) {
    models.push(await readModel(file, kind, target, parameters, uniqueStackName(file, stackNames)));
  }
  const model = mergeModels(models);
  if (!judgesSomething(model)) {
    throw new TemplateInputError(
      'TEMPLATE_INVALID',
      files.map((f) => f.file).join(', '),
      'declares no EC2 instance, launch template used by an Auto Scaling group, maintenance window or patch baseline: there is nothing for the rules to judge',
    );
  }
  const kind = files.every((f) => f.kind === 'terraform') ? 'terraform' : 'cloudformation';
  const collectedAt = new Date(options.now()).toISOString();
  const fleet = synthesizeFleet({ ...model, kind }, collectedAt);
  const inputs = files.map((f) => f.file);
  const built = inventoryFromFleet(fleet.fleet, {
    kind,
    inputs: [...inputs, ...(options.context?.source.inputs ?? [])],
    accounts: [target.accountId],
    regions: [target.region],
    collectedAt,
    // What the template declares but ssmguard does not judge travels with the report (source.skipped), so a
    // pipeline reading the JSON sees it, not only the terminal.
    ...(model.notes.length > 0 && {
      skipped: model.notes.map((n) => ({
        input: `${n.location.file}:${n.location.line}${n.address ? ` ${n.address}` : ''}`,
        reason: n.message,
      })),
    }),
  });
  const inventory = options.context ? mergeContext(built.inventory, options.context) : built.inventory;
  const declared = options.context ? unknownsAfterContext(fleet.unknowns, inventory) : fleet.unknowns;
  const unknowns = [...declared, ...model.notes.flatMap(noteUnknowns)];
  const warnings = [
    ...fleet.warnings,
    ...model.notes
      .filter((n) => !fleet.warnings.some((w) => w.includes(n.message)))
      .map((n) => `${n.location.file}:${n.location.line} ${n.address}: ${n.message}`),
    ...built.issues.map((i) => `${i.origin}${i.path ? ` at ${i.path}` : ''}: ${i.message}`),
  ];
  return { inventory, facts: { kind, locations: fleet.locations, unknowns }, warnings };
}

/**
 * A note that changes a resource the model could not place (a policy on unknown roles, an entry on another stack's
 * ACL, an Elastic IP on an instance) is an unknown of that resource: the rules reading it give ERROR.
 */
function noteUnknowns(note: DeployNote): UnknownValue[] {
  return (note.affects ?? []).map((affects) => ({
    resourceId: affects.resourceId,
    collection: affects.collection,
    property: affects.property ?? `(changed by ${note.address})`,
    reason: note.message,
    location: note.location,
  }));
}

async function readParametersText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new TemplateInputError(
      'TEMPLATE_PARAMETERS_INVALID',
      file,
      `cannot read the parameters file: ${(error as Error).message}`,
      undefined,
      undefined,
      { cause: error },
    );
  }
}
