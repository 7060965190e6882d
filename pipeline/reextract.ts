// `reextract`: runs the current extractor over every stored page again (no network) and saves a new
// report version where the output changed, returning what changed per report.
import { fileURLToPath } from "node:url";
import { decodeBody } from "../crawler/decode/decode-body.ts";
import { detectChallenge } from "../crawler/fetch/challenge-detect.ts";
import { extractReport, type ReportRecord } from "../extract/index.ts";
import {
  getBody,
  type SaveStatus,
  type Store,
  saveReport,
  secondSourcePages,
  sourceOfUrl,
  storedPages,
  toStoreError,
  type VersionDigest,
  versionDigest,
} from "../store/index.ts";
import { extractAttachmentBytes } from "./attachment-bytes.ts";
import { looksBinary } from "./extract-file.ts";
import { fileUnderLinkingPage, settleSources } from "./settle-sources.ts";

export interface ValueChange {
  key: string;
  before: number | null;
  after: number | null;
}

export interface ReportChange {
  reportId: number;
  sourceUrl: string;
  status: SaveStatus;
  agency: string | null;
  report_year: number | null;
  /** Metadata fields that changed: agency, report_year, template, is_annual_report. */
  metadata: { field: string; before: unknown; after: unknown }[];
  values: ValueChange[];
  checks_failing: { added: string[]; removed: string[] };
  flags: { added: string[]; removed: string[] };
}

export interface ReextractSummary {
  pages: number;
  /** Report pages and attachments archived without a report (crawled with --no-extract, or an older
   * extractor failed on or rejected them), extracted now; those still not a report are counted here. */
  notReports: number;
  /** Pages the crawl classed as an anti-bot challenge that the current detector still takes for one. */
  stillBlocked: number;
  changed: number;
  unchanged: number;
  /** Pages whose stored body is missing (should not happen; listed rather than fatal). */
  missing: string[];
  /** Pages the extractor failed on this time; their current version stays. */
  failed: { sourceUrl: string; message: string }[];
  changes: ReportChange[];
}

function setDiff(before: string[], after: string[]) {
  return {
    added: after.filter((x) => !before.includes(x)),
    removed: before.filter((x) => !after.includes(x)),
  };
}

export function diffDigests(
  before: VersionDigest,
  after: VersionDigest,
): Pick<ReportChange, "metadata" | "values" | "checks_failing" | "flags"> {
  const metadata = (["agency", "report_year", "template", "is_annual_report"] as const)
    .filter((f) => before[f] !== after[f])
    .map((field) => ({ field, before: before[field], after: after[field] }));
  const keys = [...new Set([...Object.keys(before.values), ...Object.keys(after.values)])].sort();
  const values = keys
    .filter((k) => before.values[k] !== after.values[k])
    .map((key) => ({ key, before: before.values[key] ?? null, after: after.values[key] ?? null }));
  return {
    metadata,
    values,
    checks_failing: setDiff(before.failed_checks, after.failed_checks),
    flags: setDiff(before.flags, after.flags),
  };
}

/** The name the extractor saw at import or crawl time: a path for files, the URL otherwise. */
function fileNameFor(sourceUrl: string): string {
  return sourceUrl.startsWith("file:") ? fileURLToPath(sourceUrl) : sourceUrl;
}

/** Extracts stored bytes the way they were first read: attachments by their readers, pages as text. */
async function extractStored(
  bytes: Uint8Array,
  sourceUrl: string,
  contentType: string | null,
): Promise<ReportRecord> {
  if (looksBinary(bytes)) return (await extractAttachmentBytes(bytes, sourceUrl)).record;
  const decoded = decodeBody(bytes, contentType);
  return extractReport({
    content: decoded.text,
    fileName: fileNameFor(sourceUrl),
    contentType: contentType ?? undefined,
  });
}

/** What a page without a report is compared against: every value shows as added. */
const EMPTY_DIGEST: VersionDigest = {
  agency: null,
  report_year: null,
  template: "",
  is_annual_report: false,
  values: {},
  failed_checks: [],
  flags: [],
};

interface UnreportedFetch {
  versionId: null;
  fetchId: number;
  sha256: string;
  sourceUrl: string;
  contentType: string | null;
  siteSlug: string | null;
  /** For an attachment the crawl fetched: the report page that linked to it (crawl_frontier.parent_url). */
  linkedFrom?: string | null;
  /** 'blocked' for a page the crawl took for a challenge: judged again before it is extracted. */
  outcome?: string;
  status?: number | null;
}

/**
 * The latest archived body of each URL that holds no report yet and may be one: imported files, and
 * fetches the crawl frontier marked as report pages or attachments (list pages are left out). This
 * query reads both the store's and the crawler's tables, which is why it lives in the pipeline.
 */
