// What a baseline approves is covered per baseline: one failed GetPatchBaseline leaves the others readable, and
// a baseline named by ARN in one API and by pb- id in another is the same baseline.

import { describe, expect, it } from 'vitest';

import { InventoryBuilder } from '../../../../src/collectors/api/inventory-builder.js';
import { baselineDetail } from '../../../../src/engine/checks/patching/patch-baselines.js';
import { DataUnavailableError } from '../../../../src/inventory/coverage.js';
import { InventoryIndex } from '../../../../src/inventory/inventory-index.js';

const scope = { accountId: '111122223333', region: 'us-east-1' };
const PREDEFINED = 'arn:aws:ssm:us-east-1:075727635805:patchbaseline/pb-0f4c1e2d3b5a69788';

function indexWith(failedBaseline: string): InventoryIndex {
  const builder = new InventoryBuilder();
  builder.addResponse(
    'ssm:GetPatchBaseline',
    {
      BaselineId: 'pb-0aaaaaaaaaaaaaaa1',
      Name: 'web',
      OperatingSystem: 'AMAZON_LINUX_2023',
      ApprovalRules: { PatchRules: [] },
    },
    scope,
    'web.json',
  );
  builder.addResponse(
    'ssm:GetPatchBaseline',
    {
      BaselineId: PREDEFINED,
      Name: 'AWS-AmazonLinux2023DefaultPatchBaseline',
      OperatingSystem: 'AMAZON_LINUX_2023',
    },
    scope,
    'default.json',
  );
  builder.addFailure(
    {
      kind: 'ssm:GetPatchBaseline',
      code: 'AccessDeniedException',
      message: 'denied',
      parentId: failedBaseline,
    },
    scope,
    'live',
  );
  const { inventory } = builder.build({ kind: 'live', inputs: [], accounts: [], regions: [] });
  return new InventoryIndex(inventory);
}

describe('baseline details', () => {
  it('fail for the baseline whose call failed, and only for it', () => {
    const index = indexWith('pb-0bbbbbbbbbbbbbbb2');

    const failed = baselineDetail(index, scope, 'pb-0bbbbbbbbbbbbbbb2');
    expect(failed).toBeInstanceOf(DataUnavailableError);
    expect((failed as DataUnavailableError).message).toContain('pb-0bbbbbbbbbbbbbbb2');
    expect(baselineDetail(index, scope, 'pb-0aaaaaaaaaaaaaaa1')).toMatchObject({ baselineName: 'web' });
  });

  it('find a predefined baseline by ARN or by pb- id, and treat an unread baseline as missing', () => {
    const index = indexWith('pb-0bbbbbbbbbbbbbbb2');

    expect(baselineDetail(index, scope, 'pb-0f4c1e2d3b5a69788')).toMatchObject({
      baselineName: 'AWS-AmazonLinux2023DefaultPatchBaseline',
    });
    expect(baselineDetail(index, scope, PREDEFINED)).toMatchObject({
      baselineName: 'AWS-AmazonLinux2023DefaultPatchBaseline',
    });
    const unread = baselineDetail(index, scope, 'pb-0ccccccccccccccc3');
    expect(unread).toBeInstanceOf(DataUnavailableError);
    expect((unread as DataUnavailableError).code).toBe('DATA_MISSING');
  });
});
