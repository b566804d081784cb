// Turns the paths given to `scan` into one inventory: an ssmguard bundle, AWS Config files, AWS CLI JSON files and
// folders, or CloudFormation templates and Terraform plans (with what exists around them, `--context`).

import { open, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { assertNoInputErrors, loadAwsCliInventory, type SkippedInput } from '../collectors/aws-cli/index.js';
import { readInventoryBundle } from '../collectors/bundle/index.js';
import { addScpsToInventory, loadScpFiles } from '../collectors/scp/index.js';
import { findConfigInputs, loadConfigInventory } from '../collectors/config/index.js';
import {
  deployTimeKindOf,
  loadDeployTimeInput,
  type DeployTimeKind,
} from '../collectors/template/load-template.js';
import type { DeployTimeFacts } from '../inventory/deploy-time.js';
import type { Inventory } from '../inventory/model.js';
import { instanceDataGaps, NoInstanceDataError } from '../inventory/instance-data-gaps.js';
import { UsageError } from '../errors.js';

export interface LoadedInput {
  inventory: Inventory;
  skipped: SkippedInput[];
  warnings: string[];
  /** For CloudFormation templates and Terraform plans: where resources are declared, and what is unknown. */
  deployTime?: DeployTimeFacts;
}

export interface LoadInputOptions {
  accountId?: string;
  region?: string;
  /** `--scp` files and folders; without them the SCP layer is not evaluated. */
  scpFiles?: readonly string[];
  /** `--parameters FILE`, for CloudFormation templates. */
  parametersFile?: string;
  /** `--context PATH…`: an exported inventory around a template or plan (what it references, the DHMC setting). */
  contextPaths?: readonly string[];
  /** `--live` beside a template or plan: the live inventory read as its context. */
  context?: Inventory;
  /** The time a template is judged at (its resources as they would be now). */
  now?: () => number;
}

/** Peeks at a file's first bytes to tell an ssmguard bundle from AWS CLI output without parsing it all. */
async function isBundle(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    let head = buffer.subarray(0, bytesRead);
    if (head[0] === 0x1f && head[1] === 0x8b) {
      try {
        head = gunzipSync(head, { finishFlush: 2 });
      } catch {
        // A gzip prefix that does not inflate on its own is not decisive; the full reader will report it.
        return true;
      }
    }
    return /^\s*\{\s*"schemaVersion"/.test(head.toString('utf8').replace(/^\uFEFF/, ''));
  } finally {
    await handle.close();
  }
}

export async function loadInput(
  paths: readonly string[],
  options: LoadInputOptions = {},
): Promise<LoadedInput> {
  if (paths.length === 0)
    throw new UsageError(
      'scan needs at least one PATH (AWS CLI JSON files or folders, or an ssmguard bundle)',
    );
  const deployTime = await deployTimeFiles(paths);
  if (deployTime.length > 0) return loadTemplates(paths, deployTime, options);
  if (options.context !== undefined)
    throw new UsageError(`--live reads from AWS, not from files: drop ${paths[0]!} or --live`);
  if (options.parametersFile !== undefined || options.contextPaths !== undefined)
    throw new UsageError(
      '--parameters and --context apply to CloudFormation templates and Terraform plans; none was given',
    );
  const bundles: string[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (info?.isFile() && (await isBundle(p))) bundles.push(p);
  }
  if (bundles.length > 0) {
    if (paths.length > 1)
      throw new UsageError('an ssmguard bundle is scanned on its own; give it as the only PATH');
    const inventory = await readInventoryBundle(bundles[0]!);
    requireInstanceData(inventory, []);
    return withScps({ inventory, skipped: [], warnings: [] }, options);
  }
  // AWS Config snapshots (also .json.gz) and advanced-query results, recognised by content.
  const config = await findConfigInputs(paths);
  if (config.configFiles.length > 0) {
    if (config.otherFiles.length > 0) {
      throw new UsageError(
        `AWS Config files are scanned on their own, not mixed with other input (e.g. ${config.otherFiles[0]!})`,
      );
    }
    const loaded = await loadConfigInventory(config.configFiles);
    requireInstanceData(loaded.inventory, []);
    const warnings = loaded.issues.map((i) => `${i.origin}${i.path ? ` at ${i.path}` : ''}: ${i.message}`);
    return withScps({ inventory: loaded.inventory, skipped: [], warnings }, options);
  }
  const result = await loadAwsCliInventory([...paths], options);
  assertNoInputErrors(result);
  requireInstanceData(result.inventory, result.skipped);
  const warnings = result.issues.map((i) => `${i.origin}${i.path ? ` at ${i.path}` : ''}: ${i.message}`);
  return withScps({ inventory: result.inventory, skipped: result.skipped, warnings }, options);
}

/** The templates and plans among the paths (files only: folders are AWS CLI exports), by content. */
async function deployTimeFiles(paths: readonly string[]): Promise<{ file: string; kind: DeployTimeKind }[]> {
  const found: { file: string; kind: DeployTimeKind }[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (!info?.isFile()) continue;
    const kind = await deployTimeKindOf(p);
    if (kind !== undefined) found.push({ file: p, kind });
  }
  return found;
}

/** Whether every path is a template or plan (what `--live` beside paths needs: the live account is their context). */
export async function isDeployTimeInput(paths: readonly string[]): Promise<boolean> {
  return paths.length > 0 && (await deployTimeFiles(paths)).length === paths.length;
}

/** Templates and plans, scanned on their own with their context (an export, or the live fleet). */
async function loadTemplates(
  paths: readonly string[],
  files: { file: string; kind: DeployTimeKind }[],
  options: LoadInputOptions,
): Promise<LoadedInput> {
  if (files.length < paths.length) {
    const other = paths.find((p) => !files.some((f) => f.file === p))!;
    throw new UsageError(
      `templates and plans are scanned on their own: give ${other} with --context (an inventory of what exists around them)`,
    );
  }
  const context =
    options.context ??
    (options.contextPaths?.length
      ? (
          await loadInput(options.contextPaths, {
            ...options,
            contextPaths: undefined,
            parametersFile: undefined,
          })
        ).inventory
      : undefined);
  if (context?.source.kind === 'cloudformation' || context?.source.kind === 'terraform')
    throw new UsageError(
      '--context is an inventory (AWS CLI files, a bundle, AWS Config), not another template',
    );
  const loaded = await loadDeployTimeInput(files, {
    ...(options.accountId !== undefined && { accountId: options.accountId }),
    ...(options.region !== undefined && { region: options.region }),
    ...(options.parametersFile !== undefined && { parametersFile: options.parametersFile }),
    ...(context !== undefined && { context }),
    now: options.now ?? Date.now,
  });
  const input: LoadedInput = {
    inventory: loaded.inventory,
    skipped: [],
    warnings: loaded.warnings,
    deployTime: loaded.facts,
  };
  return withScps(input, options);
}

/**
 * Fails the load (exit 2) when the input holds no usable EC2 instance data, anywhere or for an account and region
 * it otherwise covers: with no instances there is nothing for the rules to report as ERROR, and an empty result
 * must never read as "compliant". A live scan that finds no instances is different: it read them, and says so.
 */
function requireInstanceData(inventory: Inventory, skipped: readonly SkippedInput[]): void {
  const gaps = instanceDataGaps(inventory);
  if (gaps.length > 0) throw new NoInstanceDataError(gaps, inventory, skipped);
}

/** Adds the `--scp` policies (and their coverage) to the loaded inventory (files, bundles, or a live scan). */
export async function withScps(input: LoadedInput, options: LoadInputOptions): Promise<LoadedInput> {
  if (options.scpFiles === undefined || options.scpFiles.length === 0) return input;
  const scps = await loadScpFiles(options.scpFiles);
  addScpsToInventory(input.inventory, scps);
  return { ...input, warnings: [...input.warnings, ...scps.warnings.map((w) => `--scp: ${w}`)] };
}

/** Commands that act on deployed resources refuse a template or plan, saying what to do instead. */
export function rejectDeployTime(input: LoadedInput, command: string, why: string): void {
  if (input.deployTime === undefined) return;
  throw new UsageError(`${command} does not take a CloudFormation template or Terraform plan: ${why}`);
}
