// Maintenance-window schedules as Systems Manager defines them: cron(…), rate(…) and at(…), read in the window's
// time zone, and the next time one fires within a span.
//
// Reference: "Reference: Cron and rate expressions for Systems Manager"
// https://docs.aws.amazon.com/systems-manager/latest/userguide/reference-cron-and-rate-expressions.html
// - cron has six fields (Minutes Hours Day-of-month Month Day-of-week Year), with an optional leading Seconds
//   field for maintenance windows; Day-of-month and Day-of-week cannot both hold a value: one of them is "?".
// - values: Minutes 0-59, Hours 0-23, Day-of-month 1-31 (wildcards , - * ? / L W), Month 1-12 or JAN-DEC,
//   Day-of-week 1-7 or SUN-SAT (1 = Sunday; wildcards , - * ? / L #), Year 1970-2199.
// - rate(value unit): unit minute(s), hour(s) or day(s); singular exactly when the value is 1.
// - at(yyyy-mm-ddThh:mm:ss): runs once.
// - ScheduleOffset (cron only): the window runs that many days after the date the cron expression gives.

import { CheckerError } from '../../../errors.js';

/** A schedule SSM would accept that this parser cannot read (or that SSM would reject). */
export class ScheduleError extends CheckerError {
  readonly code = 'SCHEDULE_UNREADABLE';
  constructor(
    readonly schedule: string,
    detail: string,
  ) {
    super(`schedule "${schedule}": ${detail}`);
    this.name = 'ScheduleError';
  }
}

interface CronSchedule {
  kind: 'cron';
  minutes: readonly number[];
  hours: readonly number[];
  /** Days of month 1-31, or special forms; undefined when the field is "?". */
  dayOfMonth?: DayOfMonth;
  months: ReadonlySet<number>;
  dayOfWeek?: DayOfWeek;
  years: ReadonlySet<number>;
}
type DayOfMonth = {
  days: ReadonlySet<number>;
  last: boolean;
  lastWeekday: boolean;
  nearestWeekday: number[];
};
type DayOfWeek = { days: ReadonlySet<number>; lastOf: number[]; nth: [number, number][] };

export type Schedule = CronSchedule | { kind: 'rate'; everyMs: number } | { kind: 'at'; local: LocalTime };

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const DAY_MS = 86_400_000;

/** Parses a maintenance-window schedule; throws ScheduleError naming what is wrong. */
export function parseSchedule(schedule: string): Schedule {
  const expr = schedule.trim();
  const match = /^(cron|rate|at)\((.*)\)$/.exec(expr);
  if (!match) throw new ScheduleError(schedule, 'not a cron(…), rate(…) or at(…) expression');
  const [, kind, body] = match as unknown as [string, string, string];
  if (kind === 'rate') return parseRate(schedule, body.trim());
  if (kind === 'at') return parseAt(schedule, body.trim());
  return parseCron(schedule, body.trim().split(/\s+/));
}

function parseRate(schedule: string, body: string): Schedule {
  const m = /^(\d+)\s+(minute|minutes|hour|hours|day|days)$/.exec(body);
  if (!m) throw new ScheduleError(schedule, 'rate needs "value unit" with unit minute(s), hour(s) or day(s)');
  const value = Number(m[1]);
  const unit = m[2]!;
  if (value < 1) throw new ScheduleError(schedule, 'rate value must be a positive number');
  // The documented rule: rate(1 hours) and rate(5 hour) are not valid.
  if ((value === 1) !== !unit.endsWith('s'))
    throw new ScheduleError(schedule, 'rate unit is singular exactly when the value is 1');
  return { kind: 'rate', everyMs: value * UNIT_MS[unit.replace(/s$/, '')]! };
}

function parseAt(schedule: string, body: string): Schedule {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
  if (!m) throw new ScheduleError(schedule, 'at needs yyyy-mm-ddThh:mm:ss');
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    throw new ScheduleError(schedule, 'at names a time that does not exist');
  return { kind: 'at', local: { year, month, day, hour, minute, second } };
}

