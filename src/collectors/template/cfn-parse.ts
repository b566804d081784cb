// Parsing CloudFormation template text (YAML or JSON) into its long form, with every node's source position kept.
//
// The short forms (`!Ref X`, `!GetAtt A.B`, `!Sub …`) become the long forms CloudFormation documents
// ({"Ref": "X"}, {"Fn::GetAtt": ["A", "B"]}), so the evaluator sees one shape whichever the author wrote.
// JSON goes through the same YAML parser (YAML 1.2 is a superset of JSON), so positions are uniform.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html

import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  Pair,
  parseDocument,
  Scalar,
  YAMLMap,
  type CollectionTag,
  type Document,
  type Node,
  type ScalarTag,
  type YAMLError,
} from 'yaml';
import { TemplateInputError, type TemplateInputErrorCode } from './template-input-error.js';

/** A path into the parsed document: mapping keys and sequence indexes, in the long form. */
export type NodePath = readonly (string | number)[];

/** A 1-based line and column. */
export interface TextPosition {
  line: number;
  column: number;
}

/** A parsed YAML/JSON document with positions. */
export interface PositionedDocument {
  file: string;
  /** The document as plain data, every short-form tag in its long form. */
  root: unknown;
  /**
   * Where the node at `path` is declared (a mapping entry: its key; a sequence item: the item), or, when the path
   * leaves the document, where its deepest existing node is. The root's position for [].
   */
  positionOf(path: NodePath): TextPosition;
}

type NodeKind = 'scalar' | 'seq' | 'map';

/** Short form → long-form key, and the node kinds each accepts (per the function's documented syntax). */
const SHORT_FORMS: Record<string, { longForm: string; kinds: readonly NodeKind[] }> = {
  '!Ref': { longForm: 'Ref', kinds: ['scalar'] },
  '!Condition': { longForm: 'Condition', kinds: ['scalar'] },
  '!GetAtt': { longForm: 'Fn::GetAtt', kinds: ['scalar', 'seq'] },
  '!Sub': { longForm: 'Fn::Sub', kinds: ['scalar', 'seq'] },
  '!Join': { longForm: 'Fn::Join', kinds: ['seq'] },
  '!Select': { longForm: 'Fn::Select', kinds: ['seq'] },
  '!Split': { longForm: 'Fn::Split', kinds: ['seq'] },
  '!If': { longForm: 'Fn::If', kinds: ['seq'] },
  '!Equals': { longForm: 'Fn::Equals', kinds: ['seq'] },
  '!And': { longForm: 'Fn::And', kinds: ['seq'] },
  '!Or': { longForm: 'Fn::Or', kinds: ['seq'] },
  '!Not': { longForm: 'Fn::Not', kinds: ['seq'] },
  '!FindInMap': { longForm: 'Fn::FindInMap', kinds: ['seq'] },
  '!Cidr': { longForm: 'Fn::Cidr', kinds: ['seq'] },
  '!GetAZs': { longForm: 'Fn::GetAZs', kinds: ['scalar', 'map'] },
  '!Base64': { longForm: 'Fn::Base64', kinds: ['scalar', 'map'] },
  '!ImportValue': { longForm: 'Fn::ImportValue', kinds: ['scalar', 'map'] },
  '!Transform': { longForm: 'Fn::Transform', kinds: ['map'] },
  '!Length': { longForm: 'Fn::Length', kinds: ['seq', 'map'] },
  '!ToJsonString': { longForm: 'Fn::ToJsonString', kinds: ['seq', 'map'] },
};

/** Most alias expansions per document: templates need few, a billion-laughs bomb needs millions. */
const MAX_ALIAS_COUNT = 100;

/** A parsed template: its top-level mapping. */
export interface ParsedTemplate extends PositionedDocument {
  body: Record<string, unknown>;
}

/** Parses a template; anything that is not a well-formed mapping document throws TEMPLATE_MALFORMED. */
export function parseCfnTemplate(file: string, text: string): ParsedTemplate {
  const document = parsePositionedDocument(file, text, 'TEMPLATE_MALFORMED');
  return { ...document, body: document.root as Record<string, unknown> };
}

/** What a document's top level must be, and how an error names it. */
export interface TopLevelShape {
  kind: 'map' | 'seq';
  description: string;
}

const TEMPLATE_TOP_LEVEL: TopLevelShape = { kind: 'map', description: 'a mapping of template sections' };

