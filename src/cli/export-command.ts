// `ssmguard export`: writes an inventory bundle from a live collection or from AWS CLI JSON files.

import type { Command } from 'commander';
import { writeInventoryBundle } from '../collectors/bundle/index.js';
import { UsageError } from '../errors.js';
import {
  addLiveOptions,
  addRegionOption,
  collectLiveInventory,
  type LiveFlags,
  offlineInputOptions,
} from './live-commands.js';
import { loadInput, rejectDeployTime } from './load-input.js';
import type { CliIo } from './cli-io.js';

interface ExportFlags extends LiveFlags {
  out?: string;
  pretty?: boolean;
}

/**
 * Registers `export [path...] --out FILE` (`--live` or AWS CLI JSON files). The bundle is the inventory
 * model with its source metadata (accounts, regions, collection time, API calls per operation), so
 * `ssmguard scan FILE` re-runs the audit offline and, judged at the same collection time, gives the same
 * results. Families AWS refused stay recorded as unreadable in the bundle; the export itself exits 0.
 */
export function registerExportCommand(program: Command, io: CliIo, state: { code: number }): void {
  const command = program
    .command('export')
    .description(
      'write an inventory bundle (for `ssmguard scan FILE`) from a live scan or AWS CLI JSON files',
    )
    .argument('[path...]', 'AWS CLI JSON files or folders (not with --live)')
    .option('--out <file>', 'bundle file to write (gzipped when it ends in .gz)')
    .option('--pretty', 'indent the JSON for people (larger file)')
    .option('--account <id>', 'account id for input files whose folders and content do not say');
  addLiveOptions(addRegionOption(command)).action(async (paths: string[], flags: ExportFlags) => {
    state.code = await runExport(paths, flags, io);
  });
}

async function runExport(paths: string[], flags: ExportFlags, io: CliIo): Promise<number> {
  if (flags.out === undefined) throw new UsageError('export needs --out FILE: where to write the bundle');
  const input = flags.live
    ? await collectLiveInventory(paths, flags, io)
    : await loadInput(paths, offlineInputOptions(flags));
  rejectDeployTime(input, 'export', 'a bundle records what exists; scan the template or plan itself');
  for (const skipped of input.skipped) io.stderr(`skipped ${skipped.input}: ${skipped.reason}\n`);
  for (const warning of input.warnings.slice(0, 20)) io.stderr(`warning: ${warning}\n`);
  if (input.warnings.length > 20)
    io.stderr(`warning: … and ${input.warnings.length - 20} more input issues\n`);
  await writeInventoryBundle(input.inventory, flags.out, { pretty: flags.pretty === true });
  const { source } = input.inventory;
  const calls = Object.values(source.apiCalls ?? {}).reduce((sum, count) => sum + count, 0);
  io.stderr(
    `wrote ${flags.out}: ${input.inventory.instances.length} instances, ${source.accounts.length} account(s), ` +
      `${source.regions.length} region(s)${source.apiCalls ? `, ${calls} API calls` : ''}` +
      `${source.collectedAt ? `, collected ${source.collectedAt}` : ''}\n`,
  );
  return 0;
}
