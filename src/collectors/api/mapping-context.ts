// Shared plumbing for the per-API mappers: the result and issue types, scope resolution, and small guards
// for reading AWS JSON that arrives as `unknown` (AWS CLI output, SDK v3 output, recorded fixtures).

import { UNKNOWN_ACCOUNT, UNKNOWN_REGION, type Scope } from '../../inventory/model.js';

/** A JSON object as read from a response; every field is checked before use. */
export type JsonObject = Record<string, unknown>;

/** What is known about where a response came from; absent fields are inferred from content, if at all. */
export interface PartialScope {
  accountId?: string;
  region?: string;
}

/**
 * Stable issue codes. RESPONSE_INVALID means the whole response had the wrong shape (its family counts as
 * unreadable); ENTRY_INVALID drops one entry; FIELD_INVALID drops one field of an entry that still maps.
 */
export type MapIssueCode =
  | 'RESPONSE_INVALID'
  | 'RESPONSE_TRUNCATED'
  | 'ENTRY_INVALID'
  | 'FIELD_INVALID'
  | 'DUPLICATE_RESOURCE'
  | 'CONFLICTING_DUPLICATE'
  | 'PARENT_UNKNOWN'
  | 'UNMATCHED_VPC_ATTRIBUTE';

/** A problem found while mapping: where (origin = file or API call, path = JSON path) and what. */
export interface MapIssue {
  code: MapIssueCode;
  origin: string;
  path: string;
  message: string;
}

/** The uniform output of every mapper. */
export interface MapResult<T> {
  items: T[];
  issues: MapIssue[];
  /** False when the response itself had the wrong shape: its family must count as unreadable (fail closed). */
  readable: boolean;
  /**
   * The distinct scopes the items were placed in, for coverage; a field is absent when it stayed unknown.
   * With no items this is the scope hint alone.
   */
  scopes: PartialScope[];
}

/** True for a non-null, non-array object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Describes a value's JSON type for issue messages (never echoes the value: it may be huge or hostile). */
export function jsonTypeOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

// "2026-02-10T08:15:30+00:00", "…30.123456+00:00", "…30.123Z": already UTC, only the spelling differs.
const UTC_TIMESTAMP =
  /^(\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d)(?:\.(\d+))?(?:Z|\+00:00)$/;

/**
 * Normalises an AWS timestamp to an ISO-8601 UTC string. The AWS CLI prints ISO strings (with "+00:00" and
 * sometimes microseconds), SDK v3 returns `Date` objects, and SSM's JSON wire protocol carries epoch seconds
 * (`LastPingDateTime: 1717000000.123`). Numbers above 1e11 are taken as epoch milliseconds: no AWS timestamp
 * in seconds reaches that before the year 5138.
 */
export function toIsoTimestamp(value: unknown): string | undefined {
  if (typeof value === 'string') {
    // Fast path for the UTC forms the CLI and SDK print: no Date allocation for 100k LaunchTimes.
    const m = UTC_TIMESTAMP.exec(value);
    if (m !== null) return `${m[1]}.${((m[2] ?? '') + '000').slice(0, 3)}Z`;
  }
  let date: Date;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number' && Number.isFinite(value))
    date = new Date(value > 1e11 ? value : value * 1000);
  else if (typeof value === 'string' && value !== '') date = new Date(value);
  else return undefined;
  const time = date.getTime();
  return Number.isNaN(time) ? undefined : date.toISOString();
}

