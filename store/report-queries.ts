// Read-side queries behind the researcher's commands: disclosure counts, one agency across years,
// full-text search (FTS5 trigram, LIKE for 1–2 character words), checks and store statistics.
import { NianbaoError } from "../core/errors.ts";
import { resolveAgency } from "./agencies/agency-links.ts";
import { DISCLOSURE_COLUMNS } from "./disclosure-columns.ts";
import type { StoreDb } from "./open-store.ts";
import { filterClause, type ReportFilter } from "./report-filter.ts";

export type Row = Record<string, string | number | null>;

export const EXPORTABLE_VIEWS = ["v_disclosure_counts", "v_report_values", "v_failed_checks"] as const;
export type ExportableView = (typeof EXPORTABLE_VIEWS)[number];

/** Accepts `disclosure_counts`, `v_disclosure_counts`, `disclosure-counts`. */
export function resolveView(name: string): ExportableView {
  const n = name.trim().toLowerCase().replace(/-/g, "_");
  const full = n.startsWith("v_") ? n : `v_${n}`;
  const found = EXPORTABLE_VIEWS.find((v) => v === full);
  if (!found) {
    throw new NianbaoError(
      "bad_usage",
      `unknown view "${name}"`,
      `choose one of: ${EXPORTABLE_VIEWS.map((v) => v.slice(2)).join(", ")}`,
    );
  }
  return found;
}

export function viewRows(
  db: StoreDb,
  view: ExportableView,
  filter: ReportFilter = {},
): { columns: string[]; rows: Row[] } {
  const order =
    view === "v_report_values"
      ? "report_id, key"
      : view === "v_failed_checks"
        ? "report_id, check_id"
        : "agency, report_year, report_id";
  const where = filterClause(db, filter);
  const stmt = db.prepare(`SELECT * FROM ${view} ${where.sql} ORDER BY ${order}`);
  const columns = stmt.columns().map((c) => c.name);
  return { columns, rows: stmt.all(...where.params) as Row[] };
}

/** The numeric columns of v_disclosure_counts that `compare` shows. */
export const COMPARE_COLUMNS = DISCLOSURE_COLUMNS.filter(
  (c) => c.type === "number" || c.name === "checks_failed",
).map((c) => c.name);

export interface AgencyComparison {
  /** The canonical agency name (淮安市洪泽区人民政府). */
  agency: string;
  agency_id: number;
  region_code: string | null;
  /** Every name the agency printed, and the name each year's report printed. */
  aliases: string[];
  printed_as: Record<string, string>;
  /** The report shown for each year. */
  report_ids: Record<string, number>;
  years: number[];
  /** One line per measure: the value for each year (null when the report does not give it). */
  rows: { column: string; values: Record<string, number | null> }[];
  templates: Record<string, string>;
}

/** One agency's annual reports by year: the canonical agency or any name it printed (see resolveAgency). */
export function compareAgency(
  db: StoreDb,
  agencyQuery: string | number,
  fromYear?: number,
  toYear?: number,
): AgencyComparison {
  const agency = resolveAgency(db, agencyQuery);
  const rows = db
    .prepare(
      `SELECT * FROM v_disclosure_counts WHERE agency_id = ? AND is_annual_report = 1 AND report_year IS NOT NULL
       AND report_year >= ? AND report_year <= ? ORDER BY report_year, report_id`,
    )
    .all(agency.id, fromYear ?? -9999, toYear ?? 9999) as Row[];
  // Two printed names for one year (two reports of one body) show the later-stored one, as a column per year.
  const byYear = new Map(rows.map((r) => [r.report_year as number, r]));
  const years = [...byYear.keys()];
  const perYear = [...byYear.values()];
  return {
    agency: agency.name,
    agency_id: agency.id,
    region_code: agency.region_code,
    aliases: agency.aliases,
    printed_as: Object.fromEntries(perYear.map((r) => [String(r.report_year), String(r.agency)])),
    report_ids: Object.fromEntries(perYear.map((r) => [String(r.report_year), r.report_id as number])),
    years,
    templates: Object.fromEntries(perYear.map((r) => [String(r.report_year), String(r.template)])),
    rows: COMPARE_COLUMNS.map((column) => ({
      column,
      values: Object.fromEntries(
        perYear.map((r) => [String(r.report_year), (r[column] as number | null) ?? null]),
      ),
    })),
  };
}