function parseCron(schedule: string, fields: string[]): Schedule {
  if (fields.length === 7) fields = fields.slice(1); // the optional Seconds field only moves the time within a minute
  if (fields.length !== 6)
    throw new ScheduleError(schedule, `cron needs 6 fields (or 7 with seconds), got ${fields.length}`);
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?'))
    throw new ScheduleError(schedule, 'exactly one of Day-of-month and Day-of-week must be "?"');
  const fail = (detail: string): never => {
    throw new ScheduleError(schedule, detail);
  };
  return {
    kind: 'cron',
    minutes: [...numberSet(min, 0, 59, [], 'Minutes', fail)].sort((a, b) => a - b),
    hours: [...numberSet(hour, 0, 23, [], 'Hours', fail)].sort((a, b) => a - b),
    ...(dom !== '?' && { dayOfMonth: parseDayOfMonth(dom, fail) }),
    months: numberSet(month, 1, 12, MONTHS, 'Month', fail),
    ...(dow !== '?' && { dayOfWeek: parseDayOfWeek(dow, fail) }),
    years: numberSet(year, 1970, 2199, [], 'Year', fail),
  };
}

/** `*`, `a`, `a-b`, `a/step`, `*\/step`, `a-b/step`, comma lists; names (JAN, SUN) where the field has them. */
function numberSet(
  field: string,
  min: number,
  max: number,
  names: readonly string[],
  label: string,
  fail: (detail: string) => never,
): Set<number> {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) fail(`${label}: bad increment in "${part}"`);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [min, max];
    else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      [from, to] = [value(a, min, max, names, label, fail), value(b, min, max, names, label, fail)];
    } else {
      from = value(range, min, max, names, label, fail);
      // "a/step" runs from a to the end of the range.
      to = stepText === undefined ? from : max;
    }
    if (from > to) fail(`${label}: range "${range}" runs backwards`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

function value(
  text: string,
  min: number,
  max: number,
  names: readonly string[],
  label: string,
  fail: (detail: string) => never,
): number {
  const named = names.indexOf(text.toUpperCase());
  const v = named !== -1 ? named + min : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(v) || v < min || v > max) fail(`${label}: "${text}" is not in ${min}-${max}`);
  return v;
}

function parseDayOfMonth(field: string, fail: (detail: string) => never): DayOfMonth {
  const plain: string[] = [];
  const out = { days: new Set<number>(), last: false, lastWeekday: false, nearestWeekday: [] as number[] };
  for (const part of field.split(',')) {
    if (part === 'L') out.last = true;
    else if (part === 'LW') out.lastWeekday = true;
    else if (/^\d+W$/.test(part))
      out.nearestWeekday.push(value(part.slice(0, -1), 1, 31, [], 'Day-of-month', fail));
    else plain.push(part);
  }
  if (plain.length > 0) out.days = numberSet(plain.join(','), 1, 31, [], 'Day-of-month', fail);
  return out;
}

function parseDayOfWeek(field: string, fail: (detail: string) => never): DayOfWeek {
  const plain: string[] = [];
  const out = { days: new Set<number>(), lastOf: [] as number[], nth: [] as [number, number][] };
  for (const part of field.split(',')) {
    if (part === 'L')
      out.days.add(7); // "L" alone is the last day of the week, Saturday
    else if (/^\w+L$/.test(part))
      out.lastOf.push(value(part.slice(0, -1), 1, 7, WEEKDAYS, 'Day-of-week', fail));
    else if (part.includes('#')) {
      const [day, nth] = part.split('#') as [string, string];
      const n = Number(nth);
      if (!Number.isInteger(n) || n < 1 || n > 5) fail(`Day-of-week: "${part}" needs #1 to #5`);
      out.nth.push([value(day, 1, 7, WEEKDAYS, 'Day-of-week', fail), n]);
    } else plain.push(part);
  }
  if (plain.length > 0)
    for (const d of numberSet(plain.join(','), 1, 7, WEEKDAYS, 'Day-of-week', fail)) out.days.add(d);
  return out;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 1 = Sunday … 7 = Saturday, as SSM numbers them. */
function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

function isWeekday(year: number, month: number, day: number): boolean {
  const w = weekday(year, month, day);
  return w !== 1 && w !== 7;
}

/** The weekday nearest to `day` within the same month ("15W"). */
function nearestWeekday(year: number, month: number, day: number): number {
  const last = daysInMonth(year, month);
  const d = Math.min(day, last);
  if (isWeekday(year, month, d)) return d;
  const w = weekday(year, month, d);
  if (w === 7) return d === 1 ? 3 : d - 1; // Saturday: the Friday before, unless that leaves the month
  return d === last ? d - 2 : d + 1; // Sunday: the Monday after, unless that leaves the month
}

function dayMatches(cron: CronSchedule, year: number, month: number, day: number): boolean {
  if (!cron.years.has(year) || !cron.months.has(month)) return false;
  const last = daysInMonth(year, month);
  if (cron.dayOfMonth) {
    const dom = cron.dayOfMonth;
    if (dom.days.has(day) || (dom.last && day === last)) return true;
    if (dom.lastWeekday && day === nearestWeekday(year, month, last) && isWeekday(year, month, day))
      return true;
    return dom.nearestWeekday.some((d) => d <= last && nearestWeekday(year, month, d) === day);
  }
  const dow = cron.dayOfWeek!;
  const w = weekday(year, month, day);
  if (dow.days.has(w)) return true;
  if (dow.lastOf.includes(w) && day + 7 > last) return true;
  return dow.nth.some(([d, n]) => d === w && Math.ceil(day / 7) === n);
}

// ---- Time zones: Intl gives the offset of a zone at an instant; local wall time → UTC by two corrections.

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = FORMATTERS.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    FORMATTERS.set(timeZone, f);
  }
  return f;
}

