// Reads AWS's ip-ranges.json, or ssmguard's trimmed copy of it, into AwsIpRanges: validated against its schema
// (schemas/aws-ip-ranges.schema.json, schemas/ip-ranges-copy.schema.json), every prefix checked, errors naming
// the file and the JSON path (or line and column) of the first problem.

import { isIPv4, isIPv6 } from 'node:net';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import awsSchema from '../../../schemas/aws-ip-ranges.schema.json' with { type: 'json' };
import copySchema from '../../../schemas/ip-ranges-copy.schema.json' with { type: 'json' };
import { CheckerError } from '../../errors.js';
import { AMAZON_SERVICE, type AwsIpRanges, type RegionIpRanges } from '../../inventory/aws-ip-ranges.js';
import { InputFileError } from '../aws-cli/input-file-error.js';
import { parseJsonText, stripBom } from '../aws-cli/parse-json-text.js';
import { compareText } from '../../compare-text.js';

/** An ip-ranges file that cannot be used: not JSON, not the published shape, or a malformed prefix. */
export class IpRangesFileError extends CheckerError {
  readonly code = 'IP_RANGES_INVALID';
  constructor(
    readonly file: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`ip-ranges file ${file}: ${detail}`, options);
    this.name = 'IpRangesFileError';
  }
}

/** AWS's file as the schema admits it (fields ssmguard does not use are ignored). */
interface PublishedIpRanges {
  syncToken: string;
  createDate: string;
  prefixes: { ip_prefix: string; region: string; service: string; network_border_group: string }[];
  ipv6_prefixes: { ipv6_prefix: string; region: string; service: string; network_border_group: string }[];
}

/** ssmguard's trimmed copy (what `ssmguard ip-ranges refresh` writes). */
export interface IpRangesCopy {
  kind: 'ssmguard-ip-ranges';
  source: string;
  syncToken: string;
  createDate: string;
  service: 'AMAZON';
  regions: Record<string, { ipv4: string[]; ipv6: string[] }>;
}

let validators:
  { published: ReturnType<Ajv2020['compile']>; copy: ReturnType<Ajv2020['compile']> } | undefined;

function schemaProblem(errors: readonly ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (!e) return 'does not match the schema';
  const where = e.instancePath || '/';
  const detail =
    e.keyword === 'required'
      ? `is missing "${String((e.params as { missingProperty?: unknown }).missingProperty)}"`
      : e.keyword === 'additionalProperties'
        ? `has an unknown field "${String((e.params as { additionalProperty?: unknown }).additionalProperty)}"`
        : (e.message ?? 'is not valid');
  return `at ${where}: ${detail}`;
}

/** True for canonical-looking "address/prefix" text of the family (prefix within the family's bits). */
function isPrefix(text: string, family: 4 | 6): boolean {
  const slash = text.indexOf('/');
  if (slash === -1) return false;
  const address = text.slice(0, slash);
  const bits = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > (family === 4 ? 32 : 128)) return false;
  return family === 4 ? isIPv4(address) : isIPv6(address);
}

function checkPrefixes(file: string, list: readonly string[], family: 4 | 6, where: (i: number) => string) {
  list.forEach((text, i) => {
    if (!isPrefix(text, family))
      throw new IpRangesFileError(
        file,
        `at ${where(i)}: "${text}" is not an IPv${family} prefix (address/length)`,
      );
  });
}

function sorted(list: Iterable<string>): string[] {
  return [...new Set(list)].sort(compareText);
}

