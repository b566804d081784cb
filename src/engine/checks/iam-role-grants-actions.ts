// Named check: the effective permissions of the role the SSM Agent uses allow the chosen action set.

import { explainDecision } from '../../iam/explain-decision.js';
import { SERVICE_PATH_NEEDS } from './network-path/service-paths.js';
import {
  AMAZON_SSM_MANAGED_EC2_INSTANCE_DEFAULT_POLICY_ARN,
  AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN,
  evaluateActions,
  evaluateRolePermissions,
  evaluateTrustPolicy,
  planAgentRequests,
  policyKeyProfile,
  rolePolicyKeys,
  scpKey,
  findEmbeddedAwsManagedPolicy,
  resolveActionSet,
  type ActionDecision,
  type ActionSetSpec,
  type DecidingStatement,
  type PolicyKeyProfile,
  type PolicyLayer,
  type ResolvedActionSet,
} from '../../iam/index.js';
import type { InventoryIndex } from '../../inventory/inventory-index.js';
import type { Ec2Instance, IamRole } from '../../inventory/model.js';
import type { CauseRef, Evidence, Remediation } from '../types.js';
import { CheckDataError } from './check-data-error.js';
import {
  describeCredentials,
  dhmcCredentials,
  resolveInstanceCredentials,
  type InstanceCredentials,
} from './iam-instance-credentials.js';
import { iamContextOf, type IamInventoryContext, type ScpSelection } from './iam-inventory-context.js';
import { instanceRequestContext, pathConsulted, type InstanceRequestContext } from './iam-request-context.js';
import { SSM_SERVICE_PRINCIPAL } from './iam-role-trusted.js';
import {
  allowDocument,
  describeDecidingStatement,
  describePolicy,
  partitionOf,
  shellQuote,
} from './iam-statement-text.js';
import type { CheckResult, NamedCheck } from './named-check.js';

export interface GrantsActionsParams {
  actionSet: 'agent-core' | 'patching' | 'custom';
  actions: string[];
  includeEc2Messages: boolean;
}

/** The reason codes, most urgent first: the first that applies is the evaluation's reason. */
export const GRANT_REASONS = [
  'IAM.EXPLICIT_DENY',
  'IAM.SCP_DENY',
  'IAM.BOUNDARY_DENY',
  'IAM.ENDPOINT_POLICY_DENY',
  'IAM.MISSING_ACTION',
  'IAM.CONDITIONAL',
] as const;
export type GrantReason = (typeof GRANT_REASONS)[number];

const UPDATE_INSTANCE_INFORMATION = 'ssm:updateinstanceinformation';

/** The document the patching set's document requests name: the one Patch Manager runs. */
const PATCH_DOCUMENT = 'AWS-RunPatchBaseline';

type RoleCredentials = Extract<InstanceCredentials, { kind: 'profile' | 'dhmc' }> & { role: IamRole };

/** A role's verdict for an action set, computed once per inventory, role and set (many instances share one). */
interface RoleVerdict {
  ok: boolean;
  /** Why it failed; on a pass, the note it carries (a deprecated policy). */
  reason?: GrantReason | 'IAM.DEPRECATED_POLICY';
  /** A sentence starting with the role ("role X (instance profile P) …"). */
  detail: string;
  evidence: Evidence[];
  remediation?: Partial<Remediation>;
  cause: CauseRef;
  /** ssm:UpdateInstanceInformation is refused outright, which makes the agent fall back to DHMC. */
  refusesRegistration: boolean;
  error?: CheckDataError;
}

const actionSets = new WeakMap<GrantsActionsParams, ResolvedActionSet>();

function actionSetOf(params: GrantsActionsParams): ResolvedActionSet {
  let set = actionSets.get(params);
  if (set === undefined) {
    const spec: ActionSetSpec =
      params.actionSet === 'custom'
        ? { name: 'custom', actions: params.actions }
        : { name: params.actionSet, includeEc2Messages: params.includeEc2Messages };
    set = resolveActionSet(spec);
    actionSets.set(params, set);
  }
  return set;
}

