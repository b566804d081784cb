// The live-scan progress display: one status line on stderr, redrawn in place, shown only on a terminal.

import type { LiveScanProgress } from '../collectors/live/collect-fleet.js';
import { neutraliseControls } from '../neutralise-controls.js';

/** What a live scan reports to, and the end of the display (the line is kept on success, erased on failure). */
export interface ProgressDisplay {
  onProgress(event: LiveScanProgress): void;
  onApiCall(operation: string, total: number, retries?: number): void;
  finish(outcome: 'done' | 'failed'): void;
}

export interface ProgressLineOptions {
  /** Draw at all: only when stderr is a TTY, so logs and pipes stay clean. */
  isTty: boolean;
  clock: () => number;
  /** Least time between two redraws (default 100 ms); the first and last draws always happen. */
  intervalMs?: number;
}

// Carriage return, then "erase whole line" (ECMA-48 EL, CSI 2 K): the cursor stays on the same row.
const REDRAW = '\r\x1b[2K';

const SILENT: ProgressDisplay = { onProgress: () => {}, onApiCall: () => {}, finish: () => {} };

/**
 * A single redrawn line: accounts and regions seen so far, resource families read out of those planned
 * (the plan grows as each account's regions are known), API calls sent (pages and retries), and how many
 * families could not be read. Without a TTY it writes nothing at all.
 */
export function createProgressLine(
  write: (text: string) => void,
  options: ProgressLineOptions,
): ProgressDisplay {
  if (!options.isTty) return SILENT;
  const interval = options.intervalMs ?? 100;
  const accounts = new Set<string>();
  const regions = new Set<string>();
  const state = { completed: 0, planned: 0, apiCalls: 0, retries: 0, unreadable: 0 };
  let lastDraw = Number.NEGATIVE_INFINITY;

  const line = (): string => {
    const parts = [
      `${accounts.size} ${plural(accounts.size, 'account')}`,
      `${regions.size} ${plural(regions.size, 'region')}`,
      `families ${state.completed}/${state.planned}`,
      `${state.apiCalls} API ${plural(state.apiCalls, 'call')}`,
    ];
    // Throttling shows as retries: the scan is slowed, not blinded.
    if (state.retries > 0) parts.push(`${state.retries} ${plural(state.retries, 'retry', 'retries')}`);
    if (state.unreadable > 0) parts.push(`${state.unreadable} unreadable`);
    return `live scan: ${parts.join(' · ')}`;
  };
  const draw = (force: boolean): void => {
    const now = options.clock();
    if (!force && now - lastDraw < interval) return;
    lastDraw = now;
    // Only counts today; neutralised all the same, so a future account alias or error text cannot drive the terminal.
    write(`${REDRAW}${neutraliseControls(line())}`);
  };

  write(`${REDRAW}live scan: connecting…`);
  return {
    onProgress(event) {
      accounts.add(event.accountId);
      if (event.region !== 'global') regions.add(event.region);
      state.completed = event.completed;
      state.planned = event.planned;
      state.apiCalls = Math.max(state.apiCalls, event.apiCalls);
      if (event.status === 'failed') state.unreadable += 1;
      draw(false);
    },
    onApiCall(_operation, total, retries = 0) {
      state.apiCalls = Math.max(state.apiCalls, total);
      state.retries = Math.max(state.retries, retries);
      draw(false);
    },
    finish(outcome) {
      if (outcome === 'failed') write(REDRAW);
      else {
        draw(true);
        write('\n');
      }
    },
  };
}

function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return count === 1 ? noun : nouns;
}
