// Inventory bundles (what "ssmguard export" writes): the serialized inventory model, plain or gzipped JSON.
//
// Format: a bundle is exactly the `Inventory` as JSON — `{ "schemaVersion": 1, "source": {…}, "coverage": […],
// "instances": […], … }` — validated by schemas/inventory.schema.json. There is no envelope: the model already
// carries `schemaVersion` and its `source` (kind, inputs, accounts, regions, collectedAt, apiCalls), so loading
// a bundle only checks the version and validates. A file name ending in ".gz" is written gzipped; reading
// recognises gzip by its magic bytes, whatever the name.

import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { Inventory } from '../../inventory/model.js';
import {
  InventoryInvalidError,
  parseInventory,
  validateInventory,
} from '../../inventory/validate-inventory.js';
import { BundleIoError, BundleJsonError, BundleVersionError } from './bundle-errors.js';
import { jsonErrorPosition } from '../aws-cli/parse-json-text.js';

/** The bundle schema versions this build reads (and the one it writes, the last). */
export const SUPPORTED_BUNDLE_VERSIONS: readonly number[] = [1];

/** Options for writing a bundle. */
export interface WriteBundleOptions {
  /** Indent the JSON for people (bigger file); default compact, which suits large fleets. */
  pretty?: boolean;
}

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * Writes an inventory as a bundle file (gzipped when the name ends in ".gz"). The inventory is validated first,
 * so an export can always be read back; the file is written beside the target and renamed into place, so a
 * crash never leaves a truncated bundle under the real name. Throws `InventoryInvalidError` or `BundleIoError`.
 */
export async function writeInventoryBundle(
  inventory: Inventory,
  file: string,
  options: WriteBundleOptions = {},
): Promise<void> {
  const issues = validateInventory(inventory);
  if (issues.length > 0) throw new InventoryInvalidError(`inventory for bundle ${file}`, issues);
  // schemaVersion first, so a reader (or a person with `head`) sees it at once.
  const { schemaVersion, ...rest } = inventory;
  let data: string | Buffer;
  try {
    data = JSON.stringify({ schemaVersion, ...rest }, null, options.pretty === true ? 2 : undefined) + '\n';
  } catch (error) {
    // RangeError "Invalid string length": a fleet too large for one V8 string.
    throw new BundleIoError(file, `cannot serialize the inventory: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    if (file.endsWith('.gz')) data = await gzipAsync(data);
    await writeFile(temporary, data);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new BundleIoError(file, `cannot write the bundle: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Reads a bundle file (plain or gzipped JSON) and returns its inventory, validated against the schema and with
 * tags as null-prototype records. One `JSON.parse` and one schema pass, so large fleets load fast.
 * Throws `BundleIoError` (unreadable), `BundleJsonError` (not JSON, with line and column),
 * `BundleVersionError` (unsupported or missing `schemaVersion`) or `InventoryInvalidError` (schema problems,
 * each with its JSON pointer).
 */
export async function readInventoryBundle(file: string): Promise<Inventory> {
  const text = await readBundleText(file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const { line, column } = jsonErrorPosition(text, (error as Error).message);
    throw new BundleJsonError(file, (error as Error).message, line, column, { cause: error });
  }
  const version = isRecord(value) ? value.schemaVersion : undefined;
  if (typeof version !== 'number' || !SUPPORTED_BUNDLE_VERSIONS.includes(version)) {
    throw new BundleVersionError(file, version, SUPPORTED_BUNDLE_VERSIONS);
  }
  return parseInventory(value, file);
}

async function readBundleText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new BundleIoError(file, `cannot read the bundle: ${(error as Error).message}`, { cause: error });
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (error) {
      throw new BundleIoError(file, `not a valid gzip file: ${(error as Error).message}`, { cause: error });
    }
  }
  try {
    const text = bytes.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    // ERR_STRING_TOO_LONG: beyond V8's string limit (about 512 MiB).
    throw new BundleIoError(file, `cannot decode the bundle: ${(error as Error).message}`, { cause: error });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
