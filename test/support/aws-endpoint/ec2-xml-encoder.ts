// Converts EC2 output JSON (AWS CLI / SDK member names) into EC2 query-protocol XML element names.

import type { ApiJson } from '../../../src/collectors/api/api-data.js';
import { EC2_SCALAR_TYPES, EC2_XML_SHAPES } from './ec2-xml-shapes.js';
import { EC2_WRITE_XML_SHAPES } from './ec2-xml-write-shapes.js';

// The read shapes plus the outputs of the write operations ssmguard fix calls.
const SHAPES = { ...EC2_XML_SHAPES, ...EC2_WRITE_XML_SHAPES };
import { scalarText } from './xml-writer.js';

/**
 * The XML body (without envelope) of an EC2 output shape such as `DescribeInstancesResult`. Throws on a
 * member the table does not know, so a fleet field the SDK could not read never silently disappears.
 */
export function encodeEc2Output(shape: string, value: ApiJson): string {
  return encodeStructure(shape, value, shape);
}

/** Paths in an output whose members have no known EC2 XML name (checked once when the endpoint starts). */
export function findUnmappedEc2Members(shape: string, value: ApiJson): string[] {
  const problems: string[] = [];
  walk(shape, value, shape, problems);
  return problems;
}

function encodeStructure(shape: string, value: ApiJson, path: string): string {
  const members = SHAPES[shape];
  if (!members) throw new Error(`no EC2 XML shape ${shape} at ${path}`);
  let xml = '';
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined || member === null) continue;
    const spec = members[key];
    if (spec === undefined) throw new Error(`no EC2 XML name for ${path}.${key}`);
    if (typeof spec === 'string') {
      xml += `<${spec}>${scalarText(member)}</${spec}>`;
      continue;
    }
    const [element, child] = spec;
    xml += `<${element}>${encodeContent(child, member, `${path}.${key}`)}</${element}>`;
  }
  return xml;
}

const isScalarType = (content: string): boolean => (EC2_SCALAR_TYPES as readonly string[]).includes(content);

function encodeContent(child: string, value: unknown, path: string): string {
  if (isScalarType(child)) return scalarText(value);
  if (child.endsWith('[]')) {
    if (!Array.isArray(value)) throw new Error(`expected a list at ${path}`);
    const itemShape = child.slice(0, -2);
    return value
      .map((entry, index) =>
        isScalarType(itemShape)
          ? `<item>${scalarText(entry)}</item>`
          : `<item>${encodeStructure(itemShape, asObject(entry, `${path}[${index}]`), `${path}[${index}]`)}</item>`,
      )
      .join('');
  }
  return encodeStructure(child, asObject(value, path), path);
}

function walk(shape: string, value: ApiJson, path: string, problems: string[]): void {
  const members = SHAPES[shape];
  if (!members) {
    problems.push(`${path}: unknown shape ${shape}`);
    return;
  }
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined || member === null) continue;
    const spec = members[key];
    if (spec === undefined) {
      problems.push(`${path}.${key}`);
      continue;
    }
    if (typeof spec === 'string' || isScalarType(spec[1])) continue;
    const child = spec[1];
    if (child.endsWith('[]')) {
      const itemShape = child.slice(0, -2);
      if (isScalarType(itemShape) || !Array.isArray(member)) continue;
      member.forEach((entry, index) =>
        walk(itemShape, asObject(entry, path), `${path}.${key}[${index}]`, problems),
      );
    } else {
      walk(child, asObject(member, path), `${path}.${key}`, problems);
    }
  }
}

function asObject(value: unknown, path: string): ApiJson {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`expected an object at ${path}`);
  }
  return value as ApiJson;
}
