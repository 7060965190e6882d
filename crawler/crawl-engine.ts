// The run's lifecycle: takes the run lock, builds the gate, fetcher and browser, resumes an unfinished
// run or starts a new one (seeding each site's first pages), hands the run to the dispatcher, then
// writes the per-site summary and releases everything. Per-item work: run/process-item.ts.
import { setMaxListeners } from "node:events";
import Database from "better-sqlite3";
import type { Logger } from "pino";
import { NianbaoError } from "../core/errors.ts";
import { MAX_ATTACHMENT_BYTES, MAX_CRAWL_PAGE_BYTES } from "../core/size-caps.ts";
import type { ArchivePort } from "./archive-port.ts";
import { BrowserRenderer } from "./browser/browser-renderer.ts";
import { type CrawlRunSummary, summariseSite } from "./crawl-summary.ts";
import { PageFetcher, type RobotsFetch } from "./fetch/page-fetcher.ts";
import { CompletionBatch } from "./frontier/completion-batch.ts";
import { FrontierStore, type NewItem } from "./frontier/frontier-store.ts";
import { type LockTakeover, RunLock } from "./frontier/run-lock.ts";
import { adapterFor } from "./pagination/pagination-index.ts";
import { HostGate } from "./politeness/host-gate.ts";
import { DEFAULT_RETRY_POLICY } from "./politeness/retry-policy.ts";
import type { CrawlContext } from "./run/crawl-context.ts";
import {
  type CrawlOptions,
  type CrawlResult,
  DEFAULT_JITTER_FLOOR_RATIO,
  DEFAULT_JITTER_RATIO,
  DEFAULT_LEASE_MS,
  DEFAULT_PER_DOMAIN_CONCURRENCY,
  DEFAULT_USER_AGENT,
} from "./run/crawl-options.ts";
import { Dispatcher } from "./run/dispatcher.ts";
import { sha256 } from "./run/process-item.ts";
import type { Site } from "./sites/site-schema.ts";
import { canonicalUrl } from "./url/canonical-url.ts";

export {
  type CrawlOptions,
  type CrawlProgress,
  type CrawlResult,
  DEFAULT_PER_DOMAIN_CONCURRENCY,
  DEFAULT_USER_AGENT,
} from "./run/crawl-options.ts";

/** Finished runs whose frontier rows are kept (the fetches table keeps everything). */
const FRONTIER_RUNS_KEPT = 5;

function logTakeover(logger: Logger, t: LockTakeover): void {
  logger.warn(
    {
      event: "lock_takeover",
      pid: t.pid,
      hostname: t.hostname,
      run_id: t.run_id,
      acquired_at: t.acquired_at,
      lease_until: t.lease_until === null ? null : new Date(t.lease_until).toISOString(),
      reason: t.reason,
    },
    t.reason === "lease_expired"
      ? "took over the lock of a crawl whose lease ran out"
      : "took over the lock of a crawl that is no longer running",
  );
}

/** Renews the lease until cleared; a renewal that finds the lock gone stops the crawl. */
function startHeartbeat(lock: RunLock, logger: Logger, onLost: (err: NianbaoError) => void): NodeJS.Timeout {
  const timer = setInterval(() => {
    let held: boolean;
    try {
      held = lock.renew();
    } catch (err) {
      // A busy or full database: the next beat tries again; the lease has two more beats of margin.
      logger.warn({ err: (err as Error).message }, "run lock heartbeat failed");
      return;
    }
    if (held) return;
    clearInterval(timer);
    logger.error({ event: "lock_lost" }, "the run lock was taken over by another crawl: stopping");
    onLost(
      new NianbaoError(
        "crawl_locked",
        "another crawl took over this database's run lock (this run's lease was not renewed in time)",
        "run one crawl at a time; if this machine was suspended or overloaded, raise the lease",
        1,
      ),
    );
  }, lock.heartbeatMs);
  timer.unref();
  return timer;
}

