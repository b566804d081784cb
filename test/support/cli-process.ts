// Runs ssmguard as a real process (real stdout pipe, real process warnings), from the sources: esbuild bundles
// them once per test worker (a second, not the many a TypeScript loader takes), with packages left external.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { packageRoot } from '../../src/package-root.js';

export interface ProcessRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

let bundled: Promise<string> | undefined;

/** The CLI bundled from src/ into node_modules/.cache (so its packages resolve from node_modules). */
export function cliBundle(): Promise<string> {
  bundled ??= (async () => {
    const outfile = join(packageRoot(), 'node_modules', '.cache', 'ssmguard-cli', `${process.pid}.mjs`);
    await build({
      entryPoints: [join(packageRoot(), 'test', 'support', 'cli-entry.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile,
      logLevel: 'silent',
    });
    return outfile;
  })();
  return bundled;
}

/** Quotes one word for bash. */
const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * Runs `ssmguard ARGS`, its stdout piped into `pipeTo` when given (a shell command such as `head -1`); the exit
 * code is ssmguard's own, not the pipe's. `env` replaces the parent's variables it names (undefined removes one).
 */
export async function runSsmguardProcess(
  args: readonly string[],
  options: { pipeTo?: string; env?: Record<string, string | undefined>; cwd?: string } = {},
): Promise<ProcessRun> {
  const command = [process.execPath, await cliBundle(), ...args].map(quote).join(' ');
  const script = options.pipeTo
    ? `${command} | ${options.pipeTo}; echo "ssmguard-exit=\${PIPESTATUS[0]}" >&2`
    : `${command}; echo "ssmguard-exit=$?" >&2`;
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      ['-c', script],
      { cwd: options.cwd ?? packageRoot(), env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const match = /ssmguard-exit=(\d+)\n$/.exec(stderr);
        if (!match) {
          reject(error ?? new Error(`no exit code from the ssmguard process:\n${stderr}`));
          return;
        }
        resolve({ exitCode: Number(match[1]), stdout, stderr: stderr.slice(0, match.index) });
      },
    );
  });
}
