// Decoding IAM policy documents: URL-encoded strings (IAM API, GAAD, Config), plain JSON strings, or objects.

import type { MaybePolicyDocument, PolicyDocument } from './model.js';

/**
 * Decodes a policy document as IAM returns it. The IAM API URL-encodes documents (RFC 3986) and the JS SDK v3
 * does not decode them (aws-sdk-js-v3#1945), while the AWS CLI prints them decoded as objects. A document that
 * cannot be decoded is kept with its parse error, so the rules that need it give ERROR rather than a verdict.
 */
export function decodePolicyDocument(raw: unknown): MaybePolicyDocument {
  if (raw !== null && typeof raw === 'object') return checkShape(raw, JSON.stringify(raw));
  if (typeof raw !== 'string')
    return { parseError: `policy document is ${typeof raw}, not a string or object`, raw: String(raw) };
  const text = raw.trimStart().startsWith('{') ? raw : safeDecodeUri(raw);
  if (text === undefined) return { parseError: 'policy document is not valid URL-encoding', raw };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { parseError: `policy document is not valid JSON: ${(error as Error).message}`, raw };
  }
  return checkShape(parsed, raw);
}

function safeDecodeUri(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    // URIError: a lone "%" or broken escape; reported as a parse error by the caller.
    return undefined;
  }
}

function checkShape(value: unknown, raw: string): MaybePolicyDocument {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { parseError: 'policy document is not a JSON object', raw };
  }
  const statement = (value as { Statement?: unknown }).Statement;
  if (statement === undefined) return { parseError: 'policy document has no Statement', raw };
  const statements = Array.isArray(statement) ? statement : [statement];
  for (const [index, s] of statements.entries()) {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) {
      return { parseError: `Statement[${index}] is not an object`, raw };
    }
    const effect = (s as { Effect?: unknown }).Effect;
    if (effect !== 'Allow' && effect !== 'Deny') {
      return { parseError: `Statement[${index}].Effect must be "Allow" or "Deny"`, raw };
    }
  }
  return { document: value as PolicyDocument };
}

/** True when the document decoded; narrows to the document branch. */
export function hasDocument(policy: MaybePolicyDocument | undefined): policy is { document: PolicyDocument } {
  return policy !== undefined && 'document' in policy;
}
