// Control mappings (policies/controls/<framework>.yaml): which rules are evidence for which controls of a framework,
// checked at load time against their schema and against the verified control-id list (control-ids.yaml).

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import controlIdsSchema from '../../schemas/control-ids.schema.json' with { type: 'json' };
import controlsSchema from '../../schemas/controls.schema.json' with { type: 'json' };
import { RuleFileError, RuleSetError } from '../errors.js';
import { shippedPoliciesDir } from '../package-root.js';
import { errorAt, parseYamlSource, type YamlSource } from '../ruleset/yaml-source.js';
import type { LoadedPolicy } from './policy-pack.js';
import { schemaProblems } from '../ruleset/schema-problems.js';

export const CONTROL_IDS_FILE = 'control-ids.yaml';

/**
 * `full`: the rule's passes and failures both count for the control. `failures`: only its failures count against
 * the control; its passes show nothing on their own (a prerequisite of the control, or a check narrower than it).
 */
export type EvidenceKind = 'full' | 'failures';

/** One rule as evidence for one control. */
export interface ControlEvidence {
  ruleId: string;
  rationale: string;
  evidence: EvidenceKind;
  /** Full evidence only with these rule parameters (else failures only); see `isFullEvidence`. */
  parameters?: Record<string, unknown>;
  /** A failure counts only when one of its evidence items has one of these values for every fact named. */
  facts?: Record<string, (string | number)[]>;
}

/** One control of a framework and the rules that evidence it (none: `notEvidencedReason` says why). */
export interface MappedControl {
  id: string;
  title: string;
  rules: ControlEvidence[];
  notEvidencedReason?: string;
}

export interface ControlFramework {
  id: string;
  title: string;
  version: string;
  sources: string[];
  /** In the mapping file's order, then the listed controls no rule evidences. */
  controls: MappedControl[];
}

export interface ControlCatalogue {
  frameworks: ControlFramework[];
  /** Shipped rules that evidence no control, with why. */
  unmappedRules: Record<string, string>;
}

interface ControlIdsYaml {
  frameworks: Record<
    string,
    { title: string; version: string; sources: string[]; controls: Record<string, string> }
  >;
  unmappedRules: Record<string, string>;
}

interface MappingYaml {
  framework: string;
  version: string;
  controls: {
    id: string;
    rules: {
      rule: string;
      rationale: string;
      evidence?: EvidenceKind;
      parameters?: Record<string, unknown>;
      facts?: Record<string, (string | number)[]>;
    }[];
  }[];
  notEvidenced: { id: string; reason: string }[];
}

export const shippedControlsDir = (): string => join(shippedPoliciesDir(), 'controls');

const validators = new Map<object, ValidateFunction>();

/** Every schema problem of the file, with its line; throws when there is any. */
function validateAgainst(schema: object, source: YamlSource): void {
  let validate = validators.get(schema);
  if (!validate) {
    validate = new Ajv2020({ allErrors: true, strict: false, verbose: true }).compile(schema);
    validators.set(schema, validate);
  }
  if (validate(source.value)) return;
  const problems = schemaProblems(validate.errors ?? []).map(({ yamlPath, detail }) =>
    errorAt(source, yamlPath, detail),
  );
  throw new RuleSetError(problems);
}

