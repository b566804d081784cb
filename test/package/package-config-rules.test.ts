// `ssmguard package`: the zip's handler runs in a fresh Node.js process against the loopback endpoint, the
// templates validate against the CloudFormation resource schemas, and the role allows exactly the calls made.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiJson } from '../../src/collectors/api/api-data.js';
import { loadRuleSet } from '../../src/cli/rule-set.js';
import type { CompiledRule } from '../../src/engine/compile-rule.js';
import { EXAMPLE_FLEET_FACTS as F, buildExampleFleet } from '../../src/generator/example-fleet.js';
import { handleConfigEvent } from '../../src/lambda/handle-config-event.js';
import { buildMemberRoleTemplate } from '../../src/package/config-rules-template.js';
import { CONFIG_ACTIONS, readActions } from '../../src/package/lambda-permissions.js';
import { packageConfigRules, type PackageResult } from '../../src/package/package-config-rules.js';
import { fleetToConfigItems } from '../collectors/config/fleet-to-config-items.js';
import {
  FAKE_CREDENTIALS,
  changeEvent,
  oversizedEvent,
  scheduledEvent,
  shippedEmbeddedRules,
  startLambdaWorld,
} from '../lambda/lambda-test-kit.js';
import { readZip } from './read-zip.js';
import { readShippedIpRanges } from '../../src/collectors/ip-ranges/read-ip-ranges.js';

const run = promisify(execFile);
const scope = { accountId: F.accountId, region: F.region };
let dir: string;
let rules: CompiledRule[];
let result: PackageResult;
let template: ApiJson;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssmguard-package-'));
  rules = (await loadRuleSet({})).rules;
  result = await packageConfigRules({ outDir: dir, rules });
  template = JSON.parse(await readFile(result.templatePath, 'utf8')) as ApiJson;
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the Lambda zip', () => {
  it('holds one index.js, readable by the runtime', async () => {
    const files = readZip(await readFile(result.zipPath));
    expect([...files.keys()]).toEqual(['index.js']);
    expect(files.get('index.js')!.mode).toBe(0o100644);
  });

  it('carries the shipped ip-ranges copy (dated), and stays small', async () => {
    // Prepare
    const shipped = await readShippedIpRanges();
    const source = readZip(await readFile(result.zipPath))
      .get('index.js')!
      .data.toString('utf8');
    // Assess
    expect(source).toContain(shipped.createDate);
    expect(source).toContain(shipped.syncToken);
    expect(source).toContain(shipped.regions.get('us-east-1')!.ipv4[0]!);
    // The copy adds ~160 KiB to the bundle; the zip stays far below Lambda's 50 MB direct-upload limit.
    expect(result.zipBytes).toBeLessThan(4 * 1024 * 1024);
  });

  it('runs its handler in a fresh Node.js process, with no rules/ on disk, exactly as the in-process handler', async () => {
    // Prepare: unzip into an empty folder; the process sees no rules/ and no node_modules.
    const code = join(dir, 'unzipped');
    const files = readZip(await readFile(result.zipPath));
    await import('node:fs/promises').then((fs) => fs.mkdir(code, { recursive: true }));
    await writeFile(join(code, 'index.js'), files.get('index.js')!.data);
    const fleet = buildExampleFleet();
    const items = fleetToConfigItems(fleet, { captureTime: '2026-11-20T11:58:07.123Z' });
    const item = items.find((i) => i.resourceId === F.inventory.firstInstanceId)!;
    const event = changeEvent(item, { ...scope, ruleId: 'ec2-instance-profile-attached' });
    const eventFile = join(dir, 'event.json');
    await writeFile(eventFile, JSON.stringify(event));
    const world = await startLambdaWorld(fleet, items);
    try {
      // Act
      const { stdout } = await run(
        process.execPath,
        [
          '-e',
          `require(${JSON.stringify(join(code, 'index.js'))}).handler(JSON.parse(require('fs').readFileSync(${JSON.stringify(eventFile)}, 'utf8')), { awsRequestId: 'req-1' }).then(() => {}, (e) => { console.error(e); process.exit(1); })`,
        ],
        {
          cwd: code,
          env: {
            PATH: process.env.PATH,
            AWS_REGION: F.region,
            AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
            AWS_ENDPOINT_URL: world.front.url,
            AWS_MAX_ATTEMPTS: '1',
            AWS_EC2_METADATA_DISABLED: 'true',
          },
        },
      );
      const inChild = world.endpoint.putEvaluations.map((c) => c.body);
      world.endpoint.putEvaluations.length = 0;
      await handleConfigEvent(event, world.deps(await shippedEmbeddedRules(), Date.now()));
      const inProcess = world.endpoint.putEvaluations.map((c) => c.body);

      // Assess
      expect(inChild).toEqual(inProcess);
      expect(inChild[0]!.Evaluations).toMatchObject([
        { ComplianceResourceId: F.inventory.firstInstanceId, ComplianceType: 'NON_COMPLIANT' },
      ]);
      const lines = stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as ApiJson);
      expect(lines.at(-1)).toMatchObject({
        level: 'INFO',
        message: 'evaluated',
        requestId: 'req-1',
        ConfigRuleName: 'ssmguard-ec2-instance-profile-attached',
        Evaluations: 1,
        _aws: { CloudWatchMetrics: [{ Namespace: 'ssmguard/ConfigRules' }] },
      });
    } finally {
      await world.stop();
    }
  }, 60_000);
});

