// Golden files for every --format on one fixed report, plus the checks a golden cannot make: SARIF and the JSON
// report against their schemas, JUnit and CSV parsed back, OCSF required attributes, hostile text kept inert.

import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';

import reportSchema from '../../schemas/report.schema.json' with { type: 'json' };
import type { Report } from '../../src/report/build-report.js';
import { csvField, renderCsv } from '../../src/report/render-csv.js';
import { renderHtml } from '../../src/report/render-html.js';
import { renderJson } from '../../src/report/render-json.js';
import { renderJunit } from '../../src/report/render-junit.js';
import { codeBlock, escapeMarkdown, renderMarkdown } from '../../src/report/render-markdown.js';
import { renderOcsf } from '../../src/report/render-ocsf.js';
import { renderSarif } from '../../src/report/render-sarif.js';
import { renderText } from '../../src/report/render-text.js';
import { RENDERERS } from '../../src/cli/run-scan.js';
import { joinChunks } from '../../src/report/write-chunks.js';
import { buildFixedReport, HOSTILE } from '../fixtures/report/fixed-report.js';
import { parseXml, type XmlElement } from './parse-xml.js';

/** RFC 4180 reader for the round trip (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}

const all = (el: XmlElement, name: string): XmlElement[] => [
  ...(el.name === name ? [el] : []),
  ...el.children.flatMap((c) => all(c, name)),
];

describe('report renderers', () => {
  let report: Report;

  beforeAll(async () => {
    report = await buildFixedReport();
  });

  describe('golden files', () => {
    it.for([
      ['text', 'txt'],
      ['json', 'json'],
      ['html', 'html'],
      ['markdown', 'md'],
      ['sarif', 'sarif'],
      ['junit', 'junit.xml'],
      ['csv', 'csv'],
      ['ocsf', 'ocsf.json'],
    ] as const)('renders %s as in __snapshots__/report.%s', async ([format, ext]) => {
      // Act
      const out = joinChunks(RENDERERS.get(format)!(report, { color: false, width: 80 }));
      // Assess
      await expect(out).toMatchFileSnapshot(`__snapshots__/report.${ext}`);
    });

    it.for([
      ['text', 'txt'],
      ['json', 'json'],
      ['html', 'html'],
      ['markdown', 'md'],
      ['sarif', 'sarif'],
      ['junit', 'junit.xml'],
      ['csv', 'csv'],
      ['ocsf', 'ocsf.json'],
    ] as const)(
      'renders %s with the policy’s controls as in __snapshots__/report-controls.%s',
      async ([format, ext]) => {
        const withControls = await buildFixedReport({ controls: true });
        const out = joinChunks(RENDERERS.get(format)!(withControls, { color: false, width: 80 }));
        await expect(out).toMatchFileSnapshot(`__snapshots__/report-controls.${ext}`);
      },
    );
  });

  it('registers every format with the CLI', () => {
    expect([...RENDERERS.keys()].sort()).toEqual([
      'csv',
      'html',
      'json',
      'junit',
      'markdown',
      'ocsf',
      'sarif',
      'text',
    ]);
  });

  describe('json', () => {
    it('validates against schemas/report.schema.json, including waived results', () => {
      // Prepare
      const validate = new Ajv2020({ allErrors: true, strict: true, validateFormats: false }).compile(
        reportSchema,
      );
      // Act
      const doc = JSON.parse(renderJson(report)) as { results: { status: string; waiverId?: string }[] };
      // Assess
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
      expect(doc.results.filter((r) => r.status === 'WAIVED')).toEqual([
        expect.objectContaining({ waiverId: 'bastion-ssh' }),
      ]);
    });

    it('rejects a report whose WAIVED result names no waiver', () => {
      const validate = new Ajv2020({ strict: true, validateFormats: false }).compile(reportSchema);
      const doc = JSON.parse(renderJson(report)) as { results: { status: string; waiverId?: string }[] };
      const waived = doc.results.find((r) => r.status === 'WAIVED')!;
      delete waived.waiverId;
      expect(validate(doc)).toBe(false);
    });
  });

  describe('sarif', () => {
    it('validates against the SARIF 2.1.0 schema', () => {
      // Prepare: the OASIS schema is draft-04; its only draft-04-isms are `id` and `$schema`.
      const schema = JSON.parse(
        readFileSync(new URL('../fixtures/report/sarif-schema-2.1.0.json', import.meta.url), 'utf8'),
      ) as Record<string, unknown>;
      const { id, $schema: _draft, ...rest } = schema;
      const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile({
        ...rest,
        $id: String(id),
      });
      // Act
      const log = JSON.parse(renderSarif(report)) as unknown;
      // Assess
      expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    });

    it('reports non-compliant results with levels from severity, waived ones as accepted suppressions, and fingerprints', () => {
      // Act
      const log = JSON.parse(renderSarif(report)) as {
        runs: {
          tool: { driver: { rules: { id: string; help: { text: string } }[] } };
          results: Record<string, unknown>[];
        }[];
      };
      const run = log.runs[0]!;
      // Assess
      expect(run.tool.driver.rules.map((r) => r.id)).toEqual(report.rules.map((r) => r.ruleId));
      expect(run.tool.driver.rules.every((r) => r.help.text.length > 0)).toBe(true);
      const profile = run.results.find((r) => r.ruleId === 'ec2-instance-profile-attached')!;
      expect(profile.level).toBe('error');
      expect(profile.locations).toEqual([
        {
          logicalLocations: [
            {
              name: 'i-0a1b2c3d4e5f65003',
              fullyQualifiedName: '111122223333/eu-west-1/AWS::EC2::Instance/i-0a1b2c3d4e5f65003',
              kind: 'resource',
            },
          ],
        },
      ]);
      expect(run.results.find((r) => r.ruleId === 'ec2-instance-patch-group-tagged')!.level).toBe('note');
      const waived = run.results.filter((r) => r.suppressions !== undefined);
      expect(waived).toHaveLength(1);
      expect(waived[0]!.suppressions).toEqual([
        expect.objectContaining({
          kind: 'external',
          status: 'accepted',
          justification: expect.stringContaining('Break-glass'),
        }),
      ]);
      const prints = run.results.map((r) => (r.fingerprints as Record<string, string>)['ssmguard/v1']);
      expect(new Set(prints).size).toBe(run.results.length);
      expect(run.results).toHaveLength(
        report.summary.byStatus.NON_COMPLIANT +
          report.summary.byStatus.WAIVED +
          report.summary.byStatus.ERROR,
      );
    });
  });

  describe('junit', () => {
    it('parses back: a testsuite per rule, a testcase per resource, failures, skipped and hostile text intact', () => {
      // Act
      const root = parseXml(renderJunit(report));
      // Assess
      expect(root.name).toBe('testsuites');
      const suites = all(root, 'testsuite');
      expect(suites.map((s) => s.attributes.name)).toEqual(report.rules.map((r) => r.ruleId));
      expect(all(root, 'testcase')).toHaveLength(report.results.length);
      expect(all(root, 'failure')).toHaveLength(report.summary.byStatus.NON_COMPLIANT);
      expect(all(root, 'error')).toHaveLength(report.summary.byStatus.ERROR);
      expect(all(root, 'skipped')).toHaveLength(
        report.summary.byStatus.NOT_APPLICABLE + report.summary.byStatus.WAIVED,
      );
      expect(Number(root.attributes.failures)).toBe(report.summary.byStatus.NON_COMPLIANT);
      const waivedSkip = all(root, 'skipped').find((s) => s.attributes.message?.includes('bastion-ssh'));
      expect(waivedSkip?.attributes.message).toContain('<b>now</b>');
    });

    it('keeps characters XML forbids out of the document', () => {
      // Prepare
      const hostile = structuredClone(report);
      hostile.results[0]!.message = 'bad \u0001 byte & <tag> "quote"\nline';
      hostile.results[0]!.status = 'NON_COMPLIANT';
      // Act
      const root = parseXml(renderJunit(hostile));
      // Assess
      // Control characters become visible escapes; the body's own line breaks stay (character references).
      expect(all(root, 'failure')[0]!.attributes.message).toBe('bad \\u0001 byte & <tag> "quote"\nline');
    });
  });

  describe('csv', () => {
    it('parses back with one row per result and neutralises formulas in tag values', () => {
      // Act
      const rows = parseCsv(renderCsv(report));
      // Assess
      const [header, ...body] = rows;
      expect(body).toHaveLength(report.results.length);
      const name = header!.indexOf('name');
      const names = new Set(body.map((r) => r[name]));
      expect(names.has(`'${HOSTILE.formula}`)).toBe(true);
      expect(names.has(HOSTILE.script)).toBe(true);
      expect(body.every((r) => r.length === header!.length)).toBe(true);
    });

    it.for([
      ['=1+1', "'=1+1"],
      ['+1', "'+1"],
      ['-1', "'-1"],
      ['@SUM(A1)', "'@SUM(A1)"],
      // A leading tab or CR is escaped first (no raw control character in a cell), which also defuses it.
      ['\tx', '\\u0009x'],
      ['\rx', '\\u000dx'],
      ['-\u001b[31m', "'-\\u001b[31m"],
      ['@\u202eevil', "'@\\u202eevil"],
      ['a,b', '"a,b"'],
      ['say "hi"', '"say ""hi"""'],
      ['line\nbreak', 'line\\u000abreak'],
      ['bell\u0007,comma', '"bell\\u0007,comma"'],
      ['plain', 'plain'],
    ] as const)('writes %j as %j', ([value, expected]) => {
      expect(csvField(value)).toBe(expected);
    });
  });

  describe('ocsf', () => {
    it('emits Detection Findings with the required attributes filled', () => {
      // Act
      const events = JSON.parse(renderOcsf(report)) as Record<string, unknown>[];
      // Assess
      expect(events).toHaveLength(report.summary.byStatus.NON_COMPLIANT + report.summary.byStatus.WAIVED);
      for (const e of events) {
        expect(e).toMatchObject({
          class_uid: 2004,
          category_uid: 2,
          activity_id: 1,
          type_uid: 200401,
          time: Date.parse(report.provenance.evaluatedAt),
        });
        expect(e.metadata).toMatchObject({ version: '1.2.0', product: { name: 'ssmguard' } });
        expect(e.finding_info).toMatchObject({
          uid: expect.stringMatching(/^[0-9a-f]{64}$/),
          title: expect.any(String),
        });
        expect([1, 2, 3, 4, 5]).toContain(e.severity_id);
        expect(e.cloud).toMatchObject({ provider: 'AWS', account: { uid: '111122223333' } });
        expect((e.resources as unknown[]).length).toBe(1);
      }
      const critical = events.find(
        (e) =>
          (e.finding_info as { analytic: { uid: string } }).analytic.uid === 'ec2-instance-profile-attached',
      )!;
      expect(critical).toMatchObject({ severity_id: 5, severity: 'Critical', status_id: 1, status: 'New' });
      expect(events.filter((e) => e.status_id === 3)).toHaveLength(1);
    });
  });

  describe('with the policy’s controls', () => {
    let withControls: Report;
    beforeAll(async () => {
      withControls = await buildFixedReport({ controls: true });
    });

    it('JSON and SARIF still validate against their schemas', () => {
      const validateJson = new Ajv2020({ strict: true, validateFormats: false }).compile(reportSchema);
      const doc = JSON.parse(renderJson(withControls)) as unknown;
      expect(validateJson(doc), JSON.stringify(validateJson.errors)).toBe(true);
      const schema = JSON.parse(
        readFileSync(new URL('../fixtures/report/sarif-schema-2.1.0.json', import.meta.url), 'utf8'),
      ) as Record<string, unknown>;
      const { id, $schema: _draft, ...rest } = schema;
      const validate = new Ajv({ strict: false, validateFormats: false }).compile({
        ...rest,
        $id: String(id),
      });
      expect(validate(JSON.parse(renderSarif(withControls))), JSON.stringify(validate.errors)).toBe(true);
    });

    it('SARIF tags each rule with its controls and names on each result the controls it fails', () => {
      const run = (
        JSON.parse(renderSarif(withControls)) as {
          runs: {
            tool: { driver: { rules: { id: string; properties: { tags: string[] } }[] } };
            results: { ruleId: string; properties: { controls?: string[] } }[];
          }[];
        }
      ).runs[0]!;
      const ports = run.tool.driver.rules.find((r) => r.id === 'ec2-instance-no-inbound-ssm-ports')!;
      expect(ports.properties.tags).toEqual(
        expect.arrayContaining(['aws-securityhub-controls/EC2.13', 'nist-800-53/SC-7']),
      );
      // The bastion opens port 22 to 0.0.0.0/0: EC2.13 and EC2.53, not the RDP or IPv6 controls.
      expect(
        run.results.find((r) => r.ruleId === 'ec2-instance-no-inbound-ssm-ports')!.properties.controls,
      ).toEqual([
        'aws-securityhub-controls/EC2.13',
        'aws-securityhub-controls/EC2.53',
        'nist-800-53/AC-17',
        'nist-800-53/CM-7',
        'nist-800-53/SC-7',
      ]);
    });

    it('OCSF gives a Compliance Finding per failed control, with control, standards and status', () => {
      const events = JSON.parse(renderOcsf(withControls)) as Record<string, unknown>[];
      const compliance = events.filter((e) => e.class_uid === 2003);
      expect(compliance.length).toBeGreaterThan(0);
      for (const e of compliance) {
        expect(e).toMatchObject({ class_name: 'Compliance Finding', type_uid: 200301, category_uid: 2 });
        expect(e.compliance).toMatchObject({
          control: expect.any(String),
          standards: [expect.any(String)],
          status: 'Fail',
          status_id: 3,
        });
        expect(e.resource).toMatchObject({ uid: expect.stringMatching(/^i-/) });
      }
      const uids = events.map((e) => (e.finding_info as { uid: string }).uid);
      expect(new Set(uids).size).toBe(uids.length);
      // A failure no selected control covers stays a Detection Finding.
      expect(
        events
          .filter((e) => e.class_uid === 2004)
          .map((e) => (e.finding_info as { analytic: { uid: string } }).analytic.uid),
      ).toEqual(['ec2-instance-profile-attached']);
    });

    it('CSV and JUnit carry the controls', () => {
      const rows = parseCsv(renderCsv(withControls));
      const column = rows[0]!.indexOf('controls');
      expect(column).toBe(rows[0]!.length - 1);
      for (const row of rows) expect(row).toHaveLength(rows[0]!.length);
      const online = rows.find((r) => r[6] === 'ec2-instance-ssm-online' && r[9] === 'NON_COMPLIANT')!;
      expect(online[column]).toBe('nist-800-53/CM-8');
      const root = parseXml(renderJunit(withControls));
      const suite = all(root, 'testsuite').find((s) => s.attributes.name === 'ec2-instance-ssm-online')!;
      expect(all(suite, 'property').find((p) => p.attributes.name === 'controls')?.attributes.value).toBe(
        'nist-800-53/CM-8',
      );
    });

    it('Markdown and HTML show the per-control summary', () => {
      expect(renderMarkdown(withControls)).toContain(
        '| CM-8 | **FAIL** | System Component Inventory | 2 resources at fault: ',
      );
      const page = renderHtml(withControls);
      expect(page).toContain('<section id="controls">');
      expect(page).toContain('<a href="#controls">Controls</a>');
      expect(renderHtml(report)).not.toContain('id="controls"');
    });
  });

  describe('html', () => {
    it('is self-contained, carries the CSP, and escapes every hostile value', () => {
      // Act
      const page = renderHtml(report);
      // Assess
      expect(page).toContain(
        '<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; script-src &#39;unsafe-inline&#39;; img-src data:">',
      );
      expect(page).not.toMatch(/<(img|iframe|link|object|embed)\b/i);
      expect(page).not.toMatch(/\b(src|href)="(?!#)/i);
      expect(page.match(/<script\b/g)).toHaveLength(2);
      expect(page.match(/<\/script>/g)).toHaveLength(2);
      expect(page).not.toContain(HOSTILE.script);
      expect(page).not.toContain(HOSTILE.img);
      // Escaped, and kept on one line (it holds a slash, where a browser could break it).
      expect(page).toContain(
        '<span class="id">Break-glass</span> bastion while Session Manager is rolled out <span class="id">&lt;b&gt;now&lt;/b&gt;</span>',
      );
    });

    it('keeps the embedded data parseable and inside its script block', () => {
      // Act
      const page = renderHtml(report);
      const block = /<script type="application\/json" id="ssmguard-data">([\s\S]*?)<\/script>/.exec(
        page,
      )![1]!;
      const data = JSON.parse(block) as { resources: (string | null)[][]; res: number[]; st: string };
      // Assess
      expect(block).not.toContain('<');
      expect(data.res).toHaveLength(report.results.length);
      expect(data.st).toHaveLength(report.results.length);
      expect(data.resources.map((r) => r[5])).toContain(HOSTILE.script);
    });

    it('leaves out messages beyond maxMessages and says so', () => {
      const page = renderHtml(report, { maxMessages: 1 });
      expect(page).toContain('messages left out to keep the file small');
    });
  });

  describe('markdown and text', () => {
    it('escapes markup and raw HTML in Markdown', () => {
      expect(escapeMarkdown('<script>*x*|[a](javascript:b)')).toBe(
        '&lt;script&gt;\\*x\\*\\|\\[a\\](javascript:b)',
      );
      expect(renderMarkdown(report)).toContain('rolled out &lt;b&gt;now&lt;/b&gt;');
    });

    it('fences commands so backticks inside cannot close the block', () => {
      expect(codeBlock('echo ```x```')).toBe('````\necho ```x```\n````');
    });

    it('shows waivers and the waived count in the terminal report', () => {
      const text = renderText(report, { color: false });
      expect(text).toContain('1 waived');
      expect(text).toMatch(/old-patch-exception .*EXPIRED 2025-01-31/);
      expect(text).toMatch(/unused-exception .*UNUSED/);
    });
  });
});
