import { describe, expect, it } from 'vitest';
import {
  PATCH_BUCKETS,
  bucketObjectArn,
  patchBucketsFor,
} from '../../../src/engine/checks/network-path/patch-buckets.js';

describe('Patch Manager buckets per Region', () => {
  it('lists the 29 Regions of the AWS page, each bucket named after its Region', () => {
    expect(PATCH_BUCKETS.size).toBe(29);
    for (const [region, row] of PATCH_BUCKETS) {
      expect(row.documents.startsWith(`aws-patch-manager-${region}-`)).toBe(true);
      expect(row.macosDocuments.startsWith(`aws-patchmanager-macos-${region}-`)).toBe(true);
      expect(row.snapshots.startsWith(`patch-baseline-snapshot-${region}`)).toBe(true);
    }
  });

  it('keeps the suffixed snapshot buckets (me-south-1) and the plain ones (us-east-1)', () => {
    expect(patchBucketsFor('me-south-1', 'linux')).toEqual({
      kind: 'known',
      buckets: ['aws-patch-manager-me-south-1-a53fc9dce', 'patch-baseline-snapshot-me-south-1-uduvl7q8'],
      source: expect.stringContaining('patch-operations-s3-buckets'),
    });
    expect(patchBucketsFor('us-east-1', 'windows')).toMatchObject({
      buckets: ['aws-patch-manager-us-east-1-1970c647d', 'patch-baseline-snapshot-us-east-1'],
    });
  });

  it('uses the macOS documents bucket for macOS', () => {
    expect(patchBucketsFor('eu-west-1', 'macos')).toMatchObject({
      buckets: ['aws-patchmanager-macos-eu-west-1-5522fb710', 'patch-baseline-snapshot-eu-west-1'],
    });
  });

  it('answers unknown for a Region the page does not list (China, GovCloud, new Regions)', () => {
    for (const region of ['cn-north-1', 'us-gov-west-1', 'ap-southeast-7', '']) {
      const answer = patchBucketsFor(region, 'linux');
      expect(answer.kind).toBe('unknown');
    }
  });

  it('names the object ARN an endpoint policy must allow s3:GetObject on', () => {
    expect(bucketObjectArn('patch-baseline-snapshot-us-east-1')).toBe(
      'arn:aws:s3:::patch-baseline-snapshot-us-east-1/*',
    );
  });
});
