// --scp input: the accepted shapes, targets, validation errors with file/line/path, folders, warnings, coverage.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, test } from 'vitest';
import {
  addScpsToInventory,
  loadScpFiles,
  parseScpJson,
  ScpFileError,
} from '../../../src/collectors/scp/index.js';
import { emptyInventory } from '../../../src/inventory/model.js';

const DENY_SSM = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'NoSsm', Effect: 'Deny', Action: 'ssm:*', Resource: '*' }],
};
const FULL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const summary = (id: string, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Id: id,
  Arn: `arn:aws:organizations::999988887777:policy/o-abc/service_control_policy/${id}`,
  Name: name,
  Type: 'SERVICE_CONTROL_POLICY',
  AwsManaged: false,
  ...extra,
});
const describePolicy = (id: string, name: string, content: unknown): Record<string, unknown> => ({
  Policy: {
    PolicySummary: summary(id, name),
    Content: typeof content === 'string' ? content : JSON.stringify(content),
  },
});

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'ssmguard-scp-'));
}

describe('parseScpJson', () => {
  test.for([
    {
      name: 'a plain policy document applies to every account, named after the file',
      body: DENY_SSM,
      expected: [{ policyId: 'file:deny-ssm', name: 'deny-ssm', targetAccountIds: [] }],
    },
    {
      name: 'describe-policy output (Content is a JSON string)',
      body: describePolicy('p-0deny', 'DenySsm', DENY_SSM),
      expected: [{ policyId: 'p-0deny', name: 'DenySsm', targetAccountIds: [] }],
    },
    {
      name: 'an export: ACCOUNT targets, ROOT targets and OU targets with their accounts',
      body: {
        Policies: [
          {
            ...describePolicy('p-0deny', 'DenySsm', DENY_SSM),
            Targets: [
              { TargetId: '111122223333', Type: 'ACCOUNT' },
              { TargetId: '444455556666', Type: 'ACCOUNT' },
            ],
          },
          {
            ...describePolicy('p-FullAWSAccess', 'FullAWSAccess', FULL),
            Targets: [{ TargetId: 'r-ab12', Type: 'ROOT' }],
          },
          {
            PolicySummary: summary('p-0ou', 'OuGuard'),
            Content: JSON.stringify(DENY_SSM),
            Targets: [
              { TargetId: 'ou-ab12-cdef3456', Type: 'ORGANIZATIONAL_UNIT', Accounts: ['777788889999'] },
            ],
          },
        ],
      },
      expected: [
        { policyId: 'p-0deny', name: 'DenySsm', targetAccountIds: ['111122223333', '444455556666'] },
        { policyId: 'p-FullAWSAccess', name: 'FullAWSAccess', targetAccountIds: [] },
        { policyId: 'p-0ou', name: 'OuGuard', targetAccountIds: ['777788889999'] },
      ],
    },
    {
      name: 'an export as a bare array, URL-encoded content',
      body: [
        {
          PolicySummary: summary('p-0enc', 'Encoded'),
          Content: encodeURIComponent(JSON.stringify(DENY_SSM)),
        },
      ],
      expected: [{ policyId: 'p-0enc', name: 'Encoded', targetAccountIds: [] }],
    },
  ])('reads $name', ({ body, expected }) => {
    // Act
    const { policies } = parseScpJson(body, 'scp.json', 'deny-ssm');
    // Assess
    expect(
      policies.map(({ policyId, name, targetAccountIds }) => ({ policyId, name, targetAccountIds })),
    ).toEqual(expected);
    for (const p of policies) expect('document' in p.policy).toBe(true);
  });

  test.for([
    {
      name: 'an unknown shape',
      body: { Foo: 1 },
      message: 'scp.json: not an SCP: expected a policy document',
    },
    {
      name: 'a tag policy',
      body: { Policy: { PolicySummary: summary('p-0tag', 'Tags', { Type: 'TAG_POLICY' }), Content: '{}' } },
      message:
        'scp.json at Policy.PolicySummary.Type: policy p-0tag is a TAG_POLICY, not a SERVICE_CONTROL_POLICY',
    },
    {
      name: 'a describe-policy without Content',
      body: { Policy: { PolicySummary: summary('p-0x', 'X') } },
      message: 'scp.json at Policy.Content: missing the policy document (Content)',
    },
    {
      name: 'Content that is not JSON',
      body: describePolicy('p-0x', 'X', '{"Statement": ['),
      message: 'scp.json at Policy.Content: policy document is not valid JSON',
    },
    {
      name: 'a statement IAM would reject',
      body: describePolicy('p-0x', 'X', { Statement: [{ Effect: 'Deny', Resource: '*' }] }),
      message: 'scp.json at Policy.Content.Statement[0]:',
    },
    {
      name: 'list-policies-for-target output (no content)',
      body: { Policies: [summary('p-0x', 'X')] },
      message: 'scp.json at Policies[0]: lists a policy without its Content',
    },
    {
      name: 'an OU target without its accounts',
      body: {
        Policies: [
          {
            ...describePolicy('p-0x', 'X', DENY_SSM),
            Targets: [{ TargetId: 'ou-ab12-cdef3456', Type: 'ORGANIZATIONAL_UNIT' }],
          },
        ],
      },
      message: 'scp.json at Policies[0].Targets[0]: OU target ou-ab12-cdef3456 needs "Accounts"',
    },
    {
      name: 'an ACCOUNT target that is no account id',
      body: {
        Policies: [
          { ...describePolicy('p-0x', 'X', DENY_SSM), Targets: [{ TargetId: 'prod', Type: 'ACCOUNT' }] },
        ],
      },
      message: 'ACCOUNT target prod is not a 12-digit account id',
    },
  ])('rejects $name, naming file and path', ({ body, message }) => {
    // Act
    const act = (): unknown => parseScpJson(body, 'scp.json', 'scp');
    // Assess
    expect(act).toThrow(ScpFileError);
    expect(act).toThrow(message);
  });

  it('ignores, with a warning, an exported policy attached to no target', () => {
    // Act
    const { policies, warnings } = parseScpJson(
      { Policies: [{ ...describePolicy('p-0x', 'Detached', DENY_SSM), Targets: [] }] },
      'org.json',
      'org',
    );
    // Assess
    expect(policies).toEqual([]);
    expect(warnings).toEqual(['org.json at Policies[0]: SCP Detached is attached to no target; ignored']);
  });
});

