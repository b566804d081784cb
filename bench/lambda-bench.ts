// Lambda benchmark section: package size, cold start (load + first event) and periodic-evaluation memory, each
// run by the packaged handler itself in a fresh Node.js process against the loopback AWS endpoint.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import type { ApiJson, FleetApiData } from '../src/collectors/api/api-data.js';
import { loadRuleSet } from '../src/cli/rule-set.js';
import { EXAMPLE_FLEET_FACTS as F, buildExampleFleet } from '../src/generator/example-fleet.js';
import { generateFleet } from '../src/generator/generate-fleet.js';
import { packageConfigRules } from '../src/package/package-config-rules.js';
import { DEFAULT_MEMORY_MB } from '../src/package/config-rules-template.js';
import { createApiCallCounter } from '../src/collectors/live/api-call-counter.js';
import { awsClients, type ClientSettings } from '../src/collectors/live/aws-clients.js';
import { handleConfigEvent } from '../src/lambda/handle-config-event.js';
import { StructuredLog } from '../src/lambda/structured-log.js';
import { readRuleFiles } from '../src/package/read-rule-files.js';
import { fleetToConfigItems } from '../test/collectors/config/fleet-to-config-items.js';
import { startConfigRuleFront } from '../test/support/aws-endpoint/config-rule-front.js';
import { startAwsEndpoint } from '../test/support/aws-endpoint/start-aws-endpoint.js';

const run = promisify(execFile);

/** What one packaged-handler run in a fresh process reports. */
export interface HandlerRun {
  /** require() of index.js: module evaluation of the bundle. */
  loadMs: number;
  /** The first handler call: parse, compile the rule, read AWS, evaluate, PutEvaluations. */
  firstEventMs: number;
  /** Peak resident set size of the process (MB). */
  maxRssMb: number;
  evaluations: number;
}

export interface LambdaBenchFigures {
  zipBytes: number;
  bundleBytes: number;
  coldStart: HandlerRun;
  periodic: HandlerRun & { instances: number };
  changeEvents: ChangeEventFigures[];
}

/** One rule's change event on one resource type, at one fleet size. */
export interface ChangeEventFigures {
  instances: number;
  ruleId: string;
  resourceType: string;
  /** Read calls of the change event (Config's own calls aside). */
  calls: number;
  wallMs: number;
  /** Read calls a periodic run of the same rule makes: the whole region, what a change event read before. */
  wholeRegionCalls: number;
}

// Loads the bundle, handles one event, and writes its timings and peak RSS to a file (stdout carries the logs).
const CHILD = `
const { performance } = require('node:perf_hooks');
const fs = require('node:fs');
const [bundle, eventFile, resultFile] = process.argv.slice(2);
const t0 = performance.now();
const { handler } = require(bundle);
const t1 = performance.now();
handler(JSON.parse(fs.readFileSync(eventFile, 'utf8')), { awsRequestId: 'bench' }).then((summary) => {
  const t2 = performance.now();
  fs.writeFileSync(resultFile, JSON.stringify({ loadMs: t1 - t0, firstEventMs: t2 - t1, maxRssMb: process.resourceUsage().maxRSS / 1024, evaluations: summary.Evaluations }));
}, (error) => { console.error(error); process.exit(1); });
`;

/** DESIGN.md: a periodic evaluation of 10,000 instances fits in the template's default MemorySize. */
export const PERIODIC_TARGET_MB = DEFAULT_MEMORY_MB;

/** Packages the shipped rules into `outDir`; returns the zip's and the bundle's sizes. */
export async function measurePackageSize(
  outDir: string,
): Promise<{ zipPath: string; zipBytes: number; bundleBytes: number }> {
  const { rules } = await loadRuleSet({});
  const result = await packageConfigRules({ outDir, rules });
  return { zipPath: result.zipPath, zipBytes: result.zipBytes, bundleBytes: result.bundleBytes };
}

