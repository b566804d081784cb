// The Config rule handler's wiring: parse the event → build the inventory → run the engine → PutEvaluations.

import type { AwsIpRanges } from '../inventory/aws-ip-ranges.js';
import { GetResourceConfigHistoryCommand, type ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { InventoryBuilder } from '../collectors/api/inventory-builder.js';
import { addConfigItems } from '../collectors/config/map-config-items.js';
import {
  isLiveItem,
  normaliseConfigurationItem,
  type ConfigurationItem,
} from '../collectors/config/configuration-item.js';
import { collectEc2With } from '../collectors/live/collect-ec2.js';
import { collectIamWith } from '../collectors/live/collect-iam.js';
import { collectSsmWith } from '../collectors/live/collect-ssm.js';
import {
  addMappedAccount,
  mappingFold,
  type MappedAccount,
  type MappedPages,
} from '../collectors/live/mapping-fold.js';
import type { CompiledRule } from '../engine/compile-rule.js';
import { evaluate } from '../engine/evaluate.js';
import type { Evaluation } from '../engine/types.js';
import { CheckerError } from '../errors.js';
import { CoverageIndex } from '../inventory/coverage.js';
import type { Inventory } from '../inventory/model.js';
import {
  parseConfigRuleEvent,
  type ConfigRuleEvent,
  type OversizedItemSummary,
} from './config-rule-event.js';
import type { EmbeddedRules } from './embedded-rules.js';
import { listEvaluatedResources } from './previous-evaluations.js';
import { putEvaluations } from './put-evaluations.js';
import { evaluateScopedChange } from './scoped-change.js';
import { findInstances } from './scoped-reader.js';
import { selectRule } from './select-rule.js';
import type { InvocationMetrics, StructuredLog } from './structured-log.js';
import { entry, toConfigEvaluations, type ConfigEvaluation } from './to-config-evaluations.js';

/** The SDK clients one invocation uses, bound to the event's account and region. */
export interface LambdaClients {
  config: ConfigServiceClient;
  ec2: EC2Client;
  ssm: SSMClient;
  iam: IAMClient;
}

/** What the handler needs from outside: injected, so tests run it against the loopback endpoint. */
export interface HandlerDeps {
  rules: EmbeddedRules;
  /** Clients for the account and region an event is about (the org variant assumes a member role here). */
  clients(accountId: string | undefined, region: string): LambdaClients | Promise<LambdaClients>;
  log: StructuredLog;
  /** Region when the event's rule ARN has none (the function's own region, AWS_REGION). */
  defaultRegion: string;
  now(): number;
  /** Running per-operation count of the calls the clients made (the handler logs this invocation's share). */
  apiCallCounts?(): Record<string, number>;
  /** AWS's ranges the network-path rule narrows the public SSM endpoints to (the package's shipped copy). */
  ipRanges?: AwsIpRanges;
}

/** What one invocation did. */
export interface HandlerSummary extends InvocationMetrics {
  configRuleName: string;
  messageType: string;
  ruleId?: string;
  putEvaluationsCalls: number;
  /** AWS services read live, e.g. ["ec2", "ssm"]. */
  servicesRead: string[];
  /** The API calls this invocation made, per operation ("ec2:DescribeInstances"), PutEvaluations included. */
  apiCalls: Record<string, number>;
}

/** The calls made between two snapshots of a running per-operation count. */
export function callsSince(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [operation, count] of Object.entries(after)) {
    const made = count - (before[operation] ?? 0);
    if (made > 0) out[operation] = made;
  }
  return out;
}

/** The oversized item could not be fetched; without it there is nothing to judge. */
export class ConfigItemUnavailableError extends CheckerError {
  readonly code = 'CONFIG_ITEM_UNAVAILABLE';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigItemUnavailableError';
  }
}

type Service = 'ec2' | 'ssm' | 'iam';
const SERVICES: readonly Service[] = ['ec2', 'ssm', 'iam'];