// ---- CloudFormation schemas -------------------------------------------------------------------------------

const SCHEMA_FILES: Record<string, string> = {
  'AWS::Lambda::Function': 'aws-lambda-function.json',
  'AWS::Lambda::Permission': 'aws-lambda-permission.json',
  'AWS::IAM::Role': 'aws-iam-role.json',
  'AWS::Config::ConfigRule': 'aws-config-configrule.json',
  'AWS::Config::OrganizationConfigRule': 'aws-config-organizationconfigrule.json',
  'AWS::Logs::LogGroup': 'aws-logs-loggroup.json',
  'AWS::Config::RemediationConfiguration': 'aws-config-remediationconfiguration.json',
  'AWS::Config::ConformancePack': 'aws-config-conformancepack.json',
  'AWS::Config::OrganizationConformancePack': 'aws-config-organizationconformancepack.json',
};

const SAMPLE_REFS: Record<string, string> = {
  'AWS::AccountId': '111122223333',
  'AWS::Region': 'us-east-1',
  'AWS::Partition': 'aws',
  'AWS::StackName': 'ssmguard-config-rules',
  CodeBucket: 'ssmguard-artifacts',
  MemberAccountId: '444455556666',
  AdministratorAccountId: '111122223333',
};

/** Replaces intrinsic functions with sample values of the right shape, so string patterns can be checked. */
function resolveIntrinsics(value: unknown, parameters: ApiJson): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, parameters));
  if (value === null || typeof value !== 'object') return value;
  const o = value as ApiJson;
  if (typeof o.Ref === 'string')
    return SAMPLE_REFS[o.Ref] ?? (parameters[o.Ref] as ApiJson | undefined)?.Default ?? `sample-${o.Ref}`;
  // A condition's default branch: the parameters' defaults make every Fn::If in these templates false.
  if (Array.isArray(o['Fn::If'])) return resolveIntrinsics((o['Fn::If'] as unknown[])[2], parameters);
  if (Array.isArray(o['Fn::GetAtt'])) {
    const [resource] = o['Fn::GetAtt'] as string[];
    return resource === 'RuleFunction'
      ? 'arn:aws:lambda:us-east-1:111122223333:function:ssmguard-config-rules'
      : `arn:aws:iam::111122223333:role/${String(resource)}`;
  }
  if (typeof o['Fn::Sub'] === 'string')
    return (o['Fn::Sub'] as string).replace(
      /\$\{([^}]+)\}/g,
      (_m, name: string) => SAMPLE_REFS[name] ?? name,
    );
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolveIntrinsics(v, parameters)]));
}

/** Expands Fn::ForEach (AWS::LanguageExtensions) over a sample member list. */
function expandForEach(resources: ApiJson): ApiJson {
  const out: ApiJson = {};
  for (const [key, value] of Object.entries(resources)) {
    if (!key.startsWith('Fn::ForEach::')) {
      out[key] = value;
      continue;
    }
    const [variable, , body] = value as [string, unknown, ApiJson];
    for (const account of ['444455556666', '777788889999']) {
      for (const [name, resource] of Object.entries(body)) {
        out[name.replace(`\${${variable}}`, account)] = JSON.parse(
          JSON.stringify(resource).replaceAll(`{"Ref":"${variable}"}`, JSON.stringify(account)),
        );
      }
    }
  }
  return out;
}