/** The AMAZON prefixes of a published file, per region (every network border group of the region). */
export function trimPublished(published: PublishedIpRanges, source: string): IpRangesCopy {
  const regions = new Map<string, { ipv4: Set<string>; ipv6: Set<string> }>();
  const entry = (region: string) => {
    let e = regions.get(region);
    if (!e) regions.set(region, (e = { ipv4: new Set(), ipv6: new Set() }));
    return e;
  };
  for (const p of published.prefixes) if (p.service === AMAZON_SERVICE) entry(p.region).ipv4.add(p.ip_prefix);
  for (const p of published.ipv6_prefixes)
    if (p.service === AMAZON_SERVICE) entry(p.region).ipv6.add(p.ipv6_prefix);
  const byName = [...regions].sort(([a], [b]) => compareText(a, b));
  return {
    kind: 'ssmguard-ip-ranges',
    source,
    syncToken: published.syncToken,
    createDate: published.createDate,
    service: AMAZON_SERVICE,
    regions: Object.fromEntries(
      byName.map(([name, e]) => [name, { ipv4: sorted(e.ipv4), ipv6: sorted(e.ipv6) }]),
    ),
  };
}

function fromCopy(copy: IpRangesCopy, origin: string): AwsIpRanges {
  const regions = new Map<string, RegionIpRanges>();
  for (const [name, r] of Object.entries(copy.regions)) regions.set(name, { ipv4: r.ipv4, ipv6: r.ipv6 });
  return { createDate: copy.createDate, syncToken: copy.syncToken, origin, regions };
}

/** Parses JSON text into a value, naming the file, line and column when it is not JSON. */
function parseText(text: string, file: string): unknown {
  try {
    return parseJsonText(stripBom(text), file);
  } catch (error) {
    if (error instanceof InputFileError)
      throw new IpRangesFileError(
        file,
        `${error.line !== undefined ? `line ${error.line}, column ${error.column ?? 1}: ` : ''}${error.detail}`,
        { cause: error },
      );
    throw error;
  }
}

/**
 * Parses and validates an ip-ranges file: AWS's published ip-ranges.json (recognised by its `prefixes`) or
 * ssmguard's trimmed copy (its `kind`). Either way the result keeps only the AMAZON prefixes per region.
 */
export function parseIpRangesFile(
  text: string,
  file: string,
  origin: string = file,
): {
  ranges: AwsIpRanges;
  copy: IpRangesCopy;
} {
  const value = parseText(text, file);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new IpRangesFileError(
      file,
      'is not a JSON object (expected AWS ip-ranges.json: syncToken, createDate, prefixes, ipv6_prefixes)',
    );
  validators ??= {
    published: new Ajv2020({ allErrors: false, strict: false }).compile(awsSchema),
    copy: new Ajv2020({ allErrors: false, strict: false }).compile(copySchema),
  };
  if ((value as { kind?: unknown }).kind === 'ssmguard-ip-ranges') {
    if (!validators.copy(value)) throw new IpRangesFileError(file, schemaProblem(validators.copy.errors));
    const copy = value as IpRangesCopy;
    if (Object.keys(copy.regions).length === 0)
      throw new IpRangesFileError(file, 'lists no regions, so it cannot narrow anything');
    for (const [region, r] of Object.entries(copy.regions)) {
      checkPrefixes(file, r.ipv4, 4, (i) => `/regions/${region}/ipv4/${i}`);
      checkPrefixes(file, r.ipv6, 6, (i) => `/regions/${region}/ipv6/${i}`);
    }
    return { ranges: fromCopy(copy, origin), copy };
  }
  if (!validators.published(value))
    throw new IpRangesFileError(
      file,
      `not AWS ip-ranges.json: ${schemaProblem(validators.published.errors)}`,
    );
  const published = value as PublishedIpRanges;
  checkPrefixes(
    file,
    published.prefixes.map((p) => p.ip_prefix),
    4,
    (i) => `/prefixes/${i}/ip_prefix`,
  );
  checkPrefixes(
    file,
    published.ipv6_prefixes.map((p) => p.ipv6_prefix),
    6,
    (i) => `/ipv6_prefixes/${i}/ipv6_prefix`,
  );
  const copy = trimPublished(published, file);
  if (Object.keys(copy.regions).length === 0)
    throw new IpRangesFileError(file, `holds no ${AMAZON_SERVICE} prefixes, so it cannot narrow anything`);
  return { ranges: fromCopy(copy, origin), copy };
}
