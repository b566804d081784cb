// The AWS CLI JSON source: recognition by content, scope from folders/manifests/content, and bad files.

import { mkdtemp, mkdir, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AwsCliInputError,
  assertNoInputErrors,
  InputFileError,
  loadAwsCliInventory,
} from '../../../src/collectors/aws-cli/index.js';
import { inventoryFromFleet } from '../../../src/collectors/api/build-inventory.js';
import { buildExampleFleet } from '../../../src/generator/example-fleet.js';
import { writeAwsCliFiles } from '../../../src/generator/write-aws-cli-files.js';
import type { Inventory } from '../../../src/inventory/model.js';

const FIXTURES = path.relative(
  process.cwd(),
  fileURLToPath(new URL('../../fixtures/aws-cli/', import.meta.url)),
);
const fixture = (...parts: string[]): string => path.join(FIXTURES, ...parts);
const REALISTIC_REGION = fixture('realistic', '111122223333', 'us-east-1');

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'ssmguard-aws-cli-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function writeTree(root: string, files: Record<string, string | object>): Promise<string> {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 4));
  }
  return root;
}

/** JSON with object keys sorted at every level, so key order does not matter. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

function coverage(inventory: Inventory): string[] {
  return inventory.coverage.map((c) => `${c.family} ${c.accountId ?? '*'} ${c.region ?? '*'} ${c.status}`);
}

describe('loadAwsCliInventory on realistic AWS CLI output', () => {
  it('maps every file into the model (snapshot)', async () => {
    // Act
    const result = await loadAwsCliInventory([fixture('realistic')]);

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.issues).toEqual([]);
    expect(result.skipped).toEqual([
      { input: path.join(REALISTIC_REGION, 'README.md'), reason: 'not a JSON file' },
    ]);
    expect(result.inventory.source).toMatchObject({
      kind: 'aws-cli',
      accounts: ['111122223333'],
      regions: ['us-east-1'],
      collectedAt: '2026-03-01T10:00:00.000Z',
    });
    await expect(`${JSON.stringify(result.inventory, null, 2)}\n`).toMatchFileSnapshot(
      '../__snapshots__/aws-cli-realistic-inventory.json',
    );
  });

  it('records read coverage for every family, IAM in region "global"', async () => {
    const { inventory } = await loadAwsCliInventory([fixture('realistic')]);
    expect(new Set(coverage(inventory))).toEqual(
      new Set([
        'iam:authorization-details 111122223333 global read',
        ...[
          'ec2:instances',
          'ec2:security-groups',
          'ec2:vpcs',
          'ec2:vpc-attributes',
          'ec2:subnets',
          'ec2:route-tables',
          'ec2:network-acls',
          'ec2:vpc-endpoints',
          'ssm:instance-information',
          'ssm:activations',
          'ssm:maintenance-windows',
          'ssm:maintenance-window-targets',
          'ssm:maintenance-window-tasks',
          // Per window, per window execution and per task run (the files name their parents).
          'ssm:maintenance-window-executions',
          'ssm:maintenance-window-execution-tasks',
          'ssm:maintenance-window-execution-task-invocations',
          'ssm:patch-groups',
          'ssm:instance-patch-states',
          'ssm:dhmc-setting',
        ].map((family) => `${family} 111122223333 us-east-1 read`),
      ]),
    );
  });

  it('keeps hostile tags as plain data and only the default managed-policy version', async () => {
    const { inventory } = await loadAwsCliInventory([fixture('realistic')]);
    const tags = inventory.instances.find((i) => i.instanceId === 'i-0abcabcabcabcabc1')!.tags;
    expect(Object.getPrototypeOf(tags)).toBeNull();
    expect(tags['__proto__']).toBe('polluted');
    expect(tags.Name).toBe("<script>alert('x')</script>");
    expect(tags.long).toHaveLength(2000);
    const boundary = inventory.managedPolicies.find((p) => p.policyName === 'ssm-boundary');
    expect(boundary?.defaultVersionId).toBe('v2');
    expect(JSON.stringify(boundary?.defaultVersion)).toContain('s3:GetObject');
    expect(JSON.stringify(boundary?.defaultVersion)).not.toContain('Deny');
  });

  it('maps a generated fleet to the same resources as inventoryFromFleet (file and API paths agree)', async () => {
    // Prepare
    const fleet = buildExampleFleet();
    const dir = path.join(tmp, 'example-fleet');
    await writeAwsCliFiles(fleet, dir);

    // Act
    const fromFiles = await loadAwsCliInventory([dir]);
    const fromApi = inventoryFromFleet(fleet, { kind: 'aws-cli', inputs: [dir], accounts: [], regions: [] });

    // Assess
    expect(fromFiles.errors).toEqual([]);
    expect(fromFiles.issues).toEqual(fromApi.issues);
    expect(fromFiles.inventory.source.collectedAt).toBe(fleet.collectedAt);
    const { source: _s1, coverage: c1, schemaVersion: _v1, ...files } = fromFiles.inventory;
    const { source: _s2, coverage: c2, schemaVersion: _v2, ...api } = fromApi.inventory;
    // File order (sorted names) differs from API order, and merged VPC attributes land in another key order.
    const sorted = (collections: Record<string, unknown[]>): Record<string, string[]> =>
      Object.fromEntries(Object.entries(collections).map(([k, v]) => [k, v.map(canonicalJson).sort()]));
    expect(sorted(files)).toEqual(sorted(api));
    const families = (c: typeof c1): string[] =>
      [...new Set(c.map((e) => `${e.family} ${e.accountId} ${e.region} ${e.status}`))].sort();
    expect(families(c1)).toEqual(families(c2));
  });
});

describe('recognition by content', () => {
  it('recognises files whatever their name or extension', async () => {
    // Prepare
    const dir = path.join(tmp, 'misnamed');
    await mkdir(dir, { recursive: true });
    await copyFile(path.join(REALISTIC_REGION, 'instances.json'), path.join(dir, 'vpcs.json'));
    await copyFile(path.join(REALISTIC_REGION, 'subnets.json'), path.join(dir, 'output.txt'));

    // Act
    const { inventory, skipped } = await loadAwsCliInventory([dir]);

    // Assess
    expect(inventory.instances).toHaveLength(3);
    expect(inventory.subnets).toHaveLength(2);
    expect(inventory.vpcs).toEqual([]);
    expect(skipped).toEqual([]);
  });

  it('lists unrecognised and non-JSON files as skipped with a reason', async () => {
    const { skipped, inventory } = await loadAwsCliInventory([
      fixture('broken', 'notes.txt'),
      fixture('broken', 'unknown.json'),
      fixture('broken', 'other-setting.json'),
    ]);
    expect(skipped).toEqual([
      { input: fixture('broken', 'notes.txt'), reason: 'not a JSON file' },
      {
        input: fixture('broken', 'unknown.json'),
        reason: 'no recognised AWS API response (top-level keys: "Buckets", "Owner")',
      },
      {
        input: fixture('broken', 'other-setting.json'),
        reason: 'a service setting other than /ssm/managed-instance/default-ec2-instance-management-role',
      },
    ]);
    expect(inventory.coverage).toEqual([]);
    expect(inventory.source.skipped).toEqual(skipped);
  });
});

describe('scope', () => {
  it('reads account and region from nested folders in either order', async () => {
    // Prepare
    const root = await writeTree(path.join(tmp, 'nested'), {
      '222233334444/ap-southeast-4/ssm.json': {
        InstanceInformationList: [{ InstanceId: 'i-1', PingStatus: 'Online' }],
      },
      'us-gov-west-1/333344445555/windows.json': { WindowIdentities: [{ WindowId: 'mw-1', Enabled: true }] },
      'cn-north-1/patch.json': { Mappings: [] },
    });

    // Act
    const { inventory } = await loadAwsCliInventory([root]);

    // Assess
    expect(inventory.managedNodes[0]).toMatchObject({ accountId: '222233334444', region: 'ap-southeast-4' });
    expect(inventory.maintenanceWindows[0]).toMatchObject({
      accountId: '333344445555',
      region: 'us-gov-west-1',
    });
    expect(coverage(inventory)).toContain('ssm:patch-groups * cn-north-1 read');
  });

  it('applies a manifest to its folder and below, with deeper folders winning', async () => {
    // Prepare
    const root = await writeTree(path.join(tmp, 'manifest'), {
      'ssmguard.json': {
        ssmguardSource: {
          collectedAt: '2026-01-02T03:04:05Z',
          accountId: '555566667777',
          region: 'sa-east-1',
        },
      },
      'activations.json': { ActivationList: [{ ActivationId: 'a-1' }] },
      'eu-north-1/activations.json': { ActivationList: [{ ActivationId: 'a-2' }] },
    });

    // Act
    const { inventory, skipped } = await loadAwsCliInventory([root]);

    // Assess
    expect(inventory.activations.map((a) => `${a.activationId} ${a.accountId} ${a.region}`)).toEqual([
      'a-1 555566667777 sa-east-1',
      'a-2 555566667777 eu-north-1',
    ]);
    expect(inventory.source.collectedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(skipped).toEqual([]);
  });

  it('infers scope from content and shares it with the files of the same folder', async () => {
    const { inventory } = await loadAwsCliInventory([fixture('unscoped')]);
    expect(inventory.instances[0]).toMatchObject({ accountId: '444455556666', region: 'eu-west-3' });
    // SSM output names no account or region: it takes them from the instances beside it.
    expect(inventory.managedNodes[0]).toMatchObject({ accountId: '444455556666', region: 'eu-west-3' });
    // A subfolder with nothing to go on stays unscoped: its coverage matches every account and region.
    expect(coverage(inventory)).toContain('ssm:maintenance-windows * * read');
  });

  it('falls back to the options, after folders and content', async () => {
    const { inventory } = await loadAwsCliInventory([fixture('unscoped')], {
      accountId: '999900001111',
      region: 'ca-central-1',
    });
    expect(inventory.managedNodes[0]).toMatchObject({ accountId: '444455556666', region: 'eu-west-3' });
    expect(coverage(inventory)).toContain('ssm:maintenance-windows 999900001111 ca-central-1 read');
  });

  it('reads DHMC "$None" as disabled, scoped by its folders', async () => {
    const { inventory } = await loadAwsCliInventory([fixture('dhmc-none')]);
    expect(inventory.dhmcSettings).toEqual([
      { accountId: '123456789012', region: 'eu-central-1', enabled: false, status: 'Default' },
    ]);
  });
});

describe('bad inputs', () => {
  it('reports a truncated file with its name, line and column, and still loads the rest', async () => {
    // Act
    const result = await loadAwsCliInventory([fixture('broken')]);

    // Assess
    const truncated = result.errors.find((e) => e.file.endsWith('truncated.json'));
    expect(truncated).toBeInstanceOf(InputFileError);
    expect(truncated).toMatchObject({
      code: 'INPUT_JSON_INVALID',
      name: 'InputFileError',
      line: 19,
      column: 2,
    });
    expect(truncated?.message).toMatch(
      /truncated\.json:19:2: not valid JSON: .*\(the file looks truncated\)$/,
    );
    expect(result.inventory.vpcs.map((v) => v.vpcId)).toEqual(['vpc-0b0m000000000001']);
  });

  it('reports an empty .json file as an error and skips an empty non-JSON file', async () => {
    // Prepare
    const root = await writeTree(path.join(tmp, 'empty'), { 'a.json': '', 'b.txt': '', 'c.json': '  \n ' });

    // Act
    const { errors, skipped } = await loadAwsCliInventory([root]);

    // Assess
    expect(errors.map((e) => [e.code, path.basename(e.file), e.line, e.column])).toEqual([
      ['INPUT_JSON_INVALID', 'a.json', 1, 1],
      ['INPUT_JSON_INVALID', 'c.json', 1, 1],
    ]);
    expect(errors[0]?.message).toContain('file is empty');
    expect(skipped).toEqual([{ input: path.join(root, 'b.txt'), reason: 'empty file' }]);
  });

  it('computes line and column for an error in the middle of a file', async () => {
    const root = await writeTree(path.join(tmp, 'typo'), {
      'x.json': '{\n  "Vpcs": [\n    {"VpcId": "vpc-1",}\n  ]\n}\n',
    });
    const { errors } = await loadAwsCliInventory([root]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 3, column: 23 });
    expect(errors[0]?.message).not.toContain('truncated');
  });

  it('reads a file with a UTF-8 byte-order mark', async () => {
    const { inventory, errors } = await loadAwsCliInventory([fixture('broken', 'bom-vpcs.json')]);
    expect(errors).toEqual([]);
    expect(inventory.vpcs).toHaveLength(1);
  });

  it('turns a wrong-shaped file into an issue and an error coverage entry, without crashing', async () => {
    // Act
    const { inventory, issues, errors } = await loadAwsCliInventory([fixture('broken', 'wrong-shape.json')]);

    // Assess
    expect(errors).toEqual([]);
    expect(issues).toEqual([
      {
        code: 'RESPONSE_INVALID',
        origin: fixture('broken', 'wrong-shape.json'),
        path: 'Reservations',
        message: 'expected an array, got a string',
      },
    ]);
    expect(inventory.coverage).toEqual([
      {
        family: 'ec2:instances',
        status: 'error',
        error: { code: 'RESPONSE_INVALID', message: 'Reservations: expected an array, got a string' },
        origin: fixture('broken', 'wrong-shape.json'),
      },
    ]);
  });

  it('maps the good entries of a file with bad ones and names each bad one by JSON path', async () => {
    const { inventory, issues } = await loadAwsCliInventory([fixture('broken', 'bad-entries.json')]);
    expect(inventory.instances.map((i) => i.instanceId)).toEqual(['i-0good000000000001']);
    expect(issues.map((i) => i.path)).toEqual([
      'Reservations[0].Instances[1].State',
      'Reservations[0].Instances[2]',
      'Reservations[0].Instances[3].InstanceId',
      'Reservations[1].Instances',
    ]);
  });

  it('reports every missing path and still loads the others', async () => {
    // Act
    const result = await loadAwsCliInventory([
      path.join(tmp, 'nope-1'),
      fixture('dhmc-none'),
      path.join(tmp, 'nope-2.json'),
    ]);

    // Assess
    expect(result.errors.map((e) => [e.code, e.file])).toEqual([
      ['INPUT_PATH_MISSING', path.join(tmp, 'nope-1')],
      ['INPUT_PATH_MISSING', path.join(tmp, 'nope-2.json')],
    ]);
    expect(result.inventory.dhmcSettings).toHaveLength(1);
    expect(() => assertNoInputErrors(result)).toThrow(AwsCliInputError);
    try {
      assertNoInputErrors(result);
    } catch (error) {
      expect(error).toMatchObject({ code: 'INPUT_FILES_INVALID', name: 'AwsCliInputError' });
      expect((error as AwsCliInputError).errors).toHaveLength(2);
      expect((error as Error).message).toContain('nope-2.json');
    }
  });

  it('rejects a manifest with a malformed account or region', async () => {
    const root = await writeTree(path.join(tmp, 'bad-manifest'), {
      'm.json': { ssmguardSource: { accountId: '123', region: 'mars-1' } },
    });
    const { errors } = await loadAwsCliInventory([root]);
    expect(errors.map((e) => e.code)).toEqual(['INPUT_MANIFEST_INVALID']);
    expect(errors[0]?.message).toContain('accountId must be a 12-digit string');
  });

  it('skips hidden files and folders', async () => {
    const root = await writeTree(path.join(tmp, 'hidden'), {
      '.DS_Store': 'x',
      '.cache/vpcs.json': { Vpcs: [] },
    });
    const { skipped, inventory } = await loadAwsCliInventory([root]);
    expect(skipped.map((s) => path.basename(s.input))).toEqual(['.DS_Store', '.cache']);
    expect(inventory.coverage).toEqual([]);
  });
});

describe('input hash', () => {
  it('hashes the files bytes, independent of their names and folders', async () => {
    const { mkdtempSync, cpSync, renameSync, readdirSync, writeFileSync, readFileSync } =
      await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { exampleFleetDir } = await import('../../../src/package-root.js');
    // Prepare
    const copy = mkdtempSync(join(tmpdir(), 'ssmguard-hash-'));
    cpSync(exampleFleetDir(), copy, { recursive: true });
    const region = join(copy, '111122223333', 'us-east-1');
    const first = readdirSync(region).find((f) => f.startsWith('ec2-describe-instances'))!;
    // Act
    const original = (await loadAwsCliInventory([exampleFleetDir()])).inventory.source.inputHash;
    renameSync(join(region, first), join(region, 'renamed.json'));
    const renamed = (await loadAwsCliInventory([copy])).inventory.source.inputHash;
    writeFileSync(
      join(region, 'renamed.json'),
      readFileSync(join(region, 'renamed.json'), 'utf8').replace('inventory-001', 'inventory-00X'),
    );
    const changed = (await loadAwsCliInventory([copy])).inventory.source.inputHash;
    // Assess
    expect(original).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(renamed).toBe(original);
    expect(changed).not.toBe(original);
  });
});
