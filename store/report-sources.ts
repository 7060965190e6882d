// The sources of one report (its page, its attachments) as stored: reads each source's latest version
// back, and records which one is primary, which are second sources, and where they disagree.
import type { Cell, Fact, ReportRecord, TemplateId } from "../extract/schema.ts";
import type { StoreDb } from "./open-store.ts";
import type { StoredPage } from "./report-queries.ts";
import type { SourceBasis, SourceFormat } from "./schema-migrations.ts";
import { statement } from "./statement-cache.ts";

/** One source of a report: the latest version read from one URL. */
export interface SourceVersion {
  versionId: number;
  sourceUrl: string;
  sourceFormat: SourceFormat;
  linkedFrom: string | null;
  /** The registry site it was crawled from; null when imported. */
  siteSlug: string | null;
  title: string | null;
  publishedAt: string | null;
  /** The first version stored from this URL (its order of first appearance). */
  firstVersionId: number;
}

/** A source with enough of its record to compare. */
export interface StoredSource extends SourceVersion {
  /** The stored version as a record: metadata, values, keyed cells and facts (no text or headings). */
  record: ReportRecord;
}

interface VersionRow {
  id: number;
  source_url: string;
  source_format: SourceFormat;
  linked_from_url: string | null;
  extractor_version: string;
  title: string | null;
  agency: string | null;
  report_year: number | null;
  published_at: string | null;
  doc_number: string | null;
  is_annual_report: number;
  template: TemplateId;
}

function storedRecord(db: StoreDb, versionId: number): ReportRecord {
  const v = statement(
    db,
    `SELECT id, extractor_version, title, agency, report_year, published_at, doc_number, is_annual_report, template
     FROM report_versions WHERE id = ?`,
  ).get(versionId) as VersionRow;
  const values = Object.fromEntries(
    statement(db, "SELECT key, value FROM report_values WHERE version_id = ?").raw().all(v.id) as [
      string,
      number,
    ][],
  );
  const cells = (
    statement(
      db,
      `SELECT table_no AS "table", table_index, row, col, row_label, col_label, raw, value, key
       FROM cells WHERE version_id = ? AND key IS NOT NULL ORDER BY position`,
    ).all(v.id) as Cell[]
  ).map((c) => ({ ...c, value: c.value === null ? null : Number(c.value) }));
  const facts = (
    statement(
      db,
      "SELECT key, value, approx, sentence, text_offset AS offset FROM facts WHERE version_id = ? ORDER BY position",
    ).all(v.id) as (Omit<Fact, "approx"> & { approx: number })[]
  ).map((f) => ({ ...f, value: Number(f.value), approx: f.approx === 1 }));
  return {
    extractor_version: v.extractor_version,
    title: v.title,
    agency: v.agency,
    report_year: v.report_year,
    published_at: v.published_at,
    doc_number: v.doc_number,
    is_annual_report: v.is_annual_report === 1,
    template: v.template,
    metadata_notes: {},
    headings: [],
    values,
    cells,
    facts,
    checks: [],
    flags: [],
    text: "",
  };
}

/** The latest annual-report version from each URL that gave this report, oldest URL first (cheap). */
export function reportSourceVersions(db: StoreDb, reportId: number): SourceVersion[] {
  const rows = statement(
    db,
    `SELECT v.id, v.source_url, v.source_format, v.linked_from_url, v.site_slug, v.title, v.published_at,
            (SELECT MIN(w.id) FROM report_versions w WHERE w.report_id = v.report_id AND w.source_url = v.source_url) AS first_id
     FROM report_versions v
     WHERE v.report_id = ? AND v.is_annual_report = 1
       AND v.id = (SELECT MAX(w.id) FROM report_versions w WHERE w.report_id = v.report_id AND w.source_url = v.source_url)
     ORDER BY v.id`,
  ).all(reportId) as (Pick<
    VersionRow,
    "id" | "source_url" | "source_format" | "linked_from_url" | "title" | "published_at"
  > & { site_slug: string | null; first_id: number })[];
  return rows.map((v) => ({
    versionId: v.id,
    sourceUrl: v.source_url,
    sourceFormat: v.source_format,
    linkedFrom: v.linked_from_url,
    siteSlug: v.site_slug,
    title: v.title,
    publishedAt: v.published_at,
    firstVersionId: v.first_id,
  }));
}

/** The report's own site (where it was first crawled), its agency, and the registry agency of each site. */
export function reportSite(
  db: StoreDb,
  reportId: number,
): { siteSlug: string | null; agency: string | null; siteAgencies: Map<string, string> } {
  const r = statement(db, "SELECT site_slug, agency FROM reports WHERE id = ?").get(reportId) as
    | { site_slug: string | null; agency: string | null }
    | undefined;
  const siteAgencies = new Map(
    statement(
      db,
      `SELECT s.slug, s.agency FROM sites s
       WHERE s.slug IN (SELECT DISTINCT site_slug FROM report_versions WHERE report_id = ? AND site_slug IS NOT NULL)`,
    )
      .raw()
      .all(reportId) as [string, string][],
  );
  return { siteSlug: r?.site_slug ?? null, agency: r?.agency ?? null, siteAgencies };
}