/** Extracts index.js from the package zip (one deflated entry, as write-zip.ts writes it). */
async function extractBundle(zipPath: string, dir: string): Promise<string> {
  const zip = await readFile(zipPath);
  const nameLength = zip.readUInt16LE(26);
  const extraLength = zip.readUInt16LE(28);
  const compressedSize = zip.readUInt32LE(18);
  const start = 30 + nameLength + extraLength;
  const file = join(dir, 'index.js');
  await writeFile(file, inflateRawSync(zip.subarray(start, start + compressedSize)));
  return file;
}

function envelope(invokingEvent: unknown, ruleId: string): ApiJson {
  return {
    version: '1.0',
    invokingEvent: JSON.stringify(invokingEvent),
    ruleParameters: JSON.stringify({ ruleId }),
    resultToken: 'bench-result-token',
    eventLeftScope: false,
    configRuleArn: `arn:aws:config:us-east-1:${F.accountId}:config-rule/config-rule-bench`,
    configRuleName: `ssmguard-${ruleId}`,
    accountId: F.accountId,
  };
}

/** Runs the packaged handler once in a fresh Node.js process against a loopback endpoint serving `fleet`. */
async function runHandlerOnce(
  bundle: string,
  fleet: FleetApiData,
  event: ApiJson,
  dir: string,
): Promise<HandlerRun> {
  const endpoint = await startAwsEndpoint({ fleet });
  const front = await startConfigRuleFront(endpoint.url);
  try {
    const childFile = join(dir, 'child.cjs');
    const eventFile = join(dir, 'event.json');
    const resultFile = join(dir, 'result.json');
    await writeFile(childFile, CHILD);
    await writeFile(eventFile, JSON.stringify(event));
    await run(process.execPath, [childFile, bundle, eventFile, resultFile], {
      cwd: dir,
      maxBuffer: 1 << 28,
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIDLOOPBACKBENCH',
        AWS_SECRET_ACCESS_KEY: 'loopback-secret',
        AWS_ENDPOINT_URL: front.url,
        AWS_MAX_ATTEMPTS: '1',
        AWS_EC2_METADATA_DISABLED: 'true',
        ...(process.env.SSMGUARD_BENCH_NODE_OPTIONS && {
          NODE_OPTIONS: process.env.SSMGUARD_BENCH_NODE_OPTIONS,
        }),
      },
    });
    return JSON.parse(await readFile(resultFile, 'utf8')) as HandlerRun;
  } finally {
    await front.stop();
    await endpoint.stop();
  }
}

/**
 * Cold start: a fresh process loads the bundle and handles one change event for an example-fleet instance
 * (rule ec2-instance-profile-attached, which reads SSM for DHMC). Median of `runs`.
 */
