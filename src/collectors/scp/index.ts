// The `--scp` source's public surface: service control policies from files, for offline IAM evaluation.

export { addScpsToInventory, loadScpFiles, type LoadedScps } from './load-scp-files.js';
export { parseScpJson } from './parse-scp-json.js';
export { ScpFileError } from './scp-file-error.js';
