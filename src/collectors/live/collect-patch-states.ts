// Reads the patch states of a region's managed EC2 nodes while DescribeInstanceInformation pages arrive.

import {
  paginateDescribeInstancePatchStates,
  type DescribeInstancePatchStatesCommandOutput,
  type InstanceInformation,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { ApiFailure } from '../api/api-data.js';
import type { PageFold } from './page-fold.js';
import { type CollectOptions, dependentFailure, readKind } from './read-kind.js';

/**
 * DescribeInstancePatchStates takes at most 50 instance ids a call (SSM model: InstanceIdList max 50), and a
 * page of DescribeInstanceInformation holds at most 50 nodes; so each page of nodes becomes one call, started
 * as soon as the page arrives and run under the scan's concurrency limit. Hybrid (mi-) nodes are left out:
 * the rules judge EC2 instances.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeInstancePatchStates.html
 */
export const PATCH_STATE_IDS_PER_CALL = 50;

/** Collects patch states for the node pages it is shown, then folds every call's pages in call order. */
export class PatchStateReader {
  private readonly calls: Promise<DescribeInstancePatchStatesCommandOutput[] | undefined>[] = [];
  private readonly own: ApiFailure[] = [];
  private pending: string[] = [];

  constructor(
    private readonly client: SSMClient,
    private readonly region: string,
    private readonly options: CollectOptions,
  ) {}

  /** Sees one page of managed nodes; starts a call for every 50 EC2 ids gathered. */
  seeNodes(nodes: readonly InstanceInformation[] | undefined): void {
    for (const node of nodes ?? []) {
      const id = node.InstanceId;
      if (typeof id === 'string' && id.startsWith('i-')) this.pending.push(id);
    }
    while (this.pending.length >= PATCH_STATE_IDS_PER_CALL)
      this.start(this.pending.splice(0, PATCH_STATE_IDS_PER_CALL));
  }

  /**
   * After the node listing ended: the remaining ids, then the fold over every call. `nodesFailure` is the
   * listing's failure, if any: without the full node list the patch states are unreadable too.
   */
  async finish<R>(
    fold: PageFold<R>,
    failures: ApiFailure[],
    nodesFailure: ApiFailure | undefined,
  ): Promise<R | undefined> {
    const kind = 'ssm:DescribeInstancePatchStates';
    const scope = { accountId: this.options.accountId ?? 'unknown', region: this.region, kind } as const;
    if (this.pending.length > 0) this.start(this.pending.splice(0));
    const responses = await Promise.all(this.calls);
    const failure = nodesFailure !== undefined ? dependentFailure(kind, nodesFailure) : this.own[0];
    if (failure !== undefined) {
      failures.push(failure);
      this.options.onKindDone?.({ ...scope, status: 'failed' });
      return undefined;
    }
    this.options.onKindDone?.({ ...scope, status: 'done' });
    return fold.pages(
      kind,
      ['InstancePatchStates'],
      pagesOf(responses as DescribeInstancePatchStatesCommandOutput[][]),
    );
  }

  private start(ids: string[]): void {
    const quiet = { ...this.options, onKindDone: undefined };
    this.calls.push(
      readKind('ssm:DescribeInstancePatchStates', this.region, this.own, quiet, async () => {
        const pages: DescribeInstancePatchStatesCommandOutput[] = [];
        for await (const page of paginateDescribeInstancePatchStates(
          { client: this.client, pageSize: PATCH_STATE_IDS_PER_CALL },
          { InstanceIds: ids },
        ))
          pages.push(page);
        return pages;
      }),
    );
  }
}

async function* pagesOf<P extends object>(calls: P[][]): AsyncGenerator<P, void, undefined> {
  for (const pages of calls) for (const page of pages) yield page;
}