async function schemaValidator(type: string) {
  // Python-style "\\Z" (end of string) in some patterns is "$" in JavaScript.
  const text = (
    await readFile(join('test', 'fixtures', 'cloudformation', SCHEMA_FILES[type]!), 'utf8')
  ).replaceAll('\\\\Z"', '$"');
  const schema = JSON.parse(text) as ApiJson;
  delete schema.$schema;
  if (type === 'AWS::Lambda::Function') {
    // The stored schema (cfn-lint 7a06e17) predates nodejs24.x, a supported runtime since 2025-11-25
    // (aws-facts-2 §15, https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html): add it, nothing else.
    const runtime = (schema.properties as Record<string, { enum: string[] }>).Runtime!;
    runtime.enum = [...runtime.enum, 'nodejs24.x'];
  }
  return new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
}

async function expectValidTemplate(doc: ApiJson): Promise<ApiJson> {
  const resources = expandForEach(doc.Resources as ApiJson);
  for (const [name, resource] of Object.entries(resources)) {
    const { Type, Properties } = resource as { Type: string; Properties: unknown };
    expect(Object.keys(SCHEMA_FILES), `${name} has a stored schema`).toContain(Type);
    const validate = await schemaValidator(Type);
    const ok = validate(resolveIntrinsics(Properties, (doc.Parameters ?? {}) as ApiJson));
    expect(validate.errors ?? [], `${name} (${Type})`).toEqual([]);
    expect(ok).toBe(true);
  }
  return resources;
}

describe('template.json', () => {
  it('validates against the CloudFormation schemas of every resource type it uses', async () => {
    const resources = await expectValidTemplate(template);
    // The periodic 10,000-instance run fits the default memory (bench/lambda-bench.ts measures it).
    const parameters = template.Parameters as Record<string, { Default?: unknown }>;
    expect(resources.RuleFunction).toMatchObject({
      Properties: {
        Runtime: { Ref: 'Runtime' },
        Handler: 'index.handler',
        MemorySize: { Ref: 'MemorySize' },
        Architectures: [{ Ref: 'Architecture' }],
        LoggingConfig: { LogGroup: { Ref: 'RuleFunctionLogGroup' } },
      },
    });
    expect(parameters.Runtime!.Default).toBe('nodejs24.x');
    expect(parameters.MemorySize!.Default).toBe(512);
    expect(parameters.Architecture!.Default).toBe('arm64');
    expect(resources.RuleFunctionLogGroup).toMatchObject({
      Properties: { RetentionInDays: { Ref: 'LogRetentionInDays' } },
    });
    expect(resources.ConfigInvokePermission).toMatchObject({
      Properties: { Principal: 'config.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' } },
    });
  });

  it('declares one ConfigRule per rule with its triggers and frequency from the rule YAML', () => {
    const configRules = Object.values(template.Resources as ApiJson).filter(
      (r) => (r as ApiJson).Type === 'AWS::Config::ConfigRule',
    ) as ApiJson[];
    expect(configRules).toHaveLength(rules.length);
    for (const rule of rules) {
      const declared = configRules.find(
        (r) => ((r.Properties as ApiJson).InputParameters as ApiJson).ruleId === rule.id,
      )!.Properties as ApiJson;
      const hints = rule.loaded.definition.config!;
      const details = (declared.Source as ApiJson).SourceDetails as ApiJson[];
      expect(
        details.filter((d) => d.MessageType !== 'ScheduledNotification').map((d) => d.MessageType),
      ).toEqual(
        hints.triggerTypes.length > 0
          ? ['ConfigurationItemChangeNotification', 'OversizedConfigurationItemChangeNotification']
          : [],
      );
      expect(details.find((d) => d.MessageType === 'ScheduledNotification')?.MaximumExecutionFrequency).toBe(
        hints.periodic ?? (hints.triggerTypes.length === 0 ? 'TwentyFour_Hours' : undefined),
      );
      expect((declared.Scope as ApiJson | undefined)?.ComplianceResourceTypes).toEqual(
        hints.triggerTypes.length > 0 ? hints.triggerTypes : undefined,
      );
    }
  });

  it('writes the organization variant: OrganizationConfigRules, member invoke permissions, and a valid member-role template', async () => {
    const orgDir = join(dir, 'org');
    const org = await packageConfigRules({ outDir: orgDir, rules, organization: true });
    const doc = JSON.parse(await readFile(org.templatePath, 'utf8')) as ApiJson;
    const resources = await expectValidTemplate(doc);
    expect(doc.Transform).toBe('AWS::LanguageExtensions');
    expect(
      Object.values(resources).filter((r) => (r as ApiJson).Type === 'AWS::Config::OrganizationConfigRule'),
    ).toHaveLength(rules.length);
    expect(resources.ConfigInvokePermission444455556666).toMatchObject({
      Properties: { Principal: 'config.amazonaws.com', SourceAccount: '444455556666' },
    });
    await expectValidTemplate(buildMemberRoleTemplate());
  });
});

