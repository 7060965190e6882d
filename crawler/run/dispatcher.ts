// The dispatcher: leases frontier items (one per host at a time on a polite crawl) and runs each as a
// task; when a task ends, the host's next item (leased with the end state) runs in its place. It stops
// when nothing is in flight and nothing is claimable, or when the run's stop signal fires.
import { NianbaoError } from "../../core/errors.ts";
import type { FrontierItem } from "../frontier/frontier-store.ts";
import { frontierStorageError } from "../frontier/storage-error.ts";
import type { CrawlContext } from "./crawl-context.ts";
import type { CrawlProgress } from "./crawl-options.ts";
import { processItem } from "./process-item.ts";

/** How often the dispatcher scans the whole queue for hosts it has not seen yet. */
const FULL_CLAIM_EVERY_MS = 250;
/** Tasks waiting out their host's delay are cheap (a timer each): 1,000 hosts may all be waiting. */
const MAX_POLITE_TASKS = 4096;

export interface DispatchOptions {
  politeness: boolean;
  /** Stops the loop (Ctrl-C, or a storage failure raised by a task). */
  stop: AbortController;
  owner: string;
  leaseMs: number;
}

export class Dispatcher {
  private readonly inFlight = new Map<number, Promise<void>>();
  /** Hosts at their in-flight limit (1, or the site's rate.concurrency): the claim skips them. */
  private readonly busyHosts = new Set<string>();
  private readonly hostTasks = new Map<string, number>();
  /** Hosts whose task just ended without a successor: the next partial claim asks only them. */
  private readonly freedHosts: string[] = [];
  private readonly maxTasks: number;
  private wake: () => void = () => {};
  private woken: Promise<void> = Promise.resolve();
  private lastFullClaim = 0;
  private lastProgress = 0;
  /** The first storage failure of a task: the run stops and reports it as is. */
  failure: NianbaoError | null = null;

  constructor(
    private readonly ctx: CrawlContext,
    private readonly opts: DispatchOptions,
  ) {
    const global = ctx.opts.globalConcurrency;
    this.maxTasks = opts.politeness ? MAX_POLITE_TASKS : (typeof global === "number" ? global : 8) * 4;
    this.rearm();
  }

  get tasks(): number {
    return this.inFlight.size;
  }

  /** Runs until the frontier has nothing claimable and no task is left, or until stopped. */
  async run(): Promise<void> {
    const { stop } = this.opts;
    const onAbort = () => this.signalWake();
    stop.signal.addEventListener("abort", onAbort);
    const claimTimer = setInterval(() => this.signalWake(), FULL_CLAIM_EVERY_MS);
    claimTimer.unref();
    try {
      while (!stop.signal.aborted) {
        for (const item of this.claim()) this.startTask(item);
        if (this.inFlight.size === 0) break; // nothing in flight and nothing claimable: the run is complete
        await this.woken;
      }
      // A task that ends may start its host's next item in its place: wait until none is left.
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
    } finally {
      clearInterval(claimTimer);
      stop.signal.removeEventListener("abort", onAbort);
    }
  }

  progress(): CrawlProgress {
    const { ctx } = this;
    const p = {
      runId: ctx.runId,
      done: ctx.counters.done,
      failed: ctx.counters.failed,
      inFlight: this.inFlight.size,
      pending: ctx.frontier.pendingCount(ctx.runId),
    };
    ctx.opts.onProgress?.(p);
    return p;
  }

  /**
   * A full claim (one scan over the queue) now and then picks up new hosts; in between, only the hosts
   * whose task just ended are asked for their next item (an index seek each).
   */
  private claim(): FrontierItem[] {
    const free = this.maxTasks - this.inFlight.size;
    const now = Date.now();
    const { politeness } = this.opts;
    const full = !politeness || this.inFlight.size === 0 || now - this.lastFullClaim >= FULL_CLAIM_EVERY_MS;
    const hosts = full ? undefined : this.freedHosts.splice(0);
    if (full) {
      this.lastFullClaim = now;
      this.freedHosts.length = 0;
    }
    if (free <= 0) return [];
    return this.ctx.frontier.claim(this.ctx.runId, {
      limit: free,
      busyHosts: this.busyHosts,
      onePerHost: politeness,
      leaseMs: this.opts.leaseMs,
      owner: this.opts.owner,
      hosts,
    });
  }

  private hostLimit(item: FrontierItem): number {
    return this.opts.politeness ? (this.ctx.sites.get(item.site_slug)?.rate.concurrency ?? 1) : Infinity;
  }

  /** Runs one leased item; when it ends, the host's next item (leased with its end state) follows. */
  private startTask(item: FrontierItem): void {
    const running = (this.hostTasks.get(item.host) ?? 0) + 1;
    this.hostTasks.set(item.host, running);
    if (running >= this.hostLimit(item)) this.busyHosts.add(item.host);
    let next: FrontierItem | null = null;
    const task = processItem(this.ctx, item)
      .then((leased) => {
        next = leased;
      })
      .catch((raw: Error) => this.taskFailed(item, raw))
      .finally(() => this.taskEnded(item, next));
    this.inFlight.set(item.id, task);
  }

  /** A task threw: storage errors stop the run; anything else fails this item with an internal reason. */
  private taskFailed(item: FrontierItem, raw: Error): void {
    const { ctx } = this;
    const dbPath = ctx.opts.dbPath;
    const giveUp = (err: NianbaoError) => {
      // Storage failed: stop the whole crawl, put this item back, report the error as is.
      this.failure ??= err;
      this.opts.stop.abort();
      this.releaseQuietly(item.id);
    };
    const storageError = frontierStorageError(raw, dbPath);
    if (storageError) {
      giveUp(storageError);
      return;
    }
    ctx.opts.logger.error({ url: item.url, err: raw.message, stack: raw.stack }, "crawl task failed");
    try {
      const end = { state: "failed", outcome: "failed", reason: `internal: ${raw.message}` } as const;
      ctx.frontier.complete(ctx.runId, item.id, { ...end, fetchId: null, change: null }, []);
    } catch (err) {
      giveUp(
        frontierStorageError(err, dbPath) ??
          new NianbaoError(
            "input_unreadable",
            `the frontier could not be written: ${(err as Error).message}`,
            "run the crawl again; it resumes",
            1,
          ),
      );
    }
  }

  private taskEnded(item: FrontierItem, leased: FrontierItem | null): void {
    this.inFlight.delete(item.id);
    const left = (this.hostTasks.get(item.host) ?? 1) - 1;
    if (left > 0) this.hostTasks.set(item.host, left);
    else this.hostTasks.delete(item.host);
    this.busyHosts.delete(item.host);
    if (leased && !this.opts.stop.signal.aborted) this.startTask(leased);
    else {
      if (leased) this.releaseQuietly(leased.id);
      this.freedHosts.push(item.host);
    }
    if (this.ctx.opts.onProgress && Date.now() - this.lastProgress >= 200) {
      this.lastProgress = Date.now();
      this.progress();
    }
    this.signalWake();
  }

  /** Back to the queue; on a storage failure the next start releases it anyway. */
  private releaseQuietly(id: number): void {
    try {
      this.ctx.frontier.release(id);
    } catch {
      // The lease is released on the next start.
    }
  }

  /** One wake-up promise, resolved when any task ends or the crawl is interrupted: the loop then claims more. */
  private signalWake(): void {
    this.wake();
    this.rearm();
  }

  private rearm(): void {
    this.woken = new Promise<void>((r) => {
      this.wake = r;
    });
  }
}
