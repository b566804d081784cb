// The `ssmguard package` command: options, rule selection and the deploy hints it prints.

import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadRuleSet } from '../cli/rule-set.js';
import { UsageError } from '../errors.js';
import { packageConfigRules } from './package-config-rules.js';

/** What the command writes to (the CLI's stdout/stderr). */
export interface PackageCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Adds `package` to the program; the action stores its exit code in `state`. */
export function addPackageCommand(program: Command, io: PackageCommandIo, state: { code: number }): void {
  program
    .command('package')
    .description(
      'bundle the rules as AWS Config custom rules: DIR/ssmguard-config-rules.zip and DIR/template.json (CloudFormation)',
    )
    .requiredOption('--out <dir>', 'output folder')
    .option('--policy <file>', 'policy pack: which rules become Config rules, with its parameter overrides')
    .option('--rules <dir>', 'extra rule folder (repeatable)', (value: string, previous: string[] = []) => [
      ...previous,
      value,
    ])
    .option(
      '--organization',
      'multi-account variant: AWS::Config::OrganizationConfigRule, member invoke permissions, member-role.json',
    )
    .option(
      '--instance-role <name>',
      'role AWS-AttachIAMToInstance attaches to instances without a profile (remediation in conformance-pack.json)',
    )
    .action(async (flags: PackageFlags) => {
      await assertFolderOrAbsent(flags.out);
      // IAM role names: 1-64 of letters, digits and +=,.@_- (IAM API reference, CreateRole RoleName).
      if (flags.instanceRole !== undefined && !/^[\w+=,.@-]{1,64}$/.test(flags.instanceRole))
        throw new UsageError(`--instance-role ${flags.instanceRole} is not an IAM role name`);
      const ruleSet = await loadRuleSet({
        ...(flags.rules && { extraRuleDirs: flags.rules }),
        ...(flags.policy && { policyFile: flags.policy }),
      });
      const result = await packageConfigRules({
        outDir: resolve(flags.out),
        rules: ruleSet.rules,
        ...(flags.policy !== undefined && { policyFile: resolve(flags.policy) }),
        ...(flags.organization === true && { organization: true }),
        ...(flags.instanceRole !== undefined && { instanceRoleName: flags.instanceRole }),
      });
      io.stderr(
        `wrote ${result.zipPath} (${(result.zipBytes / 1024).toFixed(0)} KiB, ${ruleSet.rules.length} rules)\n`,
      );
      io.stderr(`wrote ${result.templatePath}\n`);
      io.stderr(`wrote ${result.conformancePackPath} (the same rules as an AWS Config conformance pack)\n`);
      if (result.memberTemplatePath)
        io.stderr(
          `wrote ${result.memberTemplatePath} (deploy it to every member account, e.g. with a StackSet)\n`,
        );
      io.stdout(`Deploy:\n  ${result.deployCommands.join('\n  ')}\n`);
      state.code = 0;
    });
}

interface PackageFlags {
  out: string;
  policy?: string;
  rules?: string[];
  organization?: boolean;
  instanceRole?: string;
}

/** `--out` names a folder (created when absent); an existing file there is a usage error, before any work. */
async function assertFolderOrAbsent(out: string): Promise<void> {
  const info = await stat(out).catch(() => undefined);
  if (info !== undefined && !info.isDirectory())
    throw new UsageError(
      `--out ${out} is a file; package writes a folder (give a new or an existing folder)`,
    );
}
