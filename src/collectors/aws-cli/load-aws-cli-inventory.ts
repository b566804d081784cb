// The AWS CLI JSON source: reads files and folders of `aws … describe-*` output into one Inventory.

import { promises as fs, type Dirent } from 'node:fs';
import { createHash, webcrypto } from 'node:crypto';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GLOBAL_REGION, type Inventory, type SourceMetadata } from '../../inventory/model.js';
import { fillUnknownScope } from '../api/fill-unknown-scope.js';
import { InventoryBuilder } from '../api/inventory-builder.js';
import { mapApiResponse, type MappedResponse } from '../api/map-api-response.js';
import { toIsoTimestamp, type MapIssue, type PartialScope } from '../api/mapping-context.js';
import { isPerParentFamily } from '../../inventory/coverage.js';
import { AwsCliInputError, InputFileError } from './input-file-error.js';
import { timed, timedAsync } from '../../phase-profile.js';
import { looksLikeJson, parseJsonText, stripBom } from './parse-json-text.js';
import { isAccountId, isRegionName, scopeFromSegment } from './path-scope.js';
import { recognizeResponse, type SourceManifest } from './recognize-response.js';

/** Fallback scope for files whose folders and content say nothing about it. */
export interface AwsCliLoadOptions {
  accountId?: string;
  region?: string;
}

/** An input that was read but not used, and why (not JSON, not an AWS response ssmguard reads, …). */
export interface SkippedInput {
  input: string;
  reason: string;
}

export interface AwsCliLoadResult {
  inventory: Inventory;
  skipped: SkippedInput[];
  /** Problems inside recognised files (wrong-shaped entries, truncated pages, duplicates). */
  issues: MapIssue[];
  /** Inputs that could not be used at all: missing paths, unreadable files, invalid JSON, bad manifests. */
  errors: InputFileError[];
}

// Files up to this size are read in a first pass (manifests are among them); larger ones are read once,
// mapped and dropped in the second pass, so only one large parsed document is alive at a time.
const SMALL_FILE_BYTES = 1024 * 1024;

interface InputFile {
  /** The path as the user would write it (input path joined with the relative path). */
  display: string;
  absolute: string;
  size: number;
}

type ParsedFile =
  | { type: 'json'; body: unknown; sha256: string }
  | { type: 'error'; error: InputFileError }
  | { type: 'skip'; reason: string };

interface Manifest {
  accountId?: string;
  region?: string;
  collectedAt?: string;
}

/**
 * Loads AWS CLI JSON output from files and folders (recursively). Each file is recognised by its content,
 * never its name. A file's account and region come from its folders (a 12-digit folder is an account, a
 * region-named folder a region; the deepest wins) and from `{"ssmguardSource": {accountId, region,
 * collectedAt}}` manifests in its folder or above; else from its content (reservation owner, availability
 * zones, ARNs), shared with the other files of its folder when they agree; else from `options`; else it
 * stays unscoped (its coverage then matches every account and region).
 *
 * Never throws for bad inputs: missing paths, unreadable files and invalid JSON come back in `errors` (all of
 * them, not just the first), and the caller decides (the CLI exits 2; see `assertNoInputErrors`). Files that
 * failed record no coverage, so the families they would have filled evaluate to ERROR, never COMPLIANT.
 */
