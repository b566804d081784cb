// When a maintenance window next runs, judged against a horizon: its schedule read in its time zone, shifted by
// its schedule offset, within its start and end dates.
//
// "Reference: Maintenance window scheduling and active period options": the start and end dates bound the period
// in which the window runs on its schedule; the time zone only says how the schedule is read. For a rate schedule a
// start date in the past counts as now (CreateMaintenanceWindow, StartDate).
// https://docs.aws.amazon.com/systems-manager/latest/userguide/maintenance-windows-schedule-options.html

import type { MaintenanceWindow } from '../../../inventory/model.js';
import { CheckDataError } from '../check-data-error.js';
import { firstFiringBetween, firstMatchingYear, parseSchedule, ScheduleError } from './window-schedule.js';

const DAY_MS = 86_400_000;
// How far "never fires" is searched beyond the horizon (a yearly window fires within it); a cron whose Year field
// allows a later year is "not soon", never "never".
const NEVER_SPAN_MS = 3 * 366 * DAY_MS;

export type Timing =
  { outcome: 'fail'; reason: string; detail: string } | { outcome: 'unverifiable'; detail: string };

/** Undefined when the window fires within the horizon; throws CheckDataError for a schedule it cannot read. */
export function judgeSchedule(
  window: MaintenanceWindow,
  horizonDays: number,
  nowMs: number,
): Timing | undefined {
  const id = window.windowId;
  if (window.schedule === undefined)
    throw new CheckDataError(
      'DATA_INCOMPLETE',
      'PATCH.WINDOW_UNREADABLE',
      `window ${id} has no schedule in the data`,
    );
  const schedule = readable(id, () => parseSchedule(window.schedule!));
  const zone = window.scheduleTimezone ?? 'UTC';
  const horizonMs = horizonDays * DAY_MS;
  const startMs = dateMs(id, 'StartDate', window.startDate, nowMs);
  const endMs = dateMs(id, 'EndDate', window.endDate, Number.POSITIVE_INFINITY);
  const within = `${horizonDays} days`;
  if (endMs < nowMs)
    return {
      outcome: 'fail',
      reason: 'PATCH.SCHEDULE_NEVER_FIRES',
      detail: `window ${id} (${window.schedule}) ended ${window.endDate}, so it never fires again`,
    };
  const fromMs = Math.max(nowMs, startMs);
  const until = Math.min(nowMs + horizonMs, endMs);
  if (schedule.kind === 'rate') return judgeRate(window, schedule.everyMs, fromMs, until, within);
  // SSM also skips a period whose cron date had passed when the window was created with an offset reaching past
  // it; the creation time is in no API, so that first period is not modelled.
  const offset = schedule.kind === 'cron' ? (window.scheduleOffset ?? 0) : 0;
  const fire = (to: number): number | undefined =>
    fromMs > to ? undefined : readable(id, () => firstFiringBetween(schedule, zone, fromMs, to, offset));
  if (fire(until) !== undefined) return undefined;
  const searchedTo = Math.min(nowMs + horizonMs + NEVER_SPAN_MS, endMs);
  const later = fire(searchedTo);
  if (later !== undefined)
    return {
      outcome: 'fail',
      reason: 'PATCH.SCHEDULE_NOT_SOON',
      detail: `window ${id} (${window.schedule}) next fires ${new Date(later).toISOString()}, not within ${within}`,
    };
  // Beyond the span, a Year field may still allow a matching day (cron(0 3 ? * SUN 2040)): the first such year.
  const year =
    endMs > searchedTo ? firstMatchingYear(schedule, new Date(searchedTo).getUTCFullYear()) : undefined;
  const firstThatYear = year === undefined ? undefined : fire(Math.min(Date.UTC(year + 1, 0, 2), endMs));
  if (firstThatYear !== undefined)
    return {
      outcome: 'fail',
      reason: 'PATCH.SCHEDULE_NOT_SOON',
      detail: `window ${id} (${window.schedule}) next fires ${new Date(firstThatYear).toISOString()}, not within ${within}`,
    };
  return {
    outcome: 'fail',
    reason: 'PATCH.SCHEDULE_NEVER_FIRES',
    detail: `window ${id} (${window.schedule}${window.endDate ? `, ending ${window.endDate}` : ''}) never fires again`,
  };
}

/**
 * A rate counts from when the window was created (or its start date), which no API returns: a rate no longer than
 * the horizon fires within it whatever its phase; a longer one is judged by SSM's own NextExecutionTime.
 */
function judgeRate(
  window: MaintenanceWindow,
  everyMs: number,
  fromMs: number,
  until: number,
  within: string,
): Timing | undefined {
  const id = window.windowId;
  // Whatever the phase, a rate fires in every span at least as long as its period.
  if (everyMs <= until - fromMs) return undefined;
  const next = window.nextExecutionTime === undefined ? Number.NaN : Date.parse(window.nextExecutionTime);
  if (!Number.isNaN(next))
    return next <= until
      ? undefined
      : {
          outcome: 'fail',
          reason: 'PATCH.SCHEDULE_NOT_SOON',
          detail: `window ${id} (${window.schedule}) next runs ${window.nextExecutionTime}, not within ${within}`,
        };
  return {
    outcome: 'unverifiable',
    detail: `Cannot be verified from this account: window ${id} runs ${window.schedule}, which may not fall within ${within}, and SSM reports no next run`,
  };
}

/**
 * A StartDate or EndDate in epoch ms. One without an offset is read as UTC, never in the host's time zone (which
 * JavaScript's Date.parse would use, so the CLI and the Lambda could disagree): the window's time zone does not
 * apply to these dates ("the time zone option and the start date and end date options don't influence each other",
 * maintenance-windows-schedule-options, cited above).
 */
function dateMs(windowId: string, field: string, value: string | undefined, absent: number): number {
  if (value === undefined) return absent;
  const withoutOffset = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value.trim());
  const ms = Date.parse(withoutOffset ? `${value.trim()}Z` : value);
  if (Number.isNaN(ms))
    throw new CheckDataError(
      'DATA_INCOMPLETE',
      'PATCH.WINDOW_UNREADABLE',
      `window ${windowId}: ${field} "${value}" is not a date`,
    );
  return ms;
}

/** Runs a schedule read; a schedule or time zone this parser cannot read is ERROR, never a failure of the window. */
function readable<T>(windowId: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    // SSM stored it, so SSM accepted it: a schedule this parser cannot read is ours to fix, not the window's.
    if (error instanceof ScheduleError)
      throw new CheckDataError(
        'SCHEDULE_UNREADABLE',
        'PATCH.SCHEDULE_UNREADABLE',
        `window ${windowId}: ${error.message}`,
        undefined,
        [],
        { cause: error },
      );
    throw error;
  }
}
