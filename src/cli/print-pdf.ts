// `--pdf FILE`: prints the HTML report to PDF through an installed Chromium or Chrome (headless --print-to-pdf, in
// a throwaway profile, with the report's own print stylesheet), found by SSMGUARD_CHROMIUM or on PATH. ssmguard
// downloads no browser: without one it says how to get one.

import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CheckerError } from '../errors.js';

/** Names a Chromium or Chrome is installed under on PATH (Debian, Ubuntu, Fedora, Google's packages). */
export const CHROMIUM_NAMES = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
] as const;

/** How long a print may take: a 100,000-instance report is a large document. */
const PRINT_TIMEOUT_MS = 300_000;

/** No Chromium to print with. */
export class ChromiumNotFoundError extends CheckerError {
  readonly code = 'PDF_CHROMIUM_MISSING';
  constructor(detail: string) {
    super(`--pdf prints the HTML report through Chromium or Google Chrome: ${detail}`);
    this.name = 'ChromiumNotFoundError';
  }
}

/** Chromium ran but wrote no PDF (it crashed, timed out, or could not write the file). */
export class PdfPrintError extends CheckerError {
  readonly code = 'PDF_PRINT_FAILED';
  constructor(detail: string, options?: ErrorOptions) {
    super(`could not print the PDF: ${detail}`, options);
    this.name = 'PdfPrintError';
  }
}

const isExecutableFile = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false; // absent or not executable: not a browser we can run
  }
};

/** The browser to print with: SSMGUARD_CHROMIUM when set (it must be runnable), else the first of CHROMIUM_NAMES on PATH. */
export function findChromium(env: Readonly<Record<string, string | undefined>>): string {
  const chosen = env.SSMGUARD_CHROMIUM;
  if (chosen !== undefined && chosen !== '') {
    if (isExecutableFile(chosen)) return chosen;
    throw new ChromiumNotFoundError(`SSMGUARD_CHROMIUM is "${chosen}", which is not an executable file`);
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter((d) => d !== '' && isAbsolute(d));
  for (const name of CHROMIUM_NAMES)
    for (const dir of dirs) if (isExecutableFile(join(dir, name))) return join(dir, name);
  throw new ChromiumNotFoundError(
    `none found (looked for SSMGUARD_CHROMIUM, and ${CHROMIUM_NAMES.join(', ')} on PATH)`,
  );
}

/**
 * The command line: headless, no first-run or background traffic (the report makes no requests; Chromium would
 * phone home at start), a fresh profile, no header or footer of Chromium's own (it would print the temporary file's
 * path; the report's stylesheet numbers the pages). `--no-sandbox` only as root, where Chromium refuses to start
 * with its sandbox.
 */
export function chromiumArgs(
  htmlFile: string,
  pdfFile: string,
  profileDir: string,
  asRoot: boolean,
): string[] {
  return [
    '--headless',
    ...(asRoot ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-extensions',
    `--user-data-dir=${profileDir}`,
    '--no-pdf-header-footer',
    `--print-to-pdf=${pdfFile}`,
    pathToFileURL(htmlFile).href,
  ];
}

/** Prints `html` to `out` (made absolute) with the given browser; throws PdfPrintError when no PDF came out. */
export async function printPdf(html: string, out: string, chromium: string): Promise<string> {
  const pdfFile = resolve(out);
  const work = await mkdtemp(join(tmpdir(), 'ssmguard-pdf-'));
  try {
    const htmlFile = join(work, 'report.html');
    await writeFile(htmlFile, html);
    const asRoot = process.getuid?.() === 0;
    await rm(pdfFile, { force: true }); // an old file must not pass for a new print
    await run(chromium, chromiumArgs(htmlFile, pdfFile, join(work, 'profile'), asRoot));
    if (!isNonEmptyFile(pdfFile)) throw new PdfPrintError(`${chromium} exited without writing ${pdfFile}`);
    return pdfFile;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const isNonEmptyFile = (path: string): boolean => {
  try {
    return statSync(path).size > 0;
  } catch {
    return false; // not written
  }
};

function run(file: string, args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    execFile(
      file,
      args,
      { timeout: PRINT_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (!error) return done();
        const last = stderr.trim().split('\n').slice(-3).join(' | ');
        fail(
          new PdfPrintError(
            `${file} failed (${error.code ?? error.signal ?? 'error'})${last ? `: ${last}` : ''}`,
            { cause: error },
          ),
        );
      },
    );
  });
}