/** Parses YAML or JSON whose top level must have `shape`; every problem throws a TemplateInputError with `code`. */
export function parsePositionedDocument(
  file: string,
  text: string,
  code: TemplateInputErrorCode,
  shape: TopLevelShape = TEMPLATE_TOP_LEVEL,
): PositionedDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    customTags: cloudFormationTags(),
  });
  // Warnings count too: an unknown tag (`!Reff`) is only a warning to the yaml library, but CloudFormation refuses it.
  const problem: YAMLError | undefined = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const pos = lineCounter.linePos(problem.pos[0]);
    // The parser runs out of stack on very deep nesting and says so in V8's words; say what is wrong instead.
    const detail = /Maximum call stack size exceeded/.test(problem.message)
      ? 'nested too deeply to read (thousands of levels: no template AWS accepts is this deep)'
      : firstLine(problem.message);
    throw new TemplateInputError(code, file, detail, pos.line, pos.col, {
      cause: problem,
    });
  }
  const top = topLevelNode(doc, shape);
  if (!top) {
    const contents = doc.contents;
    const empty = contents === null || (isScalar(contents) && contents.value === null);
    const detail = empty ? 'the file is empty' : `the top level is not ${shape.description}`;
    const pos = contents?.range ? lineCounter.linePos(contents.range[0]) : { line: 1, col: 1 };
    throw new TemplateInputError(code, file, detail, pos.line, pos.col);
  }
  const root = toPlainValue(file, doc, code);
  const positionOf = (path: NodePath): TextPosition => {
    const pos = lineCounter.linePos(deepestOffset(top, path));
    return { line: pos.line, column: pos.col };
  };
  return { file, root, positionOf };
}

function topLevelNode(doc: Document, shape: TopLevelShape): Node | undefined {
  const contents = doc.contents;
  return (shape.kind === 'map' ? isMap(contents) : isSeq(contents)) ? (contents as Node) : undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** The offset of the deepest node on the path that exists (for a mapping entry: its key). */
function deepestOffset(start: Node, path: NodePath): number {
  let node: unknown = start;
  let offset = start.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return offset;
      offset = rangeStart(pair.key) ?? rangeStart(pair.value) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined) return offset;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      // A scalar short form (`!Ref X`) holds its long form as the scalar's value: point at the scalar itself.
      return isShortFormScalar(node, segment) ? (rangeStart(node) ?? offset) : offset;
    }
  }
  return offset;
}

function isShortFormScalar(node: unknown, segment: string | number): boolean {
  if (!isScalar(node) || typeof node.value !== 'object' || node.value === null) return false;
  return Object.hasOwn(node.value, segment);
}

function rangeStart(node: unknown): number | undefined {
  if (isPair(node)) return undefined;
  return (node as Partial<Node> | null)?.range?.[0];
}

function toPlainValue(file: string, doc: Document, code: TemplateInputErrorCode): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
  } catch (error) {
    // The yaml library throws a ReferenceError when aliases expand past maxAliasCount.
    if (!(error instanceof ReferenceError)) throw error;
    throw new TemplateInputError(
      code,
      file,
      `aliases expand too far (more than ${MAX_ALIAS_COUNT}): ${error.message}`,
      undefined,
      undefined,
      { cause: error },
    );
  }
}

/** A tag definition for each short form and node kind; kinds a function does not take report an error. */
function cloudFormationTags(): (ScalarTag | CollectionTag)[] {
  const tags: (ScalarTag | CollectionTag)[] = [];
  for (const [tag, { longForm, kinds }] of Object.entries(SHORT_FORMS)) {
    const wrongKind = (kind: NodeKind) =>
      `${tag} does not take a ${KIND_NAMES[kind]} (it takes ${listKinds(kinds)})`;
    tags.push({
      tag,
      resolve: (value, onError) => {
        if (!kinds.includes('scalar')) onError(wrongKind('scalar'));
        return resolveScalarForm(tag, longForm, value, onError);
      },
    });
    for (const collection of ['seq', 'map'] as const) {
      tags.push({
        tag,
        collection,
        resolve: (value, onError) => {
          if (!kinds.includes(collection)) onError(wrongKind(collection));
          return wrapInLongForm(longForm, value);
        },
      });
    }
  }
  return tags;
}

const KIND_NAMES: Record<NodeKind, string> = { scalar: 'scalar', seq: 'list', map: 'mapping' };

function listKinds(kinds: readonly NodeKind[]): string {
  return kinds.map((k) => `a ${KIND_NAMES[k]}`).join(' or ');
}

function resolveScalarForm(
  tag: string,
  longForm: string,
  value: string,
  onError: (m: string) => void,
): unknown {
  if (tag === '!GetAtt') {
    // The short form's "Resource.Attribute": the attribute may itself hold dots (Endpoint.Address).
    const dot = value.indexOf('.');
    if (dot <= 0 || dot === value.length - 1) {
      onError(`!GetAtt needs "LogicalId.Attribute", got "${value}"`);
      return { [longForm]: [value] };
    }
    return { [longForm]: [value.slice(0, dot), value.slice(dot + 1)] };
  }
  if ((tag === '!Ref' || tag === '!Condition') && value.trim() === '') onError(`${tag} needs a name`);
  return { [longForm]: value };
}

/** {longForm: <the tagged collection>}, keeping the collection node so positions inside it stay known. */
function wrapInLongForm(longForm: string, value: Node): YAMLMap {
  const map = new YAMLMap();
  map.items.push(new Pair(new Scalar(longForm), value));
  return map;
}
