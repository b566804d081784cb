// Findings on a template or plan point at the source: the JSON result's `location`, SARIF's physical location
// (so code scanning annotates the template line), and the text report naming each resource's declaration.

import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';

import reportSchema from '../../schemas/report.schema.json' with { type: 'json' };
import type { SourceLocation } from '../../src/inventory/deploy-time.js';
import type { Report } from '../../src/report/build-report.js';
import { renderJson } from '../../src/report/render-json.js';
import { renderSarif } from '../../src/report/render-sarif.js';
import { renderText } from '../../src/report/render-text.js';
import { buildFixedReport } from '../fixtures/report/fixed-report.js';

interface SarifResult {
  ruleId: string;
  locations: {
    physicalLocation?: {
      artifactLocation: { uri: string };
      region: { startLine: number; startColumn?: number };
    };
    logicalLocations: { name: string; kind: string }[];
  }[];
}

/** The fixed report with every resource declared at a line of `file`. */
async function locatedReport(file: string): Promise<Report> {
  const report = await buildFixedReport();
  const ids = [...new Set(report.results.map((r) => r.resourceId))];
  const locations: Record<string, SourceLocation> = Object.fromEntries(
    ids.map((id, i) => [id, { file, line: 10 + i, column: 3, address: `Resource${i}` }]),
  );
  return {
    ...report,
    locations,
    results: report.results.map((r) => ({ ...r, location: locations[r.resourceId] })),
  };
}

describe('source locations in reports', () => {
  let report: Report;
  beforeAll(async () => {
    report = await locatedReport('infra/stack.yaml');
  });

  it('JSON: each result carries its location, and the report still validates', () => {
    const doc = JSON.parse(renderJson(report)) as {
      results: { resourceId: string; location?: SourceLocation }[];
    };
    const validate = new Ajv2020({ allErrors: true, strict: true, validateFormats: false }).compile(
      reportSchema,
    );
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    for (const r of doc.results) expect(r.location).toEqual(report.locations![r.resourceId]);
  });

  it('SARIF: a physical location with the relative file and line, and the logical id, valid SARIF 2.1.0', () => {
    const log = JSON.parse(renderSarif(report)) as { runs: { results: SarifResult[] }[] };
    const results = log.runs[0]!.results;
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      const [location] = r.locations;
      expect(location!.physicalLocation!.artifactLocation.uri).toBe('infra/stack.yaml');
      expect(location!.physicalLocation!.region.startLine).toBeGreaterThanOrEqual(10);
      expect(location!.physicalLocation!.region.startColumn).toBe(3);
      expect(location!.logicalLocations[1]).toEqual({
        name: expect.stringMatching(/^Resource\d+$/),
        kind: 'declaration',
      });
    }
    const schema = JSON.parse(
      readFileSync(new URL('../fixtures/report/sarif-schema-2.1.0.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const { id, $schema: _draft, ...rest } = schema;
    const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile({
      ...rest,
      $id: String(id),
    });
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('SARIF: an absolute path becomes a file: URI', async () => {
    const absolute = await locatedReport('/srv/infra/my stack.yaml');
    const log = JSON.parse(renderSarif(absolute)) as { runs: { results: SarifResult[] }[] };
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation!.artifactLocation.uri).toBe(
      'file:///srv/infra/my%20stack.yaml',
    );
  });

  it('text: affected resources are named with their declaration', () => {
    const text = renderText(report, { color: false });
    const first = report.rootCauses[0]!.resourceIds[0]!;
    const at = report.locations![first]!;
    expect(text).toContain(`${first} (${at.address}, infra/stack.yaml:${at.line})`);
  });

  it('reports of other sources are unchanged: no location key at all', async () => {
    const plain = await buildFixedReport();
    expect(renderJson(plain)).not.toContain('"location"');
    expect(renderSarif(plain)).not.toContain('physicalLocation');
  });
});