/**
 * Decides, offline and exactly (src/iam), whether the instance's role may call every action of the set:
 * identity policies ∩ permissions boundary ∩ SCPs (when supplied). The role is the instance profile's, or the
 * DHMC role for a profile-less instance DHMC covers. A profile role refused ssm:UpdateInstanceInformation makes
 * the agent fall back to DHMC (aws-facts §0 #2): when DHMC covers the instance with a role that is trusted by
 * ssm.amazonaws.com and grants the set, the instance passes with that explained; otherwise the message says
 * why the fallback does not help. A role attaching the deprecated AmazonEC2RoleforSSM passes with an
 * IAM.DEPRECATED_POLICY note ("sufficient but deprecated"). Unreadable policies throw CheckDataError (ERROR).
 */
export const instanceRoleGrantsActions: NamedCheck<Ec2Instance, GrantsActionsParams> = {
  name: 'instance-role-grants-actions',
  description:
    "The effective permissions of the SSM Agent's role (profile or DHMC) allow every action of the set.",
  resourceTypes: ['AWS::EC2::Instance'],
  needs: ['instance.iam', 'instance.iam-policies', 'region.dhmc', 'account.scps', 'vpc.endpoint-policies'],
  // The request context holds the network path's keys (aws:SourceVpce, aws:SourceIp…) and the endpoint policies on
  // the path, but only when a policy reads a path key or an endpoint has a policy (iam-request-context).
  deferredNeeds: { needs: SERVICE_PATH_NEEDS, wanted: networkPathConsulted },
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      actionSet: { enum: ['agent-core', 'patching', 'custom'], default: 'agent-core' },
      actions: {
        type: 'array',
        items: { type: 'string', pattern: '^[A-Za-z0-9-]+:[A-Za-z0-9]+$' },
        default: [],
      },
      includeEc2Messages: { type: 'boolean', default: false },
    },
    if: { properties: { actionSet: { const: 'custom' } }, required: ['actionSet'] },
    then: { properties: { actions: { minItems: 1 } } },
  },
  evaluate(instance, { index, params, nowMs, passEvidence = true }) {
    const credentials = resolveInstanceCredentials(instance, index);
    if (credentials.kind === 'none') {
      return notApplicable(
        `Instance ${instance.instanceId} has no instance profile and DHMC does not cover it (${credentials.detail}); ec2-instance-profile-attached reports it.`,
      );
    }
    if (credentials.kind === 'profile-without-role') {
      // No role, no permissions: the agent cannot call anything (both IAM rules say so).
      return {
        outcome: 'fail',
        reason: 'IAM.PROFILE_WITHOUT_ROLE',
        detail: `instance profile ${credentials.profile.instanceProfileName} holds no role, so the SSM Agent has no permissions at all`,
        evidence: [
          {
            path: 'instanceProfile.roleArns',
            resourceId: credentials.profileArn,
            actual: credentials.profile.roleArns,
            expected: 'one role',
          },
        ],
        cause: { resourceType: 'AWS::IAM::InstanceProfile', resourceId: credentials.profileArn },
      };
    }
    const role = credentials.role;
    if (role === undefined) {
      return notApplicable(
        `DHMC role ${credentials.kind === 'dhmc' ? credentials.roleName : ''} of instance ${instance.instanceId} is not in the IAM data; ec2-instance-role-trusts-ec2 reports it.`,
      );
    }
    const context = iamContextOf(index);
    const actionSet = actionSetOf(params);
    const subject: RoleCredentials = { ...credentials, role };
    const ask: VerdictRequest = { instance, nowMs, actionSet, params, passEvidence };
    const verdict = roleVerdict(context, index, subject, ask);
    if (verdict.error !== undefined) throw verdict.error;
    if (verdict.ok) {
      return verdict.reason === 'IAM.DEPRECATED_POLICY'
        ? { outcome: 'pass', reason: verdict.reason, detail: verdict.detail, evidence: verdict.evidence }
        : { outcome: 'pass', detail: verdict.detail, evidence: verdict.evidence };
    }
    if (credentials.kind === 'profile' && verdict.refusesRegistration) {
      return withDhmcFallback(index, context, verdict, ask);
    }
    return fail(verdict);
  },
};

