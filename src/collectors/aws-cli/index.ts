// The AWS CLI JSON source's public surface: loading folders of CLI output, and its errors.

export { assertNoInputErrors, loadAwsCliInventory } from './load-aws-cli-inventory.js';
export type { AwsCliLoadOptions, AwsCliLoadResult, SkippedInput } from './load-aws-cli-inventory.js';
export { AwsCliInputError, InputFileError } from './input-file-error.js';
export type { InputFileErrorCode } from './input-file-error.js';
export { recognizeResponse } from './recognize-response.js';
export type { Recognition } from './recognize-response.js';
