import { afterEach, describe, expect, test } from 'vitest';
import { judgeSchedule } from '../../../../src/engine/checks/patching/window-timing.js';
import type { MaintenanceWindow } from '../../../../src/inventory/model.js';

// Friday 20 November 2026, noon UTC.
const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const window = (extra: Partial<MaintenanceWindow>): MaintenanceWindow => ({
  accountId: '111122223333',
  region: 'us-east-1',
  windowId: 'mw-0aaaaaaaaaaaaaaa1',
  enabled: true,
  schedule: 'cron(0 13 ? * FRI *)',
  durationHours: 2,
  cutoffHours: 1,
  ...extra,
});

describe('window start and end dates', () => {
  const savedZone = process.env.TZ;
  afterEach(() => {
    process.env.TZ = savedZone;
  });

  test('reads a date without an offset as UTC, whatever the host time zone', () => {
    // EndDate 12:30 (no offset) is before the 13:00 UTC firing: in UTC the window never fires again. Read in the
    // host's zone (Los Angeles, UTC-8) it would end at 20:30 UTC and fire at 13:00.
    for (const zone of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo']) {
      process.env.TZ = zone;
      const timing = judgeSchedule(window({ endDate: '2026-11-20T12:30:00' }), 8, NOW);
      expect(timing, zone).toMatchObject({ outcome: 'fail', reason: 'PATCH.SCHEDULE_NEVER_FIRES' });
    }
  });

  test('honours an explicit offset', () => {
    // 12:30-08:00 is 20:30 UTC, after the 13:00 UTC firing.
    expect(judgeSchedule(window({ endDate: '2026-11-20T12:30:00-08:00' }), 8, NOW)).toBeUndefined();
  });

  test('a start date without an offset delays the first firing (UTC)', () => {
    // Active from 13:30 UTC: today's 13:00 is skipped, next Friday's is 7 days later (within 8 days, not within 6).
    expect(judgeSchedule(window({ startDate: '2026-11-20T13:30:00' }), 8, NOW)).toBeUndefined();
    expect(judgeSchedule(window({ startDate: '2026-11-20T13:30:00' }), 6, NOW)).toMatchObject({
      reason: 'PATCH.SCHEDULE_NOT_SOON',
    });
  });
});
