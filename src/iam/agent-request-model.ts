// The SSM Agent's request model (src/iam/data/agent-requests.yaml): validation, and the requests of one instance.

import type { AgentRequestModel, AgentRequestSpec } from './agent-request-types.js';
import { AGENT_REQUEST_DATA } from './data/agent-requests.generated.js';

export type { AgentRequestModel, AgentRequestSpec } from './agent-request-types.js';

/** The values an ARN template is filled with. */
export interface ArnValues {
  partition: string;
  region: string;
  account: string;
  instanceId: string;
  /** The document the patching association runs (AWS-RunPatchBaseline). */
  documentName: string;
}

/** A placeholder the inventory cannot fill (an association id): the request's resource is then unknown. */
const UNKNOWN_PART = /\$\{(associationId)\}/;
const TEMPLATE_VARIABLES = new Set([
  'partition',
  'region',
  'account',
  'instanceId',
  'documentName',
  'associationId',
]);

/**
 * Checks the model's shape: every action `service:Action`, every source a known key, every template variable one
 * we fill, `one-of` only with several resources. Returns the problems (empty when valid).
 */
export function validateAgentRequestModel(model: unknown): string[] {
  const problems: string[] = [];
  if (model === null || typeof model !== 'object') return ['the model is not an object'];
  const m = model as Partial<AgentRequestModel>;
  const sources = m.sources ?? {};
  if (!Array.isArray(m.requests) || m.requests.length === 0)
    problems.push('requests: a non-empty list is required');
  const seen = new Set<string>();
  for (const [i, r] of (m.requests ?? []).entries()) {
    const at = `requests[${i}]`;
    if (typeof r.action !== 'string' || !/^[a-z0-9]+:[A-Za-z0-9]+$/.test(r.action))
      problems.push(`${at}.action: not service:Action`);
    else if (seen.has(r.action.toLowerCase())) problems.push(`${at}.action: ${r.action} listed twice`);
    else seen.add(r.action.toLowerCase());
    if (!Array.isArray(r.resources) || r.resources.length === 0) problems.push(`${at}.resources: required`);
    for (const resource of r.resources ?? []) {
      for (const match of resource.matchAll(/\$\{([^}]+)\}/g))
        if (!TEMPLATE_VARIABLES.has(match[1]!))
          problems.push(`${at}.resources: unknown variable \${${match[1]}}`);
      if (resource !== '*' && !resource.startsWith('arn:${partition}:'))
        problems.push(`${at}.resources: ${resource} is not an ARN template`);
    }
    if (r.resourceMatch !== 'all' && r.resourceMatch !== 'one-of')
      problems.push(`${at}.resourceMatch: all or one-of`);
    if (r.resourceMatch === 'one-of' && (r.resources ?? []).length < 2)
      problems.push(`${at}.resourceMatch: one-of needs candidates`);
    if (!Array.isArray(r.contextKeys)) problems.push(`${at}.contextKeys: a list is required`);
    if (typeof r.source !== 'string' || sources[r.source] === undefined)
      problems.push(`${at}.source: not a key of sources`);
  }
  for (const [i, k] of (m.globalContextKeys ?? []).entries())
    if (sources[k.source] === undefined)
      problems.push(`globalContextKeys[${i}].source: not a key of sources`);
  for (const url of Object.values(sources))
    if (!url.startsWith('https://docs.aws.amazon.com/'))
      problems.push(`sources: ${url} is not an AWS documentation page`);
  return problems;
}

/** The reviewed model, as generated from the YAML. */
export const AGENT_REQUEST_MODEL: AgentRequestModel = AGENT_REQUEST_DATA;

const byAction = new Map(AGENT_REQUEST_MODEL.requests.map((r) => [r.action.toLowerCase(), r]));

/** The model's entry for an action; undefined for actions it does not describe (custom action sets). */
export function agentRequestSpec(action: string): AgentRequestSpec | undefined {
  return byAction.get(action.toLowerCase());
}

/**
 * The resources an action is authorised against for one instance. Undefined stands for a resource whose ARN the
 * inventory cannot fill (an association id); `*` for actions without resource types.
 */
export function requestResources(spec: AgentRequestSpec, values: ArnValues): (string | undefined)[] {
  return spec.resources.map((template) => {
    if (template === '*') return '*';
    if (UNKNOWN_PART.test(template)) return undefined;
    return template.replace(/\$\{(\w+)\}/g, (_, name: string) => values[name as keyof ArnValues]);
  });
}