/**
 * Handles one Config rule invocation. Change notifications judge the changed resource (or, for a related
 * type such as a security group, the instances that use it); periodic notifications judge every resource of
 * the rule's type in the account and region and clear verdicts of resources that are gone. Deleted and
 * out-of-scope resources are NOT_APPLICABLE; ERROR evaluations are logged and counted, never sent.
 */
export async function handleConfigEvent(raw: unknown, deps: HandlerDeps): Promise<HandlerSummary> {
  const callsBefore = deps.apiCallCounts?.() ?? {};
  const summary = await handleParsedEvent(raw, deps);
  summary.apiCalls = callsSince(callsBefore, deps.apiCallCounts?.() ?? {});
  return summary;
}

async function handleParsedEvent(raw: unknown, deps: HandlerDeps): Promise<HandlerSummary> {
  const event = parseConfigRuleEvent(raw);
  const messageType = event.invokingEvent.messageType;
  let log = deps.log.with({ configRuleName: event.configRuleName, messageType });
  const rule = selectRule(deps.rules, event.ruleParameters);
  log = log.with({ ruleId: rule.id });
  const region = event.region ?? deps.defaultRegion;
  const summary: HandlerSummary = {
    configRuleName: event.configRuleName,
    messageType,
    ruleId: rule.id,
    Evaluations: 0,
    EvaluationErrors: 0,
    StaleResources: 0,
    InvocationFailures: 0,
    putEvaluationsCalls: 0,
    servicesRead: [],
    apiCalls: {},
  };

  const invoking = event.invokingEvent;
  let outcome: { entries: ConfigEvaluation[]; errors: Evaluation[] };
  let clients: LambdaClients;
  if (
    invoking.messageType === 'ScheduledNotification' &&
    'notificationCreationTime' in invoking &&
    invoking.notificationCreationTime !== undefined
  ) {
    const accountId = event.accountId ?? ('awsAccountId' in invoking ? invoking.awsAccountId : undefined);
    clients = await deps.clients(accountId, region);
    outcome = await evaluatePeriodic(
      event,
      rule,
      clients,
      accountId,
      region,
      new Date(invoking.notificationCreationTime),
      summary,
      log,
      deps.ipRanges,
    );
  } else if (
    invoking.messageType === 'ConfigurationItemChangeNotification' &&
    'configurationItem' in invoking
  ) {
    const item = normaliseConfigurationItem(invoking.configurationItem, 'invokingEvent.configurationItem');
    clients = await deps.clients(item.awsAccountId ?? event.accountId, regionOf(item.awsRegion) ?? region);
    outcome = await evaluateChange(event, item, rule, clients, deps, summary);
  } else if (
    invoking.messageType === 'OversizedConfigurationItemChangeNotification' &&
    'summary' in invoking
  ) {
    clients = await deps.clients(
      invoking.summary.awsAccountId ?? event.accountId,
      regionOf(invoking.summary.awsRegion) ?? region,
    );
    // A resource that left the rule's scope is NOT_APPLICABLE whatever its item says: no fetch is needed (and a
    // failed fetch must not turn that verdict into an invocation error).
    const fetched = event.eventLeftScope
      ? { item: normaliseConfigurationItem({ ...invoking.summary, configuration: null }) }
      : await oversizedItemOrServiceRead(clients, invoking.summary, event, region);
    outcome = await evaluateChange(event, fetched.item, rule, clients, deps, summary, fetched.instancePages);
  } else {
    // Snapshot-delivery and future message types: this rule never registers for them (see the template).
    log.warn('message type not handled; nothing evaluated');
    return summary;
  }

  for (const error of outcome.errors) {
    log.error('resource not judged: ssmguard could not read what the rule needs', {
      resourceType: error.resourceType,
      resourceId: error.resourceId,
      code: error.error?.code,
      detail: error.error?.message,
      permission: error.error?.permission,
    });
  }
  summary.EvaluationErrors = outcome.errors.length;
  summary.Evaluations = outcome.entries.length;
  summary.putEvaluationsCalls = await putEvaluations(clients.config, event.resultToken, outcome.entries);
  return summary;
}

/**
 * Fetches the item of an oversized notification: the newest history entry at the summary's capture time
 * (the API form, normalised like any item). A deleted resource needs no fetch: its verdict is NOT_APPLICABLE.
 */
