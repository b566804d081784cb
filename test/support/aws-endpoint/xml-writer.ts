// XML text for the query protocols: escaping, and the success and error envelopes of EC2 and awsQuery.

import type { ApiJson } from '../../../src/collectors/api/api-data.js';

/** Escapes text for an XML element body (policy documents stay URL-encoded, as IAM sends them). */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A scalar as query XML writes it: booleans as `true`/`false`, numbers and ISO timestamps as text. */
export function scalarText(value: unknown): string {
  if (typeof value === 'string') return escapeXml(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TypeError(`not an XML scalar: ${JSON.stringify(value)}`);
}

/**
 * awsQuery (IAM, STS) members: element names are the PascalCase member names, list entries are
 * `<member>`. None of the members the endpoint serves carries an xmlName or `flattened` trait.
 */
export function awsQueryXml(value: ApiJson): string {
  let xml = '';
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined || member === null) continue;
    xml += `<${key}>${awsQueryValue(member)}</${key}>`;
  }
  return xml;
}

function awsQueryValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((entry) => `<member>${awsQueryValue(entry)}</member>`).join('');
  if (typeof value === 'object' && value !== null) return awsQueryXml(value as ApiJson);
  return scalarText(value);
}

/** EC2 success envelope: `<XResponse>` with `requestId` first and no `XResult` wrapper. */
export function ec2Envelope(operation: string, requestId: string, body: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">` +
    `<requestId>${requestId}</requestId>${body}</${operation}Response>`
  );
}

/** EC2 error envelope: `<Response><Errors><Error>` with `<RequestID>` (capital ID) after it. */
export function ec2ErrorXml(code: string, message: string, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`
  );
}

/** awsQuery success envelope with the `XResult` wrapper and `ResponseMetadata`. */
export function awsQueryEnvelope(
  operation: string,
  namespace: string,
  requestId: string,
  result: ApiJson,
): string {
  return (
    `<${operation}Response xmlns="${namespace}"><${operation}Result>${awsQueryXml(result)}</${operation}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`
  );
}

/** awsQuery error envelope; `Type` is Sender for 4xx and Receiver for 5xx. */
export function awsQueryErrorXml(code: string, message: string, status: number, requestId: string): string {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return (
    `<ErrorResponse><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>` +
    `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
