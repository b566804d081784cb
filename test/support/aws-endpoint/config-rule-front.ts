// A front for the loopback endpoint adding the Config rule operations it lacks: GetComplianceDetailsByConfigRule
// (previous verdicts, seeded per rule) and PutEvaluations answers with FailedEvaluations. Everything else is
// forwarded unchanged to the loopback endpoint, so one URL serves every client.

import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A standing verdict of a rule, as GetComplianceDetailsByConfigRule reports it. */
export interface StandingVerdict {
  resourceType: string;
  resourceId: string;
  complianceType: 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';
}

export interface ConfigRuleFront {
  url: string;
  /** The verdicts GetComplianceDetailsByConfigRule returns for a rule (replacing earlier ones). */
  setStandingVerdicts(configRuleName: string, verdicts: StandingVerdict[]): void;
  /** The next PutEvaluations calls answer FailedEvaluations for these resource ids (after recording them). */
  failEvaluationsFor(resourceIds: string[]): void;
  /** GetComplianceDetailsByConfigRule requests received (JSON bodies). */
  complianceDetailRequests: Record<string, unknown>[];
  stop(): Promise<void>;
}

const TARGET_PREFIX = 'StarlingDoveService.';
const COMPLIANCE_TYPES = new Set(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE']);

/** Starts the front on an ephemeral port, forwarding to `backendUrl` (the loopback endpoint). */
export async function startConfigRuleFront(backendUrl: string): Promise<ConfigRuleFront> {
  const backend = new URL(backendUrl);
  const verdicts = new Map<string, StandingVerdict[]>();
  let failing = new Set<string>();
  const complianceDetailRequests: Record<string, unknown>[] = [];

  const server = createServer((incoming, response) => {
    void (async () => {
      const body = await readBody(incoming);
      const target = String(incoming.headers['x-amz-target'] ?? '');
      if (target === `${TARGET_PREFIX}GetComplianceDetailsByConfigRule`) {
        const input = JSON.parse(body) as Record<string, unknown>;
        complianceDetailRequests.push(input);
        sendJson(response, 200, complianceDetails(input, verdicts));
        return;
      }
      const forwarded = await forward(backend, incoming, body);
      if (target === `${TARGET_PREFIX}PutEvaluations` && forwarded.status === 200 && failing.size > 0) {
        const input = JSON.parse(body) as { Evaluations?: Record<string, unknown>[] };
        const failed = (input.Evaluations ?? []).filter((e) => failing.has(String(e.ComplianceResourceId)));
        sendJson(response, 200, { FailedEvaluations: failed });
        return;
      }
      response.writeHead(forwarded.status, forwarded.headers);
      response.end(forwarded.body);
    })().catch((error: unknown) =>
      sendJson(response, 500, { __type: 'InternalFailure', message: String(error) }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setStandingVerdicts: (name, list) => verdicts.set(name, list),
    failEvaluationsFor: (ids) => {
      failing = new Set(ids);
    },
    complianceDetailRequests,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** GetComplianceDetailsByConfigRule: Limit 0..100 (0 = default 100), NextToken = offset; epoch-second timestamps. */
function complianceDetails(
  input: Record<string, unknown>,
  verdicts: Map<string, StandingVerdict[]>,
): unknown {
  const name = String(input.ConfigRuleName ?? '');
  const wanted = Array.isArray(input.ComplianceTypes)
    ? new Set(input.ComplianceTypes.map(String))
    : COMPLIANCE_TYPES;
  const rows = (verdicts.get(name) ?? []).filter((v) => wanted.has(v.complianceType));
  const limit = typeof input.Limit === 'number' && input.Limit > 0 ? Math.min(input.Limit, 100) : 100;
  const start = typeof input.NextToken === 'string' ? Number(input.NextToken) : 0;
  const page = rows.slice(start, start + limit);
  const next = start + limit < rows.length ? String(start + limit) : undefined;
  return {
    EvaluationResults: page.map((v) => ({
      EvaluationResultIdentifier: {
        EvaluationResultQualifier: {
          ConfigRuleName: name,
          ResourceType: v.resourceType,
          ResourceId: v.resourceId,
          EvaluationMode: 'DETECTIVE',
        },
        OrderingTimestamp: 1_763_640_000,
      },
      ComplianceType: v.complianceType,
      ResultRecordedTime: 1_763_640_000,
      ConfigRuleInvokedTime: 1_763_640_000,
    })),
    ...(next !== undefined && { NextToken: next }),
  };
}

async function forward(
  backend: URL,
  incoming: IncomingMessage,
  body: string,
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: backend.hostname,
        port: backend.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: backend.host },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const headers: Record<string, string> = {};
          for (const key of ['content-type', 'x-amzn-requestid']) {
            const value = answer.headers[key];
            if (typeof value === 'string') headers[key] = value;
          }
          resolve({ status: answer.statusCode ?? 500, headers, body: Buffer.concat(chunks) });
        });
        answer.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
