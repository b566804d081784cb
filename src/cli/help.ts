// Friendly hints for typed errors, keyed by their stable code (the errors themselves stay terse and factual).

const HINTS: Record<string, string> = {
  RULESET_INVALID:
    'fix the rule or policy files listed above; `ssmguard rules validate DIR` lists every problem of rule and case files, `ssmguard policy validate FILE` of a policy pack.',
  POLICY_INVALID:
    'fix the policy pack at the positions shown; policy packs are described by schemas/policy.schema.json, and `ssmguard policy validate FILE` lists every problem.',
  RULE_FILE_INVALID:
    'fix the file at the position shown: rule files are described by schemas/rule.schema.json, their cases by schemas/rule-cases.schema.json, policy packs by schemas/policy.schema.json.',
  INPUT_FILES_INVALID:
    'each file must be complete JSON as printed by `aws … --output json`; re-run the command that produced it.',
  INPUT_JSON_INVALID: 'the file is not complete JSON; re-run the AWS CLI command that produced it.',
  INPUT_PATH_MISSING:
    'check the path; scan takes files or folders of AWS CLI JSON output, or an ssmguard bundle.',
  INPUT_NO_INSTANCE_DATA:
    'give the folder or files of `aws ec2 describe-instances --output json` output (the README lists every command), or scan --live.',
  BUNDLE_JSON_INVALID: 'the bundle is not complete JSON; re-run `ssmguard export`.',
  BUNDLE_VERSION_UNSUPPORTED:
    'this bundle was written by another ssmguard version; export it again with this one.',
  INVENTORY_INVALID:
    'the bundle does not match schemas/inventory.schema.json; export it again rather than editing it.',
  FILE_ACCESS:
    'check the path and its permissions; files are written into existing folders (--output, --html, --out).',
  USAGE: 'run `ssmguard --help` or `ssmguard <command> --help`.',
  LIVE_CREDENTIALS_INVALID:
    'check the credentials the SDK found: `aws sts get-caller-identity` (with the same --profile / AWS_PROFILE) must work; refresh SSO with `aws sso login`.',
  LIVE_NETWORK_UNREACHABLE:
    'check the network path to AWS (or the --endpoint-url, if given); AWS_MAX_ATTEMPTS raises the retries for a flaky link.',
  LIVE_NO_ACCOUNTS:
    '--organization needs organizations:ListAccounts from the management (or delegated administrator) account; or list them with --accounts.',
  LIVE_INSTANCES_UNREADABLE:
    'throttled: give each call more attempts (--max-attempts N, AWS_MAX_ATTEMPTS) or read less at once (--concurrency N); denied: the scan role needs ec2:DescribeInstances.',
  PDF_CHROMIUM_MISSING:
    'install Chromium (Debian/Ubuntu: `apt-get install chromium`; Fedora: `dnf install chromium`) or Google Chrome, or point SSMGUARD_CHROMIUM at its executable (macOS: "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"); or write --format html and print it from a browser.',
  PDF_PRINT_FAILED:
    'check that the PDF file can be written and that the browser starts headless (`chromium --headless --version`); or write --format html and print it from a browser.',
  LIVE_NO_REGIONS:
    'name the regions with --region REGION (repeatable); --region all needs ec2:DescribeRegions.',
};

export function helpFor(code: string): string | undefined {
  return HINTS[code];
}