async function fetchOversizedItem(
  client: ConfigServiceClient,
  summary: OversizedItemSummary,
): Promise<ConfigurationItem> {
  if (summary.configurationItemStatus !== undefined && !isLiveItem(summary)) {
    return normaliseConfigurationItem({ ...summary, configuration: null });
  }
  const output = await client.send(
    new GetResourceConfigHistoryCommand({
      resourceType: summary.resourceType as never,
      resourceId: summary.resourceId,
      ...(summary.configurationItemCaptureTime !== undefined && {
        laterTime: new Date(summary.configurationItemCaptureTime),
      }),
      limit: 1,
    }),
  );
  const [latest] = output.configurationItems ?? [];
  if (latest === undefined)
    throw new ConfigItemUnavailableError(
      `GetResourceConfigHistory returned no item for ${summary.resourceType} ${summary.resourceId}`,
    );
  return normaliseConfigurationItem(latest, 'GetResourceConfigHistory.configurationItems[0]');
}

/**
 * The oversized item from Config, or, when Config cannot return it (ResourceNotDiscoveredException: not yet
 * recorded) for an instance, the instance read through its own API (DescribeInstances --instance-ids), so the
 * evaluation is not dropped. Other types keep the error: their change is judged through their users anyway.
 */
async function oversizedItemOrServiceRead(
  clients: LambdaClients,
  summary: OversizedItemSummary,
  event: ConfigRuleEvent,
  region: string,
): Promise<{ item: ConfigurationItem; instancePages?: MappedPages }> {
  try {
    return { item: await fetchOversizedItem(clients.config, summary) };
  } catch (error) {
    const notRecorded =
      error instanceof ConfigItemUnavailableError ||
      (error as { name?: unknown } | null)?.name === 'ResourceNotDiscoveredException';
    if (!notRecorded || summary.resourceType !== 'AWS::EC2::Instance') throw error;
    const accountId = summary.awsAccountId ?? event.accountId ?? 'unknown';
    const found = await findInstances(
      clients.ec2,
      [{ Name: 'instance-id', Values: [summary.resourceId] }],
      accountId,
      regionOf(summary.awsRegion) ?? region,
    );
    if (found.mapped === undefined)
      throw new ConfigItemUnavailableError(
        `${summary.resourceId}: not in Config (${(error as Error).message}) and DescribeInstances failed: ${found.failures.map((f) => f.code).join(', ')}`,
        { cause: error },
      );
    const item = normaliseConfigurationItem({
      configurationItemStatus: 'OK',
      ...summary,
      configuration: null,
    });
    return { item, instancePages: found.mapped };
  }
}

