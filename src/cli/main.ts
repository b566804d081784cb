// The ssmguard command line: argument parsing and wiring only; exit codes 0 clean, 1 findings, 2 usage/error.

import { neutraliseControls } from '../neutralise-controls.js';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { SEVERITIES } from '../engine/types.js';
import { exampleFleetDir } from '../package-root.js';
import { renderHtml } from '../report/render-html.js';
import { summaryLines } from '../report/render-text.js';
import { UsageError } from '../errors.js';
import { writeChunks } from '../report/write-chunks.js';
import { type CliIo, DEFAULT_WIDTH, EXIT, processIo, textWidth, useColor } from './cli-io.js';
import { registerDiffCommand } from './diff-command.js';
import { runExplain, type ExplainFlags } from './explain-command.js';
import { parseFailOn } from './fail-on.js';
import { registerExportCommand } from './export-command.js';
import { fixApplyExtension } from './fix-apply-command.js';
import { registerFixCommand } from './fix-command.js';
import { addPackageCommand } from '../package/package-command.js';
import { helpFor } from './help.js';
import {
  addIpRangesOptions,
  registerIpRangesCommand,
  scanIpRanges,
  type IpRangesFlag,
} from './ip-ranges-command.js';
import {
  addLiveOptions,
  addRegionOption,
  collectLiveInventory,
  type LiveFlags,
  offlineInputOptions,
} from './live-commands.js';
import { isDeployTimeInput, loadInput, type LoadedInput, type LoadInputOptions } from './load-input.js';
import {
  formatPhaseBreakdown,
  startPhaseProfile,
  stopPhaseProfile,
  timed,
  timedAsync,
} from '../phase-profile.js';
import { loadRuleSet } from './rule-set.js';
import { FORMATS, RENDERERS, runScan } from './run-scan.js';
import { parseNow, parseOutput, parseWidth } from './arguments.js';
import { findChromium, printPdf } from './print-pdf.js';
import { withStdinAsFile } from './stdin-input.js';
import { runPolicyValidate, runRulesList, runRulesValidate, runRuleTests } from './rule-commands.js';
import { asUserError } from './user-errors.js';
import { TOOL_VERSION } from './version.js';

export { type CliIo, EXIT, processIo } from './cli-io.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

interface ScanFlags extends LiveFlags {
  rules?: string[];
  policy?: string;
  format: string;
  output?: string;
  failOn: string;
  now?: string;
  evidence: string;
  /** --scp: SCP documents or Organizations exports to evaluate as the SCP layer. */
  scp?: string[];
  /** demo only: where to write the HTML report as well. */
  html?: string;
  /** --ip-ranges FILE, or false for --no-ip-ranges (default: the shipped copy). */
  ipRanges?: IpRangesFlag;
  /** --width N: the text report's columns (0: no wrapping). */
  width?: string;
  /** --quiet: the summary lines and the exit code only. */
  quiet?: boolean;
  /** --pdf FILE: also print the HTML report to this PDF, through an installed Chromium. */
  pdf?: string;
  /** --profile-phases: print where the scan's time went (read, parse, map, … write, GC) to stderr. */
  profilePhases?: boolean;
  /** --parameters FILE: CloudFormation parameter values (the create-stack --parameters file). */
  parameters?: string;
  /** --context PATH: what exists around a template or plan (AWS CLI files, a bundle, AWS Config). */
  context?: string[];
}