/**
 * Whether evaluating the instance may consult its network path: for the profile role and the DHMC role (the
 * agent's fallback), the keys their policies and SCPs read, or an endpoint policy in the VPC. Data that cannot be
 * read says yes: the second read then costs calls, never a verdict.
 */
function networkPathConsulted(instance: Ec2Instance, index: InventoryIndex): boolean {
  try {
    const context = iamContextOf(index);
    const managedPolicies = { get: (arn: string) => index.managedPolicy(arn) };
    const roles: IamRole[] = [];
    const credentials = resolveInstanceCredentials(instance, index);
    if (credentials.kind === 'profile' || credentials.kind === 'dhmc') {
      if (credentials.role !== undefined) roles.push(credentials.role);
    }
    const dhmc = credentials.kind === 'profile' ? dhmcCredentials(instance, index) : undefined;
    if (dhmc?.kind === 'dhmc' && dhmc.role !== undefined) roles.push(dhmc.role);
    const keys = roles.flatMap((role) => {
      const scpLayers = context.scpFor(role.accountId).layers;
      return rolePolicyKeys(role, { managedPolicies, scpLayers })?.keys ?? [];
    });
    return pathConsulted(keys, instance, index);
  } catch {
    return true;
  }
}

function notApplicable(detail: string): CheckResult {
  return { outcome: 'not-applicable', detail, evidence: [{ note: detail }] };
}

function fail(verdict: RoleVerdict, extra?: string, evidence: Evidence[] = []): CheckResult {
  return {
    outcome: 'fail',
    reason: verdict.reason,
    detail: extra === undefined ? verdict.detail : `${verdict.detail}. ${extra}`,
    evidence: [...verdict.evidence, ...evidence],
    cause: verdict.cause,
    remediation: verdict.remediation,
  };
}

/** The profile role is refused the registration call, so the agent tries DHMC: does that rescue the instance? */
function withDhmcFallback(
  index: InventoryIndex,
  context: IamInventoryContext,
  verdict: RoleVerdict,
  ask: VerdictRequest,
): CheckResult {
  const { instance } = ask;
  const lead = 'Refused ssm:UpdateInstanceInformation, the SSM Agent tries DHMC instead';
  if (index.coverage.state('ssm:dhmc-setting', instance).status !== 'read') {
    return fail(
      verdict,
      `${lead}, but the DHMC setting was not read, so ssmguard cannot tell whether that works`,
    );
  }
  const dhmc = dhmcCredentials(instance, index);
  if (dhmc.kind !== 'dhmc')
    return fail(verdict, `${lead}, but ${dhmc.kind === 'none' ? dhmc.detail : 'DHMC does not cover it'}`);
  if (dhmc.role === undefined)
    return fail(verdict, `${lead}, but DHMC role ${dhmc.roleName} is not in the IAM data`);
  const trust = evaluateTrustPolicy(dhmc.role.trustPolicy, SSM_SERVICE_PRINCIPAL);
  if (trust.status !== 'EVALUATED' || trust.decision !== 'TRUSTED') {
    const why =
      trust.status === 'ERROR'
        ? `its trust policy cannot be read (${trust.error.message})`
        : `its trust policy is ${trust.decision}`;
    return fail(
      verdict,
      `${lead}, but DHMC role ${dhmc.roleName} is not usable: ${why} for ${SSM_SERVICE_PRINCIPAL}`,
    );
  }
  const fallback = roleVerdict(context, index, { ...dhmc, role: dhmc.role }, ask);
  if (fallback.error !== undefined) return fail(verdict, `${lead}, but ${fallback.error.message}`);
  if (!fallback.ok) return fail(verdict, `${lead}, but ${fallback.detail}`);
  return {
    outcome: 'pass',
    reason: 'IAM.DHMC_FALLBACK',
    detail: `${verdict.detail}. ${lead}, and ${fallback.detail}, so the agent works through DHMC (fix the profile role to stop relying on the fallback)`,
    evidence: [
      ...verdict.evidence,
      ...fallback.evidence,
      {
        resourceId: dhmc.role.arn,
        note: 'IAM.DHMC_FALLBACK: the instance profile role is refused ssm:UpdateInstanceInformation; the agent uses DHMC',
      },
    ],
  };
}

