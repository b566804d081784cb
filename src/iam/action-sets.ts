// Named sets of IAM actions that rules take as parameters (agent-core, patching, custom).

/**
 * What the agent needs to register and stay Online (`ssm:UpdateInstanceInformation`, its health call) and to
 * run commands and sessions over the ssmmessages channels (aws-facts §1.1, §1.2).
 */
export const AGENT_CORE_ACTIONS: readonly string[] = Object.freeze([
  'ssm:UpdateInstanceInformation',
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
]);

/**
 * The legacy message channel. Agents from 3.3.40.0 stop using ec2messages once ssmmessages connects, so these
 * are required only for older agents.
 */
export const EC2MESSAGES_ACTIONS: readonly string[] = Object.freeze([
  'ec2messages:AcknowledgeMessage',
  'ec2messages:DeleteMessage',
  'ec2messages:FailMessage',
  'ec2messages:GetEndpoint',
  'ec2messages:GetMessages',
  'ec2messages:SendReply',
]);

/**
 * What Patch Manager and State Manager associations need on top of agent-core: the ssm actions of
 * AmazonSSMManagedInstanceCore except GetParameter(s), which AmazonSSMManagedEC2InstanceDefaultPolicy (DHMC) also
 * omits although DHMC-managed instances patch fine.
 */
export const PATCHING_EXTRA_ACTIONS: readonly string[] = Object.freeze([
  'ssm:DescribeAssociation',
  'ssm:GetDeployablePatchSnapshotForInstance',
  'ssm:GetDocument',
  'ssm:DescribeDocument',
  'ssm:GetManifest',
  'ssm:ListAssociations',
  'ssm:ListInstanceAssociations',
  'ssm:PutInventory',
  'ssm:PutComplianceItems',
  'ssm:PutConfigurePackageResult',
  'ssm:UpdateAssociationStatus',
  'ssm:UpdateInstanceAssociationStatus',
]);

/** How a rule names the actions it needs. */
export type ActionSetSpec =
  | { name: 'agent-core' | 'patching'; includeEc2Messages?: boolean }
  | { name: 'custom'; actions: readonly string[] };

export type ActionSetName = ActionSetSpec['name'];

/** A resolved set: its actions (deduplicated, in a stable order) and a key that identifies it in caches. */
export interface ResolvedActionSet {
  key: string;
  actions: readonly string[];
}

/**
 * Resolves a named set into concrete actions. Custom actions keep their spelling for reports but are
 * deduplicated case-insensitively, and the key ignores order and case, since IAM action names are
 * case-insensitive.
 */
export function resolveActionSet(spec: ActionSetSpec): ResolvedActionSet {
  if (spec.name === 'custom') {
    const actions = dedupe(spec.actions);
    const key = `custom:${actions
      .map((a) => a.toLowerCase())
      .sort()
      .join(',')}`;
    return { key, actions };
  }
  const base =
    spec.name === 'patching' ? [...AGENT_CORE_ACTIONS, ...PATCHING_EXTRA_ACTIONS] : [...AGENT_CORE_ACTIONS];
  if (spec.includeEc2Messages === true) base.push(...EC2MESSAGES_ACTIONS);
  return {
    key: spec.includeEc2Messages === true ? `${spec.name}+ec2messages` : spec.name,
    actions: dedupe(base),
  };
}

function dedupe(actions: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const action of actions) {
    const lower = action.toLowerCase();
    if (seen.has(lower)) continue;
    seen.add(lower);
    out.push(action);
  }
  return out;
}
