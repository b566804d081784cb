// `ssmguard diff OLD.json NEW.json`: what changed between two JSON reports; exit 1 when something got worse at
// or above --fail-on, so a pipeline can gate on "no regressions since the last review".

import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { parseJsonText, stripBom } from '../collectors/aws-cli/parse-json-text.js';
import { UsageError } from '../errors.js';
import { diffReports, isWorse } from '../report/diff/diff-reports.js';
import { renderDiffJson, renderDiffMarkdown, renderDiffText } from '../report/diff/render-diff.js';
import { parseReportJson, type ReportJson } from '../report/diff/report-json.js';
import { writeChunks, writeChunksToFile } from '../report/write-chunks.js';
import { EXIT, type CliIo } from './cli-io.js';
import { parseFailOn } from './fail-on.js';

const RENDER = { text: renderDiffText, json: renderDiffJson, markdown: renderDiffMarkdown } as const;

interface DiffFlags {
  format: keyof typeof RENDER;
  failOn: string;
  output?: string;
}

export function registerDiffCommand(program: Command, io: CliIo, state: { code: number }): void {
  program
    .command('diff')
    .description(
      'compare two JSON reports (scan --format json): newly broken, fixed and still broken instances, root causes, expired waivers, resources added and removed',
    )
    .argument('<old>', 'the earlier JSON report')
    .argument('<new>', 'the later JSON report')
    .addOption(
      new Option('--format <format>', 'text, json or markdown').choices(Object.keys(RENDER)).default('text'),
    )
    .option(
      '--fail-on <severity>',
      'exit 1 when something got worse at or above this severity (or none)',
      'info',
    )
    .option('--output <file>', 'write the diff to a file instead of stdout')
    .action(async (oldFile: string, newFile: string, flags: DiffFlags) => {
      state.code = await runDiff(oldFile, newFile, flags, io);
    });
}

async function readReport(file: string): Promise<ReportJson> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read report ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      {
        cause: error,
      },
    );
  }
  return parseReportJson(parseJsonText(stripBom(text), file), file);
}

async function runDiff(oldFile: string, newFile: string, flags: DiffFlags, io: CliIo): Promise<number> {
  const failOn = parseFailOn(flags.failOn);
  const [before, after] = await Promise.all([readReport(oldFile), readReport(newFile)]);
  const diff = diffReports(before, after, { old: oldFile, new: newFile });
  const worse = isWorse(diff, failOn);
  const text = RENDER[flags.format](diff, worse);
  if (flags.output !== undefined) {
    await writeChunksToFile([text], flags.output);
    io.stderr(`wrote ${flags.format} diff to ${flags.output}\n`);
  } else await writeChunks([text], io.stdoutSink ?? io.stdout);
  return worse ? EXIT.FINDINGS : EXIT.OK;
}
