// The text report wrapped to a terminal: at 40, 80 and 120 columns every line fits (or is one word, or a command,
// which is never wrapped), no identifier is split, numbered items hang under their text, and the example fleet's
// first root cause is on the first screen.

import { beforeAll, describe, expect, it } from 'vitest';

import { loadInput } from '../../src/cli/load-input.js';
import { loadRuleSet } from '../../src/cli/rule-set.js';
import { runScan } from '../../src/cli/run-scan.js';
import { exampleFleetDir } from '../../src/package-root.js';
import type { Report } from '../../src/report/build-report.js';
import { renderText, summaryLines } from '../../src/report/render-text.js';
import { hangingIndent, visibleWidth, wrapLine } from '../../src/report/wrap-text.js';

const WIDTHS = [40, 80, 120] as const;
/** The first screen of a terminal: 24 lines. */
const SCREEN = 24;
/** Identifiers as they appear in the report: AWS ids, ARNs, rule ids, reason codes. */
const IDENTIFIER =
  /\b(?:arn:aws[\w-]*:[^\s,;()]+|(?:i|sg|vpc|subnet|rtb|vpce|mw|mi|nat|igw)-[0-9a-f]{8,17}|[a-z0-9]+(?:-[a-z0-9]+){2,}|[A-Z]+\.[A-Z_]{3,})\b/g;

const words = (text: string): string[] => text.split(/\s+/).filter(Boolean);
const lines = (text: string): string[] => text.replace(/\n$/, '').split('\n');

describe('text report wrapping', () => {
  let report: Report;
  let flat: string;

  beforeAll(async () => {
    const { inventory } = await loadInput([exampleFleetDir()]);
    const ruleSet = await loadRuleSet({});
    ({ report } = await runScan(inventory, ruleSet, { format: 'json', color: false, failOn: 'none' }));
    flat = renderText(report, { color: false });
  });

  describe.for(WIDTHS)('at %i columns', (width) => {
    let text: string;
    beforeAll(() => {
      text = renderText(report, { color: false, width });
    });

    it('fits every line in the width, except a single word longer than it or a command', () => {
      const over = lines(text).filter(
        (line) => visibleWidth(line) > width && words(line).length > 1 && !/^ *\$ /.test(line),
      );
      expect(over).toEqual([]);
      expect(lines(text).length).toBeGreaterThan(lines(flat).length);
    });

    it('only moves line breaks: the same words in the same order, every identifier whole', () => {
      expect(words(text)).toEqual(words(flat));
      const ids = (s: string): string[] => [...s.matchAll(IDENTIFIER)].map((m) => m[0]);
      expect(ids(flat).length).toBeGreaterThan(200);
      expect(ids(text)).toEqual(ids(flat));
    });

    it('never wraps a command, so it copies as one line', () => {
      const commands = lines(flat).filter((l) => /^ *\$ /.test(l));
      expect(commands.length).toBeGreaterThan(10);
      for (const command of commands) expect(lines(text)).toContain(command);
    });

    it('hangs the continuation of a numbered item under its text, numbers right-aligned', () => {
      const all = lines(text);
      const items = all.flatMap((l, i) => (/^ +\d+\. \[/.test(l) ? [i] : []));
      expect(items.length).toBeGreaterThan(15);
      for (const i of items) {
        const textColumn = hangingIndent(all[i]!);
        // Every line up to the next item, blank line or section title sits at or right of the item's text.
        for (let j = i + 1; j < all.length && all[j]!.startsWith(' ') && !/^ +\d+\. \[/.test(all[j]!); j++)
          expect(/^ */.exec(all[j]!)![0].length, all[j]).toBeGreaterThanOrEqual(textColumn);
      }
      // Ten or more items: " 1." and "10." end in the same column.
      const start = all.findIndex((l) => l.startsWith('Root causes'));
      const section = all.slice(start, all.indexOf('', start));
      const numbered = section.filter((l) => /^ +\d+\. \[/.test(l));
      expect(numbered.length).toBeGreaterThanOrEqual(10);
      expect(new Set(numbered.map((l) => l.indexOf('. [')))).toEqual(new Set([numbered[0]!.indexOf('. [')]));
    });

    it('keeps the first root cause, with its count, on the first screen', () => {
      const first = report.rootCauses[0]!;
      const screen = lines(text).slice(0, SCREEN).join(' ').replace(/\s+/g, ' ');
      expect(first.resourceIds.length).toBe(200);
      expect(screen).toContain(`1. [CRITICAL] ${first.label} — 200 instances`);
    });
  });

  it('wraps the summary lines of --quiet alike', () => {
    const summary = lines(summaryLines(report, { color: false, width: 40 }));
    expect(summary.every((l) => visibleWidth(l) <= 40)).toBe(true);
    expect(words(summary.join(' '))).toEqual(words(lines(flat).slice(0, 3).join(' ')));
  });
});

describe('wrapLine', () => {
  it.for([
    { line: 'one two three four', width: 9, want: ['one two', 'three', 'four'] },
    { line: '  1. alpha beta gamma', width: 12, want: ['  1. alpha', '     beta', '     gamma'] },
    {
      line: 'x arn:aws:iam::111122223333:role/LongName y',
      width: 10,
      want: ['x', 'arn:aws:iam::111122223333:role/LongName', 'y'],
    },
    { line: 'short', width: 0, want: ['short'] },
    { line: '\u001b[1mbold\u001b[0m word', width: 9, want: ['\u001b[1mbold\u001b[0m word'] },
  ])('wraps "$line" at $width', ({ line, width, want }) => {
    expect(wrapLine(line, width)).toEqual(want);
  });
});
