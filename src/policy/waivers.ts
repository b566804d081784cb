// Waivers in policy packs: parsing and checking them at load (owners, expiry dates), checking their horizon at the
// evaluation time (never the wall clock), and deciding which results each one waives, which ones expired and which
// ones matched nothing.

import { RuleSetError, type RuleFileError } from '../errors.js';
import type { Evaluation } from '../engine/types.js';
import type { Tags } from '../inventory/model.js';
import { errorAt, type YamlSource } from '../ruleset/yaml-source.js';

/** Which results a waiver covers: every field given must match (rule "*" needs at least one other field). */
export interface WaiverScope {
  accountId?: string;
  region?: string;
  resourceId?: string;
  /** A tag on the resource: the key, and the value when given. */
  tag?: { key: string; value?: string };
}

/** An accepted risk: who accepted it, why, and until when. */
export interface Waiver {
  /** The `id` given in the pack, else its YAML path (e.g. "waivers[2]"). */
  id: string;
  /** A rule id, or "*" for every rule. */
  ruleId: string;
  scope: WaiverScope;
  reason: string;
  owner: string;
  /** As written: a date (valid through that day, UTC) or an ISO 8601 time. */
  expires: string;
  /** The first instant at which the waiver no longer applies. */
  expiresAtMs: number;
  ticket?: string;
  /** Where it was declared, for messages ("waivers[2]"). */
  yamlPath: string;
}

/** The shape of one waiver in YAML, after the policy schema has checked it. */
interface WaiverYaml {
  id?: string;
  rule: string;
  account?: string;
  region?: string;
  resource?: string;
  tag?: { key: string; value?: string };
  reason: string;
  owner: string;
  expires: string;
  ticket?: string;
}

/** The pack's limits on its waivers (`waiverSettings` in YAML). */
export interface WaiverSettings {
  /** The furthest a waiver may expire, in days after the evaluation date; default: one calendar year. */
  maxDays?: number;
  /** Team handles an `owner` may name besides an email address. */
  teams?: string[];
}

const DAY_MS = 86_400_000;

/**
 * An owner is someone who can be asked: an email address (one @, a dotted domain, no spaces) or a team handle the
 * pack declares. Deliberately simple: an address that looks right can still bounce, but "ops" or "TBD" cannot pass.
 */
const EMAIL =
  /^[^\s@<>()[\],;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export function isOwnerValid(owner: string, teams: readonly string[]): boolean {
  return EMAIL.test(owner) || teams.includes(owner);
}
const DATE_PART = /^(\d{4})-(\d{2})-(\d{2})/;

/** Parses an expiry; a date means "through the end of that day, UTC". Undefined when it is not a real date. */
export function parseExpiry(expires: string): number | undefined {
  const date = DATE_PART.exec(expires);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const ms = Date.UTC(y, m - 1, d);
    const back = new Date(ms);
    // Date.UTC (and Date.parse, for timestamps) roll 2027-02-30 over to March; a date that does not round-trip
    // is not a real date.
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d)
      return undefined;
    if (date[0].length === expires.length) return ms + DAY_MS;
  }
  const ms = Date.parse(expires);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Builds the waivers of a policy pack whose schema was already checked (reason, owner and expiry are required
 * there). Checks what a schema cannot: real expiry dates, unique ids, and that a "*" waiver is scoped.
 * Throws a RuleSetError naming the file, line and YAML path of every problem.
 */
export function parseWaivers(
  source: YamlSource,
  entries: readonly unknown[] | undefined,
  settings: WaiverSettings = {},
): Waiver[] {
  const teams = settings.teams ?? [];
  const errors: RuleFileError[] = [];
  const waivers: Waiver[] = [];
  const ids = new Set<string>();
  (entries ?? []).forEach((raw, i) => {
    const w = raw as WaiverYaml;
    const at = `waivers[${i}]`;
    const expiresAtMs = parseExpiry(w.expires);
    if (expiresAtMs === undefined)
      errors.push(errorAt(source, `${at}.expires`, `"${w.expires}" is not a real date`));
    const scope: WaiverScope = {};
    if (w.account !== undefined) scope.accountId = w.account;
    if (w.region !== undefined) scope.region = w.region;
    if (w.resource !== undefined) scope.resourceId = w.resource;
    if (w.tag !== undefined)
      scope.tag = w.tag.value === undefined ? { key: w.tag.key } : { key: w.tag.key, value: w.tag.value };
    if (w.rule === '*' && Object.keys(scope).length === 0) {
      errors.push(
        errorAt(
          source,
          `${at}.rule`,
          'a waiver for every rule ("*") must name an account, region, resource or tag',
        ),
      );
    }
    const id = w.id ?? at;
    if (!isOwnerValid(w.owner, teams))
      errors.push(
        errorAt(
          source,
          `${at}.owner`,
          `waiver "${id}": owner "${w.owner}" is neither an email address nor a team the pack declares ` +
            `(waiverSettings.teams: ${teams.length > 0 ? teams.join(', ') : 'none declared'})`,
        ),
      );
    if (ids.has(id)) errors.push(errorAt(source, `${at}.id`, `duplicate waiver id "${id}"`));
    ids.add(id);
    waivers.push({
      id,
      ruleId: w.rule,
      scope,
      reason: w.reason,
      owner: w.owner,
      expires: w.expires,
      expiresAtMs: expiresAtMs ?? 0,
      ...(w.ticket !== undefined ? { ticket: w.ticket } : {}),
      yamlPath: at,
    });
  });
  if (errors.length > 0) throw new RuleSetError(errors);
  return waivers;
}

