// What every task of one run shares: the run, its frontier, fetcher, gate and browser, the sites by
// slug, and the counters the progress line reads. Built once by the run's lifecycle (crawl-engine.ts).
import type { BrowserRenderer } from "../browser/browser-renderer.ts";
import type { PageFetcher } from "../fetch/page-fetcher.ts";
import type { CompletionBatch } from "../frontier/completion-batch.ts";
import type { FrontierStore } from "../frontier/frontier-store.ts";
import type { HostGate } from "../politeness/host-gate.ts";
import type { Site } from "../sites/site-schema.ts";
import type { CrawlOptions } from "./crawl-options.ts";

export interface CrawlContext {
  runId: number;
  /** The caller's options, with `signal` replaced by the run's own stop signal. */
  opts: CrawlOptions;
  frontier: FrontierStore;
  fetcher: PageFetcher;
  gate: HostGate;
  sites: Map<string, Site>;
  browser: BrowserRenderer | null;
  /** Hosts whose delay and caps were set from their site (on their first item). */
  hostDelaysSet: Set<string>;
  counters: { done: number; failed: number };
  /** Lease terms for taking a host's next item as its current one completes (polite crawls only). */
  leaseNext: { leaseMs: number; owner: string } | null;
  completions: CompletionBatch;
}
