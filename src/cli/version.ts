// The tool version, from package.json (read once, lazily).
import pkg from '../../package.json' with { type: 'json' };

export const TOOL_VERSION: string = (pkg as { version: string }).version;
