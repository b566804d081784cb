import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BundleIoError,
  BundleJsonError,
  BundleVersionError,
  readInventoryBundle,
  writeInventoryBundle,
} from '../../../src/collectors/bundle/index.js';
import type { Inventory } from '../../../src/inventory/model.js';
import { tagsFromMap } from '../../../src/inventory/tags.js';
import { InventoryInvalidError } from '../../../src/inventory/validate-inventory.js';
import { buildSampleInventory } from '../../fixtures/inventory/sample-inventory.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssmguard-bundle-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `promise` and returns what it rejected with; fails the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Writes the sample as JSON text after `change`, bypassing the writer's validation. */
async function writeRawSample(
  name: string,
  change: (value: Record<string, unknown>) => void,
): Promise<string> {
  const value = JSON.parse(JSON.stringify(buildSampleInventory())) as Record<string, unknown>;
  change(value);
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(value, null, 2));
  return file;
}

describe('writeInventoryBundle / readInventoryBundle', () => {
  it('round-trips the sample inventory through a .json bundle, source metadata included', async () => {
    // Prepare
    const inventory = buildSampleInventory();
    const file = join(dir, 'fleet.json');

    // Act
    await writeInventoryBundle(inventory, file);
    const read = await readInventoryBundle(file);

    // Assess
    expect(read).toEqual(inventory);
    expect(read.source).toEqual(inventory.source);
    const text = await readFile(file, 'utf8');
    expect(text.startsWith('{"schemaVersion":1,"source":{"kind":"fixture"')).toBe(true);
  });

  it('writes indented JSON on request', async () => {
    const file = join(dir, 'fleet.json');
    await writeInventoryBundle(buildSampleInventory(), file, { pretty: true });
    expect((await readFile(file, 'utf8')).startsWith('{\n  "schemaVersion": 1,\n')).toBe(true);
    expect(await readInventoryBundle(file)).toEqual(buildSampleInventory());
  });

  it('round-trips through a gzipped .json.gz bundle', async () => {
    // Prepare
    const inventory = buildSampleInventory();
    const file = join(dir, 'fleet.json.gz');

    // Act
    await writeInventoryBundle(inventory, file);
    const read = await readInventoryBundle(file);

    // Assess
    const bytes = await readFile(file);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    expect(JSON.parse(gunzipSync(bytes).toString('utf8'))).toEqual(JSON.parse(JSON.stringify(inventory)));
    expect(read).toEqual(inventory);
  });

  it('recognises gzip by content, whatever the file name', async () => {
    const file = join(dir, 'fleet.bundle');
    await writeFile(file, gzipSync(JSON.stringify(buildSampleInventory())));
    expect(await readInventoryBundle(file)).toEqual(buildSampleInventory());
  });

  it('keeps hostile tag keys as plain data through a round trip, without polluting prototypes', async () => {
    // Prepare
    const inventory = buildSampleInventory();
    inventory.instances[0]!.tags = tagsFromMap(
      JSON.parse('{"__proto__":"evil","constructor":"c","Name":"web-1"}'),
    );
    inventory.vpcs[0]!.tags = tagsFromMap(JSON.parse('{"__proto__":"x","hasOwnProperty":"y"}'));
    const file = join(dir, 'hostile.json');

    // Act
    await writeInventoryBundle(inventory, file);
    const read = await readInventoryBundle(file);

    // Assess
    const tags = read.instances[0]!.tags;
    expect(Object.getPrototypeOf(tags)).toBeNull();
    expect(Object.keys(tags).sort()).toEqual(['Name', '__proto__', 'constructor']);
    expect(tags['__proto__']).toBe('evil');
    expect(tags['constructor']).toBe('c');
    expect(read.vpcs[0]!.tags['hasOwnProperty']).toBe('y');
    expect(Object.getPrototypeOf(read.vpcs[0]!.tags)).toBeNull();
    expect(({} as Record<string, unknown>).evil).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect({}.constructor).toBe(Object);
  });

  it('refuses to write an invalid inventory and leaves no file behind', async () => {
    // Prepare
    const inventory = buildSampleInventory();
    Object.assign(inventory.instances[0]!, { state: 'asleep' });
    const file = join(dir, 'bad.json');

    // Act
    const error = await rejectionOf(writeInventoryBundle(inventory, file));

    // Assess
    expect(error).toBeInstanceOf(InventoryInvalidError);
    expect((error as InventoryInvalidError).issues.map((issue) => issue.path)).toEqual([
      '/instances/0/state',
    ]);
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });

  it('rejects an unknown field with its path', async () => {
    // Prepare
    const file = await writeRawSample('unknown-field.json', (value) => {
      (value.vpcEndpoints as Record<string, unknown>[])[1]!.dnsEntries = [];
    });

    // Act
    const error = await rejectionOf(readInventoryBundle(file));

    // Assess
    expect(error).toBeInstanceOf(InventoryInvalidError);
    const invalid = error as InventoryInvalidError;
    expect(invalid.code).toBe('INVENTORY_INVALID');
    expect(invalid.origin).toBe(file);
    expect(invalid.issues).toEqual([
      { path: '/vpcEndpoints/1/dnsEntries', message: expect.stringMatching(/^unknown field/) as string },
    ]);
    expect(invalid.message).toContain(
      `${file} is not a valid ssmguard inventory:\n  /vpcEndpoints/1/dnsEntries: unknown field`,
    );
  });

  it('rejects a field of the wrong type with its path', async () => {
    const file = await writeRawSample('wrong-type.json', (value) => {
      (value.activations as Record<string, unknown>[])[0]!.registrationLimit = '10';
    });
    const error = await rejectionOf(readInventoryBundle(file));
    expect(error).toBeInstanceOf(InventoryInvalidError);
    expect((error as InventoryInvalidError).issues).toEqual([
      { path: '/activations/0/registrationLimit', message: 'must be integer, got string "10"' },
    ]);
  });

  it('names the file, line and column of a truncated bundle', async () => {
    // Prepare
    const full = JSON.stringify(buildSampleInventory(), null, 2);
    const truncated = full.slice(0, 1000);
    const lines = truncated.split('\n');
    const file = join(dir, 'truncated.json');
    await writeFile(file, truncated);

    // Act
    const error = await rejectionOf(readInventoryBundle(file));

    // Assess
    expect(error).toBeInstanceOf(BundleJsonError);
    const jsonError = error as BundleJsonError;
    expect(jsonError.code).toBe('BUNDLE_JSON_INVALID');
    expect(jsonError.name).toBe('BundleJsonError');
    expect(jsonError.line).toBe(lines.length);
    expect(jsonError.column).toBe(lines.at(-1)!.length + 1);
    expect(jsonError.message).toMatch(
      new RegExp(`^${escapeRegExp(file)}:${lines.length}:\\d+: not valid JSON: `),
    );
  });

  it('names the line and column of a syntax error inside a gzipped bundle', async () => {
    // Prepare
    const file = join(dir, 'broken.json.gz');
    await writeFile(file, gzipSync('{\n  "schemaVersion": 1,\n  "source": {,}\n}\n'));

    // Act
    const error = await rejectionOf(readInventoryBundle(file));

    // Assess
    expect(error).toBeInstanceOf(BundleJsonError);
    expect([(error as BundleJsonError).line, (error as BundleJsonError).column]).toEqual([3, 14]);
  });

  it.for([
    {
      name: 'a newer schemaVersion',
      version: 2,
      pattern: /bundle schemaVersion 2 is not supported \(this ssmguard reads 1\)/,
    },
    { name: 'a string schemaVersion', version: '1', pattern: /bundle schemaVersion "1" is not supported/ },
    { name: 'no schemaVersion', version: undefined, pattern: /no schemaVersion; is it an inventory bundle/ },
  ])('rejects $name as BUNDLE_VERSION_UNSUPPORTED', async ({ version, pattern }) => {
    // Prepare
    const file = await writeRawSample('version.json', (value) => {
      if (version === undefined) delete value.schemaVersion;
      else value.schemaVersion = version;
    });

    // Act
    const error = await rejectionOf(readInventoryBundle(file));

    // Assess
    expect(error).toBeInstanceOf(BundleVersionError);
    expect((error as BundleVersionError).code).toBe('BUNDLE_VERSION_UNSUPPORTED');
    expect((error as BundleVersionError).found).toEqual(version);
    expect((error as Error).message).toMatch(pattern);
    expect((error as Error).message.startsWith(file)).toBe(true);
  });

  it('rejects a JSON file that is not an object as not being a bundle', async () => {
    const file = join(dir, 'list.json');
    await writeFile(file, '[]');
    await expect(readInventoryBundle(file)).rejects.toBeInstanceOf(BundleVersionError);
  });

  it('reports a missing file as BUNDLE_IO_FAILED', async () => {
    const file = join(dir, 'missing.json');
    const error = await rejectionOf(readInventoryBundle(file));
    expect(error).toBeInstanceOf(BundleIoError);
    expect((error as BundleIoError).code).toBe('BUNDLE_IO_FAILED');
    expect((error as Error).message).toMatch(
      new RegExp(`^${escapeRegExp(file)}: cannot read the bundle: .*ENOENT`),
    );
  });

  it('reports a corrupt gzip file as BUNDLE_IO_FAILED', async () => {
    const file = join(dir, 'corrupt.json.gz');
    await writeFile(file, gzipSync(JSON.stringify(buildSampleInventory())).subarray(0, 200));
    const error = await rejectionOf(readInventoryBundle(file));
    expect(error).toBeInstanceOf(BundleIoError);
    expect((error as Error).message).toContain('not a valid gzip file');
  });

  it('reads a bundle that starts with a byte-order mark', async () => {
    const file = join(dir, 'bom.json');
    await writeFile(file, `\uFEFF${JSON.stringify(buildSampleInventory())}`);
    const inventory: Inventory = await readInventoryBundle(file);
    expect(inventory.instances).toHaveLength(4);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