/** A source with its stored record read back, for comparing sources. */
export function withStoredRecord(db: StoreDb, source: SourceVersion): StoredSource {
  return { ...source, record: storedRecord(db, source.versionId) };
}

/** The live report a page's latest version belongs to (to file an attachment linked from it). */
export function reportOfPage(
  db: StoreDb,
  pageUrl: string,
): { reportId: number; agency: string | null; reportYear: number | null } | null {
  const row = statement(
    db,
    `SELECT r.id, v.agency, v.report_year FROM report_versions v JOIN reports r ON r.id = v.report_id
     WHERE v.source_url = ? AND v.is_annual_report = 1 AND r.superseded_by IS NULL
     ORDER BY v.id DESC LIMIT 1`,
  ).get(pageUrl) as { id: number; agency: string | null; report_year: number | null } | undefined;
  return row ? { reportId: row.id, agency: row.agency, reportYear: row.report_year } : null;
}

export interface SourceCheckRow {
  checkId: string;
  ok: boolean;
  /** The disagreeing key; null on the row that says every shared value agrees. */
  key: string | null;
  primaryVersionId: number;
  primaryValue: number | null;
  secondVersionId: number;
  secondValue: number | null;
  detail: string;
}

export interface SourceChoiceRows {
  primaryVersionId: number;
  /** Each source's own reason and basis when it has one (a correction's original, another site's copy). */
  sources: {
    versionId: number;
    role: "primary" | "second";
    completeness: number;
    reason?: string;
    basis?: SourceBasis;
  }[];
  reason: string;
  /** The report's own site, when the choice moved it (the agency's own site holds it too). */
  siteSlug?: string;
  checks: SourceCheckRow[];
  /** ISO 8601; defaults to now. */
  now?: string;
}

/**
 * Records a choice between a report's sources: the primary becomes the current version, the others are
 * kept as second sources, and the comparison replaces the report's earlier source checks.
 */
export function saveSourceChoice(db: StoreDb, reportId: number, choice: SourceChoiceRows): void {
  const now = choice.now ?? new Date().toISOString();
  db.transaction(() => {
    const primary = statement(
      db,
      "SELECT source_url, agency, report_year FROM report_versions WHERE id = ? AND report_id = ?",
    ).get(choice.primaryVersionId, reportId) as
      | { source_url: string; agency: string | null; report_year: number | null }
      | undefined;
    if (!primary)
      throw new RangeError(`version ${choice.primaryVersionId} is not a version of report ${reportId}`);
    statement(
      db,
      "UPDATE reports SET current_version_id = ?, source_url = ?, site_slug = COALESCE(?, site_slug) WHERE id = ?",
    ).run(choice.primaryVersionId, primary.source_url, choice.siteSlug ?? null, reportId);
    statement(db, "DELETE FROM report_sources WHERE report_id = ?").run(reportId);
    statement(db, "DELETE FROM source_checks WHERE report_id = ?").run(reportId);
    const source = statement(
      db,
      "INSERT INTO report_sources (report_id, version_id, role, completeness, reason, chosen_at, basis) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    for (const s of choice.sources)
      source.run(
        reportId,
        s.versionId,
        s.role,
        s.completeness,
        s.reason ?? choice.reason,
        now,
        s.basis ?? "tables",
      );
    const check = statement(
      db,
      `INSERT INTO source_checks (report_id, position, check_id, ok, key, primary_version_id, primary_value,
         second_version_id, second_value, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    choice.checks.forEach((c, i) => {
      check.run(
        reportId,
        i,
        c.checkId,
        c.ok ? 1 : 0,
        c.key,
        c.primaryVersionId,
        c.primaryValue,
        c.secondVersionId,
        c.secondValue,
        c.detail,
      );
    });
  }).immediate();
}

/** What the latest version from this URL was read from and linked from (re-extraction keeps both). */
export function sourceOfUrl(
  db: StoreDb,
  sourceUrl: string,
): { sourceFormat: SourceFormat; linkedFrom: string | null } | null {
  const row = statement(
    db,
    "SELECT source_format, linked_from_url FROM report_versions WHERE source_url = ? ORDER BY id DESC LIMIT 1",
  ).get(sourceUrl) as { source_format: SourceFormat; linked_from_url: string | null } | undefined;
  return row ? { sourceFormat: row.source_format, linkedFrom: row.linked_from_url } : null;
}

/** The second sources of live reports, as `storedPages` lists current versions (for `reextract`). */
export function secondSourcePages(db: StoreDb): StoredPage[] {
  return statement(
    db,
    `SELECT r.id AS reportId, v.id AS versionId, v.fetch_id AS fetchId, v.body_sha256 AS sha256, v.source_url AS sourceUrl,
            f.content_type AS contentType, r.site_slug AS siteSlug
     FROM report_sources s JOIN reports r ON r.id = s.report_id JOIN report_versions v ON v.id = s.version_id
     LEFT JOIN fetches f ON f.id = v.fetch_id
     WHERE s.role = 'second' AND r.superseded_by IS NULL AND v.body_sha256 IS NOT NULL ORDER BY r.id, v.id`,
  ).all() as StoredPage[];
}
