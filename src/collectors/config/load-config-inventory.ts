// The offline AWS Config source: finds Config documents among scan paths and maps their items into an inventory.

import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AwsCliInputError, InputFileError } from '../aws-cli/input-file-error.js';
import type { MapIssue } from '../api/mapping-context.js';
import { configItemsOf, looksLikeConfigDocument } from './config-document.js';
import type { ConfigurationItem } from './configuration-item.js';
import { mapConfigItems, type MapConfigItemsResult } from './map-config-items.js';
import { compareText } from '../../compare-text.js';

const HEAD_BYTES = 8192;

/** Scan paths split into Config documents and everything else (folders are walked). */
export interface ConfigInputs {
  configFiles: string[];
  otherFiles: string[];
}

/**
 * Walks the paths and sorts files by content: a file whose first bytes (inflated when gzipped) open a Config
 * document is a Config input. Names do not matter: S3 delivers snapshots as `…_ConfigSnapshot_….json.gz`, but
 * users rename files. Missing paths are left for the other sources to report.
 */
export async function findConfigInputs(paths: readonly string[]): Promise<ConfigInputs> {
  const result: ConfigInputs = { configFiles: [], otherFiles: [] };
  for (const path of paths) await visit(path, result, true);
  return result;
}

async function visit(path: string, result: ConfigInputs, given: boolean): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) {
    if (given) result.otherFiles.push(path);
    return;
  }
  if (info.isDirectory()) {
    const entries = await readdir(path, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => compareText(a.name, b.name))) {
      if (entry.name.startsWith('.')) continue;
      const full = join(path, entry.name);
      if (entry.isDirectory() || /\.(json|gz)$/i.test(entry.name)) await visit(full, result, false);
    }
    return;
  }
  // A FIFO or device would block the read below; the AWS CLI source reports it.
  if (!info.isFile()) result.otherFiles.push(path);
  else if (await isConfigFile(path)) result.configFiles.push(path);
  else result.otherFiles.push(path);
}

async function isConfigFile(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
    let head = buffer.subarray(0, bytesRead);
    if (head[0] === 0x1f && head[1] === 0x8b) {
      try {
        // Z_SYNC_FLUSH (2): inflate what the first bytes hold without requiring the end of the stream.
        head = gunzipSync(head, { finishFlush: 2 });
      } catch {
        // A gzip head that does not inflate on its own: not decisive, so not claimed as Config.
        return false;
      }
    }
    return looksLikeConfigDocument(head.toString('utf8'));
  } finally {
    await handle.close();
  }
}

/** Reads one Config document file (plain or gzipped JSON) into normalised items. */
export async function readConfigFile(
  file: string,
): Promise<{ items: ConfigurationItem[]; issues: MapIssue[] }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  } catch (error) {
    throw new InputFileError(
      'INPUT_FILE_UNREADABLE',
      file,
      `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      undefined,
      undefined,
      { cause: error },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputFileError(
      'INPUT_JSON_INVALID',
      file,
      `not valid JSON: ${(error as Error).message}`,
      undefined,
      undefined,
      { cause: error },
    );
  }
  const document = configItemsOf(value, file);
  if (document === undefined)
    throw new InputFileError(
      'INPUT_JSON_INVALID',
      file,
      'not an AWS Config snapshot, configuration-item list or advanced-query result',
    );
  return document;
}

/**
 * Loads Config documents into one inventory (source kind "config"). All file errors are collected and thrown
 * together as an AwsCliInputError, so a user fixes every file in one pass.
 */
export async function loadConfigInventory(files: readonly string[]): Promise<MapConfigItemsResult> {
  const items: ConfigurationItem[] = [];
  const issues: MapIssue[] = [];
  const errors: InputFileError[] = [];
  for (const file of files) {
    try {
      const document = await readConfigFile(file);
      for (const item of document.items) items.push(item);
      for (const issue of document.issues) issues.push(issue);
    } catch (error) {
      if (error instanceof InputFileError) errors.push(error);
      else throw error;
    }
  }
  if (errors.length > 0) throw new AwsCliInputError(errors);
  const captured = items.reduce<string | undefined>((latest, item) => {
    const time = item.configurationItemCaptureTime;
    return time !== undefined && (latest === undefined || time > latest) ? time : latest;
  }, undefined);
  const result = mapConfigItems(items, {
    source: { inputs: [...files], ...(captured !== undefined && { collectedAt: captured }) },
    truncated: issues.filter((issue) => issue.code === 'RESPONSE_TRUNCATED'),
  });
  return { ...result, issues: [...issues, ...result.issues] };
}
