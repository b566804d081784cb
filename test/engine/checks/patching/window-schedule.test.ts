import { describe, expect, test } from 'vitest';
import {
  firstFiringBetween,
  parseSchedule,
  ScheduleError,
} from '../../../../src/engine/checks/patching/window-schedule.js';

// Friday 20 November 2026, noon UTC.
const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const DAY = 86_400_000;
const next = (schedule: string, zone = 'UTC', days = 400, offset = 0): string | undefined => {
  const at = firstFiringBetween(parseSchedule(schedule), zone, NOW, NOW + days * DAY, offset);
  return at === undefined ? undefined : new Date(at).toISOString();
};

describe('maintenance-window schedules (SSM cron and rate reference)', () => {
  test.for([
    { schedule: 'cron(0 3 ? * SUN *)', expected: '2026-11-22T03:00:00.000Z' },
    { schedule: 'cron(30 23 ? * TUE#3 *)', expected: '2026-12-15T23:30:00.000Z' },
    { schedule: 'cron(0 2 ? * THU#3 *)', expected: '2026-12-17T02:00:00.000Z' },
    { schedule: 'cron(15 10 ? * MON-FRI *)', expected: '2026-11-23T10:15:00.000Z' },
    { schedule: 'cron(0 2 L * ? *)', expected: '2026-11-30T02:00:00.000Z' },
    { schedule: 'cron(15 10 ? * 6L *)', expected: '2026-11-27T10:15:00.000Z' },
    { schedule: 'cron(0 4 15W * ? *)', expected: '2026-12-15T04:00:00.000Z' },
    { schedule: 'cron(0 4 LW * ? *)', expected: '2026-11-30T04:00:00.000Z' },
    { schedule: 'cron(0/15 * * * ? *)', expected: '2026-11-20T12:00:00.000Z' },
    { schedule: 'cron(24 30 09 ? * * *)', expected: '2026-11-21T09:30:00.000Z' },
    { schedule: 'cron(0 12 1 JAN,JUL ? 2027)', expected: '2027-01-01T12:00:00.000Z' },
    { schedule: 'cron(0 2 30 2 ? *)', expected: undefined },
    { schedule: 'cron(0 3 ? * SUN 2025)', expected: undefined },
    { schedule: 'at(2026-11-21T05:00:00)', expected: '2026-11-21T05:00:00.000Z' },
    { schedule: 'at(2026-11-01T05:00:00)', expected: undefined },
  ])('$schedule next fires at $expected', ({ schedule, expected }) => {
    expect(next(schedule)).toBe(expected);
  });

  test('reads cron in the window time zone, across a change of daylight saving time', () => {
    // 02:30 in New York on 20 March 2027 (EDT, UTC-4, from 14 March) and 2 March (EST, UTC-5).
    expect(next('cron(30 2 20 3 ? *)', 'America/New_York')).toBe('2027-03-20T06:30:00.000Z');
    expect(next('cron(30 2 2 3 ? *)', 'America/New_York')).toBe('2027-03-02T07:30:00.000Z');
    expect(next('cron(0 23 ? * FRI *)', 'America/Los_Angeles')).toBe('2026-11-21T07:00:00.000Z');
  });

  test('shifts cron dates by the schedule offset', () => {
    // Third Tuesday of December is the 15th; two days later is the 17th.
    expect(next('cron(30 23 ? * TUE#3 *)', 'UTC', 400, 2)).toBe('2026-12-17T23:30:00.000Z');
  });

  test('parses rates with the documented singular and plural units', () => {
    expect(parseSchedule('rate(1 day)')).toEqual({ kind: 'rate', everyMs: DAY });
    expect(parseSchedule('rate(30 minutes)')).toEqual({ kind: 'rate', everyMs: 30 * 60_000 });
    expect(parseSchedule('rate(5 hours)')).toEqual({ kind: 'rate', everyMs: 5 * 3_600_000 });
  });

  test.for([
    'rate(1 hours)',
    'rate(5 hour)',
    'rate(0 days)',
    'rate(2 weeks)',
    'cron(0 3 ? * SUN)',
    'cron(0 3 * * SUN *)',
    'cron(0 3 ? * ? *)',
    'cron(60 3 ? * SUN *)',
    'cron(0 3 ? * FUN *)',
    'cron(0 3 ? * MON#6 *)',
    'cron(0 3 32 * ? *)',
    'at(2026-02-30T05:00:00)',
    'every sunday',
  ])('rejects %s with a ScheduleError', (schedule) => {
    expect(() => parseSchedule(schedule)).toThrow(ScheduleError);
  });

  test('rejects an unknown time zone', () => {
    expect(() => next('cron(0 3 ? * SUN *)', 'Mars/Olympus_Mons')).toThrow(ScheduleError);
  });
});