export async function loadAwsCliInventory(
  paths: string[],
  options: AwsCliLoadOptions = {},
): Promise<AwsCliLoadResult> {
  const errors: InputFileError[] = [];
  const skipped: SkippedInput[] = [];
  const issues: MapIssue[] = [];
  const files = await expandInputs(paths, errors, skipped);

  // Pass 1: small files, to find manifests before any file is scoped.
  const parsedSmall = new Map<string, ParsedFile>();
  const manifests = new Map<string, Manifest>();
  const manifestFiles = new Set<string>();
  for (const file of files) {
    if (file.size > SMALL_FILE_BYTES) continue;
    const parsed = await readParsed(file);
    const recognition = parsed.type === 'json' ? recognizeResponse(parsed.body) : undefined;
    if (recognition?.type === 'manifest') {
      manifestFiles.add(file.absolute);
      const manifest = validateManifest(recognition.manifest, file.display, errors);
      if (manifest !== undefined) manifests.set(path.dirname(file.absolute), manifest);
    } else {
      parsedSmall.set(file.absolute, parsed);
    }
  }

  // Pass 2: map folder by folder, so files of one folder can share what their content says about scope.
  const builder = new InventoryBuilder();
  const fileHashes: string[] = [];
  const reads = new ReadAhead(
    [...groupByFolder(files).values()]
      .flat()
      .filter((f) => !manifestFiles.has(f.absolute) && !parsedSmall.has(f.absolute)),
  );
  for (const folderFiles of groupByFolder(files).values()) {
    const folder = path.dirname(folderFiles[0]!.absolute);
    const hint = scopeOfFolder(folder, manifests);
    const mapped: MappedResponse[] = [];
    for (const file of folderFiles) {
      if (manifestFiles.has(file.absolute)) continue;
      const parsed = parsedSmall.get(file.absolute) ?? (await readParsed(file, reads.take(file)));
      parsedSmall.delete(file.absolute);
      if (parsed.type === 'error') errors.push(parsed.error);
      else if (parsed.type === 'skip') skipped.push({ input: file.display, reason: parsed.reason });
      else {
        const recognition = recognizeResponse(parsed.body);
        if (recognition.type === 'unrecognised')
          skipped.push({ input: file.display, reason: recognition.reason });
        else if (recognition.type === 'manifest')
          skipped.push({ input: file.display, reason: 'ssmguard manifest larger than 1 MiB; ignored' });
        else {
          fileHashes.push(parsed.sha256);
          for (const kind of recognition.kinds) {
            const response = timed('map', () => mapApiResponse(kind, parsed.body, hint, file.display));
            attributeToWindow(response, file, issues);
            mapped.push(response);
          }
        }
      }
    }
    const defaults = folderContentScope(mapped);
    for (const response of mapped) {
      fillUnknownScope(response, {
        accountId: hint.accountId ?? defaults.accountId ?? options.accountId,
        region: hint.region ?? defaults.region ?? options.region,
      });
      timed('map', () => builder.addMapped(response));
    }
  }

  const collectedAt = earliest([...manifests.values()].map((m) => m.collectedAt));
  const source: SourceMetadata = { kind: 'aws-cli', inputs: [...paths], accounts: [], regions: [], skipped };
  if (collectedAt !== undefined) source.collectedAt = collectedAt;
  // Sorted file hashes: the same outputs give the same hash wherever they sit and whatever they are named.
  source.inputHash = `sha256:${createHash('sha256').update(fileHashes.sort().join('\n')).digest('hex')}`;
  builder.addIssues(issues);
  const built = timed('map', () => builder.build(source));
  // The same resource with different content in two files: either could be the truth, so no verdict is sound.
  for (const issue of built.issues) {
    if (issue.code !== 'CONFLICTING_DUPLICATE') continue;
    errors.push(
      new InputFileError(
        'INPUT_CONFLICTING_DUPLICATE',
        issue.origin,
        `conflicting duplicate: ${issue.message}`,
      ),
    );
  }
  return {
    inventory: built.inventory,
    skipped,
    issues: built.issues.filter((i) => i.code !== 'CONFLICTING_DUPLICATE'),
    errors,
  };
}

// The window id in a file name such as "ssm-describe-maintenance-window-targets-mw-0123456789abcdef0.json".
const WINDOW_ID_IN_NAME = /mw-[0-9a-f]{17}/g;

/**
 * Targets and tasks are read with one call per window, and the entries name their window; an empty list
 * (a window without targets or tasks) names none. Then the file name may: exactly one window id in it says which
 * window the file answers for. Otherwise that window's targets or tasks count as not read (fail closed).
 */
function attributeToWindow(response: MappedResponse, file: InputFile, issues: MapIssue[]): void {
  if (!isPerParentFamily(response.family) || response.parentIds.length > 0) return;
  const byRun = RUN_PARENT_IN_NAME[response.family];
  if (byRun !== undefined) return attributeToRun(response, file, issues, byRun);
  const ids = [...new Set(path.basename(file.absolute).match(WINDOW_ID_IN_NAME) ?? [])];
  if (ids.length === 1) {
    response.parentIds.push(ids[0]!);
    return;
  }
  if (!response.readable) return; // counted against every window of its scope
  issues.push({
    code: 'PARENT_UNKNOWN',
    origin: file.display,
    path: '',
    message: `an empty ${response.kind} response names no maintenance window, and the file name holds no window id (mw-…): it counts for no window; name it after its window, e.g. ${response.kind === 'ssm:DescribeMaintenanceWindowTasks' ? 'ssm-describe-maintenance-window-tasks' : 'ssm-describe-maintenance-window-targets'}-mw-0123456789abcdef0.json`,
  });
}