async function evaluateChange(
  event: ConfigRuleEvent,
  item: ConfigurationItem,
  rule: CompiledRule,
  clients: LambdaClients,
  deps: HandlerDeps,
  summary: HandlerSummary,
  instancePages?: MappedPages,
): Promise<{ entries: ConfigEvaluation[]; errors: Evaluation[] }> {
  const captured = item.configurationItemCaptureTime ?? event.invokingEvent.notificationCreationTime;
  const orderingTimestamp = new Date(captured ?? deps.now());
  // AWS's sample isApplicable(): left scope, or deleted / no longer recorded → NOT_APPLICABLE (aws-facts §4.2).
  if (event.eventLeftScope) {
    return {
      entries: [
        entry(
          item.resourceType,
          item.resourceId,
          'NOT_APPLICABLE',
          'SCOPE.LEFT: the resource is no longer in the rule\u2019s scope',
          orderingTimestamp,
        ),
      ],
      errors: [],
    };
  }
  if (!isLiveItem(item)) {
    const status = item.configurationItemStatus ?? 'ResourceDeleted';
    return {
      entries: [
        entry(
          item.resourceType,
          item.resourceId,
          'NOT_APPLICABLE',
          `RESOURCE.DELETED: ${status}`,
          orderingTimestamp,
        ),
      ],
      errors: [],
    };
  }
  const accountId = item.awsAccountId ?? event.accountId;
  const region = regionOf(item.awsRegion) ?? event.region ?? deps.defaultRegion;
  const isTarget = item.resourceType === rule.spec.type;
  // The rule's neighbourhood only, with filtered calls (DESIGN.md: a change never reads the whole region).
  const scoped = await evaluateScopedChange(
    { item, ...(instancePages !== undefined && { instancePages }) },
    rule,
    clients,
    accountId ?? 'unknown',
    region,
    deps.now(),
    deps.ipRanges,
  );
  if (scoped !== undefined) {
    summary.servicesRead = servicesOf(summary, deps);
    return withRelatedEntry(
      toConfigEvaluations(scoped.evaluations, orderingTimestamp),
      item,
      rule,
      isTarget,
      orderingTimestamp,
    );
  }
  const reader = new LiveReader(clients, accountId ?? 'unknown', region, deps.now());
  // What the scoped path does not cover (an IAM resource, whose users are not one filter away; a rule on
  // another type): the related resource's users are listed from the region's EC2 and IAM data.
  if (!isTarget) await reader.read(['ec2', 'iam']);

  let evaluations: Evaluation[] = [];
  let inventory: Inventory | undefined;
  for (let round = 0; round <= SERVICES.length; round++) {
    const builder = new InventoryBuilder();
    addConfigItems(builder, [item], { coverage: false });
    reader.addTo(builder);
    inventory = builder.build({ kind: 'config', inputs: ['lambda'], accounts: [], regions: [] }).inventory;
    const all = evaluate(inventory, [rule], {
      nowMs: deps.now(),
      ...(deps.ipRanges && { ipRanges: deps.ipRanges }),
    });
    evaluations = isTarget
      ? all.filter((e) => e.resourceId === item.resourceId)
      : all.filter(relatedTo(inventory, item));
    const wanted = missingServices(evaluations).filter((s) => !reader.has(s));
    if (wanted.length === 0) break;
    await reader.read(wanted);
  }
  summary.servicesRead = reader.services();
  return withRelatedEntry(
    toConfigEvaluations(evaluations, orderingTimestamp),
    item,
    rule,
    isTarget,
    orderingTimestamp,
  );
}

/** A related resource itself is NOT_APPLICABLE, saying through how many resources it was judged. */
function withRelatedEntry(
  converted: { entries: ConfigEvaluation[]; errors: Evaluation[] },
  item: ConfigurationItem,
  rule: CompiledRule,
  isTarget: boolean,
  orderingTimestamp: Date,
): { entries: ConfigEvaluation[]; errors: Evaluation[] } {
  if (!isTarget) {
    const count = converted.entries.length + converted.errors.length;
    converted.entries.push(
      entry(
        item.resourceType,
        item.resourceId,
        'NOT_APPLICABLE',
        `RESOURCE.RELATED: judged through the ${count} ${rule.spec.type} resource(s) that use it`,
        orderingTimestamp,
      ),
    );
  }
  return converted;
}

/** The services this invocation's calls went to so far ("ec2", "iam", "ssm"; Config itself not counted). */
function servicesOf(summary: HandlerSummary, deps: HandlerDeps): string[] {
  const calls = callsSince(summary.apiCalls, deps.apiCallCounts?.() ?? {});
  return SERVICES.filter((s) => Object.keys(calls).some((op) => op.startsWith(`${s}:`)));
}

