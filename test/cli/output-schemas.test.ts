// Every JSON the CLI writes passes its published schema: the real output of `demo`, offline and live scans (the
// loopback endpoint, AccessDenied included), `export` (offline and live), `diff` and the `fix` plan, produced by
// running the CLI, never a fixture. And the schemas stay strict: every object either closes its properties or is a
// free-form map on purpose (listed below).

import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildExampleFleet } from '../../src/generator/example-fleet.js';
import { exampleFleetDir, packageRoot } from '../../src/package-root.js';
import { runCli } from './cli-harness.js';
import { cleanUp, sealAwsEnvironment, serveFleet, tempDir } from './live-cli-kit.js';

const SCHEMAS = ['report', 'inventory', 'fix-plan', 'diff', 'policy', 'rule', 'rule-cases'] as const;
type SchemaName = (typeof SCHEMAS)[number];

const schemaFile = (name: SchemaName): string => join(packageRoot(), 'schemas', `${name}.schema.json`);
const readSchema = (name: SchemaName): unknown => JSON.parse(readFileSync(schemaFile(name), 'utf8'));

// strict: an unknown keyword in a schema is a compile error, not silently ignored (union types are deliberate).
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, validateFormats: false });
const validators = new Map<SchemaName, ValidateFunction>();
function validatorFor(name: SchemaName): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    validate = ajv.compile(readSchema(name) as object);
    validators.set(name, validate);
  }
  return validate;
}

/** The schema errors of a document, readable in a failed assertion ([] when it is valid). */
function schemaErrors(name: SchemaName, document: unknown): string[] {
  const validate = validatorFor(name);
  if (validate(document)) return [];
  return (validate.errors ?? [])
    .slice(0, 20)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}