function addScanOptions(command: Command, defaultFailOn: string): Command {
  return addIpRangesOptions(command)
    .option('--rules <dir>', 'extra rule folder (repeatable)', collect)
    .option('--policy <file>', 'policy pack: rule selection, parameter and severity overrides, waivers')
    .addOption(
      new Option('--format <format>', `output format (${[...RENDERERS.keys()].join(', ')})`).default('text'),
    )
    .option('--output <file>', 'write the report to a file instead of stdout (- for stdout)')
    .option(
      '--fail-on <severity>',
      `exit 1 when a finding is at or above this severity, or a result is ERROR (${SEVERITIES.join(', ')}; none: report only, exit 0)`,
      defaultFailOn,
    )
    .option(
      '--now <time>',
      'evaluate as of this ISO 8601 time (default: the input collection time, else now)',
    )
    .addOption(
      new Option('--evidence <which>', 'evidence to record: failures, or all (also for compliant results)')
        .choices(['failures', 'all'])
        .default('failures'),
    )
    .option('--account <id>', 'account id for input files whose folders and content do not say')
    .option(
      '--region <region>',
      'region of input files whose folders and content do not say; with --live, a region to scan (repeatable, or "all")',
      collect,
    )
    .option(
      '--width <columns>',
      'wrap the text report to this many columns (default: the terminal, else 80; 0: do not wrap)',
    )
    .option(
      '--pdf <file>',
      'also print the HTML report to this PDF file (needs Chromium or Chrome: on PATH, or SSMGUARD_CHROMIUM)',
    )
    .option(
      '--profile-phases',
      "print where the scan's time went, phase by phase (read, decode, parse, map, index, evaluate, report model, render, write; GC), to stderr",
    )
    .option(
      '--quiet',
      'print only the summary lines (the report still goes to --output); the exit code is unchanged',
    )
    .option(
      '--parameters <file>',
      'CloudFormation parameter values for a template, in the file format of create-stack --parameters file://…',
    )
    .option(
      '--context <path>',
      'for a template or plan: AWS CLI files, a bundle or AWS Config files of the account it deploys into, to resolve what it references (repeatable; --live reads it from AWS instead)',
      collect,
    )
    .option(
      '--scp <file>',
      'service control policy JSON: a policy, describe-policy output or an export with targets (repeatable; files or folders)',
      collect,
    );
}

/**
 * Writes the report to stdout. A reader that closes the pipe early (`ssmguard scan … | head`) is not an error:
 * the scan's verdict (exit code) stands, the rest of the report is simply not wanted.
 */
async function writeToStdout(chunks: Iterable<string>, io: CliIo): Promise<void> {
  try {
    await writeChunks(chunks, io.stdoutSink ?? io.stdout);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
  }
}

/** The template options of an offline scan: parameters, context, and the time a template is judged at. */
function deployTimeOptions(flags: ScanFlags, io: CliIo): Partial<LoadInputOptions> {
  return {
    ...(flags.parameters !== undefined && { parametersFile: flags.parameters }),
    ...(flags.context !== undefined && { contextPaths: flags.context }),
    now: flags.now !== undefined ? () => parseNow(flags.now!) : io.clock,
  };
}

/** `scan TEMPLATE --live`: the live fleet is the template's context (what it references, the DHMC setting). */
async function templatesWithLiveContext(paths: string[], flags: ScanFlags, io: CliIo): Promise<LoadedInput> {
  if (flags.context !== undefined) throw new UsageError('give --context PATH or --live, not both');
  // Anything but templates and plans beside --live is a mistake: refuse it before reading AWS.
  if (!paths.includes('-') && !(await isDeployTimeInput(paths)))
    throw new UsageError(`--live reads from AWS, not from files: drop ${paths[0]!} or --live`);
  const live = await collectLiveInventory([], flags, io);
  return withStdinAsFile(paths, io.stdin, (files) =>
    loadInput(files, { ...deployTimeOptions(flags, io), context: live.inventory, scpFiles: flags.scp }),
  );
}

