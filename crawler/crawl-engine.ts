// Runs a crawl: takes the run lock, resumes or starts a run, leases frontier items one per host,
// fetches them politely, saves every exchange through the archive port and returns the per-site summary.
import { createHash } from "node:crypto";
import { setMaxListeners } from "node:events";
import Database from "better-sqlite3";
import type { Logger } from "pino";
import { NianbaoError } from "../core/errors.ts";
import type { ArchivePort, FetchRecord, PreviousBody } from "./archive-port.ts";
import { type BrowserOptions, BrowserRenderer, looksLikeSpaShell } from "./browser/browser-renderer.ts";
import { type CrawlRunSummary, INCREMENTAL_STOP, summariseSite } from "./crawl-summary.ts";
import { decodeServed } from "./decode/decode-body.ts";
import { attachmentLinks } from "./discover/attachment-links.ts";
import { detectChallenge } from "./fetch/challenge-detect.ts";
import type { ConnectTo } from "./fetch/http-exchange.ts";
import { type FetchResult, PageFetcher, type RobotsFetch } from "./fetch/page-fetcher.ts";
import { CompletionBatch } from "./frontier/completion-batch.ts";
import { type FrontierItem, FrontierStore, type NewItem } from "./frontier/frontier-store.ts";
import { RunLock } from "./frontier/run-lock.ts";
import { frontierStorageError } from "./frontier/storage-error.ts";
import { adapterFor } from "./pagination/pagination-index.ts";
import { type GlobalConcurrency, HostGate } from "./politeness/host-gate.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./politeness/retry-policy.ts";
import type { Site } from "./sites/site-schema.ts";
import { canonicalUrl } from "./url/canonical-url.ts";

export const DEFAULT_USER_AGENT =
  "nianbao/0.1 (+https://github.com/nianbao/nianbao; research crawler for annual OGI reports)";

/** Per registrable domain: a city's portals often share one server behind many host names. */
export const DEFAULT_PER_DOMAIN_CONCURRENCY = 2;
/**
 * Each per-host gap is the delay plus 0.5–2.5 %: upward only, enough to break lockstep between hosts
 * and to keep the gap the server sees at or above the delay, small enough to keep ~0.98 of the bound.
 */
export const DEFAULT_JITTER_RATIO = 0.025;
export const DEFAULT_JITTER_FLOOR_RATIO = 0.005;

/** Finished runs whose frontier rows are kept (the fetches table keeps everything). */
const FRONTIER_RUNS_KEPT = 5;

/** How often the dispatcher scans the whole queue for hosts it has not seen yet. */
const FULL_CLAIM_EVERY_MS = 250;

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
}

export interface CrawlProgress {
  runId: number;
  done: number;
  pending: number;
  inFlight: number;
  failed: number;
}

interface Ctx {
  runId: number;
  opts: CrawlOptions;
  frontier: FrontierStore;
  fetcher: PageFetcher;
  gate: HostGate;
  sites: Map<string, Site>;
  browser: BrowserRenderer | null;
  hostDelaysSet: Set<string>;
  counters: { done: number; failed: number };
  /** Lease terms for taking a host's next item as its current one completes (polite crawls only). */
  leaseNext: { leaseMs: number; owner: string } | null;
  completions: CompletionBatch;
}

function sha256(body: Buffer | null): string | null {
  return body ? createHash("sha256").update(body).digest("hex") : null;
}

function childItems(
  site: Site,
  parent: FrontierItem,
  kind: NewItem["kind"],
  links: { url: string; title: string | null; pageIndex?: number }[],
  parentUrl: string | null = null,
): NewItem[] {
  const out: NewItem[] = [];
  for (const l of links) {
    const canonical = canonicalUrl(l.url);
    if (!canonical) continue;
    out.push({
      siteSlug: site.slug,
      url: canonical,
      canonicalUrl: canonical,
      depth: parent.depth + 1,
      kind,
      pageIndex: l.pageIndex ?? 0,
      linkTitle: l.title,
      parentUrl,
    });
  }
  return out;
}

function withoutValidators(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([k]) => !["etag", "last-modified"].includes(k.toLowerCase())),
  );
}

