// The shipped example fleet through the real pipeline (AWS CLI files → inventory → rules): each IAM scenario is
// reported with its reason code and the deciding statement, and `--scp` adds the SCP layer.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInput } from '../src/cli/load-input.js';
import { loadRuleSet } from '../src/cli/rule-set.js';
import { loadAwsCliInventory } from '../src/collectors/aws-cli/index.js';
import { evaluate } from '../src/engine/evaluate.js';
import type { Evaluation } from '../src/engine/types.js';
import { EXAMPLE_FLEET_FACTS as F } from '../src/generator/example-fleet-facts.js';
import type { Inventory } from '../src/inventory/model.js';
import { exampleFleetDir } from '../src/package-root.js';

const TRUST = 'ec2-instance-role-trusts-ec2';
const GRANTS = 'ec2-instance-role-grants-ssm-core';
const NOW = Date.parse(F.collectedAt);
const roleArn = (name: string): string => `arn:aws:iam::${F.accountId}:role/${name}`;

const ruleSet = await loadRuleSet({});
const iamRules = ruleSet.rules.filter((r) => r.id === TRUST || r.id === GRANTS);

function scan(inventory: Inventory): (ruleId: string, instanceId: string) => Evaluation {
  const evaluations = evaluate(inventory, iamRules, { nowMs: NOW });
  return (ruleId, instanceId) => {
    const found = evaluations.find((e) => e.ruleId === ruleId && e.resourceId === instanceId);
    if (found === undefined) throw new Error(`no ${ruleId} evaluation for ${instanceId}`);
    return found;
  };
}

const { inventory } = await loadAwsCliInventory([exampleFleetDir()]);
const result = scan(inventory);

