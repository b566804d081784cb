// Bounded concurrency: at most N tasks hold a permit at once, the rest wait in FIFO order.

/** Runs tasks with at most `limit` in flight. Only leaf API work takes permits, so nesting cannot deadlock. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // Hand the permit straight to the next waiter, so `active` never dips and lets a newcomer overtake.
    if (next) next();
    else this.active -= 1;
  }
}