function readJson(file: string): unknown {
  const bytes = readFileSync(file);
  return JSON.parse((file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')) as unknown;
}

const NOW = buildExampleFleet().collectedAt;
const WAIVERS = join(packageRoot(), 'policies', 'examples', 'example-fleet-waivers.yaml');

beforeEach(() => sealAwsEnvironment());
afterEach(cleanUp);

describe('the JSON the CLI writes passes its schema', () => {
  it('demo --format json (report schema)', async () => {
    const dir = tempDir();
    const run = await runCli(['demo', '--format', 'json', '--html', join(dir, 'demo.html')]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { source: { inputHash?: string }; results: unknown[] };
    expect(report.source.inputHash).toMatch(/^sha256:/);
    expect(report.results.length).toBeGreaterThan(100);
    expect(schemaErrors('report', report)).toEqual([]);
  });

  it('an offline scan of the example fleet with waivers applied, expired and unused (report schema)', async () => {
    const run = await runCli([
      'scan',
      exampleFleetDir(),
      '--policy',
      WAIVERS,
      '--evidence',
      'all',
      '--format',
      'json',
    ]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { results: { status: string }[]; waivers: unknown[] };
    const statuses = new Set(report.results.map((r) => r.status));
    for (const status of ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'WAIVED'])
      expect(statuses).toContain(status);
    expect(report.waivers.length).toBe(3);
    expect(schemaErrors('report', report)).toEqual([]);
  });

  it('a live scan through the loopback endpoint, with a family AccessDenied (report schema)', async () => {
    const endpoint = await serveFleet(buildExampleFleet(), {
      faults: [{ operation: 'ssm:DescribeInstanceInformation', kind: 'access-denied' }],
    });
    const run = await runCli([
      'scan',
      '--live',
      '--endpoint-url',
      endpoint.url,
      '--region',
      'us-east-1',
      '--format',
      'json',
      '--now',
      NOW,
    ]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      source: { kind: string };
      results: { status: string }[];
    };
    expect(report.source.kind).toBe('live');
    expect(report.results.some((r) => r.status === 'ERROR')).toBe(true);
    expect(schemaErrors('report', report)).toEqual([]);
  });

  it('export of the example fleet folder and export --live (inventory schema)', async () => {
    const dir = tempDir();
    const endpoint = await serveFleet(buildExampleFleet());
    const offline = await runCli(['export', exampleFleetDir(), '--out', join(dir, 'fleet.json')]);
    const live = await runCli([
      'export',
      '--live',
      '--endpoint-url',
      endpoint.url,
      '--region',
      'us-east-1',
      '--out',
      join(dir, 'live.json.gz'),
    ]);
    expect([offline.code, live.code]).toEqual([0, 0]);
    const bundles = [readJson(join(dir, 'fleet.json')), readJson(join(dir, 'live.json.gz'))];
    expect(bundles.map((b) => (b as { instances: unknown[] }).instances.length)).toEqual([231, 231]);
    for (const bundle of bundles) expect(schemaErrors('inventory', bundle)).toEqual([]);
  });

  it('fix --format json of the example fleet (fix-plan schema)', async () => {
    const file = join(tempDir(), 'plan.json');
    const run = await runCli(['fix', exampleFleetDir(), '--format', 'json', '--output', file]);
    expect(run.code).toBe(0);
    const plan = readJson(file) as { changes: unknown[]; needsPerson: unknown[] };
    expect(plan.changes.length).toBeGreaterThan(0);
    expect(plan.needsPerson.length).toBeGreaterThan(0);
    expect(schemaErrors('fix-plan', plan)).toEqual([]);
  });

  it('diff --format json of two real reports that differ in every way the example fleet allows (diff schema)', async () => {
    // Prepare: the new side lacks the route tables (results turn ERROR, causes appear) and is judged after two
    // waivers expired.
    const dir = tempDir();
    const fleet = join(dir, 'fleet');
    await cp(exampleFleetDir(), fleet, { recursive: true });
    unlinkSync(join(fleet, '111122223333', 'us-east-1', 'ec2-describe-route-tables.json'));
    const before = await runCli(['scan', exampleFleetDir(), '--policy', WAIVERS, '--format', 'json']);
    const after = await runCli([
      'scan',
      fleet,
      '--policy',
      WAIVERS,
      '--now',
      '2027-04-02T00:00:00Z',
      '--format',
      'json',
    ]);
    const files = [join(dir, 'old.json'), join(dir, 'new.json')] as const;
    writeFileSync(files[0], before.stdout);
    writeFileSync(files[1], after.stdout);

    // Act
    const run = await runCli(['diff', ...files, '--format', 'json']);

    // Assess
    expect(run.code).toBe(1);
    const diff = JSON.parse(run.stdout) as {
      $schema: string;
      instances: { newlyBroken: unknown[] };
      rootCauses: { appeared: unknown[] };
      waivers: { expired: unknown[] };
    };
    expect(diff.$schema).toBe('https://ssmguard.dev/schemas/diff.schema.json');
    expect(diff.instances.newlyBroken.length).toBeGreaterThan(0);
    expect(diff.rootCauses.appeared.length).toBeGreaterThan(0);
    expect(diff.waivers.expired.length).toBe(2);
    expect(schemaErrors('diff', diff)).toEqual([]);
  });
});

/**
 * Objects that are open on purpose: a rule's parameters (each rule defines its own) and the parameters of an
 * override, a named check's `with:` (checked by the check's own parameter schema at load), a parameter's JSON
 * Schema, a condition (closed by each `oneOf` branch), and IAM documents carried as AWS wrote them. Every other
 * object schema must say `additionalProperties`.
 */
const OPEN_ON_PURPOSE: Record<SchemaName, string[]> = {
  report: ['/properties/provenance/properties/rules/items/properties/params'],
  'fix-plan': [
    '/$defs/change/properties/params',
    '/$defs/change/allOf/0/then/properties/params/properties/trustPolicy',
    '/$defs/change/allOf/2/then/properties/params/properties/policyDocument',
  ],
  inventory: [
    '/$defs/PolicyDocument',
    '/$defs/PolicyDocument/properties/Statement/anyOf/0/items',
    '/$defs/PolicyDocument/properties/Statement/anyOf/1',
  ],
  diff: [],
  policy: ['/properties/overrides/additionalProperties/properties/parameters'],
  rule: [
    '/properties/parameters/additionalProperties/properties/schema',
    '/$defs/condition',
    '/$defs/check/properties/with',
  ],
  'rule-cases': [],
};

/** JSON pointers of object schemas that neither close nor type their extra properties. */
function openObjects(node: unknown, at = ''): string[] {
  if (node === null || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap((item, i) => openObjects(item, `${at}/${i}`));
  const schema = node as Record<string, unknown>;
  const isObjectSchema = schema.type === 'object' || schema.properties !== undefined;
  // `if` only selects a branch; `then` adds to a schema that is closed elsewhere.
  const isCondition = /\/(if|then)$/.test(at);
  const open =
    isObjectSchema &&
    !isCondition &&
    schema.additionalProperties === undefined &&
    schema.unevaluatedProperties === undefined &&
    schema.patternProperties === undefined;
  return [
    ...(open ? [at] : []),
    ...Object.entries(schema).flatMap(([key, child]) => openObjects(child, `${at}/${key}`)),
  ];
}

describe('the schemas are strict', () => {
  it.for(SCHEMAS)('%s.schema.json compiles in strict mode and closes every object', (name) => {
    expect(() => validatorFor(name)).not.toThrow();
    expect(openObjects(readSchema(name))).toEqual(OPEN_ON_PURPOSE[name]);
  });
});