export async function runCrawl(opts: CrawlOptions): Promise<CrawlResult> {
  const started = Date.now();
  // The run's own CPU (start-up before it excluded; extraction threads included: they share the process).
  const startedCpu = process.cpuUsage();
  const db = new Database(opts.dbPath);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 10000");
  // WAL + NORMAL survives kill -9 with every committed transaction; only an OS crash may lose the last few.
  db.pragma("synchronous = NORMAL");
  const frontier = new FrontierStore(db);
  const pid = opts.pid ?? process.pid;
  const lock = new RunLock(db, {
    pid,
    isAlive: opts.isProcessAlive,
    leaseMs: opts.lockLeaseMs,
    hostname: opts.hostname,
  });
  let heartbeat: NodeJS.Timeout | undefined;
  // Set when another crawl takes the lock over (this run's lease lapsed): the run stops with it.
  const lockLost: { error: NianbaoError | null } = { error: null };
  let browser: BrowserRenderer | null = null;
  // The crawl stops on the caller's signal (Ctrl-C) or on its own when storage fails (disk full,
  // database locked): every wait and request listens to this one.
  const stop = new AbortController();
  // Every waiting request listens to it (hundreds at once with many hosts): that is expected, not a leak.
  setMaxListeners(0, stop.signal);
  const onCallerAbort = () => stop.abort();
  if (opts.signal?.aborted) stop.abort();
  opts.signal?.addEventListener("abort", onCallerAbort);
  try {
    const takeover = lock.acquire();
    if (takeover) logTakeover(opts.logger, takeover);
    heartbeat = startHeartbeat(lock, opts.logger, (err) => {
      lockLost.error ??= err;
      stop.abort();
    });
    const politeness = opts.politeness ?? true;
    const gate = newGate(opts, politeness, stop.signal);
    const robotsRun = { runId: null as number | null };
    const fetcher = newFetcher(opts, gate, politeness, stop.signal, robotsArchiver(opts, robotsRun));
    const userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
    if (opts.browser) browser = new BrowserRenderer({ ...opts.browser, userAgent });

    const run = await beginOrResume(db, frontier, opts, politeness);
    lock.setRun(run.runId);
    robotsRun.runId = run.runId;
    const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    const ctx: CrawlContext = {
      runId: run.runId,
      opts: { ...opts, signal: stop.signal },
      frontier,
      fetcher,
      gate,
      sites: new Map(opts.sites.map((s) => [s.slug, s])),
      browser,
      hostDelaysSet: new Set(),
      counters: { done: 0, failed: 0 },
      leaseNext: politeness ? { leaseMs, owner: String(pid) } : null,
      completions: new CompletionBatch(frontier),
    };
    const dispatcher = new Dispatcher(ctx, { politeness, stop, owner: String(pid), leaseMs });
    const ticker = setInterval(
      () => opts.logger.info({ event: "progress", ...dispatcher.progress() }, "crawl progress"),
      opts.summaryIntervalMs ?? 30_000,
    );
    ticker.unref();
    try {
      await dispatcher.run();
    } finally {
      clearInterval(ticker);
    }
    if (lockLost.error) {
      opts.logger.error(
        { code: lockLost.error.code, err: lockLost.error.message },
        "crawl stopped: lock lost",
      );
      throw lockLost.error;
    }
    if (dispatcher.failure) {
      const { code, message } = dispatcher.failure;
      opts.logger.error({ code, err: message }, "crawl stopped: storage failed");
      throw dispatcher.failure;
    }
    const interrupted = stop.signal.aborted && frontier.pendingCount(run.runId) > 0;
    const summary = runSummary(frontier, opts.sites, gate, run, interrupted, takeover);
    if (!interrupted) {
      frontier.finishRun(run.runId);
      frontier.pruneFinishedRuns(FRONTIER_RUNS_KEPT);
    }
    await opts.archive.finishRun(run.runId, summary);
    opts.logger.info(
      {
        event: "summary",
        ...summary,
        this_process_ms: Date.now() - started,
        this_process_cpu_ms: cpuMsSince(startedCpu),
      },
      "crawl run summary",
    );
    const clean =
      summary.totals.failed === 0 && summary.totals.blocked === 0 && summary.unhealthy.length === 0;
    return { summary, exitCode: clean ? 0 : 1 };
  } finally {
    clearInterval(heartbeat);
    opts.signal?.removeEventListener("abort", onCallerAbort);
    if (browser) await browser.close();
    try {
      lock.release();
    } finally {
      db.close();
    }
  }
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return Math.round((user + system) / 1000);
}

function newGate(opts: CrawlOptions, politeness: boolean, signal: AbortSignal): HostGate {
  return new HostGate({
    politeness,
    globalConcurrency: opts.globalConcurrency ?? "auto",
    maxGlobalConcurrency: opts.maxGlobalConcurrency,
    perDomainConcurrency: opts.perDomainConcurrency ?? DEFAULT_PER_DOMAIN_CONCURRENCY,
    defaultDelayMs: opts.defaultDelayMs ?? 1000,
    jitterRatio: opts.jitterRatio ?? DEFAULT_JITTER_RATIO,
    jitterFloorRatio: opts.jitterFloorRatio ?? DEFAULT_JITTER_FLOOR_RATIO,
    maxDelayMs: 60_000,
    circuitThreshold: 5,
    signal,
  });
}

function newFetcher(
  opts: CrawlOptions,
  gate: HostGate,
  politeness: boolean,
  signal: AbortSignal,
  onRobots: (r: RobotsFetch) => Promise<void>,
): PageFetcher {
  return new PageFetcher({
    userAgent: opts.userAgent ?? DEFAULT_USER_AGENT,
    productToken: opts.productToken ?? "nianbao",
    gate,
    retry: { ...DEFAULT_RETRY_POLICY, ...opts.retry },
    logger: opts.logger,
    connectTo: opts.connectTo,
    connectTimeoutMs: opts.connectTimeoutMs ?? 10_000,
    totalTimeoutMs: opts.totalTimeoutMs ?? 60_000,
    maxHtmlBytes: opts.maxHtmlBytes ?? MAX_CRAWL_PAGE_BYTES,
    maxAttachmentBytes: opts.maxAttachmentBytes ?? MAX_ATTACHMENT_BYTES,
    maxRedirects: 10,
    maxCrawlDelayMs: 30_000,
    ignoreRobots: !politeness,
    onRobots,
    signal,
  });
}