/** What one instance asks of its role. */
interface VerdictRequest {
  instance: Ec2Instance;
  nowMs: number;
  actionSet: ResolvedActionSet;
  params: GrantsActionsParams;
  /** Whether a pass carries its evidence (false in lean scans, where it would be dropped). */
  passEvidence: boolean;
}

const NO_SCP_LAYERS = {};

/**
 * The verdict for the instance's requests, memoised by everything it can depend on: the credentials' owner (profile
 * or DHMC setting), the action set, the SCP layers, the endpoint policies on the path, the values of exactly the
 * context keys the policies read, and — only when some statement names resources — the instance ARN. A role whose
 * policies have no conditions and `Resource: "*"` is evaluated once, however many instances use it.
 */
function roleVerdict(
  context: IamInventoryContext,
  index: InventoryIndex,
  subject: RoleCredentials,
  ask: VerdictRequest,
): RoleVerdict {
  const { role } = subject;
  const { instance, actionSet } = ask;
  const scp = context.scpFor(role.accountId);
  const managedPolicies = { get: (arn: string) => index.managedPolicy(arn) };
  const profiles = context.remember(
    role,
    scp.layers ?? NO_SCP_LAYERS,
    () => new Map<string, PolicyKeyProfile | undefined>(),
  );
  if (!profiles.has(actionSet.key))
    profiles.set(
      actionSet.key,
      rolePolicyKeys(role, { managedPolicies, scpLayers: scp.layers }, actionSet.actions),
    );
  const profile = profiles.get(actionSet.key);
  const request = instanceRequestContext({
    instance,
    role,
    credentials: subject.kind,
    index,
    nowMs: ask.nowMs,
    keys: profile?.keys ?? [],
  });
  const endpointProfile = policyKeyProfile(
    request.endpointPolicies.map((e) => e.policy.policy),
    'resource',
    actionSet.actions,
  );
  const keys = [...new Set([...(profile?.keys ?? []), ...(endpointProfile?.keys ?? [])])];
  const resourceScoped =
    profile === undefined || profile.resourceScoped || endpointProfile?.resourceScoped !== false;
  const owner =
    subject.kind === 'profile'
      ? subject.profile.arn
      : `dhmc:${subject.setting.accountId}:${subject.setting.region}`;
  const key = [
    owner,
    role.arn,
    actionSet.key,
    scpKey(scp.layers),
    request.endpointPolicies.map((e) => e.name).join(','),
    request.signature(keys),
    resourceScoped ? `${instance.accountId}:${instance.region}:${instance.instanceId}` : '',
    request.notes.join(';'),
    ask.passEvidence ? 'pass-evidence' : '',
  ].join('\u0000');
  return context.rememberText(key, () =>
    computeVerdict(context, index, subject, describeCredentials(subject), ask, scp, request),
  );
}