// ---- two regions of one account ---------------------------------------------------------------------------

/** Physical-name properties per type, and whether the name is global to the account (IAM) or per region. */
const NAMED: Record<string, { property: string; global: boolean }> = {
  'AWS::IAM::Role': { property: 'RoleName', global: true },
  'AWS::Lambda::Function': { property: 'FunctionName', global: false },
  'AWS::Logs::LogGroup': { property: 'LogGroupName', global: false },
  'AWS::Config::ConfigRule': { property: 'ConfigRuleName', global: false },
  'AWS::Config::OrganizationConfigRule': { property: 'OrganizationConfigRuleName', global: false },
};

/** The physical names one deployment claims ("global:NAME" or "REGION:NAME"); unnamed resources claim none. */
function claimedNames(doc: ApiJson, region: string, stackName: string): string[] {
  const refs: ApiJson = { 'AWS::Region': region, 'AWS::StackName': stackName };
  const substitute = (value: unknown): string => {
    const o = value as ApiJson;
    if (typeof value === 'string') return value;
    if (typeof o.Ref === 'string') return String(refs[o.Ref] ?? SAMPLE_REFS[o.Ref] ?? o.Ref);
    if (typeof o['Fn::Sub'] === 'string')
      return (o['Fn::Sub'] as string).replace(/\$\{([^}]+)\}/g, (_m, name: string) =>
        String(refs[name] ?? SAMPLE_REFS[name] ?? name),
      );
    throw new Error(`unresolvable name ${JSON.stringify(value)}`);
  };
  const names: string[] = [];
  for (const resource of Object.values(expandForEach(doc.Resources as ApiJson)) as ApiJson[]) {
    const named = NAMED[String(resource.Type)];
    const value = (resource.Properties as ApiJson)[named?.property ?? ''];
    if (named === undefined || value === undefined) continue;
    names.push(`${named.global ? 'global' : region}:${substitute(value)}`);
  }
  return names;
}

describe('deploying to two regions of one account', () => {
  it('claims no physical name twice (IAM names are global; the rest are per region)', async () => {
    const org = JSON.parse(
      await readFile(
        (await packageConfigRules({ outDir: join(dir, 'org2'), rules, organization: true })).templatePath,
        'utf8',
      ),
    ) as ApiJson;
    for (const doc of [template, org]) {
      const east = claimedNames(doc, 'us-east-1', 'ssmguard-config-rules');
      const west = claimedNames(doc, 'eu-west-1', 'ssmguard-config-rules');
      expect(east.filter((name) => west.includes(name))).toEqual([]);
      expect(new Set(east).size).toBe(east.length);
    }
  });

  it('would have failed with the fixed role name of before (the check can fail)', () => {
    const fixed = structuredClone(template);
    ((fixed.Resources as ApiJson).RuleFunctionRole as { Properties: ApiJson }).Properties.RoleName =
      'ssmguard-config-rules-execution';
    const east = claimedNames(fixed, 'us-east-1', 's');
    const west = claimedNames(fixed, 'eu-west-1', 's');
    expect(east.filter((name) => west.includes(name))).toEqual(['global:ssmguard-config-rules-execution']);
  });
});