async function renderIfNeeded(
  ctx: Ctx,
  site: Site,
  item: FrontierItem,
  res: FetchResult,
): Promise<{ res: FetchResult; rendered: boolean }> {
  const { browser, gate, opts } = ctx;
  if (!browser) return { res, rendered: false };
  const host = new URL(res.finalUrl).hostname;
  const wantRender =
    res.outcome === "blocked" ||
    (res.outcome === "ok" &&
      res.fileType === "html" &&
      item.kind === "list" &&
      (site.render || looksLikeSpaShell(res.text ?? "")));
  if (!wantRender) return { res, rendered: false };
  try {
    // The browser counts as one request to the host: it goes through the same gate.
    const page = await gate.run(host, () => browser.render(site.slug, res.finalUrl));
    const challenge = detectChallenge(page.status ?? 200, page.html);
    if (challenge || (page.status ?? 200) >= 400) {
      const why = challenge ? challenge.reason : `HTTP ${page.status}`;
      return {
        res: {
          ...res,
          outcome: "blocked",
          reason: `${res.reason ?? `challenge (${why})`}; browser retry failed: ${why}`,
          challenge: challenge ?? res.challenge,
        },
        rendered: false,
      };
    }
    const body = Buffer.from(page.html, "utf8");
    return {
      res: {
        ...res,
        outcome: "ok",
        reason: null,
        challenge: null,
        status: page.status ?? res.status,
        finalUrl: page.finalUrl,
        text: page.html,
        body,
        encoding: "utf-8",
        fileType: "html",
      },
      rendered: true,
    };
  } catch (err) {
    opts.logger.warn({ url: res.finalUrl, err: (err as Error).message }, "browser render failed");
    return {
      res: res.outcome === "blocked" ? { ...res, reason: `${res.reason}; browser retry failed` } : res,
      rendered: false,
    };
  }
}

/**
 * Fetches one item, archives the exchange and records its end state. Returns the host's next item when
 * it was leased in the same transaction (the caller runs it in this task's place), else null.
 */
