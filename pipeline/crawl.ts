// `crawl`: wires the crawler to the store through the crawler's archive port, and extracts each
// fetched report (page or attachment) into the store as it arrives. The only module that knows both sides.
import type { Logger } from "pino";
import { type ArchivePort, EXTRACT_TIMEOUT, type FetchRecord } from "../crawler/archive-port.ts";
import { type CrawlOptions, type CrawlResult, runCrawl } from "../crawler/crawl-engine.ts";
import type { CrawlRunSummary } from "../crawler/crawl-summary.ts";
import { decodeBody } from "../crawler/decode/decode-body.ts";
import { ATTACHMENT_TYPES } from "../crawler/fetch/magic-type.ts";
import { extractReport } from "../extract/index.ts";
import type { ReportRecord } from "../extract/schema.ts";
import {
  finishRun,
  getBody,
  judgeWithdrawals,
  type LatestFetch,
  latestFetchFor,
  markFetchOutcome,
  type OpenStoreOptions,
  type SourceFormat,
  type Store,
  saveFetch,
  saveReport,
  saveSites,
  siteSourceChanges,
  startRun,
  withStoreErrors,
} from "../store/index.ts";
import { ExtractThread, ExtractTimeoutError } from "./extract-thread.ts";
import { openDatabase } from "./open-database.ts";
import { fileUnderLinkingPage, settleSources } from "./settle-sources.ts";

export interface CrawlIntoStoreOptions extends Omit<CrawlOptions, "archive" | "dbPath"> {
  dbPath: string;
  /** Extract report pages and attachments into report versions as they are fetched (default true). */
  extract?: boolean;
  /** How the store is opened (busy timeout; a page cap lets tests fill the "disk"). */
  store?: Omit<OpenStoreOptions, "readonly">;
  /** How attachments are read (LibreOffice, time budget). */
  attachments?: AttachmentReading;
  /** Time budget for extracting one report page, in its worker thread (default 30 s). */
  extractBudgetMs?: number;
}

/** How attachments are read during a crawl. */
export interface AttachmentReading {
  /** Path of soffice, false to read only what the JS readers can; default: looked up when a reader needs it. */
  soffice?: string | false;
  /** Budget per attachment, LibreOffice included (default 30 s). */
  timeoutMs?: number;
}

interface ExtractContext {
  store: Store;
  logger: Logger;
  reading: AttachmentReading;
  /** Report pages are extracted here, off the crawl's event loop; null: on it (tests of the store side). */
  thread: ExtractThread | null;
}

/** Extracts a fetched report or attachment into the store; says when the page ran over its budget. */
async function extractFetched(
  ctx: ExtractContext,
  rec: FetchRecord,
  fetchId: number,
): Promise<typeof EXTRACT_TIMEOUT | undefined> {
  const { store, logger } = ctx;
  if (rec.outcome !== "ok" || !rec.body) return;
  let record: ReportRecord | null = null;
  let sourceFormat: SourceFormat = "html";
  let linkedFrom: string | null = null;
  try {
    if (rec.kind === "report" && rec.fileType === "html") {
      const text = decodeBody(rec.body, rec.contentType).text;
      const input = { content: text, fileName: rec.finalUrl, contentType: rec.contentType ?? undefined };
      record = ctx.thread ? await ctx.thread.extract(input) : extractReport(input);
    } else if (
      (rec.kind === "attachment" || rec.kind === "report") &&
      rec.fileType &&
      ATTACHMENT_TYPES.has(rec.fileType)
    ) {
      // Loaded on first use: the attachment readers (pdfjs, mammoth) are heavy and many crawls fetch none.
      const { extractAttachment } = await import("./extract-attachment.ts");
      linkedFrom = rec.linkedFrom;
      const version = await extractAttachment(
        { bytes: rec.body, source: rec.finalUrl, linkedFrom },
        { soffice: ctx.reading.soffice, timeoutMs: ctx.reading.timeoutMs ?? 30_000 },
      );
      // The crawler's type knows WPS and ET by their extension (the bytes are DOC and XLS).
      sourceFormat = rec.fileType as SourceFormat;
      const read = version.record;
      record = withStoreErrors(store.path, () => fileUnderLinkingPage(store.db, read, linkedFrom));
    }
  } catch (err) {
    if (err instanceof ExtractTimeoutError) {
      const reason = `${err.message}; run \`nianbao reextract\` to try again`;
      withStoreErrors(store.path, () => markFetchOutcome(store.db, fetchId, EXTRACT_TIMEOUT, reason));
      logger.warn(
        { url: rec.url, budget_ms: err.budgetMs },
        "extraction over its time budget; archived for reextract",
      );
      return EXTRACT_TIMEOUT;
    }
    logger.warn(
      { url: rec.url, err: (err as Error).message },
      "extraction failed; the body is archived for reextract",
    );
    return;
  }
  if (!record?.is_annual_report) return;
  const saved = withStoreErrors(store.path, () =>
    saveReport(store.db, {
      record,
      sourceUrl: rec.finalUrl,
      fetchId,
      bodySha256: rec.sha256,
      siteSlug: rec.siteSlug,
      sourceFormat,
      linkedFrom,
    }),
  );
  if (saved.status === "unchanged") return;
  const settled = withStoreErrors(store.path, () => settleSources(store.db, saved.reportId));
  if (settled?.disagreements)
    logger.info(
      { url: rec.finalUrl, report_id: saved.reportId, disagreements: settled.disagreements },
      "the report's page and attachment disagree",
    );
}

