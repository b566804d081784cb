// The content hash of a scan's input: sha256 over a canonical serialization of the inventory, for provenance.

import { createHash, type Hash } from 'node:crypto';
import type { Inventory } from '../inventory/model.js';

/** Streams canonical JSON (sorted keys, no undefined, no whitespace) into a hash in chunks. */
class CanonicalWriter {
  private buffer = '';
  constructor(private readonly hash: Hash) {}

  write(value: unknown): void {
    if (value === null || typeof value !== 'object') {
      this.push(JSON.stringify(value) ?? 'null');
      return;
    }
    if (Array.isArray(value)) {
      this.push('[');
      value.forEach((v, i) => {
        if (i > 0) this.push(',');
        this.write(v === undefined ? null : v);
      });
      this.push(']');
      return;
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    this.push('{');
    keys.forEach((k, i) => {
      this.push(`${i > 0 ? ',' : ''}${JSON.stringify(k)}:`);
      this.write(record[k]);
    });
    this.push('}');
  }

  private push(text: string): void {
    this.buffer += text;
    if (this.buffer.length > 65_536) this.flush();
  }

  flush(): void {
    this.hash.update(this.buffer);
    this.buffer = '';
  }
}

/**
 * "sha256:<hex>" of the inventory as canonical JSON, leaving out file paths (source inputs, skipped files and
 * coverage origins), so the same export hashes the same wherever it was read from.
 */
export function inventoryHash(inventory: Inventory): string {
  const hash = createHash('sha256');
  const writer = new CanonicalWriter(hash);
  const { source, coverage, ...collections } = inventory;
  writer.write({
    ...collections,
    source: { ...source, inputs: undefined, skipped: undefined },
    coverage: coverage.map((c) => ({ ...c, origin: undefined })),
  });
  writer.flush();
  return `sha256:${hash.digest('hex')}`;
}