// Task runs are listed per window execution, invocations per task run: both are named by a UUID.
const UUID_IN_NAME = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const RUN_PARENT_IN_NAME: Partial<Record<string, { noun: string; example: string }>> = {
  'ssm:maintenance-window-execution-tasks': {
    noun: 'window execution',
    example: 'ssm-describe-maintenance-window-execution-tasks-<window execution id>.json',
  },
  'ssm:maintenance-window-execution-task-invocations': {
    noun: 'task execution',
    example: 'ssm-describe-maintenance-window-execution-task-invocations-<task execution id>.json',
  },
};

/**
 * An empty list of task runs or invocations names no parent; exactly one UUID in the file name says which
 * window execution (or task run) it answers for. Otherwise it counts for none of them (fail closed).
 */
function attributeToRun(
  response: MappedResponse,
  file: InputFile,
  issues: MapIssue[],
  parent: { noun: string; example: string },
): void {
  const ids = [...new Set(path.basename(file.absolute).match(UUID_IN_NAME) ?? [])];
  if (ids.length === 1) {
    response.parentIds.push(ids[0]!);
    return;
  }
  if (!response.readable) return;
  issues.push({
    code: 'PARENT_UNKNOWN',
    origin: file.display,
    path: '',
    message: `an empty ${response.kind} response names no ${parent.noun}, and the file name holds no ${parent.noun} id: it counts for none; name it like ${parent.example}`,
  });
}

/** Throws one AwsCliInputError listing every input error of a load, if there were any. */
export function assertNoInputErrors(result: Pick<AwsCliLoadResult, 'errors'>): void {
  if (result.errors.length > 0) throw new AwsCliInputError(result.errors);
}

/** Lists the files under the inputs (sorted, recursive, each once); missing paths become errors. */
async function expandInputs(
  paths: string[],
  errors: InputFileError[],
  skipped: SkippedInput[],
): Promise<InputFile[]> {
  const files: InputFile[] = [];
  const seen = new Set<string>();
  const visitedFolders = new Set<string>();
  const addFile = (display: string, absolute: string, size: number): void => {
    if (seen.has(absolute)) return;
    seen.add(absolute);
    files.push({ display, absolute, size });
  };
  const walk = async (display: string, absolute: string): Promise<void> => {
    const real = await fs.realpath(absolute).catch(() => absolute);
    if (visitedFolders.has(real)) return; // a symlink loop or the same folder given twice
    visitedFolders.add(real);
    let entries: Dirent[];
    try {
      entries = await fs.readdir(absolute, { withFileTypes: true });
    } catch (error) {
      errors.push(
        new InputFileError(
          'INPUT_FILE_UNREADABLE',
          display,
          `cannot list folder: ${errorText(error)}`,
          undefined,
          undefined,
          { cause: error },
        ),
      );
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const childDisplay = path.join(display, entry.name);
      const childAbsolute = path.join(absolute, entry.name);
      if (entry.name.startsWith('.')) {
        skipped.push({ input: childDisplay, reason: 'hidden file or folder' });
        continue;
      }
      let stat;
      try {
        stat = await fs.stat(childAbsolute); // follows symlinks
      } catch (error) {
        errors.push(
          new InputFileError('INPUT_FILE_UNREADABLE', childDisplay, errorText(error), undefined, undefined, {
            cause: error,
          }),
        );
        continue;
      }
      if (stat.isDirectory()) await walk(childDisplay, childAbsolute);
      else if (stat.isFile()) addFile(childDisplay, childAbsolute, stat.size);
      else skipped.push({ input: childDisplay, reason: 'not a regular file' });
    }
  };
  for (const input of paths) {
    const absolute = path.resolve(input);
    let stat;
    try {
      stat = await fs.stat(absolute);
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      errors.push(
        new InputFileError(
          missing ? 'INPUT_PATH_MISSING' : 'INPUT_FILE_UNREADABLE',
          input,
          missing ? 'no such file or folder' : errorText(error),
          undefined,
          undefined,
          {
            cause: error,
          },
        ),
      );
      continue;
    }
    if (stat.isDirectory()) await walk(input, absolute);
    else if (stat.isFile()) addFile(input, absolute, stat.size);
    // A FIFO or device would block the read forever, or stream without end.
    else errors.push(new InputFileError('INPUT_FILE_UNREADABLE', input, 'not a regular file or folder'));
  }
  return files;
}

