// The apply log: one JSON object per line, appended as each change settles, so an interrupted run still
// leaves an accurate record. `fix --undo LOG` reads it back.

import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { CheckerError } from '../../errors.js';
import type { Change } from '../plan/plan-types.js';

export type ChangeOutcome =
  | 'applied'
  | 'already-done'
  | 'refused'
  | 'failed'
  | 'blocked'
  | 'undone'
  | 'already-undone'
  | 'not-reversible';

export interface LogHeader {
  type: 'start';
  mode: 'apply' | 'undo';
  at: string;
  accountId: string;
  /** The plan's scan input hash, or the log being undone. */
  source: string;
  changes: number;
}

export interface LogEntry {
  type: 'change';
  at: string;
  outcome: ChangeOutcome;
  /** Why it was refused, failed or blocked; or what AWS assigned (an association or endpoint id). */
  detail?: string;
  /** The SDK error name, for failures. */
  errorCode?: string;
  change: Change;
}

export interface LogEnd {
  type: 'end';
  at: string;
  counts: Partial<Record<ChangeOutcome, number>>;
}

export type LogLine = LogHeader | LogEntry | LogEnd;

export class ApplyLogError extends CheckerError {
  readonly code = 'FIX_LOG_INVALID';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'ApplyLogError';
  }
}

/** Appends lines to the log file (created, or emptied, when opened). */
export class ApplyLogWriter {
  private queue: Promise<void>;

  constructor(readonly file: string) {
    this.queue = writeFile(file, '');
  }

  write(line: LogLine): Promise<void> {
    this.queue = this.queue.then(() => appendFile(this.file, `${JSON.stringify(line)}\n`));
    return this.queue;
  }
}

/** Reads a log; each line must be JSON with a known type. */
export async function readApplyLog(file: string): Promise<LogLine[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ApplyLogError(
      file,
      `cannot read the apply log (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new ApplyLogError(file, `line ${index + 1} is not JSON`);
      }
      const type = (value as { type?: unknown }).type;
      if (type !== 'start' && type !== 'change' && type !== 'end')
        throw new ApplyLogError(file, `line ${index + 1} is not an apply-log entry`);
      if (type === 'change' && typeof (value as LogEntry).change?.kind !== 'string')
        throw new ApplyLogError(file, `line ${index + 1} has no change`);
      return value as LogLine;
    });
}
