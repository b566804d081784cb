// `ssmguard package`: writes the Lambda zip and the CloudFormation template(s) for the selected rules.

import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompiledRule } from '../engine/compile-rule.js';
import { bundleLambda } from './bundle-lambda.js';
import { buildConformancePackTemplate } from './conformance-pack.js';
import { buildConfigRulesTemplate, buildMemberRoleTemplate } from './config-rules-template.js';
import { readRuleFiles } from './read-rule-files.js';
import { parseIpRangesFile } from '../collectors/ip-ranges/parse-ip-ranges.js';
import { shippedIpRangesPath } from '../collectors/ip-ranges/read-ip-ranges.js';
import { readFile } from 'node:fs/promises';
import { writeZip } from './write-zip.js';

export const ZIP_NAME = 'ssmguard-config-rules.zip';

export interface PackageOptions {
  outDir: string;
  rules: readonly CompiledRule[];
  /** The policy pack the rules were selected with; embedded so its parameter overrides apply in Lambda. */
  policyFile?: string;
  organization?: boolean;
  /** The role AWS-AttachIAMToInstance attaches, for the conformance pack's remediation of missing profiles. */
  instanceRoleName?: string;
}

export interface PackageResult {
  zipPath: string;
  templatePath: string;
  conformancePackPath: string;
  memberTemplatePath?: string;
  zipBytes: number;
  bundleBytes: number;
  /** The S3 key the template expects by default (content-addressed). */
  codeKey: string;
  /** The commands to deploy what was written, for the CLI to print. */
  deployCommands: string[];
}

/**
 * The shipped ip-ranges copy, validated and re-serialised compactly, for the bundle: the function narrows the
 * public SSM endpoints as the CLI does by default. A broken copy stops the packaging (IpRangesFileError).
 */
async function shippedIpRangesText(): Promise<string> {
  const file = shippedIpRangesPath();
  return JSON.stringify(parseIpRangesFile(await readFile(file, 'utf8'), file).copy);
}

/** Bundles, zips and writes the template(s); returns where, and how to deploy them. */
export async function packageConfigRules(options: PackageOptions): Promise<PackageResult> {
  const embedded = await readRuleFiles(options.rules, options.policyFile);
  const bundle = await bundleLambda(embedded, await shippedIpRangesText());
  const zip = writeZip([{ name: 'index.js', data: bundle }]);
  const hash = createHash('sha256').update(zip).digest('hex').slice(0, 16);
  const codeKey = `ssmguard/ssmguard-config-rules-${hash}.zip`;
  await mkdir(options.outDir, { recursive: true });
  const zipPath = join(options.outDir, ZIP_NAME);
  const templatePath = join(options.outDir, 'template.json');
  await writeFile(zipPath, zip);
  const template = buildConfigRulesTemplate(options.rules, {
    codeKey,
    ...(options.organization && { organization: true }),
  });
  await writeFile(templatePath, `${JSON.stringify(template, null, 2)}\n`);
  const conformancePackPath = join(options.outDir, 'conformance-pack.json');
  const pack = buildConformancePackTemplate(options.rules, {
    ...(options.organization && { organization: true }),
    ...(options.instanceRoleName !== undefined && { instanceRoleName: options.instanceRoleName }),
  });
  await writeFile(conformancePackPath, `${JSON.stringify(pack, null, 2)}\n`);
  const result: PackageResult = {
    zipPath,
    templatePath,
    conformancePackPath,
    zipBytes: zip.length,
    bundleBytes: bundle.length,
    codeKey,
    deployCommands: deployCommands(zipPath, templatePath, codeKey, options.organization === true),
  };
  if (options.organization) {
    result.memberTemplatePath = join(options.outDir, 'member-role.json');
    await writeFile(result.memberTemplatePath, `${JSON.stringify(buildMemberRoleTemplate(), null, 2)}\n`);
  }
  return result;
}

/** The AWS CLI commands that deploy the package (the README shows the same). */
export function deployCommands(
  zipPath: string,
  templatePath: string,
  codeKey: string,
  organization: boolean,
): string[] {
  const stack = organization ? 'ssmguard-config-org-rules' : 'ssmguard-config-rules';
  return [
    `aws s3 cp ${zipPath} s3://YOUR-BUCKET/${codeKey}`,
    [
      `aws cloudformation deploy --template-file ${templatePath} --stack-name ${stack}`,
      '--capabilities CAPABILITY_NAMED_IAM' + (organization ? ' CAPABILITY_AUTO_EXPAND' : ''),
      `--parameter-overrides CodeBucket=YOUR-BUCKET${organization ? ' MemberAccountIds=111111111111,222222222222' : ''}`,
    ].join(' \\\n    '),
  ];
}
