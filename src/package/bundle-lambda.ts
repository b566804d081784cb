// Bundles the Config rule handler with esbuild into one CommonJS file, the selected rules compiled in.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CheckerError } from '../errors.js';
import type { EmbeddedRules } from '../lambda/embedded-rules.js';
import { packageRoot } from '../package-root.js';

/** esbuild is missing or the bundle failed. */
export class BundleError extends CheckerError {
  readonly code = 'PACKAGE_BUNDLE_FAILED';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BundleError';
  }
}

/** The handler's source: TypeScript in a checkout, compiled JavaScript in an installed package. */
function entryPoint(): string {
  const root = packageRoot();
  for (const candidate of [
    join(root, 'src', 'lambda', 'index.ts'),
    join(root, 'dist', 'src', 'lambda', 'index.js'),
  ]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new BundleError(`cannot find the Lambda handler source under ${root}`);
}

/**
 * Bundles `src/lambda/index` into one minified CommonJS file whose `handler` export Lambda calls as
 * `index.handler`. CommonJS, because a lone `index.js` in a Lambda zip is loaded as CommonJS unless a
 * package.json says otherwise, and some bundled SDK internals still `require`. The AWS SDK is bundled too
 * (pinned, instead of whatever version the runtime carries). The embedded-rules module is replaced with the
 * selected rule files, so the function never reads rules/ at runtime; the embedded-ip-ranges module with the
 * shipped ip-ranges copy (`ipRanges`, JSON text), so the function narrows the endpoints as the CLI does.
 */
export async function bundleLambda(embedded: EmbeddedRules, ipRanges?: string): Promise<Buffer> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (error) {
    throw new BundleError('ssmguard package needs esbuild (npm install esbuild)', { cause: error });
  }
  const result = await esbuild.build({
    entryPoints: [entryPoint()],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    write: false,
    outfile: 'index.js',
    mainFields: ['module', 'main'],
    legalComments: 'eof',
    logLevel: 'silent',
    // package-root.ts locates shipped files through import.meta.url; the handler never calls it, but CommonJS
    // has no import.meta, so give it a harmless constant rather than a warning.
    define: { 'import.meta.url': '"file:///var/task/index.js"' },
    plugins: [
      {
        name: 'ssmguard-embedded-rules',
        setup(build) {
          build.onLoad({ filter: /[\\/]lambda[\\/]embedded-rules\.(ts|js)$/ }, () => ({
            contents: `export const EMBEDDED_RULES = ${JSON.stringify(embedded)};`,
            loader: 'js',
          }));
          // The shipped ip-ranges copy, as text the handler parses on first use.
          build.onLoad({ filter: /[\\/]lambda[\\/]embedded-ip-ranges\.(ts|js)$/ }, () => ({
            contents: `export const EMBEDDED_IP_RANGES = ${ipRanges === undefined ? 'undefined' : JSON.stringify(ipRanges)};`,
            loader: 'js',
          }));
        },
      },
    ],
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new BundleError('esbuild produced no output');
  return Buffer.from(output.contents);
}
