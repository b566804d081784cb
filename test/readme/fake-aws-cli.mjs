#!/usr/bin/env node
// A stand-in for the AWS CLI in the README test: answers the read commands of the README's collection script from the
// example fleet's AWS CLI files (FAKE_AWS_FLEET: the folder holding <account>/<region>/…). Like the real CLI, it
// prints JSON only with `--output json` (or AWS_DEFAULT_OUTPUT=json); otherwise it prints the text format, which
// ssmguard cannot read — so a script command without `--output json` shows up as an unreadable file.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
};
const listOption = (name) => {
  const at = args.indexOf(name);
  if (at < 0) return [];
  const values = [];
  for (const word of args.slice(at + 1)) {
    if (word.startsWith('--')) break;
    values.push(word);
  }
  return values;
};

const [service, command] = args;
const fleet = process.env.FAKE_AWS_FLEET;
const account = '111122223333';
const region = 'us-east-1';
const regional = (file) => join(fleet, account, region, file);

/**
 * get-maintenance-window-task for a task the example fleet records no output for (it was registered with the
 * legacy TaskParameters): the real CLI prints the task as its window's task listing shows it.
 */
function taskFromListing() {
  if (service !== 'ssm' || command !== 'get-maintenance-window-task') return undefined;
  try {
    const listing = JSON.parse(
      readFileSync(regional(`ssm-describe-maintenance-window-tasks-${option('--window-id')}.json`), 'utf8'),
    );
    const task = listing.Tasks.find((t) => t.WindowTaskId === option('--window-task-id'));
    if (task === undefined) return undefined;
    const { Type, ...rest } = task;
    return { ...rest, TaskType: Type };
  } catch {
    return undefined;
  }
}

/** The example fleet's file holding what `aws SERVICE COMMAND …` prints. */
function responseFile() {
  if (service === 'iam' && command === 'get-account-authorization-details')
    return join(fleet, account, 'iam-get-account-authorization-details.json');
  if (service === 'ec2' && command === 'describe-vpc-attribute') {
    const attribute =
      option('--attribute') === 'enableDnsHostnames' ? 'enable-dns-hostnames' : 'enable-dns-support';
    return regional(`ec2-describe-vpc-attribute-${option('--vpc-id')}-${attribute}.json`);
  }
  if (service === 'ssm' && /^describe-maintenance-window-(targets|tasks)$/.test(command))
    return regional(`ssm-${command}-${option('--window-id')}.json`);
  if (service === 'ssm' && command === 'get-maintenance-window-task')
    return regional(`ssm-${command}-${option('--window-id')}-${option('--window-task-id')}.json`);
  // The run history: one file per window, per window execution and per task run (the example fleet's names).
  if (service === 'ssm' && command === 'describe-maintenance-window-executions')
    return regional(`ssm-${command}-${option('--window-id')}.json`);
  if (service === 'ssm' && command === 'describe-maintenance-window-execution-tasks')
    return regional(`ssm-${command}-${option('--window-execution-id')}.json`);
  if (service === 'ssm' && command === 'describe-maintenance-window-execution-task-invocations')
    return regional(`ssm-${command}-${option('--task-id')}.json`);
  // One file per baseline, named by its pb- id (AWS's predefined baselines are asked for by ARN).
  if (service === 'ssm' && command === 'get-patch-baseline')
    return regional(`ssm-${command}-${option('--baseline-id').split('patchbaseline/').pop()}.json`);
  return regional(`${service}-${command}.json`);
}

let response;
try {
  response = JSON.parse(readFileSync(responseFile(), 'utf8'));
} catch {
  response = taskFromListing();
}
if (response === undefined) {
  process.stderr.write(`fake aws: no recorded response for: aws ${args.join(' ')}\n`);
  process.exit(252);
}
if (command === 'describe-instance-patch-states') {
  const ids = new Set(listOption('--instance-ids'));
  response = { InstancePatchStates: response.InstancePatchStates.filter((s) => ids.has(s.InstanceId)) };
}

const query = option('--query');
const output = option('--output') ?? process.env.AWS_DEFAULT_OUTPUT ?? 'text';
if (query !== undefined) {
  // The JMESPath forms the README uses: LIST[].FIELD(.FIELD…), LIST[?KEY==`VALUE`].FIELD and LIST[?KEY].FIELD.
  const match = /^(\w+)\[(?:\?(\w+)(?:==`([^`]*)`)?)?\]\.([\w.]+)$/.exec(query);
  if (!match) {
    process.stderr.write(`fake aws: unsupported --query ${query}\n`);
    process.exit(252);
  }
  const [, list, key, value, field] = match;
  const values = (response[list] ?? [])
    .filter((e) => key === undefined || (value === undefined ? e[key] === true : e[key] === value))
    .map((e) => field.split('.').reduce((v, name) => v?.[name], e));
  process.stdout.write(output === 'json' ? `${JSON.stringify(values, null, 4)}\n` : `${values.join('\t')}\n`);
} else if (output === 'json') {
  process.stdout.write(`${JSON.stringify(response, null, 4)}\n`);
} else {
  // The text format: tab-separated values under upper-case headings, not JSON.
  for (const [heading, entries] of Object.entries(response))
    for (const entry of Array.isArray(entries) ? entries : [entries])
      process.stdout.write(
        `${heading.toUpperCase()}\t${Object.values(entry ?? {})
          .filter((v) => typeof v !== 'object')
          .join('\t')}\n`,
      );
}