describe('example fleet: IAM scenarios', () => {
  it('passes the healthy instances (AmazonSSMManagedInstanceCore, trusted by ec2) and says SCPs were not supplied', () => {
    for (const id of [...F.healthyWebInstanceIds, ...F.healthyEndpointInstanceIds]) {
      expect(result(TRUST, id).status).toBe('COMPLIANT');
      const grants = result(GRANTS, id);
      expect(grants.status).toBe('COMPLIANT');
      expect(grants.message).toBe(
        `Instance ${id}: role ${F.roles.healthy} (instance profile SSMInstanceProfile) allows all 5 agent-core actions.`,
      );
      expect(grants.evidence).toContainEqual(
        expect.objectContaining({ note: expect.stringContaining('SCPs not supplied') }),
      );
    }
  });

  it('reports the role missing one channel action with IAM.MISSING_ACTION, naming the action and the fix', () => {
    // Act
    const e = result(GRANTS, F.missingSsmMessagesActionInstanceId);
    // Assess
    expect(e).toMatchObject({
      status: 'NON_COMPLIANT',
      reason: 'IAM.MISSING_ACTION',
      cause: { resourceType: 'AWS::IAM::Role', resourceId: roleArn(F.roles.missingSsmMessagesAction) },
    });
    expect(e.message).toBe(
      `Instance ${F.missingSsmMessagesActionInstanceId}: role PaymentsAppRole (instance profile PaymentsAppProfile) lacks ssmmessages:OpenDataChannel: no policy of the role allows it.`,
    );
    expect(e.remediation?.command).toBe(
      'aws iam attach-role-policy --role-name PaymentsAppRole --policy-arn arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    );
    // Registration still works, so the agent does not fall back to DHMC: the message must not claim it does.
    expect(e.message).not.toContain('DHMC');
  });

  it('reports the inline Deny with IAM.EXPLICIT_DENY, naming the policy, statement index and Sid', () => {
    // Act
    const e = result(GRANTS, F.explicitDenyInstanceId);
    // Assess
    expect(e).toMatchObject({
      status: 'NON_COMPLIANT',
      reason: 'IAM.EXPLICIT_DENY',
      cause: { resourceId: roleArn(F.roles.explicitDeny) },
    });
    expect(e.message).toContain(
      'by inline policy security-freeze Statement[0] (Sid "DenySystemsManagerUntilApproved")',
    );
    expect(e.message).toContain('ssm:UpdateInstanceInformation');
    expect(e.message).toContain(
      'the SSM Agent tries DHMC instead, but DHMC is not enabled in 111122223333/us-east-1',
    );
    expect(e.remediation?.text).toContain(
      'Remove inline policy security-freeze Statement[0] (Sid "DenySystemsManagerUntilApproved") from role HrPortalRole',
    );
    expect(e.remediation?.command).toBe(
      'aws iam delete-role-policy --role-name HrPortalRole --policy-name security-freeze',
    );
  });

  it('reports the boundary with IAM.BOUNDARY_DENY, naming the boundary and its default version (v3, not the older v2 that allowed ssm)', () => {
    // Act
    const e = result(GRANTS, F.boundaryDenyInstanceId);
    // Assess
    expect(e).toMatchObject({
      status: 'NON_COMPLIANT',
      reason: 'IAM.BOUNDARY_DENY',
      cause: { resourceId: roleArn(F.roles.boundaryDeny) },
    });
    expect(e.message).toContain(
      `permissions boundary ${F.boundaryPolicyArn} (default version v3) does not allow ssm:UpdateInstanceInformation`,
    );
    expect(e.remediation?.text).toContain(`Widen permissions boundary ${F.boundaryPolicyArn}`);
    expect(e.remediation?.command).toContain(
      `aws iam create-policy-version --policy-arn ${F.boundaryPolicyArn}`,
    );
  });

  it('reports the role trusting lambda.amazonaws.com with IAM.TRUST_NOT_EC2', () => {
    // Act
    const e = result(TRUST, F.wrongTrustInstanceId);
    // Assess
    expect(e).toMatchObject({
      status: 'NON_COMPLIANT',
      reason: 'IAM.TRUST_NOT_EC2',
      cause: { resourceId: roleArn(F.roles.wrongTrust) },
    });
    expect(e.message).toBe(
      `Instance ${F.wrongTrustInstanceId}: role EtlWorkerRole (instance profile EtlWorkerProfile) cannot be assumed by ec2.amazonaws.com: its trust policy trusts lambda.amazonaws.com instead.`,
    );
    expect(e.remediation?.command).toContain('aws iam update-assume-role-policy --role-name EtlWorkerRole');
  });

  it('passes the deprecated AmazonEC2RoleforSSM with a "sufficient but deprecated" note', () => {
    // Act
    const e = result(GRANTS, F.deprecatedPolicyInstanceId);
    // Assess
    expect(e.status).toBe('COMPLIANT');
    expect(e.message).toContain('sufficient but deprecated (IAM.DEPRECATED_POLICY)');
    expect(e.evidence).toContainEqual(
      expect.objectContaining({ actual: 'arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM' }),
    );
  });

  it('leaves the 200 profile-less story instances to ec2-instance-profile-attached (NOT_APPLICABLE here)', () => {
    for (const ruleId of [TRUST, GRANTS]) {
      const e = result(ruleId, F.inventory.firstInstanceId);
      expect(e.status).toBe('NOT_APPLICABLE');
      expect(e.message).toContain('ec2-instance-profile-attached reports it');
    }
  });

  it('reports exactly the scripted IAM faults and nothing else', () => {
    const evaluations = evaluate(inventory, iamRules, { nowMs: NOW });
    const failing = evaluations
      .filter((e) => e.status === 'NON_COMPLIANT' || e.status === 'ERROR')
      .map((e) => `${e.ruleId} ${e.resourceId} ${e.reason}`);
    expect(failing.sort()).toEqual(
      [
        `${GRANTS} ${F.boundaryDenyInstanceId} IAM.BOUNDARY_DENY`,
        `${GRANTS} ${F.explicitDenyInstanceId} IAM.EXPLICIT_DENY`,
        `${GRANTS} ${F.missingSsmMessagesActionInstanceId} IAM.MISSING_ACTION`,
        `${TRUST} ${F.wrongTrustInstanceId} IAM.TRUST_NOT_EC2`,
      ].sort(),
    );
  });
});

describe('example fleet with --scp', () => {
  it('adds the SCP layer: a Deny on ssmmessages in an SCP for the account makes healthy roles IAM.SCP_DENY', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'ssmguard-efscp-'));
    const file = join(dir, 'org-export.json');
    const policy = (
      id: string,
      name: string,
      statement: Record<string, unknown>,
      targets: unknown[],
    ): Record<string, unknown> => ({
      Policy: {
        PolicySummary: { Id: id, Name: name, Type: 'SERVICE_CONTROL_POLICY' },
        Content: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
      },
      Targets: targets,
    });
    await writeFile(
      file,
      JSON.stringify({
        Policies: [
          policy('p-FullAWSAccess', 'FullAWSAccess', { Effect: 'Allow', Action: '*', Resource: '*' }, [
            { TargetId: 'r-ab12', Type: 'ROOT' },
          ]),
          policy(
            'p-0nosessions',
            'NoSessionManager',
            { Sid: 'NoSessions', Effect: 'Deny', Action: 'ssmmessages:*', Resource: '*' },
            [{ TargetId: F.accountId, Type: 'ACCOUNT' }],
          ),
        ],
      }),
    );
    // Act
    const input = await loadInput([exampleFleetDir()], { scpFiles: [file] });
    const withScps = scan(input.inventory);
    // Assess
    const e = withScps(GRANTS, F.healthyWebInstanceIds[0]);
    expect(e).toMatchObject({
      status: 'NON_COMPLIANT',
      reason: 'IAM.SCP_DENY',
      cause: { resourceId: roleArn(F.roles.healthy) },
    });
    expect(e.message).toContain('by SCP NoSessionManager Statement[0] (Sid "NoSessions")');
    expect(e.remediation?.command).toBe('aws organizations describe-policy --policy-id p-0nosessions');
    // An identity-policy Deny still outranks the SCP as the reason.
    expect(withScps(GRANTS, F.explicitDenyInstanceId).reason).toBe('IAM.EXPLICIT_DENY');
  });
});
