// Where a scan's time goes, phase by phase (read, decode, hash, parse, map, index, evaluate, report model, render,
// write) and how much of it was garbage collection: off unless started (`scan --profile-phases`, `npm run bench`),
// when each timed phase costs one branch.

import { PerformanceObserver } from 'node:perf_hooks';

export const PHASES = [
  'read',
  'decode',
  'hash',
  'parse',
  'map',
  'index',
  'evaluate',
  'report model',
  'render',
  'write',
] as const;
export type Phase = (typeof PHASES)[number];

/** Milliseconds per phase (only phases that ran), the GC pauses within them, and the wall time profiled. */
export interface PhaseBreakdown {
  phases: Partial<Record<Phase, number>>;
  gcMs: number;
  wallMs: number;
}

class PhaseRecorder {
  readonly spent = new Map<Phase, number>();
  gcMs = 0;
  readonly startedAt = performance.now();
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) this.gcMs += entry.duration;
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  add(phase: Phase, ms: number): void {
    this.spent.set(phase, (this.spent.get(phase) ?? 0) + ms);
  }

  stop(): PhaseBreakdown {
    // GC entries are delivered asynchronously; take what has arrived (the caller awaits a tick before stopping).
    for (const entry of this.observer.takeRecords()) this.gcMs += entry.duration;
    this.observer.disconnect();
    const phases: Partial<Record<Phase, number>> = {};
    for (const phase of PHASES) {
      const ms = this.spent.get(phase);
      if (ms !== undefined) phases[phase] = ms;
    }
    return { phases, gcMs: this.gcMs, wallMs: performance.now() - this.startedAt };
  }
}

let active: PhaseRecorder | undefined;

/** Starts recording (replacing a recording in progress). */
export function startPhaseProfile(): void {
  active = new PhaseRecorder();
}

/** Stops recording and returns the breakdown; undefined when nothing was recording. */
export async function stopPhaseProfile(): Promise<PhaseBreakdown | undefined> {
  const recorder = active;
  if (!recorder) return undefined;
  await new Promise((resolve) => setImmediate(resolve));
  active = undefined;
  return recorder.stop();
}

/** Runs `fn`, adding its time to `phase` when a profile is recording. */
export function timed<T>(phase: Phase, fn: () => T): T {
  const recorder = active;
  if (!recorder) return fn();
  const start = performance.now();
  try {
    return fn();
  } finally {
    recorder.add(phase, performance.now() - start);
  }
}

/** As `timed`, for a promise: the wall time until it settles. */
export async function timedAsync<T>(phase: Phase, fn: () => Promise<T>): Promise<T> {
  const recorder = active;
  if (!recorder) return fn();
  const start = performance.now();
  try {
    return await fn();
  } finally {
    recorder.add(phase, performance.now() - start);
  }
}

/** Adds time measured elsewhere (e.g. the wall time of a write, minus the rendering inside it). */
export function addPhaseTime(phase: Phase, ms: number): void {
  active?.add(phase, ms);
}

/** Whether a profile is recording (to skip measuring work that only a profile wants). */
export const profiling = (): boolean => active !== undefined;

/** Wraps chunks so the time spent producing each one counts as `phase`. */
export function* timedChunks(phase: Phase, chunks: Iterable<string>): Generator<string, void, undefined> {
  if (!active) {
    yield* chunks;
    return;
  }
  const iterator = chunks[Symbol.iterator]();
  for (;;) {
    const next = timed(phase, () => iterator.next());
    if (next.done) return;
    yield next.value;
  }
}

/** The breakdown as lines of text: phases with ms and share of the wall time, then GC. */
export function formatPhaseBreakdown(breakdown: PhaseBreakdown): string[] {
  const pct = (ms: number): string => `${((ms / breakdown.wallMs) * 100).toFixed(1)}%`;
  const lines = Object.entries(breakdown.phases).map(
    ([phase, ms]) => `${phase.padEnd(13)} ${Math.round(ms).toString().padStart(7)} ms  ${pct(ms)}`,
  );
  lines.push(
    `${'(of which GC)'.padEnd(13)} ${Math.round(breakdown.gcMs).toString().padStart(7)} ms  ${pct(breakdown.gcMs)}`,
  );
  lines.push(`${'wall'.padEnd(13)} ${Math.round(breakdown.wallMs).toString().padStart(7)} ms`);
  return lines;
}
