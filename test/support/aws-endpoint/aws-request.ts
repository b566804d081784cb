// Reads an incoming HTTP request into service, operation, caller and parameters, as AWS front ends do.

import type { IncomingMessage } from 'node:http';
import { type AwsService, AwsWireError } from './wire-error.js';

/** A request in either protocol family. Query requests carry form parameters, JSON ones a body object. */
export type AwsRequest = {
  service: AwsService;
  operation: string;
  /** From the SigV4 credential scope; IAM and Organizations sign with us-east-1. */
  region: string;
  accessKeyId: string;
} & ({ protocol: 'query'; params: URLSearchParams } | { protocol: 'json'; body: Record<string, unknown> });

/** The protocol family a request arrived in, known before its operation is parsed (errors need it). */
export type WireFamily = { service: AwsService; protocol: 'query' | 'json' };

const JSON_TARGETS: Record<string, AwsService> = {
  AmazonSSM: 'ssm',
  StarlingDoveService: 'config',
  AWSOrganizationsV20161128: 'organizations',
};

const QUERY_VERSIONS: Partial<Record<AwsService, string>> = {
  ec2: '2016-11-15',
  iam: '2010-05-08',
  sts: '2011-06-15',
};

/** Decides the protocol family from the signing scope and headers, without reading the body. */
export function wireFamily(request: IncomingMessage): WireFamily {
  const target = header(request, 'x-amz-target');
  if (target !== undefined) {
    const service = JSON_TARGETS[target.split('.')[0] ?? ''];
    // An unknown target prefix still answers in JSON, as every awsJson service does.
    return { service: service ?? 'ssm', protocol: 'json' };
  }
  const scope = credentialScope(request);
  const service = scope?.service;
  if (service === 'ec2' || service === 'iam' || service === 'sts') return { service, protocol: 'query' };
  return { service: 'ec2', protocol: 'query' };
}

/** Parses the request; throws the error AWS would send for an unsigned or malformed one. */
export function parseAwsRequest(request: IncomingMessage, rawBody: string, family: WireFamily): AwsRequest {
  const scope = credentialScope(request);
  if (!scope) {
    throw new AwsWireError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
  }
  const contentType = header(request, 'content-type') ?? '';
  if (family.protocol === 'json') {
    const target = header(request, 'x-amz-target') ?? '';
    const [prefix, operation] = target.split('.');
    if (!prefix || !operation || JSON_TARGETS[prefix] === undefined) {
      throw new AwsWireError('UnknownOperationException', `Unknown operation ${target}`);
    }
    if (!contentType.startsWith('application/x-amz-json-1.1')) {
      throw new AwsWireError('SerializationException', `Unexpected content type ${contentType}`);
    }
    let body: unknown;
    try {
      body = rawBody === '' ? {} : JSON.parse(rawBody);
    } catch (error) {
      throw new AwsWireError('SerializationException', `Malformed JSON: ${(error as Error).message}`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AwsWireError('SerializationException', 'Request body must be a JSON object');
    }
    return {
      protocol: 'json',
      service: family.service,
      operation,
      region: scope.region,
      accessKeyId: scope.accessKeyId,
      body: body as Record<string, unknown>,
    };
  }
  if (request.method !== 'POST' || !contentType.startsWith('application/x-www-form-urlencoded')) {
    throw new AwsWireError('InvalidAction', 'Query requests must be form-encoded POSTs');
  }
  const params = new URLSearchParams(rawBody);
  const action = params.get('Action');
  if (!action) throw new AwsWireError('MissingAction', 'The request must contain the parameter Action');
  const version = params.get('Version');
  const expected = QUERY_VERSIONS[family.service];
  if (version !== expected) {
    throw new AwsWireError(
      'NoSuchVersion',
      `The requested version (${version ?? ''}) of service ${family.service} does not exist`,
    );
  }
  return {
    protocol: 'query',
    service: family.service,
    operation: action,
    region: scope.region,
    accessKeyId: scope.accessKeyId,
    params,
  };
}

function credentialScope(
  request: IncomingMessage,
): { accessKeyId: string; region: string; service: string } | undefined {
  // Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ec2/aws4_request, SignedHeaders=…
  const match = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
    header(request, 'authorization') ?? '',
  );
  if (!match) return undefined;
  return { accessKeyId: match[1] as string, region: match[2] as string, service: match[3] as string };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