/** Starts reading a file's bytes; the promise is marked handled, so a read never awaited warns of nothing. */
function readBytes(file: InputFile): Promise<Buffer> {
  const pending = fs.readFile(file.absolute);
  pending.catch(() => undefined);
  return pending;
}

/**
 * Reads the large files one ahead: while one file is decoded, parsed and mapped on this thread, the next one's
 * bytes arrive on the thread pool, so a scan's reading overlaps its parsing instead of adding to it. At most
 * one file is held ahead (the largest is under V8's string limit, ~512 MiB).
 */
class ReadAhead {
  private readonly nextOf = new Map<string, InputFile>();
  private readonly started = new Map<string, Promise<Buffer>>();

  constructor(order: readonly InputFile[]) {
    for (let i = 0; i + 1 < order.length; i++) this.nextOf.set(order[i]!.absolute, order[i + 1]!);
    if (order[0]) this.started.set(order[0].absolute, readBytes(order[0]));
  }

  /** The file's bytes (read now if it was not read ahead), starting the read of the file after it. */
  take(file: InputFile): Promise<Buffer> {
    const next = this.nextOf.get(file.absolute);
    if (next && !this.started.has(next.absolute)) this.started.set(next.absolute, readBytes(next));
    const pending = this.started.get(file.absolute) ?? readBytes(file);
    this.started.delete(file.absolute);
    return pending;
  }
}

/** Reads (or awaits a read started earlier) and parses one file; never throws. */
async function readParsed(file: InputFile, pending: Promise<Buffer> = readBytes(file)): Promise<ParsedFile> {
  let text: string;
  let digest: Promise<ArrayBuffer>;
  try {
    const bytes = await timedAsync('read', () => pending);
    // The raw bytes are hashed while they are in hand (the input hash costs no second read), on the thread pool
    // (WebCrypto) while this thread decodes and parses them.
    digest = timed('hash', () => webcrypto.subtle.digest('SHA-256', bytes));
    digest.catch(() => undefined);
    const inflated = timed('decode', () => inflateIfGzip(bytes, file));
    if (inflated instanceof InputFileError) return { type: 'error', error: inflated };
    text = timed('decode', () => stripBom(inflated.toString('utf8')));
  } catch (error) {
    // ERR_STRING_TOO_LONG: V8 strings stop at ~512 MiB; split such an output with --max-items pages.
    return {
      type: 'error',
      error: new InputFileError(
        'INPUT_FILE_UNREADABLE',
        file.display,
        errorText(error),
        undefined,
        undefined,
        { cause: error },
      ),
    };
  }
  // Files that do not start like JSON are skipped unless named .json: a README or .csv beside the outputs is
  // normal, while an empty or garbled .json is a failed export the user must hear about.
  if (!looksLikeJson(text) && !/\.json(\.gz)?$/i.test(file.absolute)) {
    return { type: 'skip', reason: text.trim() === '' ? 'empty file' : 'not a JSON file' };
  }
  try {
    const body = timed('parse', () => parseJsonText(text, file.display));
    const sha256 = Buffer.from(await timedAsync('hash', () => digest)).toString('hex');
    return { type: 'json', body, sha256 };
  } catch (error) {
    if (error instanceof InputFileError) return { type: 'error', error };
    throw error;
  }
}

// Gzip's magic bytes (RFC 1952 §2.3.1).
const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Inflates gzipped content (AWS CLI output saved as `.json.gz`, like Config snapshots), recognised by its magic
 * bytes, then read like any file. A file that starts like gzip but does not inflate, or is named `.gz` without
 * being gzip, is an error naming the file: it is a failed export, not something to skip.
 */
