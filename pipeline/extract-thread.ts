// Extraction off the crawl's event loop: one worker thread extracts report pages one at a time, each
// within a time budget. A page over budget ends the thread (the only way to stop synchronous work);
// the next page gets a fresh one. The crawl keeps fetching meanwhile.
import { Worker } from "node:worker_threads";
import type { ReportRecord } from "../extract/schema.ts";
import type { PageJob } from "./extract-page-worker.ts";

export class ExtractTimeoutError extends Error {
  constructor(readonly budgetMs: number) {
    super(`extraction took longer than its ${budgetMs} ms budget`);
    this.name = "ExtractTimeoutError";
  }
}

type Input = Omit<PageJob, "id">;

/** How long a fresh thread may take to load before it takes its first page. */
const STARTUP_MS = 60_000;
interface Queued {
  input: Input;
  resolve: (r: ReportRecord) => void;
  reject: (e: Error) => void;
}

export class ExtractThread {
  private worker: Worker | null = null;
  private readonly queue: Queued[] = [];
  private current: (Queued & { id: number; timer: NodeJS.Timeout }) | null = null;
  private nextId = 0;
  private closed = false;

  constructor(private readonly budgetMs: number) {}

  extract(input: Input): Promise<ReportRecord> {
    if (this.closed) return Promise.reject(new Error("the extraction thread is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.pump();
    });
  }

  private spawn(): Worker {
    // Compiled (dist/), the worker is plain JavaScript; from source, a loader registers tsx in the thread
    // first (as the import pool does: an installed package has no loader and no .ts to load).
    const compiled = import.meta.url.endsWith(".js");
    const entry = compiled
      ? new URL("./extract-page-worker.js", import.meta.url)
      : new URL("./extract-worker-loader.js", import.meta.url);
    const script = new URL("./extract-page-worker.ts", import.meta.url).href;
    // A small young generation: the thread extracts one page at a time and its garbage is short-lived,
    // so scavenges stay cheap while the crawl process keeps ~30 MB less resident.
    const worker = new Worker(entry, {
      workerData: { script },
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    worker.on("message", (msg: { id: number; started?: boolean; record?: ReportRecord; error?: string }) => {
      const job = this.current;
      if (!job || job.id !== msg.id) return;
      if (msg.started) {
        clearTimeout(job.timer);
        job.timer = setTimeout(() => this.overBudget(this.budgetMs), this.budgetMs);
        return;
      }
      this.finish();
      if (msg.record) job.resolve(msg.record);
      else job.reject(new Error(msg.error ?? "extraction failed"));
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return; // a thread we ended on purpose
      this.worker = null;
      const job = this.current;
      if (job) {
        this.finish();
        job.reject(new Error(`the extraction thread stopped: ${why}`));
      }
    };
    worker.on("error", (err) => lost(err.message));
    worker.on("exit", (code) => lost(`exit ${code}`));
    // The crawl's end, not this thread, decides when the process exits.
    worker.unref();
    return worker;
  }

  private pump(): void {
    if (this.current || this.closed) return;
    const next = this.queue.shift();
    if (!next) return;
    this.worker ??= this.spawn();
    const id = this.nextId++;
    // Until the thread picks the page up (a fresh thread loads its modules first), a startup allowance.
    const timer = setTimeout(() => this.overBudget(STARTUP_MS), STARTUP_MS);
    this.current = { ...next, id, timer };
    this.worker.postMessage({ id, ...next.input } satisfies PageJob);
  }

  private finish(): void {
    if (this.current) clearTimeout(this.current.timer);
    this.current = null;
    setImmediate(() => this.pump());
  }

  private overBudget(budgetMs: number): void {
    const job = this.current;
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
    if (!job) return;
    this.finish();
    job.reject(new ExtractTimeoutError(budgetMs));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queue.splice(0)) q.reject(new Error("the extraction thread is closed"));
    if (this.current) {
      clearTimeout(this.current.timer);
      this.current.reject(new Error("the extraction thread is closed"));
      this.current = null;
    }
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }
}
