// `crawl`: wires the crawler to the store through the crawler's archive port, and extracts each
// fetched report (page or attachment) into the store as it arrives. The only module that knows both sides.
import type { Logger } from "pino";
import type { ArchivePort, FetchRecord } from "../crawler/archive-port.ts";
import { type CrawlOptions, type CrawlResult, runCrawl } from "../crawler/crawl-engine.ts";
import { decodeBody } from "../crawler/decode/decode-body.ts";
import { extractReport } from "../extract/index.ts";
import type { ReportRecord } from "../extract/schema.ts";
import {
  finishRun,
  latestFetchFor,
  type OpenStoreOptions,
  type Store,
  saveFetch,
  saveReport,
  saveSites,
  startRun,
  withStoreErrors,
} from "../store/index.ts";
import { openDatabase } from "./open-database.ts";

export interface CrawlIntoStoreOptions extends Omit<CrawlOptions, "archive" | "dbPath"> {
  dbPath: string;
  /** Extract report pages and attachments into report versions as they are fetched (default true). */
  extract?: boolean;
  /** How the store is opened (busy timeout; a page cap lets tests fill the "disk"). */
  store?: Omit<OpenStoreOptions, "readonly">;
}

const EXTRACTABLE_ATTACHMENTS = new Set(["pdf", "doc", "docx"]);

async function extractFetched(
  store: Store,
  rec: FetchRecord,
  fetchId: number,
  logger: Logger,
): Promise<void> {
  if (rec.outcome !== "ok" || !rec.body) return;
  let record: ReportRecord | null = null;
  try {
    if (rec.kind === "report" && rec.fileType === "html") {
      const text = decodeBody(rec.body, rec.contentType).text;
      record = extractReport({
        content: text,
        fileName: rec.finalUrl,
        contentType: rec.contentType ?? undefined,
      });
    } else if (
      (rec.kind === "attachment" || rec.kind === "report") &&
      rec.fileType &&
      EXTRACTABLE_ATTACHMENTS.has(rec.fileType)
    ) {
      // Loaded on first use: the attachment readers (pdfjs, mammoth) are heavy and many crawls fetch none.
      const { extractAttachment } = await import("./extract-attachment.ts");
      const version = await extractAttachment(
        { bytes: rec.body, source: rec.finalUrl },
        { soffice: false, timeoutMs: 10_000 },
      );
      record = version.record;
    }
  } catch (err) {
    logger.warn(
      { url: rec.url, err: (err as Error).message },
      "extraction failed; the body is archived for reextract",
    );
    return;
  }
  if (!record?.is_annual_report) return;
  withStoreErrors(store.path, () =>
    saveReport(store.db, {
      record,
      sourceUrl: rec.finalUrl,
      fetchId,
      bodySha256: rec.sha256,
      siteSlug: rec.siteSlug,
    }),
  );
}

/** The store side of the crawler's archive port. */
export function storeArchive(store: Store, logger: Logger, extract: boolean): ArchivePort {
  const { db } = store;
  // Store failures (disk full, locked) become NianbaoErrors: the crawler stops on those at once.
  const guarded = <T>(fn: () => T): T => withStoreErrors(store.path, fn);
  // A URL fetched earlier in this same run is fetched again only when the run was cut off (kill -9) after
  // that fetch was archived, perhaps before its extraction: such a fetch is not asked conditionally and
  // not taken as "unchanged", so the resumed run extracts it (saving the same report twice is a no-op).
  const runOfFetch = db.prepare("SELECT run_id FROM fetches WHERE id = ?").pluck();
  const currentRun = db.prepare("SELECT max(id) FROM crawl_runs").pluck();
  const cutOff = (fetchId: number, runId: unknown) => guarded(() => runOfFetch.get(fetchId)) === runId;
  const seenStmt = db.prepare(
    "SELECT 1 FROM fetches WHERE url = ? AND (run_id IS NULL OR run_id <> ?) AND outcome IN ('ok', 'not_modified') LIMIT 1",
  );
  return {
    startRun: ({ startedAt, options }) => guarded(() => startRun(db, options, startedAt)),
    finishRun: (runId, summary) => guarded(() => finishRun(db, runId, summary)),
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
      const again = previous !== null && cutOff(previous.fetchId, rec.runId);
      if (extract && (change !== "unchanged" || again)) await extractFetched(store, rec, saved.fetchId, logger);
      return { fetchId: saved.fetchId, change };
    },
    previousValidators(url) {
      const last = guarded(() => latestFetchFor(db, url));
      if (last && extract && cutOff(last.fetchId, guarded(() => currentRun.get()))) return null;
      return last && (last.etag || last.last_modified)
        ? { etag: last.etag, lastModified: last.last_modified }
        : null;
    },
    seenBefore: (url, runId) => guarded(() => seenStmt.get(url, runId) !== undefined),
  };
}

export async function crawlIntoStore(opts: CrawlIntoStoreOptions): Promise<CrawlResult> {
  const store = openDatabase(opts.dbPath, opts.store);
  try {
    saveSites(store.db, opts.sites);
    const archive = storeArchive(store, opts.logger, opts.extract ?? true);
    return await runCrawl({ ...opts, archive });
  } finally {
    store.close();
  }
}