function computeVerdict(
  context: IamInventoryContext,
  index: InventoryIndex,
  subject: RoleCredentials,
  who: string,
  ask: VerdictRequest,
  scp: ScpSelection,
  request: InstanceRequestContext,
): RoleVerdict {
  const { actionSet, params, instance } = ask;
  const { role } = subject;
  const cause: CauseRef = { resourceType: 'AWS::IAM::Role', resourceId: role.arn };
  const planned = planAgentRequests(actionSet.actions, {
    partition: partitionOf(role.arn),
    region: instance.region,
    account: instance.accountId,
    instanceId: instance.instanceId,
    documentName: PATCH_DOCUMENT,
  });
  const result = evaluateRolePermissions(role, {
    actionSet,
    managedPolicies: { get: (arn) => index.managedPolicy(arn) },
    scpLayers: scp.layers,
    planned,
    contextFor: request.contextFor,
    endpointPolicies: request.endpointPolicies,
  });
  void context;
  const setName = params.actionSet === 'custom' ? 'custom' : actionSet.key;
  const baseEvidence: Evidence[] = [
    {
      resourceId: role.arn,
      path: 'role',
      actual: role.roleName,
      note: `action set ${setName}: ${actionSet.actions.length} actions`,
    },
    { path: 'serviceControlPolicies', note: scp.note },
    {
      path: 'vpcEndpointPolicies',
      note:
        request.endpointPolicies.length === 0
          ? 'no VPC endpoint policy on the path (none, or the default full-access policy)'
          : `VPC endpoint policies evaluated: ${request.endpointPolicies.map((e) => `${e.name} (${e.services.join(', ')})`).join(', ')}`,
    },
    ...request.notes.map((note) => ({ path: 'requestContext', note })),
  ];
  if (result.status === 'ERROR') {
    const error = new CheckDataError(
      result.error.code,
      'IAM.POLICY_UNREADABLE',
      `cannot evaluate the permissions of ${who}: ${result.error.message}`,
      // ERROR root causes group by key: one per role, however many instances share it.
      { ...cause, key: role.arn },
      [...baseEvidence, { resourceId: result.error.location.policy ?? role.arn, note: result.error.message }],
    );
    return { ok: false, detail: error.message, evidence: [], cause, refusesRegistration: false, error };
  }

  const problems = result.decisions.filter((d) => d.decision !== 'ALLOWED');
  if (problems.length === 0) {
    // What allowed each action, per layer: the reviewer checks a pass as closely as a failure. Built only when the
    // scan keeps pass evidence: a lean scan would drop it, and at 100k instances it cost more than a second.
    const allowedBy = (ask.passEvidence ? result.decisions : []).map((d) => ({
      resourceId: role.arn,
      path: 'role.permissions',
      actual: d.decision,
      note: `${d.action}: allowed by ${d.statements.map((s) => describeDecidingStatement(s, index)).join('; ')}`,
      explanation: explainDecision(d),
    }));
    return passVerdict(
      subject,
      who,
      actionSet,
      setName,
      [...baseEvidence, ...allowedBy],
      result.deprecatedPolicyArns,
      cause,
    );
  }

  const findings = classify(problems, index, role);
  const reason = GRANT_REASONS.find((r) => findings.parts.has(r))!;
  const detail = `${who} ${[...findings.parts.values()].join('; and ')}`;
  const evidence: Evidence[] = [
    ...baseEvidence,
    ...problems.map((d) => ({
      resourceId: role.arn,
      path: 'role.permissions',
      actual: d.decision,
      expected: 'ALLOWED',
      note: `${d.action}: ${d.deniedBy === undefined ? '' : `denied by ${d.deniedBy.join(', ')}; `}${d.statements.map((s) => describeDecidingStatement(s, index)).join('; ') || 'no statement allows it'}`,
      explanation: explainDecision(d),
    })),
  ];
  const refusesRegistration = problems.some(
    (d) =>
      d.action.toLowerCase() === UPDATE_INSTANCE_INFORMATION &&
      (d.decision === 'EXPLICIT_DENY' || d.decision === 'NOT_ALLOWED'),
  );
  return {
    ok: false,
    reason,
    detail,
    evidence,
    cause,
    refusesRegistration,
    remediation: remediationFor(reason, subject, findings, index),
  };
}

function passVerdict(
  subject: RoleCredentials,
  who: string,
  actionSet: ResolvedActionSet,
  setName: string,
  evidence: Evidence[],
  deprecatedPolicyArns: readonly string[],
  cause: CauseRef,
): RoleVerdict {
  let detail = `${who} allows all ${actionSet.actions.length} ${setName} actions`;
  const notes: Evidence[] = [];
  if (deprecatedPolicyArns.length > 0) {
    const core = `arn:${partitionOf(subject.role.arn)}:iam::aws:policy/AmazonSSMManagedInstanceCore`;
    detail += `; sufficient but deprecated (IAM.DEPRECATED_POLICY): it attaches ${deprecatedPolicyArns.join(', ')}, which AWS deprecated — attach ${core} and detach it`;
    notes.push(
      ...deprecatedPolicyArns.map((arn) => ({
        resourceId: arn,
        path: 'role.attachedPolicies',
        actual: arn,
        note: 'IAM.DEPRECATED_POLICY: sufficient but deprecated; replace with AmazonSSMManagedInstanceCore',
      })),
    );
  }
  return {
    ok: true,
    ...(notes.length > 0 ? { reason: 'IAM.DEPRECATED_POLICY' as const } : {}),
    detail,
    evidence: [...evidence, ...notes],
    cause,
    refusesRegistration: false,
  };
}

