// Stores one extraction (a ReportRecord) as a report version with its sections, cells, facts, values,
// checks and flags. A version is added only when body, extractor or output changed; nothing is overwritten.
import { createHash } from "node:crypto";
import type { ReportRecord } from "../extract/schema.ts";
import { linkReportAgency } from "./agencies/agency-links.ts";
import type { StoreDb } from "./open-store.ts";
import { SOURCE_FORMATS, type SourceFormat, versionCountsInsertSql } from "./schema-migrations.ts";
import { statement } from "./statement-cache.ts";

export interface SaveReportInput {
  record: ReportRecord;
  /** Where the page came from (http(s) URL or file: URL): the report's identity when agency/year are unknown. */
  sourceUrl: string;
  fetchId?: number | null;
  bodySha256?: string | null;
  siteSlug?: string | null;
  /** What the version was read from; default: the record's attachment_<format> flag, else txt/html by URL. */
  sourceFormat?: SourceFormat;
  /** For an attachment: the page that linked to it; default: what the last version from this URL said. */
  linkedFrom?: string | null;
  /** ISO 8601; defaults to now. */
  now?: string;
  /** recordSha256(record), when already computed (an import hashes in its worker threads). */
  recordSha256?: string;
}

export type SaveStatus = "new" | "changed" | "unchanged";

export interface SavedReport {
  reportId: number;
  versionId: number;
  /** new: first version of a new report; changed: a new version of a known report; unchanged: nothing added. */
  status: SaveStatus;
  /** The version that was current before, for change reports. */
  previousVersionId: number | null;
  /**
   * The page came from another site than the report's own (which printed it first): it is kept as a
   * second source and the current version stays. settleSources compares the two.
   */
  otherSite?: string;
}

/**
 * A report is (agency, report_year). Without both — or for a page that is not an annual report —
 * the source URL is the key, so two unidentified pages are never merged.
 */
export function reportKey(
  record: Pick<ReportRecord, "agency" | "report_year" | "is_annual_report">,
  sourceUrl: string,
): string {
  if (record.is_annual_report && record.agency && record.report_year !== null)
    return `${record.agency}|${record.report_year}`;
  return `url:${sourceUrl}`;
}

export function recordSha256(record: ReportRecord): string {
  return createHash("sha256").update(JSON.stringify(record)).digest("hex");
}

export interface SectionRow {
  level: number;
  label: string;
  title: string;
  offset: number;
  text: string;
}

/** Cuts the record text at its headings: text before the first heading is a level-0 section. */
export function splitSections(record: Pick<ReportRecord, "headings" | "text">): SectionRow[] {
  const text = record.text;
  const heads = [...record.headings].sort((a, b) => a.offset - b.offset);
  const out: SectionRow[] = [];
  const first = Math.min(heads[0]?.offset ?? text.length, text.length);
  if (first > 0) out.push({ level: 0, label: "", title: "", offset: 0, text: text.slice(0, first) });
  heads.forEach((h, i) => {
    const start = Math.min(h.offset, text.length);
    const end = Math.max(start, Math.min(heads[i + 1]?.offset ?? text.length, text.length));
    out.push({ level: h.level, label: h.label, title: h.title, offset: start, text: text.slice(start, end) });
  });
  return out;
}

const KNOWN_FORMATS: ReadonlySet<string> = new Set(SOURCE_FORMATS);

/** The source format a record shows by itself: its attachment flag, else .txt or HTML by name. */
export function inferSourceFormat(record: Pick<ReportRecord, "flags">, sourceUrl: string): SourceFormat {
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(sourceUrl)?.[1]?.toLowerCase();
  for (const f of record.flags) {
    if (!f.id.startsWith("attachment_")) continue;
    const format = f.id.slice("attachment_".length);
    if (format === "text") return "txt";
    // WPS and ET files are DOC and XLS bytes: only the name tells them apart, as in the crawler's type.
    if ((format === "doc" && extension === "wps") || (format === "xls" && extension === "et"))
      return extension;
    if (KNOWN_FORMATS.has(format)) return format as SourceFormat;
  }
  return extension === "txt" ? "txt" : "html";
}

interface ReportRow {
  id: number;
  report_key: string;
  current_version_id: number | null;
  site_slug: string | null;
}

