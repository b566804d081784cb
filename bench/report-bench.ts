// Benchmark section for reports: how long rendering the HTML and JSON reports of a given report takes, and how
// big the files are (the lead runs it on the 100,000-instance fleet in `npm run bench`). JSON is rendered as the
// CLI streams it, chunk by chunk, without ever joining the file into one string.

import type { Report } from '../src/report/build-report.js';
import { renderHtml } from '../src/report/render-html.js';
import { renderJsonChunks } from '../src/report/render-json.js';

/** Time and size of one rendering. */
export interface RenderFigure {
  ms: number;
  bytes: number;
}

function time(render: (report: Report) => Iterable<string>, report: Report): RenderFigure {
  const start = performance.now();
  let bytes = 0;
  for (const chunk of render(report)) bytes += Buffer.byteLength(chunk);
  const ms = performance.now() - start;
  return { ms: Math.round(ms), bytes };
}

/** Renders the HTML report once and reports the time taken and the file size. */
export function benchHtmlReport(report: Report): RenderFigure {
  return time((r) => [renderHtml(r)], report);
}

/** Renders the JSON report once, as streamed chunks, and reports the time taken and the file size. */
export function benchJsonReport(report: Report): RenderFigure {
  return time((r) => renderJsonChunks(r), report);
}

/** Both figures for one report, HTML first. */
export async function benchReports(report: Report): Promise<{ html: RenderFigure; json: RenderFigure }> {
  return { html: benchHtmlReport(report), json: benchJsonReport(report) };
}