describe('the execution role', () => {
  it('allows every call the Lambda makes, and nothing more', async () => {
    // Prepare: every kind of invocation, against the loopback endpoint, counting operations.
    const fleet = buildExampleFleet();
    const items = fleetToConfigItems(fleet);
    const world = await startLambdaWorld(fleet, items);
    const embedded = await shippedEmbeddedRules();
    const instance = items.find((i) => i.resourceId === F.healthyWebInstanceIds[0])!;
    // Its role has an inline policy: the scoped IAM read calls GetRolePolicy.
    const inlinePolicyInstance = items.find((i) => i.resourceId === F.explicitDenyInstanceId)!;
    const group = items.find((i) => i.resourceType === 'AWS::EC2::SecurityGroup')!;
    // A managed policy's change lists the roles using it and their profiles.
    const policy = items.find((i) => i.resourceType === 'AWS::IAM::Policy' && i.ARN === F.boundaryPolicyArn)!;
    try {
      // Act
      for (const rule of rules) {
        await handleConfigEvent(scheduledEvent({ ...scope, ruleId: rule.id }), world.deps(embedded));
        for (const changed of [instance, inlinePolicyInstance])
          await handleConfigEvent(changeEvent(changed, { ...scope, ruleId: rule.id }), world.deps(embedded));
      }
      await handleConfigEvent(
        oversizedEvent(instance, { ...scope, ruleId: 'ec2-instance-imds-available' }),
        world.deps(embedded),
      );
      await handleConfigEvent(
        changeEvent(group, { ...scope, ruleId: 'ec2-instance-egress-https' }),
        world.deps(embedded),
      );
      await handleConfigEvent(
        changeEvent(policy, { ...scope, ruleId: 'ec2-instance-role-grants-ssm-core' }),
        world.deps(embedded),
      );
      const called = new Set([...world.endpoint.counts.keys()]);
      if (world.front.complianceDetailRequests.length > 0)
        called.add('config:GetComplianceDetailsByConfigRule');

      // Assess
      const policies = (
        (template.Resources as ApiJson).RuleFunctionRole as {
          Properties: {
            Policies: {
              PolicyName: string;
              PolicyDocument: { Statement: { Action: string | string[] }[] };
            }[];
          };
        }
      ).Properties.Policies;
      const allowed = new Set(
        policies
          .flatMap((p) => p.PolicyDocument.Statement)
          .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
          .filter((action) => !action.startsWith('logs:')),
      );
      expect([...called].sort()).toEqual([...allowed].sort());
      expect([...allowed].sort()).toEqual(
        [...readActions(), 'ssm:GetServiceSetting', ...CONFIG_ACTIONS].sort(),
      );
    } finally {
      await world.stop();
    }
  }, 120_000);
});

// ---- remediation and the conformance pack ------------------------------------------------------------------

/**
 * The AWS-owned runbooks and their required parameters (aws-facts-2 §7, from each runbook's reference page):
 * a remediation must name a real runbook and give every required parameter.
 */
const RUNBOOKS: Record<string, string[]> = {
  'AWS-AttachIAMToInstance': ['InstanceId', 'RoleName'],
  'AWSSupport-ConfigureEC2Metadata': ['InstanceId'],
  'AWSConfigRemediation-EnforceEC2InstanceIMDSv2': ['AutomationAssumeRole', 'InstanceId'],
};

function remediations(resources: ApiJson): ApiJson[] {
  return Object.values(resources).filter(
    (r) => (r as ApiJson).Type === 'AWS::Config::RemediationConfiguration',
  ) as ApiJson[];
}

describe('remediation through AWS-owned runbooks (template.json)', () => {
  it('names real runbooks with their required parameters, manual by default, ForceReplace off', () => {
    const configs = remediations(template.Resources as ApiJson);
    expect(
      configs
        .map((c) => [(c.Properties as ApiJson).ConfigRuleName, (c.Properties as ApiJson).TargetId])
        .sort(),
    ).toEqual([
      ['ssmguard-ec2-instance-imds-available', 'AWSSupport-ConfigureEC2Metadata'],
      ['ssmguard-ec2-instance-imdsv2-required', 'AWSConfigRemediation-EnforceEC2InstanceIMDSv2'],
      ['ssmguard-ec2-instance-profile-attached', 'AWS-AttachIAMToInstance'],
    ]);
    for (const config of configs) {
      const properties = config.Properties as ApiJson;
      const given = Object.keys(properties.Parameters as ApiJson);
      for (const required of RUNBOOKS[String(properties.TargetId)]!)
        expect(given, String(properties.TargetId)).toContain(required);
      expect(properties.Automatic).toEqual({ 'Fn::If': ['AutomaticRemediationOn', true, false] });
      expect((properties.Parameters as ApiJson).InstanceId).toEqual({
        ResourceValue: { Value: 'RESOURCE_ID' },
      });
    }
    const attach = configs.find((c) => (c.Properties as ApiJson).TargetId === 'AWS-AttachIAMToInstance')!;
    // Its default (true) would disassociate a working profile.
    expect(((attach.Properties as ApiJson).Parameters as ApiJson).ForceReplace).toEqual({
      StaticValue: { Values: ['false'] },
    });
    expect(attach.Condition).toBe('HasRemediationInstanceRole');
    expect((template.Parameters as ApiJson).AutomaticRemediation).toMatchObject({ Default: 'false' });
  });

  it('runs them as a role trusted by Systems Manager holding only their actions, passing only the named role', () => {
    const role = (template.Resources as ApiJson).RemediationRole as ApiJson;
    const document = JSON.stringify(role);
    expect(document).toContain('"Service":"ssm.amazonaws.com"');
    const statements = (((role.Properties as ApiJson).Policies as ApiJson[])[0]!.PolicyDocument as ApiJson)
      .Statement as ApiJson[];
    expect(statements.find((s) => s.Sid === 'RunbookActions')!.Action).toEqual([
      'ec2:AssociateIamInstanceProfile',
      'ec2:DescribeIamInstanceProfileAssociations',
      'ec2:DescribeInstances',
      'ec2:ModifyInstanceMetadataOptions',
      'iam:AddRoleToInstanceProfile',
      'iam:CreateInstanceProfile',
      'iam:GetInstanceProfile',
      'iam:ListInstanceProfilesForRole',
      'ssm:GetAutomationExecution',
      'ssm:StartAutomationExecution',
    ]);
    expect(statements.find((s) => s.Sid === 'PassTheInstanceRole')).toMatchObject({
      Action: 'iam:PassRole',
      Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    });
    // No runbook that acts on a security group: the rule judges instances.
    expect(document).not.toContain('AWS-DisablePublicAccessForSecurityGroup');
  });
});