/** What went wrong, per reason: the sentence for the message and the statements the fix must touch. */
interface Findings {
  parts: Map<GrantReason, string>;
  identityDenies: DecidingStatement[];
  boundaryArn?: string;
  scpNames: string[];
  missing: string[];
  boundaryActions: string[];
  scpActions: string[];
  endpointIds: string[];
  endpointActions: string[];
}

function classify(problems: readonly ActionDecision[], index: InventoryIndex, role: IamRole): Findings {
  const accountId = role.accountId;
  const denies = {
    identity: new Map<string, string[]>(),
    boundary: new Map<string, string[]>(),
    scp: new Map<string, string[]>(),
    endpoint: new Map<string, string[]>(),
  };
  const deniesBy: Record<PolicyLayer, DecidingStatement[]> = {
    identity: [],
    boundary: [],
    scp: [],
    endpoint: [],
  };
  const notAllowed: Record<PolicyLayer, string[]> = { identity: [], boundary: [], scp: [], endpoint: [] };
  const conditional = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, action: string): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [action]);
    else if (!list.includes(action)) list.push(action);
  };
  let boundaryArn: string | undefined;
  const endpointLevels = new Set<string>();
  const unknownKeys = new Set<string>();
  for (const d of problems) {
    if (d.decision === 'EXPLICIT_DENY') {
      for (const s of d.statements) {
        add(denies[s.layer], describeDecidingStatement(s, index), d.action);
        if (!deniesBy[s.layer].some((x) => x.policy === s.policy && x.statementIndex === s.statementIndex))
          deniesBy[s.layer].push(s);
        if (s.layer === 'boundary') boundaryArn = s.policy;
      }
    } else if (d.decision === 'NOT_ALLOWED') {
      for (const layer of d.deniedBy ?? []) notAllowed[layer].push(d.action);
      if (d.deniedBy?.includes('endpoint'))
        for (const level of d.blockingLevels ?? []) if (level.startsWith('vpce-')) endpointLevels.add(level);
    } else {
      for (const key of d.unknownKeys ?? []) unknownKeys.add(key);
      const conditions = d.statements.filter(
        (s) =>
          (s.unknownKeys?.length ?? 0) > 0 ||
          s.resourceScoped === true ||
          (s.condition !== undefined && s.conditionTrace === undefined),
      );
      add(
        conditional,
        conditions.map((s) => describeDecidingStatement(s, index)).join('; ') || 'a condition',
        d.action,
      );
    }
  }
  boundaryArn ??= role.permissionsBoundaryArn;

  const parts = new Map<GrantReason, string>();
  const deniedText = (map: Map<string, string[]>): string =>
    [...map].map(([statement, actions]) => `${actions.join(', ')} by ${statement}`).join(', and ');
  if (denies.identity.size > 0) parts.set('IAM.EXPLICIT_DENY', `is denied ${deniedText(denies.identity)}`);
  const scpText: string[] = [];
  if (denies.scp.size > 0) scpText.push(`is denied ${deniedText(denies.scp)}`);
  if (notAllowed.scp.length > 0) {
    scpText.push(
      `is not allowed ${notAllowed.scp.join(', ')} by the SCPs of account ${accountId}: no supplied SCP allows them (AWS attaches FullAWSAccess by default; supply it with --scp if it is attached)`,
    );
  }
  if (scpText.length > 0) parts.set('IAM.SCP_DENY', scpText.join('; and '));
  const boundaryText: string[] = [];
  if (denies.boundary.size > 0) boundaryText.push(`is denied ${deniedText(denies.boundary)}`);
  if (notAllowed.boundary.length > 0) {
    boundaryText.push(
      `is cut by its permissions boundary: ${boundaryArn === undefined ? 'the boundary' : describePolicy(boundaryArn, 'boundary', index)} does not allow ${notAllowed.boundary.join(', ')}`,
    );
  }
  if (boundaryText.length > 0) parts.set('IAM.BOUNDARY_DENY', boundaryText.join('; and '));
  const endpointText: string[] = [];
  if (denies.endpoint.size > 0) endpointText.push(`is denied ${deniedText(denies.endpoint)}`);
  if (notAllowed.endpoint.length > 0) {
    endpointText.push(
      `is not allowed ${notAllowed.endpoint.join(', ')} by the policy of VPC endpoint ${[...endpointLevels].join(', ')}: no statement of it allows the role's request`,
    );
  }
  if (endpointText.length > 0) parts.set('IAM.ENDPOINT_POLICY_DENY', endpointText.join('; and '));
  if (notAllowed.identity.length > 0) {
    parts.set(
      'IAM.MISSING_ACTION',
      `lacks ${notAllowed.identity.join(', ')}: no policy of the role allows ${notAllowed.identity.length === 1 ? 'it' : 'them'}`,
    );
  }
  if (conditional.size > 0) {
    parts.set(
      'IAM.CONDITIONAL',
      `allows ${[...conditional].map(([s, actions]) => `${actions.join(', ')} only under ${s}`).join(', and ')}; the answer depends on ${[...unknownKeys].join(', ') || 'which resource is used'}, which the inventory cannot tell`,
    );
  }
  const scpNames = [...new Set(deniesBy.scp.map((s) => s.policy))];
  return {
    parts,
    identityDenies: deniesBy.identity,
    boundaryArn,
    scpNames,
    missing: notAllowed.identity,
    boundaryActions: [...new Set([...[...denies.boundary.values()].flat(), ...notAllowed.boundary])],
    scpActions: [...new Set([...notAllowed.scp, ...[...denies.scp.values()].flat()])],
    endpointIds: [...new Set([...endpointLevels, ...deniesBy.endpoint.map((s) => s.policy)])],
    endpointActions: [...new Set([...notAllowed.endpoint, ...[...denies.endpoint.values()].flat()])],
  };
}

