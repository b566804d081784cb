// The resources of a `terraform show -json` plan, indexed: each instance's planned values joined with its
// after_unknown and the configuration's expressions, where it is declared, and each module's outputs.

import type { PlanContext, PlanResource } from './terraform-map-context.js';
import { createPlanLocator, type PlanLocator } from './terraform-map-locations.js';
import { isRecord } from './terraform-map-values.js';

interface Sources {
  unknownByAddress: Map<string, unknown>;
  expressions: Map<string, unknown>;
  locator: PlanLocator;
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The address of the module a resource is in: "module.app.aws_x.y[0]" → "module.app". */
function moduleOf(address: string, mode: string, type: string): string {
  const marker = mode === 'data' ? `.data.${type}.` : `.${type}.`;
  const at = address.lastIndexOf(marker);
  return address.startsWith(mode === 'data' ? 'data.' : `${type}.`) || at < 0 ? '' : address.slice(0, at);
}

/** Configuration expressions by "<module without keys>|<mode> <type>.<name>", and module outputs. */
function indexConfiguration(configuration: unknown): {
  expressions: Map<string, unknown>;
  outputs: Map<string, Record<string, unknown>>;
  inputs: Map<string, Record<string, unknown>>;
} {
  const expressions = new Map<string, unknown>();
  const outputs = new Map<string, Record<string, unknown>>();
  const inputs = new Map<string, Record<string, unknown>>();
  const walk = (module: unknown, address: string): void => {
    if (!isRecord(module)) return;
    if (isRecord(module.outputs)) outputs.set(address, module.outputs);
    for (const resource of records(module.resources)) {
      const key = `${address}|${text(resource.mode)} ${text(resource.type)}.${text(resource.name)}`;
      expressions.set(key, resource.expressions);
    }
    for (const [name, call] of Object.entries(isRecord(module.module_calls) ? module.module_calls : {})) {
      if (!isRecord(call)) continue;
      const callAddress = address === '' ? `module.${name}` : `${address}.module.${name}`;
      if (isRecord(call.expressions)) inputs.set(callAddress, call.expressions);
      walk(call.module, callAddress);
    }
  };
  walk(isRecord(configuration) ? configuration.root_module : undefined, '');
  return { expressions, outputs, inputs };
}

function toResource(raw: Record<string, unknown>, sources: Sources, unknownOverride?: unknown): PlanResource {
  const address = text(raw.address);
  const mode = raw.mode === 'data' ? 'data' : 'managed';
  const type = text(raw.type);
  const name = text(raw.name);
  const moduleAddress = moduleOf(address, mode, type);
  const index = typeof raw.index === 'string' || typeof raw.index === 'number' ? raw.index : undefined;
  const moduleKey = moduleAddress.replace(/\[[^\]]*\]/g, '');
  const { location, blockText } = sources.locator.locate(moduleAddress, mode, type, name, address);
  return {
    address,
    baseAddress: index === undefined ? address : address.slice(0, address.lastIndexOf('[')),
    mode,
    type,
    name,
    ...(index !== undefined && { index }),
    moduleAddress,
    node: {
      value: raw.values,
      unknown: unknownOverride ?? sources.unknownByAddress.get(address),
      expression: sources.expressions.get(`${moduleKey}|${mode} ${type}.${name}`),
    },
    location,
    ...(blockText !== undefined && { blockText }),
  };
}

function moduleResources(module: unknown): Record<string, unknown>[] {
  if (!isRecord(module)) return [];
  return [...records(module.resources), ...records(module.child_modules).flatMap(moduleResources)];
}

function afterUnknownByAddress(plan: Record<string, unknown>): Map<string, unknown> {
  const unknown = new Map<string, unknown>();
  for (const change of records(plan.resource_changes)) {
    if (isRecord(change.change)) unknown.set(text(change.address), change.change.after_unknown);
  }
  return unknown;
}

/** Data sources read while planning (values in prior_state), and those deferred to apply (all unknown). */
function dataSources(plan: Record<string, unknown>, sources: Sources): PlanResource[] {
  const priorValues = isRecord(plan.prior_state) ? plan.prior_state.values : undefined;
  const read = moduleResources(isRecord(priorValues) ? priorValues.root_module : undefined)
    .filter((raw) => raw.mode === 'data')
    .map((raw) => toResource(raw, sources, false));
  const deferred = records(plan.resource_changes)
    .filter((change) => change.mode === 'data' && isRecord(change.change))
    .map((change) => toResource({ ...change, values: undefined }, sources, true));
  return [...read, ...deferred];
}

/** count instances in numeric order ([2] before [10]), for_each keys in string order. */
function byInstanceKey(left: PlanResource, right: PlanResource): number {
  if (typeof left.index === 'number' && typeof right.index === 'number') return left.index - right.index;
  return String(left.index ?? '').localeCompare(String(right.index ?? ''));
}

export function indexPlan(
  file: string,
  text: string,
  plan: Record<string, unknown>,
  options: { accountId: string; region: string },
): PlanContext {
  const { expressions, outputs, inputs } = indexConfiguration(plan.configuration);
  const sources: Sources = {
    unknownByAddress: afterUnknownByAddress(plan),
    expressions,
    locator: createPlanLocator(file, text, plan.configuration),
  };
  const planned = isRecord(plan.planned_values) ? plan.planned_values.root_module : undefined;
  const resources = moduleResources(planned)
    .filter((raw) => raw.mode !== 'data')
    .map((raw) => toResource(raw, sources));
  const byAddress = new Map<string, PlanResource>();
  for (const resource of [...dataSources(plan, sources), ...resources])
    byAddress.set(resource.address, resource);
  const byBaseAddress = new Map<string, PlanResource[]>();
  for (const resource of byAddress.values()) {
    byBaseAddress.set(resource.baseAddress, [...(byBaseAddress.get(resource.baseAddress) ?? []), resource]);
  }
  for (const instances of byBaseAddress.values()) instances.sort(byInstanceKey);
  return {
    file,
    ...options,
    resources,
    byAddress,
    byBaseAddress,
    moduleOutputs: outputs,
    moduleInputs: inputs,
    notes: [],
  };
}