/**
 * What the run did to each site's reports beyond its pages: withdrawals judged from the run's fetches,
 * corrections and other sites' copies kept as second sources. Written into the summary the run stores
 * and prints. An interrupted run judges no withdrawals (its lists were not read to the end).
 */
function addReportChanges(db: Store["db"], runId: number, summary: CrawlRunSummary): void {
  for (const site of summary.sites) {
    const withdrawals = judgeWithdrawals(db, {
      siteSlug: site.site,
      runId,
      listComplete: site.listComplete && !summary.interrupted,
      at: summary.finishedAt,
    });
    site.reports = { ...siteSourceChanges(db, site.site, runId), ...withdrawals };
    // A report gone from its site is news for the operator that night (exit 1); later runs keep it
    // listed as withdrawn without failing again.
    if (withdrawals.withdrawnNew > 0) {
      site.healthy = false;
      site.unhealthyReasons.push(
        `${withdrawals.withdrawnNew} report${withdrawals.withdrawnNew > 1 ? "s" : ""} withdrawn from the site (kept; see v_withdrawn_reports)`,
      );
      if (!summary.unhealthy.includes(site.site)) summary.unhealthy.push(site.site);
    }
  }
}

/** The store side of the crawler's archive port. */
export function storeArchive(
  store: Store,
  logger: Logger,
  extract: boolean,
  reading: AttachmentReading = {},
  thread: ExtractThread | null = null,
): ArchivePort {
  const { db } = store;
  const ctx: ExtractContext = { store, logger, reading, thread };
  // Store failures (disk full, locked) become NianbaoErrors: the crawler stops on those at once.
  const guarded = <T>(fn: () => T): T => withStoreErrors(store.path, fn);
  // A URL fetched earlier in this same run is fetched again only when the run was cut off (kill -9) after
  // that fetch was archived, perhaps before its extraction: such a fetch is not asked conditionally and
  // not taken as "unchanged", so the resumed run extracts it (saving the same report twice is a no-op).
  const currentRun = db.prepare("SELECT max(id) FROM crawl_runs").pluck();
  const cutOff = (last: LatestFetch | null, runId: unknown) =>
    last !== null && runId != null && last.run_id === runId;
  const seenStmt = db.prepare(
    "SELECT 1 FROM fetches WHERE url = ? AND (run_id IS NULL OR run_id <> ?) AND outcome IN ('ok', 'not_modified') LIMIT 1",
  );
  return {
    startRun: ({ startedAt, options }) => guarded(() => startRun(db, options, startedAt)),
    finishRun: (runId, summary) =>
      guarded(() => {
        addReportChanges(db, runId, summary);
        finishRun(db, runId, summary);
      }),
    async saveFetch(rec) {
      const previous = rec.body ? guarded(() => latestFetchFor(db, rec.url)) : null;
      const saved = guarded(() =>
        saveFetch(db, {
          url: rec.url,
          finalUrl: rec.finalUrl,
          status: rec.status,
          headers: rec.headers,
          contentType: rec.contentType,
          encoding: rec.encoding,
          body: rec.body,
          fetchedAt: rec.fetchedAt,
          runId: rec.runId,
          siteSlug: rec.siteSlug,
          outcome: rec.outcome,
          reason: rec.reason,
        }),
      );
      const change =
        !rec.body || rec.outcome !== "ok"
          ? null
          : !previous
            ? "new"
            : previous.sha256 === saved.sha256
              ? "unchanged"
              : "changed";
      const again = cutOff(previous, rec.runId);
      const extractOutcome =
        extract && (change !== "unchanged" || again)
          ? await extractFetched(ctx, rec, saved.fetchId)
          : undefined;
      return { fetchId: saved.fetchId, change, extractOutcome };
    },
    previousValidators(url) {
      const last = guarded(() => latestFetchFor(db, url));
      const thisRun = guarded(() => currentRun.get());
      if (extract && cutOff(last, thisRun)) return null;
      return last && (last.etag || last.last_modified)
        ? { etag: last.etag, lastModified: last.last_modified }
        : null;
    },
    previousBody(url) {
      const last = guarded(() => latestFetchFor(db, url));
      const body = last?.sha256 ? guarded(() => getBody(db, last.sha256!)) : null;
      return last && body ? { body, contentType: last.content_type, finalUrl: last.final_url ?? url } : null;
    },
    seenBefore: (url, runId) => guarded(() => seenStmt.get(url, runId) !== undefined),
  };
}

export async function crawlIntoStore(opts: CrawlIntoStoreOptions): Promise<CrawlResult> {
  const store = openDatabase(opts.dbPath, opts.store);
  let thread: ExtractThread | null = null;
  try {
    withStoreErrors(store.path, () => saveSites(store.db, opts.sites));
    const extract = opts.extract ?? true;
    thread = extract ? new ExtractThread(opts.extractBudgetMs ?? 30_000) : null;
    const archive = storeArchive(store, opts.logger, extract, opts.attachments, thread);
    return await runCrawl({ ...opts, archive });
  } finally {
    await thread?.close();
    store.close();
  }
}