describe('conformance-pack.json', () => {
  it('holds a conformance pack whose body is every rule, with the manual remediations, all schema-valid', async () => {
    const doc = JSON.parse(await readFile(result.conformancePackPath, 'utf8')) as ApiJson;
    const resources = await expectValidTemplate(doc);
    const pack = (resources.ConformancePack as ApiJson).Properties as ApiJson;
    const body = JSON.parse(String(pack.TemplateBody)) as ApiJson;
    const inner = await expectValidTemplate(body);
    const packRules = Object.values(inner).filter((r) => (r as ApiJson).Type === 'AWS::Config::ConfigRule');
    expect(packRules).toHaveLength(rules.length);
    for (const r of packRules)
      expect(((r as ApiJson).Properties as ApiJson).Source).toMatchObject({
        SourceIdentifier: { Ref: 'FunctionArn' },
      });
    // Without --instance-role the profile remediation is left out (its RoleName is required).
    expect(
      remediations(inner)
        .map((c) => (c.Properties as ApiJson).TargetId)
        .sort(),
    ).toEqual(['AWSConfigRemediation-EnforceEC2InstanceIMDSv2', 'AWSSupport-ConfigureEC2Metadata']);
    for (const c of remediations(inner)) expect((c.Properties as ApiJson).Automatic).toBe(false);
  });

  it('with --instance-role, remediates a missing profile with that role; the organization variant is schema-valid', async () => {
    const withRole = await packageConfigRules({
      outDir: join(dir, 'pack-role'),
      rules,
      instanceRoleName: 'SSMInstanceRole',
    });
    const doc = JSON.parse(await readFile(withRole.conformancePackPath, 'utf8')) as ApiJson;
    const body = JSON.parse(
      String(
        ((doc.Resources as ApiJson).ConformancePack as ApiJson & { Properties: ApiJson }).Properties
          .TemplateBody,
      ),
    ) as ApiJson;
    const attach = remediations(body.Resources as ApiJson).find(
      (c) => (c.Properties as ApiJson).TargetId === 'AWS-AttachIAMToInstance',
    )!;
    expect(((attach.Properties as ApiJson).Parameters as ApiJson).RoleName).toEqual({
      StaticValue: { Values: ['SSMInstanceRole'] },
    });

    const org = await packageConfigRules({ outDir: join(dir, 'pack-org'), rules, organization: true });
    const orgDoc = JSON.parse(await readFile(org.conformancePackPath, 'utf8')) as ApiJson;
    const orgResources = await expectValidTemplate(orgDoc);
    expect(orgResources.ConformancePack).toMatchObject({ Type: 'AWS::Config::OrganizationConformancePack' });
    await expectValidTemplate(
      JSON.parse(
        String(((orgResources.ConformancePack as ApiJson).Properties as ApiJson).TemplateBody),
      ) as ApiJson,
    );
  });
});
