// The registry of value operators, by the key a rule uses.
import { contains, startsWith } from './contains.js';
import { empty } from './empty.js';
import { equals, notEquals } from './equals.js';
import { equalsIgnoreCase } from './equals-ignore-case.js';
import { exists } from './exists.js';
import { hasAnyKey } from './has-any-key.js';
import { inList, notInList } from './in.js';
import { gt, gte, lt, lte } from './compare.js';
import { matches } from './matches.js';
import type { Operator } from './operator.js';
import { versionAtLeast } from './version-at-least.js';
import { withinHours } from './within-hours.js';

export const OPERATORS: ReadonlyMap<string, Operator> = new Map(
  [
    exists,
    empty,
    equals,
    notEquals,
    equalsIgnoreCase,
    inList,
    notInList,
    matches,
    contains,
    startsWith,
    lt,
    lte,
    gt,
    gte,
    hasAnyKey,
    withinHours,
    versionAtLeast,
  ].map((op) => [op.name, op]),
);

export type { Operator, OperatorContext } from './operator.js';