/** The last instant a waiver may run to when judged at `atMs`: the end of the UTC day of the horizon. */
export function waiverHorizonMs(atMs: number, settings: WaiverSettings = {}): number {
  const at = new Date(atMs);
  const horizon =
    settings.maxDays !== undefined
      ? new Date(atMs + settings.maxDays * DAY_MS)
      : // One calendar year: 29 February rolls to 1 March, a day more, which the end-of-day rounding allows anyway.
        new Date(Date.UTC(at.getUTCFullYear() + 1, at.getUTCMonth(), at.getUTCDate()));
  return Date.UTC(horizon.getUTCFullYear(), horizon.getUTCMonth(), horizon.getUTCDate()) + DAY_MS;
}

/**
 * Checks that no waiver runs past the pack's horizon from the evaluation time `atMs` (default one year): a waiver
 * is a reviewed, temporary exception, and one that expires in five years is a permanent one. Throws a
 * RuleSetError naming the file, line and YAML path of every waiver that does.
 */
export function checkWaiverHorizon(
  source: YamlSource,
  waivers: readonly Waiver[],
  atMs: number,
  settings: WaiverSettings = {},
): void {
  const limitMs = waiverHorizonMs(atMs, settings);
  const limit = new Date(limitMs - DAY_MS).toISOString().slice(0, 10);
  const horizon =
    settings.maxDays !== undefined
      ? `${settings.maxDays} days`
      : '1 year (waiverSettings.maxDays changes it)';
  const errors = waivers
    .filter((w) => w.expiresAtMs > limitMs)
    .map((w) =>
      errorAt(
        source,
        `${w.yamlPath}.expires`,
        `waiver "${w.id}" expires ${w.expires}, after ${limit}: a waiver may run at most ${horizon} past the ` +
          `evaluation time ${new Date(atMs).toISOString()}`,
      ),
    );
  if (errors.length > 0) throw new RuleSetError(errors);
}

/** True when the waiver's rule and scope cover the result (expiry is not considered here). */
export function waiverMatches(
  waiver: Waiver,
  result: Pick<Evaluation, 'ruleId' | 'accountId' | 'region' | 'resourceId'>,
  tags: Tags | undefined,
): boolean {
  const { scope } = waiver;
  if (waiver.ruleId !== '*' && waiver.ruleId !== result.ruleId) return false;
  if (scope.accountId !== undefined && scope.accountId !== result.accountId) return false;
  if (scope.region !== undefined && scope.region !== result.region) return false;
  if (scope.resourceId !== undefined && scope.resourceId !== result.resourceId) return false;
  if (scope.tag !== undefined) {
    // Tags are null-prototype records, so `in` cannot be fooled by "__proto__" or "constructor".
    if (tags === undefined || !Object.hasOwn(tags, scope.tag.key)) return false;
    if (scope.tag.value !== undefined && tags[scope.tag.key] !== scope.tag.value) return false;
  }
  return true;
}

export type WaiverState = 'applied' | 'expired' | 'unused';

/** What became of one waiver in one evaluation. */
export interface WaiverOutcome {
  waiver: Waiver;
  state: WaiverState;
  /** Results it waived (applied) or would have waived (expired). */
  resultIndexes: number[];
}

export interface WaiverDecisions {
  /** The waiver applied to each NON_COMPLIANT result, by index into the evaluations. */
  applied: Map<number, Waiver>;
  outcomes: WaiverOutcome[];
}

/**
 * Decides which failing results are waived at `atMs` (the evaluation time). Only NON_COMPLIANT results are waived:
 * an ERROR means the data could not be read, and accepting that would hide what nobody looked at. When several
 * waivers cover a result, the first one in the pack applies.
 */
export function applyWaivers(
  evaluations: readonly Evaluation[],
  waivers: readonly Waiver[],
  atMs: number,
  tagsOf: (resourceId: string) => Tags | undefined,
): WaiverDecisions {
  const applied = new Map<number, Waiver>();
  const hits = waivers.map(() => [] as number[]);
  if (waivers.length > 0) {
    const live = waivers.map((w) => atMs < w.expiresAtMs);
    evaluations.forEach((e, i) => {
      if (e.status !== 'NON_COMPLIANT') return;
      const tags = tagsOf(e.resourceId);
      let taken = false;
      waivers.forEach((w, j) => {
        if (!waiverMatches(w, e, tags)) return;
        if (live[j]) {
          if (taken) return;
          taken = true;
          applied.set(i, w);
        }
        hits[j]!.push(i);
      });
    });
  }
  const outcomes = waivers.map((waiver, j): WaiverOutcome => {
    const resultIndexes = hits[j]!;
    if (atMs >= waiver.expiresAtMs) return { waiver, state: 'expired', resultIndexes };
    return { waiver, state: resultIndexes.length > 0 ? 'applied' : 'unused', resultIndexes };
  });
  return { applied, outcomes };
}