/** The wall time in `timeZone` at an instant. Throws ScheduleError for a zone Intl does not know. */
function localTimeAt(ms: number, timeZone: string): LocalTime {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = formatter(timeZone).formatToParts(ms);
  } catch {
    throw new ScheduleError(timeZone, 'unknown time zone');
  }
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

function asUtcMs(t: LocalTime): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
}

/** The instant a wall time in `timeZone` names (a time skipped by a DST change lands just after the gap). */
export function zonedToUtc(t: LocalTime, timeZone: string): number {
  const wall = asUtcMs(t);
  let guess = wall - (asUtcMs(localTimeAt(wall, timeZone)) - wall);
  guess = wall - (asUtcMs(localTimeAt(guess, timeZone)) - guess);
  return guess;
}

/**
 * The first instant in [fromMs, untilMs] at which the schedule fires, or undefined. Rates have no phase here
 * (it starts when the window was created, which no API returns): callers decide about rates themselves.
 */
export function firstFiringBetween(
  schedule: Schedule,
  timeZone: string,
  fromMs: number,
  untilMs: number,
  offsetDays = 0,
): number | undefined {
  if (schedule.kind === 'rate') return undefined;
  if (schedule.kind === 'at') {
    const at = zonedToUtc(schedule.local, timeZone);
    return at >= fromMs && at <= untilMs ? at : undefined;
  }
  // Cron dates are searched offset days earlier; the window runs offset days after each.
  const start = localTimeAt(fromMs - offsetDays * DAY_MS, timeZone);
  const end = localTimeAt(untilMs - offsetDays * DAY_MS, timeZone);
  let day = Date.UTC(start.year, start.month - 1, start.day);
  const lastDay = Date.UTC(end.year, end.month - 1, end.day);
  for (; day <= lastDay; day += DAY_MS) {
    const d = new Date(day);
    const [year, month, date] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    if (!dayMatches(schedule, year, month, date)) continue;
    for (const hour of schedule.hours)
      for (const minute of schedule.minutes) {
        const cronMs = zonedToUtc({ year, month, day: date, hour, minute, second: 0 }, timeZone);
        const runMs =
          offsetDays === 0
            ? cronMs
            : zonedToUtc(
                localPlusDays({ year, month, day: date, hour, minute, second: 0 }, offsetDays),
                timeZone,
              );
        if (runMs > untilMs) return undefined;
        if (runMs >= fromMs) return runMs;
      }
  }
  return undefined;
}

function localPlusDays(t: LocalTime, days: number): LocalTime {
  const d = new Date(Date.UTC(t.year, t.month - 1, t.day + days));
  return { ...t, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * The first year from `fromYear` (up to the cron range's end, 2199) with a day the cron expression matches, or
 * undefined: whether a schedule that does not fire in the next few years ever fires at all.
 */
export function firstMatchingYear(schedule: Schedule, fromYear: number): number | undefined {
  if (schedule.kind !== 'cron') return undefined;
  for (let year = fromYear; year <= 2199; year++) {
    if (!schedule.years.has(year)) continue;
    for (let day = Date.UTC(year, 0, 1); day < Date.UTC(year + 1, 0, 1); day += DAY_MS) {
      const d = new Date(day);
      if (dayMatches(schedule, year, d.getUTCMonth() + 1, d.getUTCDate())) return year;
    }
  }
  return undefined;
}
