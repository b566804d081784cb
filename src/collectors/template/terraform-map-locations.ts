// Where a plan's resource is declared: its `resource "TYPE" "NAME"` line in the .tf files beside the plan (or in a
// local module's folder), else the line of its address in the plan JSON, which has no line numbers of its own.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { SourceLocation } from './template-fleet.js';
import { isRecord } from './terraform-map-values.js';

interface DeclaredBlock {
  file: string;
  line: number;
  column: number;
  text: string;
}

export interface PlanLocator {
  /** The resource's location, and its block text when found in a .tf file. */
  locate(
    moduleAddress: string,
    mode: 'managed' | 'data',
    type: string,
    name: string,
    address: string,
  ): {
    location: SourceLocation;
    blockText?: string;
  };
}

const BLOCK_START = /^\s*(resource|data)\s+"([^"]+)"\s+"([^"]+)"/;

/** The text from a block's opening line to its closing brace (braces inside strings are skipped). */
function blockTextFrom(lines: readonly string[], start: number): string {
  let depth = 0;
  let opened = false;
  for (let index = start; index < lines.length; index++) {
    let inString = false;
    for (const [position, character] of [...(lines[index] ?? '')].entries()) {
      if (character === '"' && lines[index]?.[position - 1] !== '\\') inString = !inString;
      if (inString) continue;
      if (character === '#') break;
      if (character === '{') [depth, opened] = [depth + 1, true];
      if (character === '}') depth--;
    }
    if (opened && depth <= 0) return lines.slice(start, index + 1).join('\n');
  }
  return lines.slice(start).join('\n');
}

function blocksInFolder(folder: string): Map<string, DeclaredBlock> {
  const blocks = new Map<string, DeclaredBlock>();
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return blocks;
  for (const entry of readdirSync(folder)
    .filter((name) => name.endsWith('.tf'))
    .sort()) {
    const file = join(folder, entry);
    const lines = readFileSync(file, 'utf8').split(/\r?\n/);
    lines.forEach((text, index) => {
      const match = BLOCK_START.exec(text);
      if (match === null) return;
      const key = `${match[1] === 'data' ? 'data' : 'managed'} ${match[2] ?? ''}.${match[3] ?? ''}`;
      const column = text.search(/\S/) + 1;
      if (!blocks.has(key))
        blocks.set(key, { file, line: index + 1, column, text: blockTextFrom(lines, index) });
    });
  }
  return blocks;
}

/** Module address (instance keys removed) → its folder, for the root and every local module call. */
function moduleFolders(root: string, configuration: unknown): Map<string, string> {
  const folders = new Map<string, string>([['', root]]);
  const walk = (module: unknown, address: string, folder: string): void => {
    const calls = isRecord(module) && isRecord(module.module_calls) ? module.module_calls : {};
    for (const [name, call] of Object.entries(calls)) {
      if (!isRecord(call) || typeof call.source !== 'string') continue;
      // Only a local path ("./modules/x", "../shared") is on this machine; a registry or git module is not.
      if (!call.source.startsWith('./') && !call.source.startsWith('../')) continue;
      const childAddress = address === '' ? `module.${name}` : `${address}.module.${name}`;
      const childFolder = join(folder, call.source);
      folders.set(childAddress, childFolder);
      walk(call.module, childAddress, childFolder);
    }
  };
  walk(isRecord(configuration) ? configuration.root_module : undefined, '', root);
  return folders;
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

export function createPlanLocator(file: string, planText: string, configuration: unknown): PlanLocator {
  const folders = moduleFolders(dirname(file), configuration);
  const blocksByFolder = new Map<string, Map<string, DeclaredBlock>>();
  const blocksOf = (folder: string) => {
    const cached = blocksByFolder.get(folder) ?? blocksInFolder(folder);
    blocksByFolder.set(folder, cached);
    return cached;
  };
  const inPlan = (address: string): SourceLocation => {
    const offset = planText.indexOf(JSON.stringify(address));
    const position = offset < 0 ? { line: 1, column: 1 } : lineAndColumn(planText, offset);
    return { file, ...position, address };
  };
  return {
    locate(moduleAddress, mode, type, name, address) {
      const folder = folders.get(moduleAddress.replace(/\[[^\]]*\]/g, ''));
      const block = folder === undefined ? undefined : blocksOf(folder).get(`${mode} ${type}.${name}`);
      if (block === undefined) return { location: inPlan(address) };
      return {
        location: { file: block.file, line: block.line, column: block.column, address },
        blockText: block.text,
      };
    },
  };
}
