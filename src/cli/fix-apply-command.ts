// The `--apply PLAN.json` and `--undo LOG` options of `ssmguard fix`; their run (src/cli/fix-apply-run.ts) and the
// SDK clients it needs load only when one of them is given, so every other command starts without them.

import { type Command, Option } from 'commander';
import type { FixExtension } from './fix-command.js';

export const fixApplyExtension: FixExtension = {
  options(command: Command) {
    command
      .option(
        '--apply <plan>',
        'make the changes of a plan written with --format json (re-reads every target first)',
      )
      .option('--undo <log>', 'reverse what an apply log records as applied, where AWS allows')
      .option('--yes', 'apply without asking (needed when stdin is not a terminal)')
      .option('--log <file>', 'where to write the apply log (default: next to the plan, .apply-log.jsonl)')
      .addOption(new Option('--max-attempts <n>', 'attempts per AWS call, retries included (default 5)'));
  },
  handles: (flags) => flags.apply !== undefined || flags.undo !== undefined,
  run: async (paths, flags, io) => {
    const { runFixApply } = await import('./fix-apply-run.js');
    return runFixApply(paths, flags, io);
  },
};
