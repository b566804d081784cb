// The loopback AWS endpoint for tests: one HTTP server on 127.0.0.1 speaking the EC2, awsQuery (IAM, STS)
// and awsJson1_1 (SSM, Config, Organizations) wire protocols over a FleetApiData, so the real SDK clients'
// serializers, paginators and retry logic run unmodified against it.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiJson, FleetApiData } from '../../../src/collectors/api/api-data.js';
import { type AwsRequest, parseAwsRequest, type WireFamily, wireFamily } from './aws-request.js';
import { handleConfig, type RecordedPutEvaluations } from './config-service.js';
import { findUnmappedEc2Members } from './ec2-xml-encoder.js';
import { handleEc2 } from './ec2-service.js';
import { handleEc2Write, isEc2Write } from './ec2-write-service.js';
import { handleIamWrite, isIamWrite } from './iam-write-service.js';
import { handleSsmWrite, isSsmWrite } from './ssm-write-service.js';
import { FaultPlan, type FaultSpec } from './faults.js';
import { FleetIndex } from './fleet-index.js';
import { handleIam, handleSts } from './iam-sts-service.js';
import { handleOrganizations, type LoopbackOrganization } from './organizations-service.js';
import { PageTokens } from './pagination.js';
import { handleSsm } from './ssm-service.js';
import { AwsWireError } from './wire-error.js';
import { awsQueryEnvelope, awsQueryErrorXml, ec2Envelope, ec2ErrorXml } from './xml-writer.js';

export type { FaultKind, FaultSpec } from './faults.js';
export type { RecordedPutEvaluations } from './config-service.js';

export interface AwsEndpointOptions {
  fleet: FleetApiData;
  faults?: FaultSpec[];
  /** Delay before every answer, to model network round trips. */
  latencyMs?: number;
  /** The account of credentials that do not encode one (default: the fleet's first account). */
  callerAccountId?: string;
  /** API-form Config items for GetResourceConfigHistory / SelectResourceConfig. */
  configItems?: ApiJson[];
  /** An organization tree for the Organizations tree calls (without it they answer "not in use"). */
  organization?: LoopbackOrganization;
}

export interface AwsEndpoint {
  /** `http://127.0.0.1:<port>`: pass it as every client's `endpoint`. */
  url: string;
  /** Requests received per operation (`"ec2:DescribeInstances"`), retries and failures included. */
  counts: Map<string, number>;
  /** Every accepted PutEvaluations body, in arrival order. */
  putEvaluations: RecordedPutEvaluations[];
  setFaults(faults: FaultSpec[]): void;
  setLatency(latencyMs: number): void;
  /** Sum of `counts`. */
  totalCalls(): number;
  stop(): Promise<void>;
}

const EC2_OUTPUTS: Record<string, string> = {
  DescribeInstances: 'DescribeInstancesResult',
  DescribeSecurityGroups: 'DescribeSecurityGroupsResult',
  DescribeVpcs: 'DescribeVpcsResult',
  DescribeSubnets: 'DescribeSubnetsResult',
  DescribeRouteTables: 'DescribeRouteTablesResult',
  DescribeNetworkAcls: 'DescribeNetworkAclsResult',
  DescribeVpcEndpoints: 'DescribeVpcEndpointsResult',
  DescribeNatGateways: 'DescribeNatGatewaysResult',
  DescribeInternetGateways: 'DescribeInternetGatewaysResult',
  DescribeEgressOnlyInternetGateways: 'DescribeEgressOnlyInternetGatewaysResult',
};

/**
 * Starts the endpoint on an ephemeral port. Throws at once if the fleet holds an EC2 field the endpoint
 * cannot put on the wire, so a round-trip test can never pass by dropping it.
 */