/** The smallest fix for the evaluation's reason, with a concrete command where one exists. */
function remediationFor(
  reason: GrantReason,
  subject: RoleCredentials,
  findings: Findings,
  index: InventoryIndex,
): Partial<Remediation> {
  const roleName = subject.role.roleName;
  const partition = partitionOf(subject.role.arn);
  switch (reason) {
    case 'IAM.MISSING_ACTION': {
      const policyArn = (
        subject.kind === 'dhmc'
          ? AMAZON_SSM_MANAGED_EC2_INSTANCE_DEFAULT_POLICY_ARN
          : AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN
      ).replace(':aws:', `:${partition}:`);
      const policyName = policyArn.slice(policyArn.lastIndexOf('/') + 1);
      if (managedPolicyCovers(policyArn, findings.missing)) {
        return {
          text: `Attach ${policyName} to role ${roleName} (or add ${findings.missing.join(', ')} to its own policy; policies/iam/ssm-instance-least-privilege.json is a least-privilege alternative).`,
          command: `aws iam attach-role-policy --role-name ${roleName} --policy-arn ${policyArn}`,
        };
      }
      return {
        text: `Allow ${findings.missing.join(', ')} for role ${roleName} (an inline policy is the smallest change).`,
        command: `aws iam put-role-policy --role-name ${roleName} --policy-name ssmguard-ssm-agent-actions --policy-document ${shellQuote(allowDocument(findings.missing))}`,
      };
    }
    case 'IAM.EXPLICIT_DENY': {
      const statement = findings.identityDenies[0]!;
      const where = describeDecidingStatement(statement, index);
      const text = `Remove ${where} from role ${roleName}, or narrow it so it no longer matches the SSM Agent's actions${findings.identityDenies.length > 1 ? ` (and the other ${findings.identityDenies.length - 1} Deny statement(s) named above)` : ''}.`;
      return { text, command: denyFixCommand(statement, subject.role, index) };
    }
    case 'IAM.BOUNDARY_DENY': {
      const boundary = findings.boundaryArn ?? subject.role.permissionsBoundaryArn;
      return {
        text: `Widen permissions boundary ${boundary ?? ''} of role ${roleName} to allow ${findings.boundaryActions.join(', ')} (a new default policy version), or remove the boundary from the role if your organisation allows it.`,
        command:
          boundary === undefined
            ? undefined
            : `aws iam create-policy-version --policy-arn ${boundary} --policy-document file://boundary-with-ssm.json --set-as-default`,
      };
    }
    case 'IAM.SCP_DENY': {
      const ids = findings.scpNames
        .map(
          (name) =>
            index.inventory.serviceControlPolicies.find((p) => p.name === name || p.policyId === name)
              ?.policyId,
        )
        .filter((id): id is string => id !== undefined && id.startsWith('p-'));
      return {
        text: `Ask your AWS Organizations administrator to let role ${roleName} use ${findings.scpActions.join(', ')}${findings.scpNames.length > 0 ? ` (SCP ${findings.scpNames.join(', ')})` : ''}: exempt the instance roles from the Deny (e.g. a condition on aws:PrincipalArn) or allow ssm and ssmmessages. No change in this account can override an SCP.`,
        command: ids.length > 0 ? `aws organizations describe-policy --policy-id ${ids[0]}` : undefined,
      };
    }
    case 'IAM.ENDPOINT_POLICY_DENY': {
      const endpoint = findings.endpointIds[0];
      return {
        text: `Let role ${roleName} make the SSM Agent's requests through VPC endpoint ${findings.endpointIds.join(', ')}: add a statement to its policy that allows ${findings.endpointActions.join(', ')} for the role (Principal the role ARN or the account), or remove the Deny named above.`,
        command:
          endpoint === undefined
            ? undefined
            : `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${endpoint} --policy-document file://endpoint-policy-with-ssm-agent.json`,
      };
    }
    case 'IAM.CONDITIONAL':
      return {
        text: `Check that the conditions named above hold for the SSM Agent's requests from this instance, or grant the actions to role ${roleName} without a condition.`,
      };
  }
}

