// The command-line flags of `--live` (commander's camelCase names), shared by the flag parser and the collection.

/** The command-line flags of a live collection (commander's camelCase names). */
export interface LiveFlags {
  live?: boolean;
  /** `--region`, repeatable: regions to scan, or `all`; without `--live`, the region of input files. */
  region?: string[];
  profile?: string;
  endpointUrl?: string;
  roleName?: string;
  accounts?: string[];
  organization?: boolean;
  concurrency?: string;
  /** `--max-attempts`: attempts per API call, retries included. */
  maxAttempts?: string;
  /** Offline only: the account of input files whose folders and content do not say. */
  account?: string;
  /** `--scp` files: the SCP layer, added to a live inventory as to a loaded one. */
  scp?: string[];
  /** `--now` (commands that evaluate): with `--live`, the maintenance-window run history is read back from it. */
  now?: string;
}