export interface SearchHit {
  report_id: number;
  agency: string | null;
  report_year: number | null;
  section_label: string;
  section_title: string;
  snippet: string;
  source_url: string;
}

function snippetAround(text: string, word: string, radius = 30): string {
  const at = Math.max(0, text.indexOf(word));
  const start = Math.max(0, at - radius);
  const end = Math.min(text.length, at + word.length + radius);
  return `${start > 0 ? "…" : ""}${text.slice(start, end).replace(/\s+/g, " ")}${end < text.length ? "…" : ""}`;
}

/** Sections of current reports holding every word. Words of 3+ characters use the trigram index. */
export function searchText(db: StoreDb, words: string[], limit = 50): SearchHit[] {
  const terms = words.map((w) => w.trim()).filter(Boolean);
  if (!terms.length)
    throw new NianbaoError(
      "bad_usage",
      "nothing to search for",
      "usage: nianbao search <words…>, e.g. nianbao search 行政复议",
    );
  const long = terms.filter((t) => [...t].length >= 3);
  const short = terms.filter((t) => [...t].length < 3);
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (long.length) {
    where.push("s.id IN (SELECT rowid FROM report_text_fts WHERE report_text_fts MATCH ?)");
    params.push(long.map((t) => `"${t.replace(/"/g, '""')}"`).join(" AND "));
  }
  for (const t of short) {
    // The trigram index cannot answer words under three characters: scan with LIKE instead.
    where.push("(s.text LIKE ? ESCAPE '\\' OR s.title LIKE ? ESCAPE '\\')");
    const pattern = `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    params.push(pattern, pattern);
  }
  params.push(limit);
  const rows = db
    .prepare(
      `SELECT r.id AS report_id, v.agency, v.report_year, s.label, s.title, s.text, v.source_url
       FROM sections s
       JOIN report_versions v ON v.id = s.version_id
       JOIN reports r ON r.current_version_id = v.id AND r.superseded_by IS NULL
       WHERE ${where.join(" AND ")}
       ORDER BY v.report_year DESC, v.agency, s.version_id, s.position
       LIMIT ?`,
    )
    .all(...params) as {
    report_id: number;
    agency: string | null;
    report_year: number | null;
    label: string;
    title: string;
    text: string;
    source_url: string;
  }[];
  return rows.map((r) => ({
    report_id: r.report_id,
    agency: r.agency,
    report_year: r.report_year,
    section_label: r.label,
    section_title: r.title,
    snippet: snippetAround(r.text, terms[0] as string),
    source_url: r.source_url,
  }));
}

export interface CheckRow {
  report_id: number;
  agency: string | null;
  report_year: number | null;
  check_id: string;
  ok: boolean;
  detail: string;
  source_url: string;
}

/** The current versions' checks, and (sources.agree) how each agrees with the report's second sources. */
export function listChecks(db: StoreDb, failedOnly: boolean): CheckRow[] {
  const rows = db
    .prepare(
      `SELECT * FROM (
         SELECT r.id AS report_id, v.agency, v.report_year, c.check_id, c.ok, c.detail, v.source_url
         FROM reports r JOIN report_versions v ON v.id = r.current_version_id JOIN checks c ON c.version_id = v.id
         WHERE r.superseded_by IS NULL ${failedOnly ? "AND c.ok = 0" : ""}
         UNION ALL
         SELECT r.id, v.agency, v.report_year, sc.check_id, sc.ok, sc.detail, v.source_url
         FROM reports r JOIN report_versions v ON v.id = r.current_version_id
         JOIN source_checks sc ON sc.report_id = r.id AND sc.primary_version_id = v.id
         WHERE r.superseded_by IS NULL ${failedOnly ? "AND sc.ok = 0" : ""})
       ORDER BY agency, report_year, report_id, check_id`,
    )
    .all() as (Omit<CheckRow, "ok"> & { ok: number })[];
  return rows.map((r) => ({ ...r, ok: r.ok === 1 }));
}

export interface StoreStats {
  sites: number;
  crawl_runs: number;
  fetches: number;
  fetches_by_outcome: Record<string, number>;
  bodies: number;
  body_bytes: number;
  reports: number;
  annual_reports: number;
  report_versions: number;
  reports_by_year: Record<string, number>;
  reports_by_template: Record<string, number>;
  reports_with_failed_checks: number;
  failed_checks: number;
  flags_by_id: Record<string, number>;
}

export function storeStats(db: StoreDb): StoreStats {
  const one = (sql: string) => (db.prepare(sql).pluck().get() as number | null) ?? 0;
  const counts = (sql: string) =>
    Object.fromEntries(
      (db.prepare(sql).raw().all() as [string | number | null, number][]).map(([k, n]) => [
        String(k ?? "unknown"),
        n,
      ]),
    );
  const live =
    "FROM reports r JOIN report_versions v ON v.id = r.current_version_id WHERE r.superseded_by IS NULL";
  return {
    sites: one("SELECT COUNT(*) FROM sites"),
    crawl_runs: one("SELECT COUNT(*) FROM crawl_runs"),
    fetches: one("SELECT COUNT(*) FROM fetches"),
    fetches_by_outcome: counts("SELECT outcome, COUNT(*) FROM fetches GROUP BY outcome ORDER BY outcome"),
    bodies: one("SELECT COUNT(*) FROM bodies"),
    body_bytes: one("SELECT SUM(size_bytes) FROM bodies"),
    reports: one(`SELECT COUNT(*) ${live}`),
    annual_reports: one(`SELECT COUNT(*) ${live} AND v.is_annual_report = 1`),
    report_versions: one("SELECT COUNT(*) FROM report_versions"),
    reports_by_year: counts(
      `SELECT v.report_year, COUNT(*) ${live} GROUP BY v.report_year ORDER BY v.report_year`,
    ),
    reports_by_template: counts(
      `SELECT v.template, COUNT(*) ${live} GROUP BY v.template ORDER BY v.template`,
    ),
    // v_failed_checks is the one definition of a failed check (the version's own and sources.agree).
    reports_with_failed_checks: one("SELECT COUNT(DISTINCT report_id) FROM v_failed_checks"),
    failed_checks: one("SELECT COUNT(*) FROM v_failed_checks"),
    flags_by_id: counts(
      `SELECT f.flag_id, COUNT(*) ${live.replace("WHERE", "JOIN flags f ON f.version_id = v.id WHERE")} GROUP BY f.flag_id ORDER BY f.flag_id`,
    ),
  };
}

/** What `reextract` compares: a version's metadata, values, failed checks and flags. */
export interface VersionDigest {
  agency: string | null;
  report_year: number | null;
  template: string;
  is_annual_report: boolean;
  values: Record<string, number>;
  failed_checks: string[];
  flags: string[];
}

export function versionDigest(db: StoreDb, versionId: number): VersionDigest {
  const v = db
    .prepare("SELECT agency, report_year, template, is_annual_report FROM report_versions WHERE id = ?")
    .get(versionId) as {
    agency: string | null;
    report_year: number | null;
    template: string;
    is_annual_report: number;
  };
  const values = Object.fromEntries(
    db
      .prepare("SELECT key, value FROM report_values WHERE version_id = ? ORDER BY key")
      .raw()
      .all(versionId) as [string, number][],
  );
  return {
    agency: v.agency,
    report_year: v.report_year,
    template: v.template,
    is_annual_report: v.is_annual_report === 1,
    values,
    failed_checks: db
      .prepare("SELECT check_id FROM checks WHERE version_id = ? AND ok = 0 ORDER BY check_id")
      .pluck()
      .all(versionId) as string[],
    flags: db
      .prepare("SELECT DISTINCT flag_id FROM flags WHERE version_id = ? ORDER BY flag_id")
      .pluck()
      .all(versionId) as string[],
  };
}

export interface StoredPage {
  reportId: number;
  versionId: number;
  fetchId: number | null;
  sha256: string;
  sourceUrl: string;
  contentType: string | null;
  siteSlug: string | null;
}

/** The page behind every live report's current version: what `reextract` runs the extractor over. */
export function storedPages(db: StoreDb): StoredPage[] {
  return db
    .prepare(
      `SELECT r.id AS reportId, v.id AS versionId, v.fetch_id AS fetchId, v.body_sha256 AS sha256, v.source_url AS sourceUrl,
              f.content_type AS contentType, r.site_slug AS siteSlug
       FROM reports r JOIN report_versions v ON v.id = r.current_version_id LEFT JOIN fetches f ON f.id = v.fetch_id
       WHERE r.superseded_by IS NULL AND v.body_sha256 IS NOT NULL ORDER BY r.id`,
    )
    .all() as StoredPage[];
}
