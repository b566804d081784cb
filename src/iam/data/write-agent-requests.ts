// Regenerates agent-requests.generated.ts from agent-requests.yaml (npx tsx src/iam/data/write-agent-requests.ts).

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The generated module's text for the YAML's data. */
export function generatedAgentRequests(yamlText: string): string {
  const data: unknown = parse(yamlText);
  return [
    '// Generated from agent-requests.yaml by write-agent-requests.ts: edit the YAML, then regenerate.',
    '',
    "import type { AgentRequestModel } from '../agent-request-types.js';",
    '',
    `export const AGENT_REQUEST_DATA: AgentRequestModel = ${JSON.stringify(data, null, 2)};`,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const yamlPath = fileURLToPath(new URL('./agent-requests.yaml', import.meta.url));
  const outPath = fileURLToPath(new URL('./agent-requests.generated.ts', import.meta.url));
  writeFileSync(outPath, generatedAgentRequests(readFileSync(yamlPath, 'utf8')));
}