function inflateIfGzip(bytes: Buffer, file: InputFile): Buffer | InputFileError {
  const gzipped = bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
  if (!gzipped) {
    if (!/\.gz$/i.test(file.absolute)) return bytes;
    return new InputFileError('INPUT_GZIP_INVALID', file.display, 'named .gz but not gzip data');
  }
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (error) {
    return new InputFileError(
      'INPUT_GZIP_INVALID',
      file.display,
      `not a valid gzip file: ${errorText(error)}`,
      undefined,
      undefined,
      { cause: error },
    );
  }
}

// Beyond this a JSON text no longer fits in one V8 string anyway (~512 MiB); it also stops a gzip bomb.
const MAX_INFLATED_BYTES = 512 * 1024 * 1024;

function errorText(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code !== undefined ? `${e.code}: ${e.message}` : String(e.message ?? error);
}

function validateManifest(raw: SourceManifest, file: string, errors: InputFileError[]): Manifest | undefined {
  const manifest: Manifest = {};
  const problems: string[] = [];
  if (raw.accountId !== undefined) {
    if (typeof raw.accountId === 'string' && isAccountId(raw.accountId)) manifest.accountId = raw.accountId;
    else problems.push('accountId must be a 12-digit string');
  }
  if (raw.region !== undefined) {
    if (typeof raw.region === 'string' && isRegionName(raw.region)) manifest.region = raw.region;
    else problems.push('region must be an AWS region name such as "us-east-1"');
  }
  if (raw.collectedAt !== undefined) {
    const iso = toIsoTimestamp(raw.collectedAt);
    if (iso !== undefined) manifest.collectedAt = iso;
    else problems.push('collectedAt must be an ISO-8601 timestamp');
  }
  if (problems.length === 0) return manifest;
  errors.push(new InputFileError('INPUT_MANIFEST_INVALID', file, `ssmguardSource: ${problems.join('; ')}`));
  return undefined;
}

function groupByFolder(files: InputFile[]): Map<string, InputFile[]> {
  const groups = new Map<string, InputFile[]>();
  for (const file of files) {
    const folder = path.dirname(file.absolute);
    const group = groups.get(folder);
    if (group === undefined) groups.set(folder, [file]);
    else group.push(file);
  }
  return groups;
}

/** The scope a folder's names and manifests give, root first, so the deepest statement wins. */
function scopeOfFolder(folder: string, manifests: ReadonlyMap<string, Manifest>): PartialScope {
  const scope: PartialScope = {};
  const { root } = path.parse(folder);
  let current = root;
  const apply = (s: PartialScope): void => {
    if (s.accountId !== undefined) scope.accountId = s.accountId;
    if (s.region !== undefined) scope.region = s.region;
  };
  const rootManifest = manifests.get(current);
  if (rootManifest !== undefined) apply(rootManifest);
  for (const segment of folder.slice(root.length).split(path.sep)) {
    if (segment === '') continue;
    current = path.join(current, segment);
    apply(scopeFromSegment(segment));
    const manifest = manifests.get(current);
    if (manifest !== undefined) apply(manifest);
  }
  return scope;
}

/**
 * What the content of a folder's files agrees on: the one account (and the one region) they name, if exactly
 * one. This scopes files whose content says nothing (SSM outputs carry no account or region) from their
 * neighbours (instances name their owner and zone).
 */
function folderContentScope(mapped: readonly MappedResponse[]): PartialScope {
  const accounts = new Set<string>();
  const regions = new Set<string>();
  for (const response of mapped) {
    for (const scope of response.scopes) {
      if (scope.accountId !== undefined) accounts.add(scope.accountId);
      if (scope.region !== undefined && scope.region !== GLOBAL_REGION) regions.add(scope.region);
    }
  }
  const scope: PartialScope = {};
  if (accounts.size === 1) scope.accountId = [...accounts][0];
  if (regions.size === 1) scope.region = [...regions][0];
  return scope;
}

function earliest(values: (string | undefined)[]): string | undefined {
  let result: string | undefined;
  for (const value of values)
    if (value !== undefined && (result === undefined || value < result)) result = value;
  return result;
}
