// Records the end states of frontier items that finish in the same event-loop turn in one transaction:
// one commit for several pages, each completion still answered (or failed) on its own.
import type { FrontierItem, FrontierStore } from "./frontier-store.ts";

type CompleteArgs = Parameters<FrontierStore["complete"]>;

/**
 * Items that end in the same event-loop turn are recorded in one transaction (each in its own
 * savepoint): one commit for several pages. A task goes on (logs, runs the next item) only once its
 * end state is committed.
 */
export class CompletionBatch {
  private queue: {
    args: CompleteArgs;
    done: (next: FrontierItem | null) => void;
    fail: (e: unknown) => void;
  }[] = [];

  constructor(private readonly frontier: FrontierStore) {}

  complete(...args: CompleteArgs): Promise<FrontierItem | null> {
    return new Promise((done, fail) => {
      if (this.queue.push({ args, done, fail }) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.queue.splice(0);
    const results: ({ next: FrontierItem | null } | { error: unknown })[] = [];
    try {
      this.frontier.db.transaction(() => {
        for (const c of batch) {
          try {
            results.push({ next: this.frontier.complete(...c.args) });
          } catch (error) {
            results.push({ error });
          }
        }
      })();
    } catch (error) {
      for (const c of batch) c.fail(error); // the commit failed: none of them is recorded
      return;
    }
    batch.forEach((c, i) => {
      const r = results[i] as (typeof results)[number];
      if ("error" in r) c.fail(r.error);
      else c.done(r.next);
    });
  }
}