async function evaluatePeriodic(
  event: ConfigRuleEvent,
  rule: CompiledRule,
  clients: LambdaClients,
  accountId: string | undefined,
  region: string,
  notified: Date,
  summary: HandlerSummary,
  log: StructuredLog,
  ipRanges: AwsIpRanges | undefined,
): Promise<{ entries: ConfigEvaluation[]; errors: Evaluation[] }> {
  const reader = new LiveReader(clients, accountId ?? 'unknown', region, notified.getTime());
  // The rule's own resources first (EC2 for instance rules, SSM for activations and windows), then only the
  // services its evaluations ask for: a rule that needs no IAM data never pays for GAAD.
  await reader.read([rule.spec.family.startsWith('ssm:') ? 'ssm' : 'ec2']);
  let inventory: Inventory;
  let evaluations: Evaluation[];
  for (;;) {
    const builder = new InventoryBuilder();
    reader.addTo(builder);
    inventory = builder.build({ kind: 'live', inputs: ['lambda'], accounts: [], regions: [] }).inventory;
    evaluations = evaluate(inventory, [rule], {
      nowMs: notified.getTime(),
      ...(ipRanges && { ipRanges }),
    });
    const wanted = missingServices(evaluations).filter((s) => !reader.has(s));
    if (wanted.length === 0) break;
    evaluations = [];
    await reader.read(wanted);
  }
  summary.servicesRead = reader.services();
  // The inventory holds the resources now; let the mapped responses (pages, issues) go before the verdicts are sent.
  reader.release();
  const converted = toConfigEvaluations(evaluations, notified);

  // Clean-up: a resource judged before that is no longer listed is gone; report it NOT_APPLICABLE so its old
  // verdict does not linger. Only when the rule's own family was read: a failed listing proves nothing.
  const state = new CoverageIndex(inventory.coverage).state(rule.spec.family, {
    accountId: accountId ?? 'unknown',
    region,
  });
  if (state.status !== 'read') {
    log.warn('skipping clean-up: the rule\u2019s resources could not be listed', {
      family: rule.spec.family,
    });
    return converted;
  }
  const present = new Set(evaluations.map((e) => `${e.resourceType}\u0000${e.resourceId}`));
  const previous = await listEvaluatedResources(clients.config, event.configRuleName);
  for (const resource of previous) {
    if (
      resource.resourceType !== rule.spec.type ||
      present.has(`${resource.resourceType}\u0000${resource.resourceId}`)
    )
      continue;
    converted.entries.push(
      entry(
        resource.resourceType,
        resource.resourceId,
        'NOT_APPLICABLE',
        'RESOURCE.GONE: no longer exists in the account and region',
        notified,
      ),
    );
    summary.StaleResources++;
  }
  return converted;
}

/** The item's region, unless it is IAM's "global": the rule, and the instances it judges, live in the rule's region. */
function regionOf(awsRegion: string | undefined): string | undefined {
  return awsRegion === undefined || awsRegion === 'global' ? undefined : awsRegion;
}

/** Services whose data an evaluation found missing, from the IAM permission named by its DATA_MISSING error. */
function missingServices(evaluations: readonly Evaluation[]): Service[] {
  const out = new Set<Service>();
  for (const evaluation of evaluations) {
    if (evaluation.status !== 'ERROR' || evaluation.error?.code !== 'DATA_MISSING') continue;
    const service = evaluation.error.permission?.split(':')[0];
    if (service === 'ec2' || service === 'ssm' || service === 'iam') out.add(service);
  }
  return [...out];
}

/** Whether an evaluated (target) resource uses the changed related resource. */
function relatedTo(inventory: Inventory, item: ConfigurationItem): (evaluation: Evaluation) => boolean {
  const id = item.resourceId;
  const instances = new Map(inventory.instances.map((i) => [i.instanceId, i]));
  const uses = (instanceId: string): boolean => {
    const instance = instances.get(instanceId);
    if (instance === undefined) return false;
    switch (item.resourceType) {
      case 'AWS::EC2::SecurityGroup':
        return instance.securityGroupIds.includes(id);
      case 'AWS::EC2::Subnet':
        return instance.subnetId === id;
      case 'AWS::EC2::VPC':
        return instance.vpcId === id;
      case 'AWS::EC2::RouteTable':
      case 'AWS::EC2::NetworkAcl':
      case 'AWS::EC2::VPCEndpoint':
      case 'AWS::EC2::NatGateway':
        return instance.vpcId !== undefined && vpcOf(item) === instance.vpcId;
      case 'AWS::EC2::InternetGateway':
      case 'AWS::EC2::EgressOnlyInternetGateway':
        return instance.vpcId !== undefined && attachedVpcsOf(item).includes(instance.vpcId);
      case 'AWS::IAM::Role':
      case 'AWS::IAM::InstanceProfile':
      case 'AWS::IAM::Policy': {
        const profiles = profilesUsing(inventory, item);
        return instance.iamInstanceProfileArn !== undefined && profiles.has(instance.iamInstanceProfileArn);
      }
      default:
        return false;
    }
  };
  return (evaluation) => uses(evaluation.resourceId);
}

