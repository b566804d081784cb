// The rule files compiled into the Lambda bundle: empty here, filled by `ssmguard package` at bundle time.

/** One rule (or policy) file's name and text, as read when the package was built. */
export interface EmbeddedFile {
  file: string;
  text: string;
}

/** The rules (and optional policy pack) a Lambda package carries; the handler never reads rules/ at runtime. */
export interface EmbeddedRules {
  rules: EmbeddedFile[];
  policy?: EmbeddedFile;
}

/**
 * Replaced by the packager's esbuild plugin with the selected rule files (see src/package/bundle-lambda.ts).
 * Outside a package it is empty, and the handler's caller passes rules explicitly.
 */
export const EMBEDDED_RULES: EmbeddedRules = { rules: [] };