export async function startAwsEndpoint(options: AwsEndpointOptions): Promise<AwsEndpoint> {
  checkEc2Fleet(options.fleet);
  const fleet = new FleetIndex(options.fleet, options.callerAccountId);
  const tokens = new PageTokens();
  const counts = new Map<string, number>();
  const putEvaluations: RecordedPutEvaluations[] = [];
  let faults = new FaultPlan(options.faults ?? []);
  let latencyMs = options.latencyMs ?? 0;
  let sessions = 0;

  const answer = async (request: AwsRequest): Promise<unknown> => {
    const accountId = fleet.accountIdFor(request.accessKeyId);
    if (latencyMs > 0) await sleep(latencyMs);
    const fault = faults.check(
      request.service,
      `${request.service}:${request.operation}`,
      accountId,
      request.region,
    );
    if (fault) throw fault;
    const data = fleet.region(accountId, request.region);
    if (request.protocol === 'query') {
      if (request.service === 'ec2' && isEc2Write(request.operation)) {
        const account = fleet.account(accountId);
        const { operation, params, region } = request;
        return handleEc2Write({ operation, params, accountId, region, data, account });
      }
      if (request.service === 'iam' && isIamWrite(request.operation)) {
        return handleIamWrite(request.operation, fleet.account(accountId), request.params, accountId);
      }
      if (request.service === 'ec2') {
        const regions = fleet.account(accountId)?.regions.map((entry) => entry.region) ?? [];
        return handleEc2({ request, accountId, data, regions, tokens });
      }
      const context = { request, accountId, fleet, tokens, nextSession: () => ++sessions };
      return request.service === 'iam' ? handleIam(context) : handleSts(context);
    }
    if (request.service === 'ssm' && isSsmWrite(request.operation)) {
      return handleSsmWrite(request.operation, data, request.body, request.region);
    }
    if (request.service === 'ssm') return handleSsm({ request, accountId, data, tokens });
    if (request.service === 'config') {
      return handleConfig({
        request,
        accountId,
        items: options.configItems ?? [],
        tokens,
        record: (entry) => putEvaluations.push(entry),
      });
    }
    return handleOrganizations({
      request,
      accountId,
      fleet,
      tokens,
      ...(options.organization !== undefined && { organization: options.organization }),
    });
  };

  const server = createServer((incoming, response) => {
    void serve(incoming, response, counts, answer);
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    putEvaluations,
    setFaults: (specs) => {
      faults = new FaultPlan(specs);
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    totalCalls: () => [...counts.values()].reduce((sum, count) => sum + count, 0),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function serve(
  incoming: IncomingMessage,
  response: ServerResponse,
  counts: Map<string, number>,
  answer: (request: AwsRequest) => Promise<unknown>,
): Promise<void> {
  const requestId = randomUUID();
  const family = wireFamily(incoming);
  let operation: string | undefined;
  try {
    const rawBody = await readBody(incoming);
    const request = parseAwsRequest(incoming, rawBody, family);
    operation = request.operation;
    const key = `${request.service}:${request.operation}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const result = await answer(request);
    if (request.protocol === 'json') {
      send(response, 200, 'application/x-amz-json-1.1', requestId, JSON.stringify(result));
    } else if (request.service === 'ec2') {
      send(
        response,
        200,
        'text/xml;charset=UTF-8',
        requestId,
        ec2Envelope(request.operation, requestId, String(result)),
      );
    } else {
      const namespace =
        request.service === 'iam'
          ? 'https://iam.amazonaws.com/doc/2010-05-08/'
          : 'https://sts.amazonaws.com/doc/2011-06-15/';
      send(
        response,
        200,
        'text/xml',
        requestId,
        awsQueryEnvelope(request.operation, namespace, requestId, result as ApiJson),
      );
    }
  } catch (error) {
    const wire =
      error instanceof AwsWireError
        ? error
        : new AwsWireError(
            'InternalFailure',
            `loopback endpoint bug in ${operation ?? '?'}: ${(error as Error).stack ?? String(error)}`,
            500,
          );
    sendError(response, family, wire, requestId);
  }
}

function sendError(
  response: ServerResponse,
  family: WireFamily,
  error: AwsWireError,
  requestId: string,
): void {
  if (family.protocol === 'json') {
    const body = JSON.stringify({
      __type: `com.amazonaws.${family.service}#${error.code}`,
      message: error.message,
    });
    send(response, error.status, 'application/x-amz-json-1.1', requestId, body);
  } else if (family.service === 'ec2') {
    send(
      response,
      error.status,
      'text/xml;charset=UTF-8',
      requestId,
      ec2ErrorXml(error.code, error.message, requestId),
    );
  } else {
    send(
      response,
      error.status,
      'text/xml',
      requestId,
      awsQueryErrorXml(error.code, error.message, error.status, requestId),
    );
  }
}

function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  requestId: string,
  body: string,
): void {
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  });
  response.end(body);
}

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function checkEc2Fleet(fleet: FleetApiData): void {
  const problems: string[] = [];
  for (const account of fleet.accounts) {
    for (const region of account.regions) {
      for (const [operation, shape] of Object.entries(EC2_OUTPUTS)) {
        const output = region[operation as keyof typeof region];
        if (typeof output === 'object' && output !== null && !Array.isArray(output)) {
          problems.push(
            ...findUnmappedEc2Members(shape, output as ApiJson).map(
              (path) => `${account.accountId}/${region.region}: ${path}`,
            ),
          );
        }
      }
      for (const response of region.DescribeVpcAttribute) {
        problems.push(...findUnmappedEc2Members('DescribeVpcAttributeResult', response));
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `fleet has EC2 fields with no known XML name:\n${[...new Set(problems)].slice(0, 20).join('\n')}`,
    );
  }
}