async function scanPaths(paths: string[], flags: ScanFlags, io: CliIo): Promise<number> {
  const failOn = parseFailOn(flags.failOn);
  const output = parseOutput(flags.output, FORMATS);
  const html = flags.html === undefined ? undefined : parseOutput(flags.html, FORMATS);
  if (flags.now !== undefined) parseNow(flags.now); // a bad --now fails before any input is read
  const widthFlag = flags.width === undefined ? undefined : parseWidth(flags.width);
  // A report file is not shown on this terminal: it gets the width a terminal-less reader gets.
  const width = output.kind === 'file' ? (widthFlag ?? DEFAULT_WIDTH) : textWidth(io, widthFlag);
  if (flags.quiet && output.kind === 'stdout' && flags.format !== 'text')
    throw new UsageError(
      `--quiet prints the summary instead of the report: write the ${flags.format} report with --output FILE, or drop --quiet`,
    );
  // No browser to print with fails before any input is read.
  const chromium = flags.pdf === undefined ? undefined : findChromium(io.env);
  if (flags.profilePhases) startPhaseProfile();
  const ruleSet = await loadRuleSet({ extraRuleDirs: flags.rules, policyFile: flags.policy });
  const ipRanges = await scanIpRanges(flags.ipRanges); // a bad ranges file fails before any input is read
  const input = flags.live
    ? paths.length > 0
      ? await templatesWithLiveContext(paths, flags, io)
      : await collectLiveInventory(paths, flags, io)
    : await withStdinAsFile(paths, io.stdin, (files) =>
        loadInput(files, {
          ...offlineInputOptions(flags),
          scpFiles: flags.scp,
          ...deployTimeOptions(flags, io),
        }),
      );
  for (const s of input.skipped) io.stderr(`skipped ${s.input}: ${s.reason}\n`);
  for (const w of input.warnings.slice(0, 20)) io.stderr(`warning: ${w}\n`);
  if (input.warnings.length > 20)
    io.stderr(`warning: … and ${input.warnings.length - 20} more input issues\n`);
  const result = await runScan(
    input.inventory,
    ruleSet,
    {
      format: flags.format,
      ...(output.kind === 'file' && { output: output.path }),
      color: useColor(io, io.stdoutIsTty),
      width,
      failOn,
      now: flags.now,
      evidence: flags.evidence === 'all' ? 'all' : 'failures',
      ipRanges,
      ...(input.deployTime && { deployTime: input.deployTime }),
    },
    io.clock,
  );
  const say = (text: string): void => {
    if (!flags.quiet) io.stderr(text);
  };
  if (flags.quiet) io.stdout(summaryLines(result.report, { color: useColor(io, io.stdoutIsTty), width }));
  else if (output.kind === 'stdout') await writeToStdout(result.render(), io);
  if (output.kind === 'file') say(`wrote ${flags.format} report to ${output.path}\n`);
  if (html?.kind === 'stdout' && !flags.quiet) await writeToStdout([renderHtml(result.report)], io);
  else if (html?.kind === 'file') {
    const file = resolve(html.path);
    const page = timed('render', () => renderHtml(result.report));
    await timedAsync('write', () => writeFile(file, page));
    say(`HTML report: ${file}\n`);
  }
  if (chromium !== undefined && flags.pdf !== undefined)
    say(`PDF report: ${await printPdf(renderHtml(result.report), flags.pdf, chromium)}\n`);
  const breakdown = await stopPhaseProfile();
  if (breakdown)
    io.stderr(
      `phases:\n${formatPhaseBreakdown(breakdown)
        .map((l) => `  ${l}\n`)
        .join('')}`,
    );
  return result.failed ? EXIT.FINDINGS : EXIT.OK;
}

