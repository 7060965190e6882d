// A counting semaphore whose limit may change while it is in use (the global cap follows the hosts
// that have work); waiters are served first come, first served.

export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  private head = 0;

  private limitValue: number;

  /** A limit under 1 is taken as 1: a semaphore nobody can pass would hang the crawl. */
  constructor(limit: number) {
    this.limitValue = Math.max(1, Math.floor(limit));
  }

  get limit(): number {
    return this.limitValue;
  }

  /** A raised limit admits waiters at once; a lowered one lets the requests in flight finish. */
  set limit(n: number) {
    this.limitValue = Math.max(1, Math.floor(n));
    this.pump();
  }

  get inUse(): number {
    return this.active;
  }

  async acquire(): Promise<void> {
    if (this.active < this.limitValue && this.head === this.waiters.length) {
      this.active++;
      return;
    }
    await new Promise<void>((r) => this.waiters.push(r));
  }

  release(): void {
    this.active--;
    this.pump();
  }

  private pump(): void {
    while (this.head < this.waiters.length && this.active < this.limitValue) {
      const next = this.waiters[this.head]!;
      this.head++;
      this.active++;
      next();
    }
    // A queue index instead of shift(): hundreds of hosts wait here at once, and shift is O(n).
    if (this.head > 1024 && this.head * 2 > this.waiters.length) {
      this.waiters.splice(0, this.head);
      this.head = 0;
    }
  }
}