/**
 * robots.txt answers are archived like every fetched body, under the run (known before any fetch)
 * and the site whose start URL is on that host, if one is.
 */
function robotsArchiver(
  opts: { sites: Site[]; archive: ArchivePort },
  run: { runId: number | null },
): (r: RobotsFetch) => Promise<void> {
  const siteOfHost = (host: string) =>
    opts.sites.find((s) => s.start_urls.some((u) => new URL(u).hostname === host))?.slug ?? null;
  return async (r) => {
    if (run.runId === null) return;
    await opts.archive.saveFetch({
      runId: run.runId,
      siteSlug: siteOfHost(new URL(r.url).hostname),
      url: r.url,
      finalUrl: r.finalUrl,
      kind: "robots",
      linkTitle: null,
      linkedFrom: null,
      status: r.status,
      headers: r.headers,
      body: r.body,
      sha256: sha256(r.body),
      contentType: r.headers["content-type"] ?? null,
      encoding: null,
      fileType: "text",
      outcome: "ok",
      reason: null,
      fetchedAt: r.fetchedAt,
      ms: 0,
      attempts: 1,
      redirects: r.finalUrl === r.url ? [] : [r.finalUrl],
      rendered: false,
    });
  };
}

interface RunStart {
  runId: number;
  startedAt: string;
  resumed: boolean;
}

/** Resumes an unfinished run (its process died or was interrupted), else starts a new one; seeds either. */
async function beginOrResume(
  db: Database.Database,
  frontier: FrontierStore,
  opts: CrawlOptions,
  politeness: boolean,
): Promise<RunStart> {
  const seed = (runId: number) => {
    // INSERT OR IGNORE: on a resume this only adds sites the interrupted run did not have yet.
    for (const site of opts.sites) frontier.enqueue(runId, firstItems(site));
  };
  const unfinished = frontier.unfinishedRun();
  if (unfinished) {
    const runId = unfinished.run_id;
    const released = frontier.releaseAllLeases(runId);
    db.transaction(() => seed(runId))();
    opts.logger.info({ run_id: runId, released_leases: released }, "resuming unfinished crawl run");
    return { runId, startedAt: unfinished.started_at, resumed: true };
  }
  const startedAt = new Date().toISOString();
  const options = { sites: opts.sites.map((s) => s.slug), maxPages: opts.maxPages ?? null, politeness };
  const runId = await opts.archive.startRun({ startedAt, options });
  db.transaction(() => {
    frontier.beginRun(runId, startedAt, options);
    seed(runId);
  })();
  opts.logger.info({ run_id: runId, sites: opts.sites.length }, "crawl run started");
  return { runId, startedAt, resumed: false };
}

function firstItems(site: Site): NewItem[] {
  return adapterFor(site)
    .firstPages(site)
    .flatMap((url) => {
      const c = canonicalUrl(url);
      return c
        ? [
            {
              siteSlug: site.slug,
              url: c,
              canonicalUrl: c,
              depth: 0,
              kind: "list" as const,
              pageIndex: 0,
              linkTitle: null,
            },
          ]
        : [];
    });
}

function runSummary(
  frontier: FrontierStore,
  sites: Site[],
  gate: HostGate,
  run: RunStart,
  interrupted: boolean,
  lockTakeover: LockTakeover | null,
): CrawlRunSummary {
  const items = frontier.items(run.runId);
  const openHosts = new Set(gate.openHosts());
  const perSite = sites.map((s) => summariseSite(s, items, openHosts, run.startedAt));
  const sum = (f: (s: (typeof perSite)[number]) => number) => perSite.reduce((a, s) => a + f(s), 0);
  const total = (o: Record<string, number>) => Object.values(o).reduce((x, y) => x + y, 0);
  return {
    runId: run.runId,
    startedAt: run.startedAt,
    finishedAt: new Date().toISOString(),
    durationMs: Date.now() - Date.parse(run.startedAt),
    interrupted,
    resumed: run.resumed,
    lockTakeover,
    sites: perSite,
    unhealthy: perSite.filter((s) => !s.healthy).map((s) => s.site),
    totals: {
      pages: sum((s) => s.pages),
      reportsFound: sum((s) => s.reportsFound),
      failed: sum((s) => total(s.failures)),
      blocked: sum((s) => s.blocked),
      skipped: sum((s) => total(s.skipped)),
      pending: sum((s) => s.pending),
    },
  };
}