async function processItem(ctx: Ctx, item: FrontierItem): Promise<FrontierItem | null> {
  const { opts, frontier, fetcher, gate, runId } = ctx;
  const site = ctx.sites.get(item.site_slug);
  if (!site) {
    frontier.complete(
      runId,
      item.id,
      {
        state: "skipped",
        outcome: "skipped",
        reason: "site not in the registry",
        fetchId: null,
        change: null,
      },
      [],
    );
    return null;
  }
  const host = item.host;
  if (!ctx.hostDelaysSet.has(host)) {
    ctx.hostDelaysSet.add(host);
    gate.initDelay(host, site.rate.delay_ms ?? opts.defaultDelayMs ?? 1000);
    gate.initConcurrency(host, site.rate.concurrency ?? 1);
    if (site.rate.per_domain !== undefined) gate.initDomainConcurrency(host, site.rate.per_domain);
  }
  // A list page is asked conditionally only when its archived body can stand in for a 304 (its links
  // are needed; validators come only from fetches that kept a body) and the site is not rendered (a
  // rendered list's data need not change with its shell).
  const conditional = item.kind !== "list" || (!site.render && opts.archive.previousBody !== undefined);
  const request = {
    url: item.url,
    kind: item.kind,
    allowedHosts: site.allowed_hosts,
    validators: conditional ? await opts.archive.previousValidators(item.url) : null,
    legacyTls: site.legacy_tls,
    charset: site.charset,
  };
  let res = await fetcher.fetch(request);
  // A list page's 304 is read from its archived body (loaded only then); were it gone, the page is
  // fetched whole.
  let previousList: PreviousBody | null = null;
  if (item.kind === "list" && res.outcome === "not_modified") {
    previousList = (await opts.archive.previousBody?.(item.url)) ?? null;
    if (!previousList) res = await fetcher.fetch({ ...request, validators: null });
  }
  if (res.reason === "aborted" || opts.signal?.aborted) {
    frontier.release(item.id); // interrupted: the item goes back to the queue for the resume
    return null;
  }
  const renderedResult = await renderIfNeeded(ctx, site, item, res);
  res = renderedResult.res;
  // The archived body of a rendered page is the DOM after scripts; the response's validators describe
  // the shell, so they are not kept (a later 304 on the shell says nothing about the data).
  const headers = renderedResult.rendered ? withoutValidators(res.headers) : res.headers;

  const record: FetchRecord = {
    runId,
    siteSlug: site.slug,
    url: item.url,
    finalUrl: res.finalUrl,
    kind: item.kind,
    linkTitle: item.link_title,
    linkedFrom: item.kind === "attachment" ? item.parent_url : null,
    status: res.status,
    headers,
    body: res.body,
    sha256: sha256(res.body),
    contentType: res.headers["content-type"] ?? null,
    encoding: res.encoding,
    fileType: res.fileType,
    outcome: res.outcome,
    reason: res.reason,
    fetchedAt: res.fetchedAt,
    ms: Math.round(res.ms),
    attempts: res.attempts,
    redirects: res.redirects,
    rendered: renderedResult.rendered,
  };
  // Skipped URLs (robots, off-site) were never fetched: nothing to archive.
  const saved = res.outcome === "skipped" ? null : await opts.archive.saveFetch(record);
  const change = res.outcome === "not_modified" ? "unchanged" : (saved?.change ?? null);

  const children: NewItem[] = [];
  let stoppedEarly = false;
  // A list page answered 304 is read from its archived body: same links as last time.
  const listPage =
    item.kind !== "list"
      ? null
      : res.outcome === "ok" && res.text !== null
        ? { url: res.finalUrl, text: res.text }
        : res.outcome === "not_modified" && previousList
          ? {
              url: previousList.finalUrl,
              text: decodeServed(previousList.body, previousList.contentType, site.charset).text,
            }
          : null;
  if (listPage) {
    const adapter = adapterFor(site);
    const parsed = adapter.parseList(
      { url: listPage.url, text: listPage.text, pageIndex: item.page_index },
      site,
    );
    children.push(
      ...childItems(
        site,
        item,
        "report",
        parsed.reportLinks.map((l) => ({ url: l.url, title: l.title })),
      ),
    );
    const maxPages = opts.maxPages ?? site.pagination.max_pages;
    // Incremental stop: a list page whose every report link an earlier run already has.
    let allKnown = parsed.reportLinks.length > 0;
    for (const l of parsed.reportLinks) {
      if (!(await opts.archive.seenBefore(l.url, runId))) {
        allKnown = false;
        break;
      }
    }
    if (allKnown) stoppedEarly = parsed.nextPages.length > 0;
    else {
      const next = parsed.nextPages
        .map((url, i) => ({ url, title: null, pageIndex: item.page_index + 1 + i }))
        .filter((p) => p.pageIndex < maxPages);
      children.push(...childItems(site, item, "list", next));
    }
  } else if (res.outcome === "ok" && item.kind === "report" && res.fileType === "html" && res.text !== null) {
    children.push(
      ...childItems(
        site,
        item,
        "attachment",
        attachmentLinks(res.text, res.finalUrl, site.allowed_hosts).map((url) => ({ url, title: null })),
        res.finalUrl,
      ),
    );
  }

  const state =
    res.outcome === "ok" || res.outcome === "not_modified"
      ? "done"
      : res.outcome === "skipped"
        ? "skipped"
        : "failed";
  // One task per host at a time: the host's next item is leased with this one's end state.
  const leaseNext =
    ctx.leaseNext && (site.rate.concurrency ?? 1) === 1 && !opts.signal?.aborted
      ? { host, ...ctx.leaseNext }
      : undefined;
  const next = await ctx.completions.complete(
    runId,
    item.id,
    {
      state,
      outcome: res.outcome,
      // A list page where paging stopped because its reports are all known: the summary says so.
      reason: stoppedEarly ? INCREMENTAL_STOP : res.reason,
      fetchId: saved?.fetchId ?? null,
      change,
    },
    children,
    leaseNext,
  );
  if (state === "failed") ctx.counters.failed++;
  else ctx.counters.done++;
  try {
    opts.logger.info(
      {
        event: "fetch",
        site: site.slug,
        kind: item.kind,
        url: item.url,
        final_url: res.finalUrl === item.url ? undefined : res.finalUrl,
        status: res.status,
        ms: Math.round(res.ms),
        bytes: res.body?.length ?? 0,
        encoding: res.encoding,
        file_type: res.fileType,
        attempt: res.attempts,
        outcome: res.outcome,
        reason: res.reason ?? undefined,
        change: change ?? undefined,
        rendered: renderedResult.rendered || undefined,
        incremental_stop: stoppedEarly || undefined,
      },
      "fetch",
    );
  } catch (err) {
    if (next) frontier.release(next.id); // nobody would run it: back to the queue
    throw err;
  }
  return next;
}

