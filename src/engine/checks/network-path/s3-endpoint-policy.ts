// Judges an S3 endpoint's policy (gateway or interface) for the patch buckets: does it let the instance's
// s3:GetObject requests through? Uses the project's IAM evaluator with the policy as the endpoint layer.

import {
  evaluateActions,
  isFullAccessPolicy,
  requestContext,
  type ActionDecision,
  type NamedPolicy,
} from '../../../iam/index.js';
import type { VpcEndpoint } from '../../../inventory/model.js';
import type { Evidence } from '../../types.js';
import { describeStatementRef } from '../iam-statement-text.js';

export type EndpointPolicyVerdict =
  | { kind: 'allow'; evidence: Evidence[] }
  | { kind: 'deny'; bucket: string; detail: string; evidence: Evidence[] }
  | { kind: 'unverifiable'; detail: string; evidence: Evidence[] };

/** Only the endpoint layer is judged here: the identity side is the permissions rule's business. */
const ALLOW_ALL: NamedPolicy = {
  id: '(identity not judged here)',
  policy: {
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  },
};

/** The object ARN a read of "some object of the bucket" is asked about (patterns `bucket/*` and wider cover it). */
function objectArn(bucket: string): string {
  return bucket === '*' ? 'arn:aws:s3:::*/*' : `arn:aws:s3:::${bucket}/*`;
}

function decide(
  endpoint: VpcEndpoint,
  bucket: string,
  vpcId: string,
  region: string,
): ActionDecision | string {
  const policy = endpoint.policy!;
  // The request through the endpoint carries aws:SourceVpce and aws:SourceVpc; the caller (the instance's role)
  // is not resolved here, so a policy that names principals is CONDITIONAL on aws:PrincipalArn.
  const context = requestContext({
    values: {
      'aws:SourceVpce': endpoint.vpcEndpointId,
      'aws:SourceVpc': vpcId,
      'aws:RequestedRegion': region,
      'aws:SecureTransport': 'true',
    },
  });
  const result = evaluateActions({
    identityPolicies: [ALLOW_ALL],
    actions: ['s3:GetObject'],
    resource: objectArn(bucket),
    context,
    endpointPolicies: [
      {
        name: endpoint.vpcEndpointId,
        services: ['s3'],
        policy: { id: endpoint.vpcEndpointId, policy },
      },
    ],
  });
  if (result.status === 'ERROR') return result.error.message;
  return result.decisions[0]!;
}

function evidenceOf(endpoint: VpcEndpoint, bucket: string, decision: ActionDecision): Evidence {
  return {
    path: 'vpcEndpoint.policy',
    resourceId: endpoint.vpcEndpointId,
    actual: decision.decision,
    expected: `s3:GetObject on ${objectArn(bucket)} allowed`,
    ...(decision.statements[0] && {
      note: describeStatementRef(decision.statements[0].statementIndex, decision.statements[0].sid),
    }),
  };
}

/**
 * Whether the endpoint's policy allows s3:GetObject on every bucket of `buckets` ('*' asks about any bucket).
 * No policy, or the default full-access one, allows everything. A decision that hinges on the caller or on a key
 * no inventory holds, or a NOT_ALLOWED from a policy that names the bucket with narrower object keys (the
 * documents' keys are not known), cannot be verified; a malformed policy cannot be either.
 */
export function endpointPolicyAllowsReads(
  endpoint: VpcEndpoint,
  buckets: readonly string[],
  vpcId: string,
  region: string,
): EndpointPolicyVerdict {
  const policy = endpoint.policy;
  if (policy === undefined || isFullAccessPolicy(policy))
    return {
      kind: 'allow',
      evidence: [{ path: 'vpcEndpoint.policy', resourceId: endpoint.vpcEndpointId, actual: 'full access' }],
    };
  const evidence: Evidence[] = [];
  for (const bucket of buckets) {
    const decision = decide(endpoint, bucket, vpcId, region);
    if (typeof decision === 'string')
      return {
        kind: 'unverifiable',
        detail: `the policy of ${endpoint.vpcEndpointId} cannot be read: ${decision}`,
        evidence,
      };
    evidence.push(evidenceOf(endpoint, bucket, decision));
    const what = bucket === '*' ? 'objects of any bucket' : `objects of ${bucket}`;
    if (decision.decision === 'ALLOWED') continue;
    const namesKeys = 'document' in policy && JSON.stringify(policy.document).includes(`:::${bucket}/`);
    if (
      decision.decision === 'CONDITIONAL' ||
      (decision.decision === 'NOT_ALLOWED' && namesKeys && bucket !== '*')
    )
      return {
        kind: 'unverifiable',
        detail: `whether the policy of ${endpoint.vpcEndpointId} allows s3:GetObject on ${what} depends on ${decision.unknownKeys?.join(', ') ?? 'which object keys the documents read'}`,
        evidence,
      };
    return {
      kind: 'deny',
      bucket,
      detail:
        decision.decision === 'EXPLICIT_DENY'
          ? `the policy of ${endpoint.vpcEndpointId} denies s3:GetObject on ${what} (${describeStatementRef(decision.statements[0]!.statementIndex, decision.statements[0]!.sid)})`
          : `the policy of ${endpoint.vpcEndpointId} does not allow s3:GetObject on ${what}`,
      evidence,
    };
  }
  return { kind: 'allow', evidence };
}