export async function measureColdStart(zipPath: string, runs = 5): Promise<HandlerRun> {
  const dir = await mkdtemp(join(tmpdir(), 'ssmguard-lambda-cold-'));
  try {
    const bundle = await extractBundle(zipPath, dir);
    const fleet = buildExampleFleet();
    const instance = (fleet.accounts[0]!.regions[0]!.DescribeInstances.Reservations as ApiJson[])
      .flatMap((r) => r.Instances as ApiJson[])
      .find((i) => i.InstanceId === F.inventory.firstInstanceId)!;
    const item = {
      configurationItemVersion: '1.3',
      configurationItemCaptureTime: fleet.collectedAt,
      configurationItemStatus: 'OK',
      awsAccountId: F.accountId,
      awsRegion: F.region,
      resourceType: 'AWS::EC2::Instance',
      resourceId: F.inventory.firstInstanceId,
      ARN: `arn:aws:ec2:${F.region}:${F.accountId}:instance/${F.inventory.firstInstanceId}`,
      tags: {},
      relationships: [],
      configuration: {
        instanceId: instance.InstanceId,
        state: { code: 16, name: 'running' },
        metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required' },
        placement: { availabilityZone: `${F.region}a` },
      },
    };
    const event = envelope(
      {
        configurationItem: item,
        notificationCreationTime: fleet.collectedAt,
        messageType: 'ConfigurationItemChangeNotification',
      },
      'ec2-instance-profile-attached',
    );
    const results: HandlerRun[] = [];
    for (let i = 0; i < runs; i++) results.push(await runHandlerOnce(bundle, fleet, event, dir));
    const median = (pick: (r: HandlerRun) => number): number =>
      results.map(pick).sort((a, b) => a - b)[Math.floor(runs / 2)]!;
    return {
      loadMs: median((r) => r.loadMs),
      firstEventMs: median((r) => r.firstEventMs),
      maxRssMb: median((r) => r.maxRssMb),
      evaluations: results[0]!.evaluations,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Peak memory of a periodic (ScheduledNotification) evaluation of `instances` instances: the packaged handler
 * reads the account with the live collectors, evaluates ec2-instance-ssm-online and sends every verdict.
 * Target: fits in 256 MB (DESIGN.md).
 */
export async function measurePeriodicMemory(
  zipPath: string,
  instances = 10_000,
): Promise<HandlerRun & { instances: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'ssmguard-lambda-periodic-'));
  try {
    const bundle = await extractBundle(zipPath, dir);
    const fleet = generateFleet({ seed: 42, instances, accounts: 1 });
    const accountId = fleet.accounts[0]!.accountId;
    const event = {
      ...envelope(
        {
          awsAccountId: accountId,
          notificationCreationTime: fleet.collectedAt,
          messageType: 'ScheduledNotification',
        },
        'ec2-instance-ssm-online',
      ),
      configRuleArn: `arn:aws:config:us-east-1:${accountId}:config-rule/config-rule-bench`,
      accountId,
    };
    return { ...(await runHandlerOnce(bundle, fleet, event, dir)), instances };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const reads = (calls: Record<string, number>): number =>
  Object.entries(calls)
    .filter(([operation]) => !operation.startsWith('config:'))
    .reduce((sum, [, n]) => sum + n, 0);

/**
 * API calls and wall time of one change event per instance rule and per trigger resource type, in process (the
 * handler the package bundles) against a loopback endpoint serving a generated account of `instances`.
 */
export async function measureChangeEvents(instances: number): Promise<ChangeEventFigures[]> {
  const fleet = generateFleet({ seed: 42, instances, accounts: 1 });
  const account = fleet.accounts[0]!;
  const region = account.regions[0]!;
  const items = fleetToConfigItems(fleet);
  const endpoint = await startAwsEndpoint({ fleet });
  const front = await startConfigRuleFront(endpoint.url);
  try {
    const { rules } = await loadRuleSet({});
    const embedded = await readRuleFiles(rules);
    const settings: ClientSettings = {
      counter: createApiCallCounter(),
      credentials: { accessKeyId: 'AKIDLOOPBACKBENCH', secretAccessKey: 'loopback-secret' },
      endpointUrl: front.url,
      maxAttempts: 1,
      retryMode: 'standard',
    };
    const clients = (_a: string | undefined, r: string) => ({
      config: awsClients.config(settings, r),
      ec2: awsClients.ec2(settings, r),
      ssm: awsClients.ssm(settings, r),
      iam: awsClients.iam(settings),
    });
    const deps = {
      rules: embedded,
      clients,
      log: new StructuredLog(() => undefined, {}),
      defaultRegion: region.region,
      now: () => Date.parse(fleet.collectedAt),
      apiCallCounts: () => settings.counter.snapshot(),
    };
    const scope = { accountId: account.accountId, region: region.region };
    const out: ChangeEventFigures[] = [];
    for (const rule of rules.filter((r) => r.spec.type === 'AWS::EC2::Instance')) {
      const periodic = await handleConfigEvent(
        {
          ...envelope(
            {
              awsAccountId: scope.accountId,
              notificationCreationTime: fleet.collectedAt,
              messageType: 'ScheduledNotification',
            },
            rule.id,
          ),
          accountId: scope.accountId,
          configRuleArn: `arn:aws:config:${scope.region}:${scope.accountId}:config-rule/config-rule-bench`,
        },
        deps,
      );
      for (const resourceType of rule.loaded.definition.config?.triggerTypes ?? []) {
        const item = pickItem(items, resourceType);
        if (item === undefined) continue;
        const event = {
          ...envelope(
            {
              configurationItem: item,
              notificationCreationTime: fleet.collectedAt,
              messageType: 'ConfigurationItemChangeNotification',
            },
            rule.id,
          ),
          accountId: scope.accountId,
          configRuleArn: `arn:aws:config:${scope.region}:${scope.accountId}:config-rule/config-rule-bench`,
        };
        const started = performance.now();
        const summary = await handleConfigEvent(event, deps);
        out.push({
          instances,
          ruleId: rule.id,
          resourceType,
          calls: reads(summary.apiCalls),
          wallMs: performance.now() - started,
          wholeRegionCalls: reads(periodic.apiCalls),
        });
      }
    }
    return out;
  } finally {
    await front.stop();
    await endpoint.stop();
  }
}

/** A representative item of a type: the first instance, or the first related resource some instance uses. */
function pickItem(items: ApiJson[], resourceType: string): ApiJson | undefined {
  const instance = items.find((i) => i.resourceType === 'AWS::EC2::Instance')!;
  const configuration = instance.configuration as ApiJson;
  const wanted: Record<string, unknown> = {
    'AWS::EC2::Instance': instance.resourceId,
    'AWS::EC2::SecurityGroup': ((configuration.securityGroups as ApiJson[] | undefined) ?? [])[0]?.groupId,
    'AWS::EC2::Subnet': configuration.subnetId,
    'AWS::EC2::VPC': configuration.vpcId,
  };
  const id = wanted[resourceType];
  if (id !== undefined) return items.find((i) => i.resourceType === resourceType && i.resourceId === id);
  // VPC-wide types (route tables, NACLs, endpoints) and IAM: one in the instance's VPC, else the first.
  return (
    items.find(
      (i) =>
        i.resourceType === resourceType &&
        (i.configuration as ApiJson | undefined)?.vpcId === configuration.vpcId,
    ) ?? items.find((i) => i.resourceType === resourceType)
  );
}

/** The whole section: prints its figures and returns them (for `npm run bench`). */
export async function runLambdaBench(log: (line: string) => void = console.log): Promise<LambdaBenchFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'ssmguard-lambda-package-'));
  try {
    log('Config rule Lambda (packaged handler, fresh Node.js process, loopback AWS endpoint)');
    const size = await measurePackageSize(dir);
    log(
      `  package: ${(size.zipBytes / 1024).toFixed(0)} KiB zip (index.js ${(size.bundleBytes / 1024).toFixed(0)} KiB)`,
    );
    const coldStart = await measureColdStart(size.zipPath);
    log(
      `  cold start: load ${coldStart.loadMs.toFixed(0)} ms + first event ${coldStart.firstEventMs.toFixed(0)} ms   peak RSS ${coldStart.maxRssMb.toFixed(0)} MB`,
    );
    const periodic = await measurePeriodicMemory(size.zipPath);
    log(
      `  periodic run over ${periodic.instances.toLocaleString('en-US')} instances: ${(periodic.firstEventMs / 1000).toFixed(2)} s, ${periodic.evaluations} evaluations, peak RSS ${periodic.maxRssMb.toFixed(0)} MB   (template default ${PERIODIC_TARGET_MB} MB: ${periodic.maxRssMb <= PERIODIC_TARGET_MB ? 'fits' : 'MISSED'})`,
    );
    const changeEvents: ChangeEventFigures[] = [];
    for (const instances of [1_000, 10_000]) {
      const figures = await measureChangeEvents(instances);
      changeEvents.push(...figures);
      log(
        `  change events, account of ${instances.toLocaleString('en-US')} instances (read calls, wall time; periodic run of the rule):`,
      );
      for (const f of figures)
        log(
          `    ${f.ruleId.padEnd(36)} ${f.resourceType.padEnd(24)} ${String(f.calls).padStart(3)} calls ${f.wallMs.toFixed(0).padStart(5)} ms   (whole region: ${f.wholeRegionCalls} calls)`,
        );
    }
    return { zipBytes: size.zipBytes, bundleBytes: size.bundleBytes, coldStart, periodic, changeEvents };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
