// Pretty-printed JSON written a piece at a time: arrays whose items are stringified one by one, and documents
// with such an array spliced in, byte for byte what `JSON.stringify(value, null, 2)` would produce whole.

const INDENT = '  ';

/**
 * A JSON array as `JSON.stringify(items, null, 2)` prints it at nesting `depth` (0 for a top-level array), one
 * chunk per item. Items must stringify to JSON (no `undefined` or functions: the whole-array form would print
 * those as `null`).
 */
export function* prettyJsonArray(
  items: Iterable<unknown>,
  depth: number,
): Generator<string, void, undefined> {
  const outer = INDENT.repeat(depth);
  const inner = `${outer}${INDENT}`;
  let first = true;
  for (const item of items) {
    // JSON strings never hold a raw line break, so every line after the first is a nested line to indent.
    const text = JSON.stringify(item, null, 2).replace(/\n/g, `\n${inner}`);
    yield `${first ? '[\n' : ',\n'}${inner}${text}`;
    first = false;
  }
  yield first ? '[]' : `\n${outer}]`;
}

/**
 * A pretty-printed document with its last array streamed: `document` is printed with an empty array as the value
 * of its last member `key` (at any depth, with only closing brackets after it), and `items` are spliced in there.
 * A document of any other shape throws rather than producing wrong output.
 */
export function* prettyJsonWithArray(
  document: unknown,
  key: string,
  items: Iterable<unknown>,
): Generator<string, void, undefined> {
  const text = JSON.stringify(document, null, 2);
  const empty = `${JSON.stringify(key)}: []`;
  // The closing brackets after the placeholder, one per enclosing level, each on its own line.
  const tail = /(?:\n *[\]}])*$/.exec(text)?.[0] ?? '';
  if (!text.endsWith(`${empty}${tail}`))
    throw new Error(`prettyJsonWithArray: "${key}" is not the document's last member`);
  yield text.slice(0, text.length - tail.length - 2);
  yield* prettyJsonArray(items, tail.split('\n').length - 1);
  yield tail;
}