function insertVersionChildren(db: StoreDb, versionId: number, record: ReportRecord): void {
  const section = statement(
    db,
    "INSERT INTO sections (version_id, position, level, label, title, text_offset, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  const fts = statement(db, "INSERT INTO report_text_fts (rowid, title, text) VALUES (?, ?, ?)");
  splitSections(record).forEach((s, i) => {
    const id = section.run(versionId, i, s.level, s.label, s.title, s.offset, s.text).lastInsertRowid;
    fts.run(id, s.title, s.text);
  });
  if (record.cells.length) {
    // Labels and keys are stored once (cell_labels); the cells refer to them by id. One indexed
    // lookup per distinct text is 5× faster than matching the whole list through json_each.
    const find = statement(db, "SELECT id FROM cell_labels WHERE text = ?").pluck();
    const add = statement(db, "INSERT INTO cell_labels (text) VALUES (?)");
    const ids = new Map<string, number>();
    const idOf = (text: string): number => {
      let id = ids.get(text);
      if (id === undefined) {
        id = (find.get(text) as number | undefined) ?? Number(add.run(text).lastInsertRowid);
        ids.set(text, id);
      }
      return id;
    };
    for (const c of record.cells) {
      idOf(c.row_label);
      idOf(c.col_label);
      if (c.key !== null) idOf(c.key);
    }
    const cell = statement(
      db,
      `INSERT INTO table_cells (version_id, position, table_no, table_index, row, col, row_label_id, col_label_id, raw, value, key_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    record.cells.forEach((c, i) => {
      const key = c.key === null ? null : ids.get(c.key);
      cell.run(
        versionId,
        i,
        c.table,
        c.table_index,
        c.row,
        c.col,
        ids.get(c.row_label),
        ids.get(c.col_label),
        c.raw,
        c.value,
        key,
      );
    });
  }
  const fact = statement(
    db,
    "INSERT INTO facts (version_id, position, key, value, approx, sentence, text_offset) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  record.facts.forEach((f, i) => {
    fact.run(versionId, i, f.key, f.value, f.approx ? 1 : 0, f.sentence, f.offset);
  });
  const proseKeys = new Set(record.facts.filter((f) => !f.approx).map((f) => f.key));
  const tableKeys = new Set(record.cells.map((c) => c.key).filter((k): k is string => k !== null));
  const value = statement(
    db,
    "INSERT INTO report_values (version_id, key, value, source) VALUES (?, ?, ?, ?)",
  );
  for (const [key, v] of Object.entries(record.values)) {
    value.run(versionId, key, v, !tableKeys.has(key) && proseKeys.has(key) ? "prose" : "table");
  }
  const check = statement(
    db,
    "INSERT INTO checks (version_id, position, check_id, ok, detail) VALUES (?, ?, ?, ?, ?)",
  );
  record.checks.forEach((c, i) => {
    check.run(versionId, i, c.id, c.ok ? 1 : 0, c.detail);
  });
  const flag = statement(db, "INSERT INTO flags (version_id, position, flag_id, detail) VALUES (?, ?, ?, ?)");
  record.flags.forEach((f, i) => {
    flag.run(versionId, i, f.id, f.detail);
  });
  statement(db, versionCountsInsertSql()).run(versionId);
}

/** The live report whose current version came from `sourceUrl` (to follow a page whose key changed). */
function reportFromSource(db: StoreDb, sourceUrl: string): ReportRow | undefined {
  // From the versions of that URL (an index seek) to their report (a version's report_id is the report
  // that may point at it): SQLite otherwise scanned every report on every save, O(n) per imported file.
  return statement(
    db,
    `SELECT r.id, r.report_key, r.current_version_id, r.site_slug FROM report_versions v CROSS JOIN reports r ON r.id = v.report_id
       WHERE v.source_url = ? AND r.current_version_id = v.id AND r.superseded_by IS NULL ORDER BY r.id LIMIT 1`,
  ).get(sourceUrl) as ReportRow | undefined;
}

/** Keyed table values read with a number (as tableCompleteness counts them in the record). */
function storedCompleteness(db: StoreDb, versionId: number): number {
  return statement(
    db,
    "SELECT COUNT(DISTINCT key_id) FROM table_cells WHERE version_id = ? AND key_id IS NOT NULL AND value IS NOT NULL",
  )
    .pluck()
    .get(versionId) as number;
}

/**
 * Records another site's copy as a second source in the same transaction as the version, so a crash
 * before settleSources still leaves the current version standing and the copy listed.
 */
function keepAsOtherSiteSource(
  db: StoreDb,
  report: ReportRow,
  versionId: number,
  site: string,
  now: string,
): void {
  const insert = statement(
    db,
    `INSERT OR IGNORE INTO report_sources (report_id, version_id, role, completeness, reason, chosen_at, basis)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const hasPrimary = statement(
    db,
    "SELECT 1 FROM report_sources WHERE report_id = ? AND role = 'primary'",
  ).get(report.id);
  if (!hasPrimary && report.current_version_id !== null)
    insert.run(
      report.id,
      report.current_version_id,
      "primary",
      storedCompleteness(db, report.current_version_id),
      `from the report's own site (${report.site_slug})`,
      now,
      "other_site",
    );
  insert.run(
    report.id,
    versionId,
    "second",
    storedCompleteness(db, versionId),
    `from another site (${site}) than the report's own (${report.site_slug})`,
    now,
    "other_site",
  );
}

/** Saves one extraction in one transaction (nested inside the caller's, if any). */
export function saveReport(db: StoreDb, input: SaveReportInput): SavedReport {
  const { record, sourceUrl } = input;
  const now = input.now ?? new Date().toISOString();
  const key = reportKey(record, sourceUrl);
  const recordHash = input.recordSha256 ?? recordSha256(record);
  return db
    .transaction((): SavedReport => {
      const saved = saveReportRows(db, input, key, recordHash, now);
      linkReportAgency(db, saved.reportId);
      return saved;
    })
    .immediate();
}

function saveReportRows(
  db: StoreDb,
  input: SaveReportInput,
  key: string,
  recordHash: string,
  now: string,
): SavedReport {
  const { record, sourceUrl } = input;
  let report = statement(
    db,
    "SELECT id, report_key, current_version_id, site_slug FROM reports WHERE report_key = ?",
  ).get(key) as ReportRow | undefined;
  const prior = reportFromSource(db, sourceUrl);
  if (!report && prior) {
    // The same page now extracts to another key (e.g. the agency became readable): follow it.
    statement(db, "UPDATE reports SET report_key = ?, agency = ?, report_year = ? WHERE id = ?").run(
      key,
      record.agency,
      record.report_year,
      prior.id,
    );
    report = { ...prior, report_key: key };
  } else if (report && prior && prior.id !== report.id) {
    statement(db, "UPDATE reports SET superseded_by = ? WHERE id = ?").run(report.id, prior.id);
  }
  let status: SaveStatus = "changed";
  if (!report) {
    const id = statement(
      db,
      "INSERT INTO reports (report_key, agency, report_year, source_url, site_slug, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(key, record.agency, record.report_year, sourceUrl, input.siteSlug ?? null, now).lastInsertRowid;
    report = { id: Number(id), report_key: key, current_version_id: null, site_slug: input.siteSlug ?? null };
    status = "new";
  }
  // A report is an agency's report for a year on its site: a crawled page from another site naming the
  // same agency and year is kept beside it, never made current here (settleSources may move the report
  // to the agency's own site, with its reason).
  const otherSite =
    input.siteSlug &&
    report.site_slug &&
    input.siteSlug !== report.site_slug &&
    report.current_version_id !== null
      ? input.siteSlug
      : undefined;
  const existing = statement(
    db,
    "SELECT id FROM report_versions WHERE report_id = ? AND body_sha256 IS ? AND extractor_version = ? AND record_sha256 = ?",
  ).get(report.id, input.bodySha256 ?? null, record.extractor_version, recordHash) as
    | { id: number }
    | undefined;
  if (existing) {
    // Unchanged, or a version the source choice keeps as second source (e.g. the page beside its
    // PDF, extracted again): the current version stays.
    const second =
      existing.id !== report.current_version_id &&
      statement(
        db,
        "SELECT 1 FROM report_sources WHERE report_id = ? AND version_id = ? AND role = 'second'",
      ).get(report.id, existing.id) !== undefined;
    if (existing.id === report.current_version_id || second || otherSite) {
      return {
        reportId: report.id,
        versionId: existing.id,
        status: "unchanged",
        previousVersionId: report.current_version_id,
        ...(otherSite ? { otherSite } : {}),
      };
    }
    // An earlier version is what this page extracts to again (e.g. a bad extractor release was
    // reverted): point back at it rather than store a copy.
    statement(
      db,
      "UPDATE reports SET current_version_id = ?, agency = ?, report_year = ?, source_url = ? WHERE id = ?",
    ).run(existing.id, record.agency, record.report_year, sourceUrl, report.id);
    return {
      reportId: report.id,
      versionId: existing.id,
      status: "changed",
      previousVersionId: report.current_version_id,
    };
  }
  const versionId = Number(
    statement(
      db,
      `INSERT INTO report_versions (report_id, fetch_id, body_sha256, source_url, extractor_version, record_sha256, created_at, title, agency,
         report_year, published_at, doc_number, is_annual_report, template, metadata_notes_json, text_chars,
         source_format, linked_from_url, site_slug)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
         COALESCE(?, (SELECT linked_from_url FROM report_versions WHERE source_url = ? AND linked_from_url IS NOT NULL ORDER BY id DESC LIMIT 1)), ?)`,
    ).run(
      report.id,
      input.fetchId ?? null,
      input.bodySha256 ?? null,
      sourceUrl,
      record.extractor_version,
      recordHash,
      now,
      record.title,
      record.agency,
      record.report_year,
      record.published_at,
      record.doc_number,
      record.is_annual_report ? 1 : 0,
      record.template,
      JSON.stringify(record.metadata_notes),
      record.text.length,
      input.sourceFormat ?? inferSourceFormat(record, sourceUrl),
      input.linkedFrom ?? null,
      sourceUrl,
      input.siteSlug ?? null,
    ).lastInsertRowid,
  );
  insertVersionChildren(db, versionId, record);
  if (otherSite) {
    keepAsOtherSiteSource(db, report, versionId, otherSite, now);
    return {
      reportId: report.id,
      versionId,
      status,
      previousVersionId: report.current_version_id,
      otherSite,
    };
  }
  statement(
    db,
    "UPDATE reports SET current_version_id = ?, agency = ?, report_year = ?, source_url = ?, site_slug = COALESCE(?, site_slug) WHERE id = ?",
  ).run(versionId, record.agency, record.report_year, sourceUrl, input.siteSlug ?? null, report.id);
  return { reportId: report.id, versionId, status, previousVersionId: report.current_version_id };
}