function vpcOf(item: ConfigurationItem): string | undefined {
  const configuration = item.configuration as { vpcId?: unknown } | undefined;
  return typeof configuration?.vpcId === 'string' ? configuration.vpcId : undefined;
}

/** The VPCs an internet gateway item is attached to (configuration.attachments[].vpcId). */
function attachedVpcsOf(item: ConfigurationItem): string[] {
  const configuration = item.configuration as { attachments?: unknown } | undefined;
  const attachments = Array.isArray(configuration?.attachments)
    ? (configuration.attachments as unknown[])
    : [];
  return attachments.flatMap((a) => {
    const vpcId = (a as { vpcId?: unknown } | null)?.vpcId;
    return typeof vpcId === 'string' ? [vpcId] : [];
  });
}

/** Instance profiles whose role is the changed IAM resource, or attaches it (as a policy or boundary). */
function profilesUsing(inventory: Inventory, item: ConfigurationItem): Set<string> {
  const arn = item.ARN;
  const roles = new Set<string>();
  for (const role of inventory.roles) {
    // A permissions boundary changes the role's effective permissions as much as an attached policy does.
    if (
      role.arn === arn ||
      role.roleId === item.resourceId ||
      role.permissionsBoundaryArn === arn ||
      role.attachedPolicies.some((p) => p.policyArn === arn)
    )
      roles.add(role.arn);
  }
  const profiles = new Set<string>();
  for (const profile of inventory.instanceProfiles) {
    if (profile.arn === arn || profile.roleArns.some((r) => roles.has(r))) profiles.add(profile.arn);
  }
  return profiles;
}

/**
 * Reads services live for one account and region with the live collectors, once each. Pages are mapped into
 * the model as they arrive (mappingFold): the reader keeps mapped responses, never raw pages, so a periodic
 * run over a large account holds about what its inventory holds.
 */
class LiveReader {
  private account: MappedAccount;
  private readonly done = new Set<Service>();

  constructor(
    private readonly clients: LambdaClients,
    private readonly accountId: string,
    private readonly region: string,
    /** The evaluation time: the maintenance-window run history is read back from it. */
    private readonly nowMs: number,
  ) {
    this.account = LiveReader.empty(accountId, region);
  }

  private static empty(accountId: string, region: string): MappedAccount {
    return { accountId, failures: [], regions: [{ accountId, region, failures: [] }] };
  }

  has(service: Service): boolean {
    return this.done.has(service);
  }

  services(): string[] {
    return SERVICES.filter((s) => this.done.has(s));
  }

  async read(services: readonly Service[]): Promise<void> {
    const options = { accountId: this.accountId, nowMs: this.nowMs };
    const fold = mappingFold(this.accountId, this.region);
    const account = this.account;
    const regionData = account.regions[0] as MappedAccount['regions'][number];
    await Promise.all(
      services
        .filter((s) => !this.done.has(s))
        .map(async (service) => {
          this.done.add(service);
          if (service === 'iam') {
            const iam = await collectIamWith(fold, this.clients.iam, options);
            if (iam.GetAccountAuthorizationDetails !== undefined)
              account.GetAccountAuthorizationDetails = iam.GetAccountAuthorizationDetails;
            account.failures.push(...iam.failures);
            return;
          }
          const { failures, ...data } =
            service === 'ec2'
              ? await collectEc2With(fold, this.clients.ec2, this.region, options)
              : await collectSsmWith(fold, this.clients.ssm, this.region, options);
          Object.assign(regionData, data);
          regionData.failures.push(...failures);
        }),
    );
  }

  addTo(builder: InventoryBuilder): void {
    if (this.done.size > 0) addMappedAccount(builder, this.account);
  }

  /** Drops the mapped responses (the built inventory holds their resources). */
  release(): void {
    this.account = LiveReader.empty(this.accountId, this.region);
  }
}
