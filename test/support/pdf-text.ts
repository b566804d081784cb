// A small PDF reader for tests: the pages of a PDF as Chromium (Skia) writes it, in order, with the text each page
// shows. Enough for uncompressed or Flate streams, Type0 (Identity-H) and simple fonts with a ToUnicode map, and
// the text operators Skia emits (Tf, Tj, TJ, ', "); a new text object (BT) starts a new line. Not a general parser.

import { inflateSync } from 'node:zlib';

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

export interface PdfPage {
  /** The page's text, one line per text object. */
  text: string;
}

/** The pages of the PDF in reading order, with their text. */
export function readPdf(bytes: Buffer): PdfPage[] {
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('not a PDF (no %PDF- header)');
  const objects = parseObjects(bytes);
  const root = [...objects.values()].find(
    (o) => /\/Type\s*\/Pages\b/.test(o.dict) && !/\/Parent\s/.test(o.dict),
  );
  if (!root) throw new Error('no page tree in the PDF');
  const fonts = new Map<string, ToUnicode>();
  return pagesOf(root, objects).map((page) => ({ text: pageText(page, objects, fonts) }));
}

function parseObjects(bytes: Buffer): Map<number, PdfObject> {
  const text = bytes.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\s*/g;
  let match: RegExpExecArray | null;
  while ((match = header.exec(text))) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endobj', start);
    const streamAt = text.indexOf('stream', start);
    if (streamAt === -1 || streamAt > end) {
      objects.set(Number(match[1]), { dict: text.slice(start, end) });
      continue;
    }
    const dict = text.slice(start, streamAt);
    const length = Number(/\/Length\s+(\d+)(?!\s+0\s+R)/.exec(dict)?.[1] ?? Number.NaN);
    const body = streamAt + 'stream'.length + (text[streamAt + 6] === '\r' ? 2 : 1);
    const stop = Number.isNaN(length) ? text.indexOf('endstream', body) : body + length;
    const raw = bytes.subarray(body, stop);
    objects.set(Number(match[1]), { dict, stream: /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw });
    header.lastIndex = text.indexOf('endobj', stop);
  }
  return objects;
}

const refs = (text: string): number[] => [...text.matchAll(/(\d+)\s+0\s+R/g)].map((m) => Number(m[1]));

function pagesOf(node: PdfObject, objects: Map<number, PdfObject>): PdfObject[] {
  if (!/\/Type\s*\/Pages\b/.test(node.dict)) return [node];
  const kids = /\/Kids\s*\[([^\]]*)\]/.exec(node.dict)?.[1] ?? '';
  return refs(kids).flatMap((id) => {
    const kid = objects.get(id);
    return kid ? pagesOf(kid, objects) : [];
  });
}

interface ToUnicode {
  bytes: 1 | 2;
  map: Map<number, string>;
}

function pageText(page: PdfObject, objects: Map<number, PdfObject>, cache: Map<string, ToUnicode>): string {
  const resources = /\/Resources\s+(\d+)\s+0\s+R/.exec(page.dict);
  const resourceDict = resources ? (objects.get(Number(resources[1]))?.dict ?? '') : page.dict;
  const fontDict = /\/Font\s*<<([^>]*)>>/.exec(resourceDict)?.[1] ?? '';
  const fonts = new Map<string, ToUnicode>();
  for (const m of fontDict.matchAll(/\/([\w.+-]+)\s+(\d+)\s+0\s+R/g)) {
    const key = m[2]!;
    if (!cache.has(key)) cache.set(key, toUnicodeOf(objects.get(Number(key)), objects));
    fonts.set(m[1]!, cache.get(key)!);
  }
  const contents = /\/Contents\s*(\[[^\]]*\]|\d+\s+0\s+R)/.exec(page.dict)?.[1] ?? '';
  const content = refs(contents)
    .map((id) => objects.get(id)?.stream?.toString('latin1') ?? '')
    .join('\n');
  return showText(content, fonts);
}

function toUnicodeOf(font: PdfObject | undefined, objects: Map<number, PdfObject>): ToUnicode {
  const bytes = font && /\/Subtype\s*\/Type0/.test(font.dict) ? 2 : 1;
  const map = new Map<number, string>();
  const cmapId = font ? /\/ToUnicode\s+(\d+)\s+0\s+R/.exec(font.dict)?.[1] : undefined;
  const cmap = cmapId ? (objects.get(Number(cmapId))?.stream?.toString('latin1') ?? '') : '';
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const m of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g))
      map.set(parseInt(m[1]!, 16), utf16(m[2]!));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const m of block[1]!.matchAll(
      /<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])/g,
    )) {
      const [from, to] = [parseInt(m[1]!, 16), parseInt(m[2]!, 16)];
      const targets = m[3]!.startsWith('[')
        ? [...m[3]!.matchAll(/<([0-9A-Fa-f]+)>/g)].map((t) => t[1]!)
        : undefined;
      const base = targets ? 0 : parseInt(m[3]!.slice(1, -1), 16);
      for (let code = from; code <= to; code++)
        map.set(code, targets ? utf16(targets[code - from] ?? '') : String.fromCodePoint(base + code - from));
    }
  return { bytes, map };
}

function utf16(hex: string): string {
  const units: number[] = [];
  for (let i = 0; i + 4 <= hex.length; i += 4) units.push(parseInt(hex.slice(i, i + 4), 16));
  return String.fromCharCode(...units);
}

/** Runs the content stream's text operators: one line per BT … ET, glyphs decoded by the current font. */
function showText(content: string, fonts: Map<string, ToUnicode>): string {
  const lines: string[] = [];
  let line = '';
  let font: ToUnicode = { bytes: 1, map: new Map() };
  const token =
    /\/([\w.+-]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>|\((?:\\.|[^\\)])*\)|\[|\]|\b(BT|ET|Tj|TJ|T\*)(?=\s|$)|'|"/g;
  let match: RegExpExecArray | null;
  while ((match = token.exec(content))) {
    const [whole, fontName, hex, operator] = match;
    if (fontName !== undefined) font = fonts.get(fontName) ?? font;
    else if (hex !== undefined) line += decodeHex(hex, font);
    else if (whole.startsWith('(')) line += decodeLiteral(whole.slice(1, -1), font);
    else if (operator === 'BT' || operator === 'T*' || whole === "'" || whole === '"') {
      if (line.trim()) lines.push(line.trim());
      line = '';
    }
  }
  if (line.trim()) lines.push(line.trim());
  return lines.join('\n');
}

function decodeHex(hex: string, font: ToUnicode): string {
  const step = font.bytes * 2;
  let out = '';
  for (let i = 0; i + step <= hex.length; i += step) {
    const code = parseInt(hex.slice(i, i + step), 16);
    out += font.map.get(code) ?? (font.bytes === 1 ? String.fromCharCode(code) : '');
  }
  return out;
}

function decodeLiteral(body: string, font: ToUnicode): string {
  const raw = body.replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, e: string) =>
    /^[0-7]/.test(e)
      ? String.fromCharCode(parseInt(e, 8))
      : ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' }[e] ?? e),
  );
  let hex = '';
  for (const c of raw) hex += c.charCodeAt(0).toString(16).padStart(2, '0');
  return decodeHex(hex, font);
}
