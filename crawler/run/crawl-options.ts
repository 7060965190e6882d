// What a crawl is asked to do (CrawlOptions), what it reports (progress, result) and the defaults of
// its politeness: the types the run's lifecycle, dispatcher and per-item work share.
import type { Logger } from "pino";
import type { ArchivePort } from "../archive-port.ts";
import type { BrowserOptions } from "../browser/browser-renderer.ts";
import type { CrawlRunSummary } from "../crawl-summary.ts";
import type { ConnectTo } from "../fetch/http-exchange.ts";
import type { GlobalConcurrency } from "../politeness/host-gate.ts";
import type { RetryPolicy } from "../politeness/retry-policy.ts";
import type { Site } from "../sites/site-schema.ts";

export const DEFAULT_USER_AGENT =
  "nianbao/0.1 (+https://github.com/nianbao/nianbao; research crawler for annual OGI reports)";

/** Per registrable domain: a city's portals often share one server behind many host names. */
export const DEFAULT_PER_DOMAIN_CONCURRENCY = 2;
/**
 * Each per-host gap is the delay plus 0.5–2.5 %: upward only, enough to break lockstep between hosts,
 * small enough to keep ~0.98 of the bound. A server that stamps a request late (its event loop behind
 * a burst) is covered by the gate's answer shift (host-gate.ts answeredAfter), not by a wider jitter.
 */
export const DEFAULT_JITTER_RATIO = 0.025;
export const DEFAULT_JITTER_FLOOR_RATIO = 0.005;
export const DEFAULT_LEASE_MS = 300_000;

export interface CrawlOptions {
  /** The SQLite file (the store's); the frontier tables live beside the store's. */
  dbPath: string;
  sites: Site[];
  archive: ArchivePort;
  logger: Logger;
  userAgent?: string;
  productToken?: string;
  connectTo?: ConnectTo;
  /** false only for benchmarks against generated hosts: no per-host delay or serialising, no robots. */
  politeness?: boolean;
  /** Requests in flight overall: "auto" (default) follows the hosts with work, up to maxGlobalConcurrency. */
  globalConcurrency?: GlobalConcurrency;
  maxGlobalConcurrency?: number;
  perDomainConcurrency?: number;
  defaultDelayMs?: number;
  /** Per-host gaps are delay × (1 + U[jitterFloorRatio, jitterRatio]), start to start. */
  jitterRatio?: number;
  jitterFloorRatio?: number;
  maxPages?: number;
  retry?: Partial<RetryPolicy>;
  connectTimeoutMs?: number;
  totalTimeoutMs?: number;
  maxHtmlBytes?: number;
  maxAttachmentBytes?: number;
  leaseMs?: number;
  summaryIntervalMs?: number;
  /** null: no browser (render:true sites are fetched raw, challenges end blocked at once). */
  browser?: BrowserOptions | null;
  signal?: AbortSignal;
  onProgress?: (p: CrawlProgress) => void;
  pid?: number;
  isProcessAlive?: (pid: number) => boolean;
  /** The run lock's lease (default 5 min): a crawl that stops renewing it is taken over after this. */
  lockLeaseMs?: number;
  /** The host name written into the lock (default os.hostname()). */
  hostname?: string;
}

export interface CrawlProgress {
  runId: number;
  done: number;
  pending: number;
  inFlight: number;
  failed: number;
}

export interface CrawlResult {
  summary: CrawlRunSummary;
  /** 0: a clean run; 1: some pages failed or were blocked, or a site is unhealthy. */
  exitCode: 0 | 1;
}