describe('loadScpFiles', () => {
  it('reads files and folders (every .json under it, in name order)', async () => {
    // Prepare
    const dir = await tempDir();
    await mkdir(join(dir, 'org'));
    await writeFile(
      join(dir, 'org', 'b-full.json'),
      JSON.stringify(describePolicy('p-FullAWSAccess', 'FullAWSAccess', FULL)),
    );
    await writeFile(
      join(dir, 'org', 'a-deny.json'),
      JSON.stringify(describePolicy('p-0deny', 'DenySsm', DENY_SSM)),
    );
    await writeFile(join(dir, 'org', 'notes.txt'), 'not read');
    await writeFile(join(dir, 'extra.json'), JSON.stringify(DENY_SSM));
    // Act
    const loaded = await loadScpFiles([join(dir, 'org'), join(dir, 'extra.json')]);
    // Assess
    expect(loaded.policies.map((p) => p.policyId)).toEqual(['p-0deny', 'p-FullAWSAccess', 'file:extra']);
    expect(loaded.files).toEqual([
      join(dir, 'org', 'a-deny.json'),
      join(dir, 'org', 'b-full.json'),
      join(dir, 'extra.json'),
    ]);
    expect(loaded.warnings).toEqual([]);
  });

  it('names file, line and column for invalid JSON', async () => {
    // Prepare
    const dir = await tempDir();
    const file = join(dir, 'broken.json');
    await writeFile(file, '{\n  "Statement": [\n    { "Effect": "Deny", }\n  ]\n}\n');
    // Act
    const error = await loadScpFiles([file]).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(ScpFileError);
    expect((error as ScpFileError).line).toBe(3);
    expect((error as ScpFileError).message).toMatch(
      new RegExp(`^${file.replaceAll('/', '\\/')}:3:\\d+: not valid JSON`),
    );
  });

  it('reports a missing path and an empty folder', async () => {
    // Prepare
    const dir = await tempDir();
    // Act + Assess
    await expect(loadScpFiles([join(dir, 'nope.json')])).rejects.toThrow('nope.json: cannot read: ENOENT');
    await expect(loadScpFiles([dir])).rejects.toThrow('folder holds no .json files');
  });

  it('warns when no supplied SCP allows anything (FullAWSAccess left out) and on duplicate ids', async () => {
    // Prepare
    const dir = await tempDir();
    await writeFile(join(dir, 'a.json'), JSON.stringify(describePolicy('p-0deny', 'DenySsm', DENY_SSM)));
    await writeFile(join(dir, 'b.json'), JSON.stringify(describePolicy('p-0deny', 'DenySsm', DENY_SSM)));
    // Act
    const loaded = await loadScpFiles([dir]);
    // Assess
    expect(loaded.policies).toHaveLength(1);
    expect(loaded.warnings).toEqual([
      `${join(dir, 'b.json')}: SCP p-0deny was already supplied; the first copy (and its targets) is used`,
      expect.stringContaining('no supplied SCP allows anything'),
    ]);
  });

  it('adds the policies and an every-account coverage entry to an inventory', async () => {
    // Prepare
    const dir = await tempDir();
    const file = join(dir, 'deny.json');
    await writeFile(file, JSON.stringify(DENY_SSM));
    const inventory = emptyInventory({ kind: 'fixture', inputs: [], accounts: [], regions: [] });
    // Act
    addScpsToInventory(inventory, await loadScpFiles([file]));
    // Assess
    expect(inventory.serviceControlPolicies.map((p) => p.name)).toEqual(['deny']);
    expect(inventory.coverage).toEqual([
      { family: 'org:service-control-policies', status: 'read', origin: file },
    ]);
  });
});
