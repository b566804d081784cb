// The ip-ranges copy compiled into the Lambda bundle: empty here, filled by `ssmguard package` at bundle time.

/**
 * The text of data/aws-ip-ranges.json when the package was built, replaced by the packager's esbuild plugin (see
 * src/package/bundle-lambda.ts). Outside a package it is undefined: the function then judges every public address.
 */
export const EMBEDDED_IP_RANGES: string | undefined = undefined;