function fetchesWithoutReport(store: Store): UnreportedFetch[] {
  const { db } = store;
  const hasFrontier =
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'crawl_frontier'").get() !==
    undefined;
  // The frontier has no index on url and report_versions none on fetch_id: they are matched through
  // uncorrelated subqueries (read once each) rather than per fetch, which grew as fetches × rows.
  const crawled = hasFrontier
    ? `OR (f.outcome IN ('ok', 'blocked', 'extract_timeout') AND f.url IN (SELECT url FROM crawl_frontier WHERE kind IN ('report', 'attachment')))`
    : "";
  const hasParent =
    hasFrontier &&
    db.prepare("SELECT 1 FROM pragma_table_info('crawl_frontier') WHERE name = 'parent_url'").get() !==
      undefined;
  // The latest frontier row of each attachment URL that names its linking page (MAX picks that row).
  const parents = hasParent
    ? `LEFT JOIN (SELECT url, parent_url, MAX(id) FROM crawl_frontier
                  WHERE kind = 'attachment' AND parent_url IS NOT NULL GROUP BY url) p ON p.url = f.url`
    : "";
  return db
    .prepare(
      `SELECT NULL AS versionId, f.id AS fetchId, f.sha256 AS sha256,
              COALESCE(f.final_url, f.url) AS sourceUrl, f.content_type AS contentType, f.site_slug AS siteSlug,
              f.outcome AS outcome, f.status AS status,
              ${hasParent ? "p.parent_url" : "NULL"} AS linkedFrom
       FROM fetches f ${parents}
       WHERE f.sha256 IS NOT NULL
         AND f.id = (SELECT MAX(g.id) FROM fetches g WHERE g.url = f.url AND g.sha256 IS NOT NULL)
         AND (f.outcome = 'imported' ${crawled})
         AND NOT EXISTS (SELECT 1 FROM report_versions v WHERE v.source_url = COALESCE(f.final_url, f.url))
         AND f.id NOT IN (SELECT fetch_id FROM report_versions WHERE fetch_id IS NOT NULL)
       ORDER BY f.id`,
    )
    .all() as UnreportedFetch[];
}

export async function reextractAll(
  store: Store,
  onReport?: (change: ReportChange, index: number, total: number) => void,
): Promise<ReextractSummary> {
  const { db } = store;
  // Second sources (a page beside its PDF) are extracted again too, so the choice between them is redone.
  const pages = [...storedPages(db), ...secondSourcePages(db)];
  const summary: ReextractSummary = {
    pages: pages.length,
    notReports: 0,
    stillBlocked: 0,
    changed: 0,
    unchanged: 0,
    missing: [],
    failed: [],
    changes: [],
  };
  const unreported = fetchesWithoutReport(store);
  summary.pages += unreported.length;
  const total = summary.pages;
  for (const [i, p] of [...pages, ...unreported].entries()) {
    const bytes = getBody(db, p.sha256);
    if (!bytes) {
      summary.missing.push(p.sourceUrl);
      continue;
    }
    // A page classed blocked stays archived so that a better detector can judge it again here.
    if ("outcome" in p && p.outcome === "blocked") {
      const text = decodeBody(bytes, p.contentType).text;
      if (detectChallenge(p.status ?? 200, text)) {
        summary.stillBlocked++;
        continue;
      }
    }
    let record: ReportRecord;
    try {
      record = await extractStored(bytes, p.sourceUrl, p.contentType);
    } catch (err) {
      // A page the extractor (or an attachment reader) now fails on keeps its current version.
      summary.failed.push({ sourceUrl: p.sourceUrl, message: (err as Error).message });
      continue;
    }
    // An attachment keeps its format and linking page, and stays filed under that page's report.
    const source = sourceOfUrl(db, p.sourceUrl);
    const linkedFrom = source?.linkedFrom ?? ("linkedFrom" in p ? (p.linkedFrom ?? null) : null);
    record = fileUnderLinkingPage(db, record, linkedFrom);
    if (p.versionId === null && !record.is_annual_report) {
      summary.notReports++;
      continue;
    }
    try {
      const before = p.versionId === null ? null : versionDigest(db, p.versionId);
      const saved = saveReport(db, {
        record,
        sourceUrl: p.sourceUrl,
        fetchId: p.fetchId,
        bodySha256: p.sha256,
        siteSlug: p.siteSlug,
        sourceFormat: source?.sourceFormat,
        linkedFrom,
      });
      if (saved.status === "unchanged") {
        summary.unchanged++;
        continue;
      }
      settleSources(db, saved.reportId);
      const after = versionDigest(db, saved.versionId);
      const change: ReportChange = {
        reportId: saved.reportId,
        sourceUrl: p.sourceUrl,
        status: saved.status,
        agency: record.agency,
        report_year: record.report_year,
        ...diffDigests(before ?? EMPTY_DIGEST, after),
      };
      summary.changed++;
      summary.changes.push(change);
      onReport?.(change, i, total);
    } catch (err) {
      throw toStoreError(err, store.path);
    }
  }
  return summary;
}
