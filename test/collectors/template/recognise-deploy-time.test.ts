// Templates and plans are recognised by content, like every other input, without reading a large export twice.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { deployTimeKindOf } from '../../../src/collectors/template/load-template.js';
import { exampleFleetDir } from '../../../src/package-root.js';

const dir = mkdtempSync(join(tmpdir(), 'ssmguard-recognise-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FIXTURES = new URL('../../fixtures/template/', import.meta.url).pathname;

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('deployTimeKindOf', () => {
  it.each([
    ['a YAML template', join(FIXTURES, 'cloudformation', 'example-scenarios.yaml'), 'cloudformation'],
    ['a truncated JSON template', join(FIXTURES, 'cloudformation', 'truncated.json'), 'cloudformation'],
    ['a Terraform plan', join(FIXTURES, 'terraform', 'sg-22-open', 'plan.json'), 'terraform'],
  ])('recognises %s', async (_what, path, kind) => {
    expect(await deployTimeKindOf(path)).toBe(kind);
  });

  it('a JSON template with the Resources section first', async () => {
    const path = file('t.json', '{"Resources": {"Web": {"Type": "AWS::EC2::Instance", "Properties": {}}}}');
    expect(await deployTimeKindOf(path)).toBe('cloudformation');
  });

  it.each([
    ['AWS CLI output', join(exampleFleetDir(), '111122223333', 'us-east-1', 'ec2-describe-instances.json')],
    ['a gzip file', file('x.json.gz', gzipSync('{"AWSTemplateFormatVersion": "2010-09-09"}'))],
    ['YAML that is not a template', file('policy.yaml', 'rules:\n  - ec2-instance-profile-attached\n')],
    ['an empty file', file('empty.json', '')],
    ['a JSON object naming format_version only', file('v.json', '{"format_version": "1.2"}')],
    ['a missing file', join(dir, 'missing.yaml')],
  ])('leaves %s to the other sources', async (_what, path) => {
    expect(await deployTimeKindOf(path)).toBeUndefined();
  });
});