async function readSource(file: string): Promise<YamlSource> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new RuleFileError(
      file,
      '',
      `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  return parseYamlSource(file, text);
}

/** Checks one mapping file against the id list: its framework, version and every control id must be listed. */
function parseMapping(source: YamlSource, ids: ControlIdsYaml, fileName: string): ControlFramework {
  validateAgainst(controlsSchema, source);
  const m = source.value as MappingYaml;
  if (`${m.framework}.yaml` !== fileName)
    throw errorAt(
      source,
      'framework',
      `"${m.framework}" must equal the file name without .yaml (${fileName})`,
    );
  const listed = ids.frameworks[m.framework];
  if (!listed)
    throw errorAt(source, 'framework', `"${m.framework}" is not a framework of ${CONTROL_IDS_FILE}`);
  if (m.version !== listed.version)
    throw errorAt(
      source,
      'version',
      `${m.version} is not the version ${CONTROL_IDS_FILE} lists (${listed.version})`,
    );
  const seen = new Set<string>();
  const check = (id: string, path: string): void => {
    if (!Object.hasOwn(listed.controls, id))
      throw errorAt(source, path, `control ${id} is not listed for ${m.framework} in ${CONTROL_IDS_FILE}`);
    if (seen.has(id)) throw errorAt(source, path, `control ${id} appears twice`);
    seen.add(id);
  };
  m.controls.forEach((c, i) => {
    check(c.id, `controls[${i}].id`);
    const rules = new Set<string>();
    c.rules.forEach((r, j) => {
      if (rules.has(r.rule))
        throw errorAt(source, `controls[${i}].rules[${j}].rule`, `rule ${r.rule} appears twice`);
      rules.add(r.rule);
    });
  });
  m.notEvidenced.forEach((n, i) => check(n.id, `notEvidenced[${i}].id`));
  const unaccounted = Object.keys(listed.controls).filter((id) => !seen.has(id));
  if (unaccounted.length > 0)
    throw errorAt(
      source,
      'notEvidenced',
      `listed controls neither mapped nor in notEvidenced: ${unaccounted.join(', ')}`,
    );
  return {
    id: m.framework,
    title: listed.title,
    version: listed.version,
    sources: listed.sources,
    controls: [
      ...m.controls.map((c) => ({
        id: c.id,
        title: listed.controls[c.id]!,
        rules: c.rules.map((r) => ({
          ruleId: r.rule,
          rationale: r.rationale,
          evidence: r.evidence ?? 'full',
          ...(r.parameters ? { parameters: r.parameters } : {}),
          ...(r.facts ? { facts: r.facts } : {}),
        })),
      })),
      ...m.notEvidenced.map((n) => ({
        id: n.id,
        title: listed.controls[n.id]!,
        rules: [],
        notEvidencedReason: n.reason,
      })),
    ],
  };
}

/**
 * Loads the id list and every mapping file of a folder (default: the shipped policies/controls/). Any problem throws
 * naming the file and YAML path: the mappings are data an audit relies on, so none is skipped.
 */
export async function loadControlCatalogue(dir = shippedControlsDir()): Promise<ControlCatalogue> {
  const idsSource = await readSource(join(dir, CONTROL_IDS_FILE));
  validateAgainst(controlIdsSchema, idsSource);
  const ids = idsSource.value as ControlIdsYaml;
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml') && f !== CONTROL_IDS_FILE).sort();
  const frameworks: ControlFramework[] = [];
  for (const f of files) frameworks.push(parseMapping(await readSource(join(dir, f)), ids, f));
  const missing = Object.keys(ids.frameworks).filter((id) => !frameworks.some((fw) => fw.id === id));
  if (missing.length > 0)
    throw errorAt(
      idsSource,
      'frameworks',
      `no mapping file for ${missing.map((id) => `${id}.yaml`).join(', ')}`,
    );
  return { frameworks, unmappedRules: ids.unmappedRules };
}

/** Rule ids the catalogue names (in mappings or as unmapped) that are not in `ruleIds`, sorted. */
export function unknownMappedRules(catalogue: ControlCatalogue, ruleIds: ReadonlySet<string>): string[] {
  const named = catalogue.frameworks.flatMap((f) => f.controls.flatMap((c) => c.rules.map((r) => r.ruleId)));
  return [...new Set([...named, ...Object.keys(catalogue.unmappedRules)])]
    .filter((id) => !ruleIds.has(id))
    .sort();
}

/** Rule ids of `ruleIds` that no mapping names and `unmappedRules` does not explain, sorted. */
export function rulesWithoutControl(catalogue: ControlCatalogue, ruleIds: Iterable<string>): string[] {
  const mapped = new Set(
    catalogue.frameworks.flatMap((f) => f.controls.flatMap((c) => c.rules.map((r) => r.ruleId))),
  );
  return [...ruleIds].filter((id) => !mapped.has(id) && !Object.hasOwn(catalogue.unmappedRules, id)).sort();
}

/**
 * True when a rule run with `params` is full evidence for the control: the mapping says `full` and every parameter
 * it names has the value given (an array parameter must contain each value listed; any other must be equal).
 */
export function isFullEvidence(
  evidence: ControlEvidence,
  params: Readonly<Record<string, unknown>>,
): boolean {
  if (evidence.evidence === 'failures') return false;
  for (const [name, wanted] of Object.entries(evidence.parameters ?? {})) {
    const actual = params[name];
    if (Array.isArray(wanted)) {
      if (!Array.isArray(actual) || !wanted.every((w) => actual.includes(w))) return false;
    } else if (actual !== wanted) return false;
  }
  return true;
}

/**
 * The frameworks a policy's `controls:` names, in its order, and a problem at the position of each name the catalogue
 * has no mapping for (the shipped catalogue is loaded only when the policy names any).
 */
export async function policyControlFrameworks(
  policy: LoadedPolicy | undefined,
): Promise<{ frameworks: ControlFramework[]; problems: RuleFileError[] }> {
  const names = policy?.pack.controls ?? [];
  if (!policy || names.length === 0) return { frameworks: [], problems: [] };
  const { frameworks } = await loadControlCatalogue();
  const known = frameworks.map((f) => f.id).join(', ');
  const problems: RuleFileError[] = [];
  const selected: ControlFramework[] = [];
  names.forEach((name, i) => {
    const framework = frameworks.find((f) => f.id === name);
    if (framework) selected.push(framework);
    else
      problems.push(
        errorAt(policy.source, `controls[${i}]`, `unknown control framework "${name}" (one of: ${known})`),
      );
  });
  return { frameworks: selected, problems };
}