export interface CrawlResult {
  summary: CrawlRunSummary;
  /** Items of this run as the frontier holds them (tests and the pipeline read them). */
  exitCode: 0 | 1;
}

export async function runCrawl(opts: CrawlOptions): Promise<CrawlResult> {
  const started = Date.now();
  const db = new Database(opts.dbPath);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 10000");
  // WAL + NORMAL survives kill -9 with every committed transaction; only an OS crash may lose the last few.
  db.pragma("synchronous = NORMAL");
  const frontier = new FrontierStore(db);
  const pid = opts.pid ?? process.pid;
  const lock = new RunLock(db, pid, opts.isProcessAlive);
  let browser: BrowserRenderer | null = null;
  // The crawl stops on the caller's signal (Ctrl-C) or on its own when storage fails (disk full,
  // database locked): every wait and request listens to this one.
  const stop = new AbortController();
  // Every waiting request listens to it (hundreds at once with many hosts): that is expected, not a leak.
  setMaxListeners(0, stop.signal);
  const onCallerAbort = () => stop.abort();
  if (opts.signal?.aborted) stop.abort();
  opts.signal?.addEventListener("abort", onCallerAbort);
  // A holder, not a `let`: it is set inside task callbacks, which TypeScript's narrowing cannot see.
  const failure: { error: NianbaoError | null } = { error: null };
  try {
    const dead = lock.acquire();
    if (dead)
      opts.logger.warn(
        { pid: dead.pid, run_id: dead.run_id },
        "took over the lock of a crawl that is no longer running",
      );

    const politeness = opts.politeness ?? true;
    const gate = new HostGate({
      politeness,
      globalConcurrency: opts.globalConcurrency ?? "auto",
      maxGlobalConcurrency: opts.maxGlobalConcurrency,
      perDomainConcurrency: opts.perDomainConcurrency ?? DEFAULT_PER_DOMAIN_CONCURRENCY,
      defaultDelayMs: opts.defaultDelayMs ?? 1000,
      jitterRatio: opts.jitterRatio ?? DEFAULT_JITTER_RATIO,
      jitterFloorRatio: opts.jitterFloorRatio ?? DEFAULT_JITTER_FLOOR_RATIO,
      maxDelayMs: 60_000,
      circuitThreshold: 5,
      signal: stop.signal,
    });
    const userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
    // robots.txt answers are archived like every fetched body, under the run (known before any fetch)
    // and the site whose start URL is on that host, if one is.
    const robotsArchive = { runId: null as number | null };
    const siteOfHost = (host: string) =>
      opts.sites.find((s) => s.start_urls.some((u) => new URL(u).hostname === host))?.slug ?? null;
    const archiveRobots = async (r: RobotsFetch) => {
      if (robotsArchive.runId === null) return;
      await opts.archive.saveFetch({
        runId: robotsArchive.runId,
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
    const fetcher = new PageFetcher({
      userAgent,
      productToken: opts.productToken ?? "nianbao",
      gate,
      retry: { ...DEFAULT_RETRY_POLICY, ...opts.retry },
      logger: opts.logger,
      connectTo: opts.connectTo,
      connectTimeoutMs: opts.connectTimeoutMs ?? 10_000,
      totalTimeoutMs: opts.totalTimeoutMs ?? 60_000,
      maxHtmlBytes: opts.maxHtmlBytes ?? 20 * 1024 * 1024,
      maxAttachmentBytes: opts.maxAttachmentBytes ?? 100 * 1024 * 1024,
      maxRedirects: 10,
      maxCrawlDelayMs: 30_000,
      ignoreRobots: !politeness,
      onRobots: archiveRobots,
      signal: stop.signal,
    });
    if (opts.browser) browser = new BrowserRenderer({ ...opts.browser, userAgent });

    // Resume an unfinished run (its process died or was interrupted), else start a new one.
    const unfinished = frontier.unfinishedRun();
    let runId: number;
    let startedAt: string;
    const resumed = unfinished !== null;
    const seed = () => {
      // INSERT OR IGNORE: on a resume this only adds sites the interrupted run did not have yet.
      for (const site of opts.sites) {
        const first = adapterFor(site).firstPages(site);
        frontier.enqueue(
          runId,
          first.flatMap((url) => {
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
          }),
        );
      }
    };
    if (unfinished) {
      runId = unfinished.run_id;
      startedAt = unfinished.started_at;
      const released = frontier.releaseAllLeases(runId);
      db.transaction(seed)();
      opts.logger.info({ run_id: runId, released_leases: released }, "resuming unfinished crawl run");
    } else {
      startedAt = new Date().toISOString();
      const options = { sites: opts.sites.map((s) => s.slug), maxPages: opts.maxPages ?? null, politeness };
      runId = await opts.archive.startRun({ startedAt, options });
      db.transaction(() => {
        frontier.beginRun(runId, startedAt, options);
        seed();
      })();
      opts.logger.info({ run_id: runId, sites: opts.sites.length }, "crawl run started");
    }
    lock.setRun(runId);
    robotsArchive.runId = runId;

    const ctx: Ctx = {
      runId,
      opts: { ...opts, signal: stop.signal },
      frontier,
      fetcher,
      gate,
      sites: new Map(opts.sites.map((s) => [s.slug, s])),
      browser,
      hostDelaysSet: new Set(),
      counters: { done: 0, failed: 0 },
      leaseNext: politeness ? { leaseMs: opts.leaseMs ?? 300_000, owner: String(pid) } : null,
      completions: new CompletionBatch(frontier),
    };

    const inFlight = new Map<number, Promise<void>>();
    // Hosts at their in-flight limit (1, or the site's rate.concurrency): the claim skips them.
    const busyHosts = new Set<string>();
    const hostTasks = new Map<string, number>();
    const hostLimit = (item: FrontierItem) =>
      politeness ? (ctx.sites.get(item.site_slug)?.rate.concurrency ?? 1) : Infinity;
    // Waiting tasks are cheap (a timer each): allow many so 200 hosts can all be waiting out their delay.
    const maxTasks = politeness
      ? 4096
      : (typeof opts.globalConcurrency === "number" ? opts.globalConcurrency : 8) * 4;
    // One wake-up promise, resolved when any task ends or the crawl is interrupted: the loop then claims more.
    let wake: () => void = () => {};
    let woken = new Promise<void>((r) => {
      wake = r;
    });
    const signalWake = () => {
      wake();
      woken = new Promise<void>((r) => {
        wake = r;
      });
    };
    const onAbort = () => signalWake();
    stop.signal.addEventListener("abort", onAbort);
    const progress = () => {
      const p = {
        runId,
        done: ctx.counters.done,
        failed: ctx.counters.failed,
        inFlight: inFlight.size,
        pending: frontier.pendingCount(runId),
      };
      opts.onProgress?.(p);
      return p;
    };
    const ticker = setInterval(
      () => opts.logger.info({ event: "progress", ...progress() }, "crawl progress"),
      opts.summaryIntervalMs ?? 30_000,
    );
    ticker.unref();
    const freedHosts: string[] = [];
    let lastFullClaim = 0;
    let lastProgress = 0;
    const claimTimer = setInterval(signalWake, FULL_CLAIM_EVERY_MS);
    claimTimer.unref();

    try {
      while (!stop.signal.aborted) {
        const free = maxTasks - inFlight.size;
        // A full claim (one scan over the queue) now and then picks up new hosts; in between, only the
        // hosts whose task just ended are asked for their next item (an index seek each).
        const now = Date.now();
        const full = !politeness || inFlight.size === 0 || now - lastFullClaim >= FULL_CLAIM_EVERY_MS;
        const hosts = full ? undefined : freedHosts.splice(0);
        if (full) {
          lastFullClaim = now;
          freedHosts.length = 0;
        }
        const claimed =
          free > 0
            ? frontier.claim(runId, {
                limit: free,
                busyHosts,
                onePerHost: politeness,
                leaseMs: opts.leaseMs ?? 300_000,
                owner: String(pid),
                hosts,
              })
            : [];
        for (const item of claimed) startTask(item);
        if (inFlight.size === 0) break; // nothing in flight and nothing claimable: the run is complete
        await woken;
      }
      // A task that ends may start its host's next item in its place: wait until none is left.
      while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
    } finally {
      clearInterval(ticker);
      clearInterval(claimTimer);
      stop.signal.removeEventListener("abort", onAbort);
    }
    /** Runs one leased item; when it ends, the host's next item (leased with its end state) follows. */
    function startTask(item: FrontierItem): void {
      const running = (hostTasks.get(item.host) ?? 0) + 1;
      hostTasks.set(item.host, running);
      if (running >= hostLimit(item)) busyHosts.add(item.host);
      let next: FrontierItem | null = null;
      const task = processItem(ctx, item)
        .then((leased) => {
          next = leased;
        })
        .catch((raw: Error) => {
          const storageError = frontierStorageError(raw, opts.dbPath);
          const giveUp = (err: NianbaoError) => {
            // Storage failed: stop the whole crawl, put this item back, report the error as is.
            failure.error ??= err;
            stop.abort();
            releaseQuietly(item.id);
          };
          if (storageError) return giveUp(storageError);
          opts.logger.error({ url: item.url, err: raw.message, stack: raw.stack }, "crawl task failed");
          try {
            frontier.complete(
              runId,
              item.id,
              {
                state: "failed",
                outcome: "failed",
                reason: `internal: ${raw.message}`,
                fetchId: null,
                change: null,
              },
              [],
            );
          } catch (err) {
            giveUp(
              frontierStorageError(err, opts.dbPath) ??
                new NianbaoError(
                  "input_unreadable",
                  `the frontier could not be written: ${(err as Error).message}`,
                  "run the crawl again; it resumes",
                  1,
                ),
            );
          }
        })
        .finally(() => {
          inFlight.delete(item.id);
          const left = (hostTasks.get(item.host) ?? 1) - 1;
          if (left > 0) hostTasks.set(item.host, left);
          else hostTasks.delete(item.host);
          busyHosts.delete(item.host);
          const leased = next as FrontierItem | null;
          if (leased && !stop.signal.aborted) startTask(leased);
          else {
            if (leased) releaseQuietly(leased.id);
            freedHosts.push(item.host);
          }
          if (opts.onProgress && Date.now() - lastProgress >= 200) {
            lastProgress = Date.now();
            progress();
          }
          signalWake();
        });
      inFlight.set(item.id, task);
    }
    /** Back to the queue; on a storage failure the next start releases it anyway. */
    function releaseQuietly(id: number): void {
      try {
        frontier.release(id);
      } catch {
        // The lease is released on the next start.
      }
    }
    if (failure.error) {
      opts.logger.error(
        { code: failure.error.code, err: failure.error.message },
        "crawl stopped: storage failed",
      );
      throw failure.error;
    }

    const interrupted = stop.signal.aborted && frontier.pendingCount(runId) > 0;
    const items = frontier.items(runId);
    const openHosts = new Set(gate.openHosts());
    const sites = opts.sites.map((s) => summariseSite(s, items, openHosts, startedAt));
    const finishedAt = new Date().toISOString();
    const summary: CrawlRunSummary = {
      runId,
      startedAt,
      finishedAt,
      durationMs: Date.now() - Date.parse(startedAt),
      interrupted,
      resumed,
      sites,
      unhealthy: sites.filter((s) => !s.healthy).map((s) => s.site),
      totals: {
        pages: sites.reduce((a, s) => a + s.pages, 0),
        reportsFound: sites.reduce((a, s) => a + s.reportsFound, 0),
        failed: sites.reduce((a, s) => a + Object.values(s.failures).reduce((x, y) => x + y, 0), 0),
        blocked: sites.reduce((a, s) => a + s.blocked, 0),
        skipped: sites.reduce((a, s) => a + Object.values(s.skipped).reduce((x, y) => x + y, 0), 0),
        pending: sites.reduce((a, s) => a + s.pending, 0),
      },
    };
    if (!interrupted) {
      frontier.finishRun(runId);
      frontier.pruneFinishedRuns(FRONTIER_RUNS_KEPT);
    }
    await opts.archive.finishRun(runId, summary);
    opts.logger.info(
      { event: "summary", ...summary, this_process_ms: Date.now() - started },
      "crawl run summary",
    );
    const clean =
      summary.totals.failed === 0 && summary.totals.blocked === 0 && summary.unhealthy.length === 0;
    return { summary, exitCode: clean ? 0 : 1 };
  } finally {
    opts.signal?.removeEventListener("abort", onCallerAbort);
    if (browser) await browser.close();
    try {
      lock.release();
    } finally {
      db.close();
    }
  }
}
