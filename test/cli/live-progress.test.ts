// The progress line on its own: silent without a TTY, redraws at most once per interval, keeps the last state.

import { describe, expect, it } from 'vitest';
import type { LiveScanProgress } from '../../src/collectors/live/collect-fleet.js';
import { createProgressLine } from '../../src/cli/progress-line.js';

const ERASE = '\r\x1b[2K';

function event(overrides: Partial<LiveScanProgress>): LiveScanProgress {
  return {
    accountId: '111122223333',
    region: 'us-east-1',
    kind: 'ec2:DescribeVpcs',
    status: 'done',
    completed: 1,
    planned: 16,
    apiCalls: 3,
    ...overrides,
  };
}

describe('createProgressLine', () => {
  it('writes nothing at all without a TTY', () => {
    const written: string[] = [];
    const display = createProgressLine((text) => written.push(text), { isTty: false, clock: () => 0 });

    display.onApiCall('sts:GetCallerIdentity', 1);
    display.onProgress(event({}));
    display.finish('done');

    expect(written).toEqual([]);
  });

  it('redraws at most once per interval, and always draws the final state', () => {
    // Prepare
    let now = 0;
    const written: string[] = [];
    const display = createProgressLine((text) => written.push(text), {
      isTty: true,
      clock: () => now,
      intervalMs: 100,
    });

    // Act
    display.onApiCall('sts:GetCallerIdentity', 1);
    now = 50;
    display.onApiCall('ec2:DescribeVpcs', 2);
    now = 150;
    display.onProgress(
      event({ region: 'global', kind: 'iam:GetAccountAuthorizationDetails', completed: 1, apiCalls: 2 }),
    );
    now = 160;
    display.onProgress(
      event({
        region: 'eu-west-1',
        kind: 'ssm:DescribeInstanceInformation',
        status: 'failed',
        completed: 2,
        planned: 31,
        apiCalls: 9,
      }),
    );
    display.finish('done');

    // Assess
    expect(written).toEqual([
      `${ERASE}live scan: connecting…`,
      `${ERASE}live scan: 0 accounts · 0 regions · families 0/0 · 1 API call`,
      `${ERASE}live scan: 1 account · 0 regions · families 1/16 · 2 API calls`,
      `${ERASE}live scan: 1 account · 1 region · families 2/31 · 9 API calls · 1 unreadable`,
      '\n',
    ]);
  });

  it('erases its line when the scan fails, so the error starts a clean line', () => {
    const written: string[] = [];
    const display = createProgressLine((text) => written.push(text), { isTty: true, clock: () => 0 });

    display.finish('failed');

    expect(written).toEqual([`${ERASE}live scan: connecting…`, ERASE]);
  });

  it('shows the retries throttling costs, once there are any', () => {
    const written: string[] = [];
    const display = createProgressLine((text) => written.push(text), { isTty: true, clock: () => 0 });

    display.onApiCall('sts:GetCallerIdentity', 1, 0);
    display.finish('done');
    const display2 = createProgressLine((text) => written.push(text), { isTty: true, clock: () => 0 });
    display2.onApiCall('ec2:DescribeInstances', 5, 1);
    display2.onApiCall('ec2:DescribeInstances', 7, 3);
    display2.finish('done');

    expect(written.filter((text) => text.includes('retr'))).toEqual([
      `${ERASE}live scan: 0 accounts · 0 regions · families 0/0 · 5 API calls · 1 retry`,
      `${ERASE}live scan: 0 accounts · 0 regions · families 0/0 · 7 API calls · 3 retries`,
    ]);
    expect(written).toContain(`${ERASE}live scan: 0 accounts · 0 regions · families 0/0 · 1 API call`);
  });
});