const AZ_REGION = /^([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+)(?:[a-z]|-)/;

/**
 * The region of an availability zone name: "us-east-1a" → "us-east-1". Also covers Local Zones
 * ("us-west-2-lax-1a") and Wavelength zones ("us-east-1-wl1-bos-wlz-1"), which extend the region name.
 */
export function regionFromAvailabilityZone(zone: string | undefined): string | undefined {
  if (zone === undefined) return undefined;
  return AZ_REGION.exec(zone)?.[1];
}

/** The region and account fields of an ARN (`arn:partition:service:region:account:resource`); empty → absent. */
export function scopeFromArn(arn: string | undefined): PartialScope {
  if (arn === undefined || !arn.startsWith('arn:')) return {};
  const parts = arn.split(':', 5);
  const scope: PartialScope = {};
  if (parts[3]) scope.region = parts[3];
  if (parts[4]) scope.accountId = parts[4];
  return scope;
}

const ACCOUNT_ID = /^\d{12}$/;

/** The account of an ARN when it is a 12-digit account id (not "aws", as in AWS-managed policy ARNs). */
export function accountFromArn(arn: string | undefined): string | undefined {
  const account = scopeFromArn(arn).accountId;
  return account !== undefined && ACCOUNT_ID.test(account) ? account : undefined;
}

/**
 * Per-response state of one mapper run: collects issues, resolves each item's scope (hint first, then what
 * the content says) and remembers the distinct scopes for coverage. The field readers return `undefined`
 * for absent fields and, for present fields of the wrong type, also record a FIELD_INVALID issue.
 */
export class MappingContext {
  readonly issues: MapIssue[] = [];
  private readonly scopeCache = new Map<string, Scope>();
  private lastScope: Scope | undefined;

  constructor(
    readonly origin: string,
    readonly hint: PartialScope,
  ) {}

  /** Records an issue at a JSON path. */
  issue(code: MapIssueCode, path: string, message: string): void {
    this.issues.push({ code, origin: this.origin, path, message });
  }

  /**
   * The scope of one item: the hint wins over content (a collector knows where it called), content wins over
   * "unknown". Returns a shared object per distinct scope, so mapping 100k items allocates no scopes.
   */
  scope(contentAccount: string | undefined, contentRegion: string | undefined): Scope {
    const accountId = this.hint.accountId ?? contentAccount ?? UNKNOWN_ACCOUNT;
    const region = this.hint.region ?? contentRegion ?? UNKNOWN_REGION;
    const last = this.lastScope;
    if (last !== undefined && last.accountId === accountId && last.region === region) return last;
    const key = `${accountId}\u0000${region}`;
    let scope = this.scopeCache.get(key);
    if (scope === undefined) {
      scope = { accountId, region };
      this.scopeCache.set(key, scope);
    }
    this.lastScope = scope;
    return scope;
  }

  /** Builds the mapper result; `readable: false` marks a response whose top-level shape was wrong. */
  result<T>(items: T[], readable = true): MapResult<T> {
    const scopes: PartialScope[] = [];
    for (const scope of this.scopeCache.values()) {
      const partial: PartialScope = {};
      if (scope.accountId !== UNKNOWN_ACCOUNT) partial.accountId = scope.accountId;
      if (scope.region !== UNKNOWN_REGION) partial.region = scope.region;
      scopes.push(partial);
    }
    if (scopes.length === 0) {
      const partial: PartialScope = {};
      if (this.hint.accountId !== undefined) partial.accountId = this.hint.accountId;
      if (this.hint.region !== undefined) partial.region = this.hint.region;
      scopes.push(partial);
    }
    return { items, issues: this.issues, readable, scopes };
  }

  /** Reads the response's list under `key`; a missing or non-array list makes the response unreadable. */
  responseList(body: unknown, key: string): unknown[] | undefined {
    if (!isJsonObject(body)) {
      this.issue('RESPONSE_INVALID', '$', `expected a JSON object with "${key}", got ${jsonTypeOf(body)}`);
      return undefined;
    }
    const list = body[key];
    if (!Array.isArray(list)) {
      this.issue('RESPONSE_INVALID', key, `expected an array, got ${jsonTypeOf(list)}`);
      return undefined;
    }
    return list;
  }

  /** Checks that a list entry is an object; records ENTRY_INVALID when it is not. */
  entry(value: unknown, path: string): value is JsonObject {
    if (isJsonObject(value)) return true;
    this.issue('ENTRY_INVALID', path, `expected an object, got ${jsonTypeOf(value)}`);
    return false;
  }

  // The readers take the value, not the object and key: the property load then happens at the mapper's call
  // site, where V8's inline cache sees one key and few object shapes (100k instances map ~2x faster than
  // with a generic `o[key]` in here). `key` and `path` only name the field in issues.

  /** A required string field; absent or wrong-typed records ENTRY_INVALID (the caller drops the entry). */
  requiredString(value: unknown, key: string, path: string): string | undefined {
    if (typeof value === 'string' && value !== '') return value;
    this.issue(
      'ENTRY_INVALID',
      `${path}.${key}`,
      value === undefined ? `missing ${key}` : `expected a non-empty string, got ${jsonTypeOf(value)}`,
    );
    return undefined;
  }

  string(value: unknown, key: string, path: string): string | undefined {
    if (typeof value === 'string') return value;
    if (value !== undefined && value !== null) this.wrongType(path, key, 'a string', value);
    return undefined;
  }

  number(value: unknown, key: string, path: string): number | undefined {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (value !== undefined && value !== null) this.wrongType(path, key, 'a number', value);
    return undefined;
  }

  boolean(value: unknown, key: string, path: string): boolean | undefined {
    if (typeof value === 'boolean') return value;
    if (value !== undefined && value !== null) this.wrongType(path, key, 'a boolean', value);
    return undefined;
  }

  object(value: unknown, key: string, path: string): JsonObject | undefined {
    if (isJsonObject(value)) return value;
    if (value !== undefined && value !== null) this.wrongType(path, key, 'an object', value);
    return undefined;
  }

  /** An array field; absent → empty (AWS omits empty lists in some outputs), wrong type → issue + empty. */
  array(value: unknown, key: string, path: string): unknown[] {
    if (Array.isArray(value)) return value;
    if (value !== undefined && value !== null) this.wrongType(path, key, 'an array', value);
    return EMPTY;
  }

  /** A timestamp field (ISO string, Date or epoch number), normalised to ISO-8601. */
  timestamp(value: unknown, key: string, path: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    const iso = toIsoTimestamp(value);
    if (iso === undefined) this.wrongType(path, key, 'a timestamp', value);
    return iso;
  }

  /** A list of strings (`["a", "b"]`); non-string members are dropped with an issue. */
  stringList(value: unknown, key: string, path: string): string[] {
    const list = this.array(value, key, path);
    const out: string[] = [];
    for (let i = 0; i < list.length; i++) {
      const member = list[i];
      if (typeof member === 'string') out.push(member);
      else
        this.issue('FIELD_INVALID', `${path}.${key}[${i}]`, `expected a string, got ${jsonTypeOf(member)}`);
    }
    return out;
  }

  /** A list of objects projected to one string field (`[{GroupId}]` → ids); bad members dropped with an issue. */
  fieldList(value: unknown, key: string, field: string, path: string): string[] {
    const list = this.array(value, key, path);
    const out: string[] = [];
    for (let i = 0; i < list.length; i++) {
      const member = list[i];
      const projected = isJsonObject(member) ? project(member, field) : undefined;
      if (typeof projected === 'string') out.push(projected);
      else
        this.issue(
          'FIELD_INVALID',
          `${path}.${key}[${i}].${field}`,
          `expected a string, got ${jsonTypeOf(projected)}`,
        );
    }
    return out;
  }

  private wrongType(path: string, key: string, expected: string, value: unknown): void {
    this.issue('FIELD_INVALID', `${path}.${key}`, `expected ${expected}, got ${jsonTypeOf(value)}`);
  }
}

// Named loads for the hot list fields (security groups, ENI addresses): a generic `member[field]` is a
// megamorphic keyed load, measurably slower across 100k instances.
function project(member: JsonObject, field: string): unknown {
  switch (field) {
    case 'GroupId':
      return member.GroupId;
    case 'PrivateIpAddress':
      return member.PrivateIpAddress;
    case 'Ipv6Address':
      return member.Ipv6Address;
    default:
      return member[field];
  }
}

const EMPTY: unknown[] = [];
Object.freeze(EMPTY);

/** Adds `value` to `list` unless already present (short lists: linear scan beats a Set). */
export function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}
