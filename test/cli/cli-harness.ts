// A fake terminal for CLI tests: captures stdout/stderr and fixes the clock.
import { main, type CliIo } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], overrides: Partial<CliIo> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: {},
    stdoutIsTty: false,
    stderrIsTty: false,
    clock: () => Date.parse('2026-11-20T12:00:00.000Z'),
    ...overrides,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
