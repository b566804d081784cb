// The request model data file: valid, sourced, and the generated copy matches the YAML.
import { readFileSync } from 'node:fs';
import { describe, expect, it, test } from 'vitest';
import { parse } from 'yaml';
import {
  AGENT_REQUEST_MODEL,
  agentRequestSpec,
  validateAgentRequestModel,
} from '../../src/iam/agent-request-model.js';
import { planAgentRequests, combineActionDecisions } from '../../src/iam/agent-request-decisions.js';
import {
  AGENT_CORE_ACTIONS,
  EC2MESSAGES_ACTIONS,
  PATCHING_EXTRA_ACTIONS,
} from '../../src/iam/action-sets.js';
import { generatedAgentRequests } from '../../src/iam/data/write-agent-requests.js';

const YAML_PATH = new URL('../../src/iam/data/agent-requests.yaml', import.meta.url);
const GENERATED_PATH = new URL('../../src/iam/data/agent-requests.generated.ts', import.meta.url);

describe('agent request model', () => {
  it('is valid and every entry names an AWS documentation source', () => {
    expect(validateAgentRequestModel(parse(readFileSync(YAML_PATH, 'utf8')))).toEqual([]);
  });

  it('equals the generated module (regenerate with npx tsx src/iam/data/write-agent-requests.ts)', () => {
    const yamlData: unknown = parse(readFileSync(YAML_PATH, 'utf8'));
    expect(AGENT_REQUEST_MODEL).toEqual(yamlData);
    // The generated text up to formatting: same data, same header.
    expect(readFileSync(GENERATED_PATH, 'utf8')).toContain('Generated from agent-requests.yaml');
    expect(generatedAgentRequests(readFileSync(YAML_PATH, 'utf8'))).toContain('AGENT_REQUEST_DATA');
  });

  it('describes every action of the shipped action sets', () => {
    for (const action of [...AGENT_CORE_ACTIONS, ...EC2MESSAGES_ACTIONS, ...PATCHING_EXTRA_ACTIONS])
      expect(agentRequestSpec(action), action).toBeDefined();
  });

  test.for([
    {
      name: 'a wildcard service',
      model: {
        sources: { a: 'https://docs.aws.amazon.com/x' },
        requests: [
          { action: 'ssm*:X', resources: ['*'], resourceMatch: 'all', contextKeys: [], source: 'a' },
        ],
      },
      says: 'not service:Action',
    },
    {
      name: 'an unknown source',
      model: {
        sources: {},
        requests: [{ action: 'ssm:X', resources: ['*'], resourceMatch: 'all', contextKeys: [], source: 'b' }],
      },
      says: 'not a key of sources',
    },
    {
      name: 'an unknown template variable',
      model: {
        sources: { a: 'https://docs.aws.amazon.com/x' },
        requests: [
          {
            action: 'ssm:X',
            resources: ['arn:${partition}:ssm:${zone}:x'],
            resourceMatch: 'all',
            contextKeys: [],
            source: 'a',
          },
        ],
      },
      says: 'unknown variable',
    },
    {
      name: 'one-of with one resource',
      model: {
        sources: { a: 'https://docs.aws.amazon.com/x' },
        requests: [
          { action: 'ssm:X', resources: ['*'], resourceMatch: 'one-of', contextKeys: [], source: 'a' },
        ],
      },
      says: 'one-of needs',
    },
    {
      name: 'a non-AWS source',
      model: {
        sources: { a: 'https://example.com' },
        requests: [{ action: 'ssm:X', resources: ['*'], resourceMatch: 'all', contextKeys: [], source: 'a' }],
      },
      says: 'not an AWS documentation page',
    },
  ])('refuses $name', ({ model, says }) => {
    expect(validateAgentRequestModel(model).join('\n')).toContain(says);
  });

  it('plans the instance ARN for UpdateInstanceInformation and a resource-less request for ssmmessages', () => {
    const [update, channel] = planAgentRequests(
      ['ssm:UpdateInstanceInformation', 'ssmmessages:OpenDataChannel'],
      {
        partition: 'aws',
        region: 'eu-west-1',
        account: '111122223333',
        instanceId: 'i-1',
        documentName: 'AWS-RunPatchBaseline',
      },
    );
    expect(update!.requests).toEqual([
      {
        action: 'ssm:UpdateInstanceInformation',
        resource: 'arn:aws:ec2:eu-west-1:111122223333:instance/i-1',
      },
    ]);
    expect(channel!.requests).toEqual([
      { action: 'ssmmessages:OpenDataChannel', resource: '*', noResourceType: true },
    ]);
  });

  it('makes disagreeing one-of candidates CONDITIONAL on which resource the call names', () => {
    const decision = (d: 'ALLOWED' | 'NOT_ALLOWED') => ({
      action: 'ssm:DescribeAssociation',
      resource: 'r',
      decision: d,
      statements: [],
    });
    const combined = combineActionDecisions(
      { action: 'ssm:DescribeAssociation', match: 'one-of', requests: [] },
      [decision('ALLOWED'), decision('NOT_ALLOWED')],
    );
    expect(combined.decision).toBe('CONDITIONAL');
    expect(combined.unknownKeys).toEqual(['(the resource the call names)']);
  });
});