function denyFixCommand(statement: DecidingStatement, role: IamRole, index: InventoryIndex): string {
  if (!statement.policy.startsWith('arn:')) {
    const inline = role.inlinePolicies.find((p) => p.policyName === statement.policy);
    const document = inline !== undefined && 'document' in inline.policy ? inline.policy.document : undefined;
    const statements =
      document === undefined
        ? []
        : Array.isArray(document.Statement)
          ? document.Statement
          : [document.Statement];
    // A policy that holds nothing but Deny statements grants nothing: deleting it is the smallest fix.
    if (statements.length > 0 && statements.every((s) => s.Effect === 'Deny')) {
      return `aws iam delete-role-policy --role-name ${role.roleName} --policy-name ${statement.policy}`;
    }
    return `aws iam get-role-policy --role-name ${role.roleName} --policy-name ${statement.policy}  # edit, then: aws iam put-role-policy --role-name ${role.roleName} --policy-name ${statement.policy} --policy-document file://fixed.json`;
  }
  if (
    index.managedPolicy(statement.policy)?.isAwsManaged === true ||
    statement.policy.includes(':iam::aws:policy/')
  ) {
    return `aws iam detach-role-policy --role-name ${role.roleName} --policy-arn ${statement.policy}`;
  }
  return `aws iam create-policy-version --policy-arn ${statement.policy} --policy-document file://without-deny.json --set-as-default`;
}

const coverage = new Map<string, boolean>();

/** True when the AWS managed policy (our embedded copy) allows every one of the actions. */
function managedPolicyCovers(policyArn: string, actions: readonly string[]): boolean {
  const key = `${policyArn}|${actions.join(',')}`;
  let covers = coverage.get(key);
  if (covers === undefined) {
    const embedded = findEmbeddedAwsManagedPolicy(policyArn);
    const result =
      embedded === undefined
        ? undefined
        : evaluateActions({
            identityPolicies: [{ id: policyArn, policy: { document: embedded.document } }],
            actions,
          });
    covers = result?.status === 'EVALUATED' && result.decisions.every((d) => d.decision === 'ALLOWED');
    coverage.set(key, covers);
  }
  return covers;
}