/** Builds the command tree; each action stores its exit code in `state`. */
function buildProgram(io: CliIo, state: { code: number }): Command {
  const program = new Command('ssmguard')
    .description('Can Systems Manager manage every EC2 instance, without opening anything it should not?')
    .version(TOOL_VERSION)
    .showHelpAfterError()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

  addLiveOptions(
    addScanOptions(
      program
        .command('scan')
        .description(
          'evaluate the rules on AWS CLI JSON output (files or folders), an ssmguard bundle, AWS Config files, a CloudFormation template or Terraform plan (before deploy), or the live fleet (--live)',
        )
        .argument(
          '[path...]',
          'input files or folders, or - for standard input (none with --live, except templates and plans, whose context it then reads)',
        ),
      'info',
    ),
  ).action(async (paths: string[], flags: ScanFlags) => {
    state.code = await scanPaths(paths, flags, io);
  });

  addScanOptions(
    program
      .command('demo')
      .description('scan the built-in example fleet (200 instances in "Connection Lost")'),
    'none',
  )
    .option('--html <file>', 'also write the HTML report to this file', 'ssmguard-report.html')
    .action(async (flags: ScanFlags) => {
      state.code = await scanPaths([exampleFleetDir()], flags, io);
    });

  addPackageCommand(program, io, state);

  const rules = program.command('rules').description('list or validate rules');
  rules
    .command('list')
    .description('list the rules (shipped, plus --rules folders) with their severity and link')
    .option('--rules <dir>', 'extra rule folder (repeatable)', collect)
    .option('--policy <file>', 'show the rules this policy pack selects')
    .addOption(new Option('--format <format>', 'text or json').choices(['text', 'json']).default('text'))
    .action(async (flags: { rules?: string[]; policy?: string; format: string }) => {
      state.code = await runRulesList(flags, io);
    });
  rules
    .command('validate')
    .description(
      'check rule files against the schema and the model (file, line and YAML path for each problem)',
    )
    .argument('<dir...>', 'rule folders or files')
    .action(async (dirs: string[]) => {
      state.code = await runRulesValidate(dirs, io);
    });

  program
    .command('policy')
    .description('validate policy packs')
    .command('validate')
    .description(
      'check policy packs alone: schemas/policy.schema.json, waivers, and the rules and parameters they name',
    )
    .argument('<file...>', 'policy pack files (policies/*.yaml)')
    .option('--rules <dir>', 'extra rule folder the pack may select from (repeatable)', collect)
    .option('--now <time>', "judge the waivers' horizon at this ISO 8601 time (default: now)")
    .action(async (files: string[], flags: { rules?: string[]; now?: string }) => {
      state.code = await runPolicyValidate(files, flags, io);
    });

  program
    .command('test')
    .description("run the cases (<id>.test.yaml) of the rules in a folder, as the shipped rules' tests do")
    .argument('<dir...>', 'rule folders')
    .action(async (dirs: string[]) => {
      state.code = await runRuleTests(dirs, io);
    });

  const explain = program
    .command('explain')
    .description(
      'walk the readiness chain of one instance, link by link, with evidence and the fix (default PATH: the example fleet)',
    )
    .argument('<instance-id>', 'EC2 instance id (i-…)')
    .argument('[path...]', 'input files or folders, as for scan (none with --live)')
    .option('--rules <dir>', 'extra rule folder (repeatable)', collect)
    .option('--policy <file>', 'policy pack: rule selection, parameter overrides')
    .addOption(new Option('--format <format>', 'text or json').choices(['text', 'json']).default('text'))
    .option('--now <time>', 'evaluate as of this ISO 8601 time')
    .option('--account <id>', 'account id for input files whose folders and content do not say')
    .option('--parameters <file>', 'CloudFormation parameter values for a template (as for scan)')
    .option(
      '--context <path>',
      'for a template or plan: what exists around it (as for scan; repeatable)',
      collect,
    );
  addLiveOptions(addRegionOption(addIpRangesOptions(explain))).action(
    async (instanceId: string, paths: string[], flags: Omit<ExplainFlags, 'color'>) => {
      state.code = await runExplain(instanceId, paths, { ...flags, color: useColor(io, io.stdoutIsTty) }, io);
    },
  );

  registerExportCommand(program, io, state);
  registerFixCommand(program, io, state, [fixApplyExtension]);
  registerDiffCommand(program, io, state);
  registerIpRangesCommand(program, io, state);

  return program;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: string[], rawIo: CliIo = processIo()): Promise<number> {
  // The stderr boundary: messages, warnings and errors quote file names, ids and AWS text; line feeds are kept.
  const io: CliIo = {
    ...rawIo,
    stderr: (text) => rawIo.stderr(neutraliseControls(text, true)),
    terminalStderr: rawIo.terminalStderr ?? rawIo.stderr,
  };
  const state = { code: EXIT.OK as number };
  const program = buildProgram(io, state);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.OK : EXIT.ERROR;
    }
    const userError = asUserError(error);
    if (userError) {
      io.stderr(`ssmguard: ${userError.message}\n`);
      const help = helpFor(userError.code);
      if (help) io.stderr(`hint: ${help}\n`);
      return EXIT.ERROR;
    }
    const err = error instanceof Error ? error : new Error(String(error));
    io.stderr(`ssmguard: internal error: ${err.message}\n`);
    if (io.env.SSMGUARD_DEBUG) io.stderr(`${err.stack ?? ''}\n`);
    else io.stderr('hint: set SSMGUARD_DEBUG=1 for a stack trace, and report it.\n');
    return EXIT.ERROR;
  }
}
