// A small pool of worker threads that prepare pages (read + extract + hash + gzip) in parallel, so a
// large import uses every core while the main thread writes. Any worker failure falls back to the main thread.
import { Worker } from "node:worker_threads";
import { type PackedPage, preparePackedPage } from "./packed-page.ts";

interface Pending {
  resolve: (r: PackedPage) => void;
  file: string;
  worker: Worker;
}

export class ExtractPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private turn = 0;
  private broken = false;

  constructor(size: number) {
    // Compiled (dist/), the worker is plain JavaScript; from source, a loader registers tsx in the thread first.
    const compiled = import.meta.url.endsWith(".js");
    const entry = compiled
      ? new URL("./extract-worker.js", import.meta.url)
      : new URL("./extract-worker-loader.js", import.meta.url);
    const script = new URL("./extract-worker.ts", import.meta.url).href;
    for (let i = 0; i < size; i++) {
      const worker = new Worker(entry, { workerData: { script } });
      worker.on("message", (msg: { id: number; result: PackedPage }) => {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        p.resolve(msg.result);
      });
      worker.on("error", () => this.fail(worker));
      worker.on("exit", () => this.fail(worker));
      this.workers.push(worker);
    }
  }

  /** A worker died: its pages are prepared on the main thread instead, and no more go to workers. */
  private fail(worker: Worker): void {
    this.broken = true;
    for (const [id, p] of this.pending) {
      if (p.worker !== worker) continue;
      this.pending.delete(id);
      preparePackedPage(p.file).then(p.resolve);
    }
  }

  prepare(file: string): Promise<PackedPage> {
    if (this.broken || !this.workers.length) return preparePackedPage(file);
    const worker = this.workers[this.turn++ % this.workers.length] as Worker;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, file, worker });
      worker.postMessage({ id, file });
    });
  }

  async close(): Promise<void> {
    this.broken = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
