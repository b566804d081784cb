// Where the CLI reads its environment and writes its output: the seam command modules share and tests replace.

import { type ChunkSink, writableSink } from '../report/write-chunks.js';
import type { StdinSource } from './stdin-input.js';

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  /** stdout for reports, honouring backpressure (they can run to hundreds of MB); without it, `stdout` is used. */
  stdoutSink?: ChunkSink;
  stderr: (text: string) => void;
  /**
   * stderr as it is, for the progress display's own redraw sequences; `main` routes everything else through
   * `stderr` with control characters neutralised (error messages quote file names, ids and AWS error text).
   */
  terminalStderr?: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  stdoutIsTty: boolean;
  stderrIsTty: boolean;
  /** The terminal's width when stdout is a terminal (the text report wraps to it). */
  stdoutColumns?: number;
  clock: () => number;
  /** Standard input, for `scan -`; without it, `-` is refused. */
  stdin?: StdinSource;
  /** Asks a yes/no question on the terminal (`fix --apply`); absent when stdin is not a terminal. */
  confirm?: (question: string) => Promise<boolean>;
}

/**
 * The real process's streams. A reader that closes stdout early (`ssmguard rules list | head -1`) makes writes
 * fail with EPIPE, asynchronously, as an 'error' event: that is not an error of ours, so from then on output to
 * stdout is dropped (and a report being streamed stops) while the command finishes with its own exit code.
 */
export function processIo(): CliIo {
  let stdoutClosed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') stdoutClosed = true;
    else process.stderr.write(`ssmguard: cannot write to standard output: ${error.message}\n`);
  });
  const sink = writableSink(process.stdout);
  return {
    stdout: (t) => {
      if (!stdoutClosed) process.stdout.write(t);
    },
    stdoutSink: (t) => (stdoutClosed ? Promise.reject(stdoutClosedError()) : sink(t)),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    stdoutIsTty: Boolean(process.stdout.isTTY),
    ...(process.stdout.isTTY && process.stdout.columns > 0 && { stdoutColumns: process.stdout.columns }),
    stderrIsTty: Boolean(process.stderr.isTTY),
    clock: Date.now,
    stdin: () => process.stdin,
    ...(process.stdin.isTTY && { confirm: askOnTerminal }),
  };
}

function stdoutClosedError(): NodeJS.ErrnoException {
  return Object.assign(new Error('standard output was closed by its reader'), { code: 'EPIPE' });
}

async function askOnTerminal(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await terminal.question(question)).trim());
  } finally {
    terminal.close();
  }
}

export const EXIT = { OK: 0, FINDINGS: 1, ERROR: 2 } as const;

/** Colour on a TTY, unless NO_COLOR says otherwise (https://no-color.org); FORCE_COLOR turns it on. */
export function useColor(io: CliIo, tty: boolean): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return tty;
}

/** Columns the text report wraps to when standard output is not a terminal (a file, a pipe, CI logs). */
export const DEFAULT_WIDTH = 80;

/**
 * The text report's width: `--width` when given (0: no wrapping), else COLUMNS when set to a number (as ls and
 * less read it), else the terminal's width, else 80.
 */
export function textWidth(io: CliIo, flag: number | undefined): number {
  if (flag !== undefined) return flag;
  const columns = Number(io.env.COLUMNS);
  if (io.env.COLUMNS !== undefined && Number.isInteger(columns) && columns > 0) return columns;
  return io.stdoutIsTty && io.stdoutColumns !== undefined ? io.stdoutColumns : DEFAULT_WIDTH;
}
