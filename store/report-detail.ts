// One stored report as a researcher reads it: metadata, every value with where it was read (table
// cell or sentence), checks, flags and sources with their fetch dates. Behind `show` and `serve`.
import { NianbaoError } from "../core/errors.ts";
import { resolveAgency } from "./agencies/agency-links.ts";
import type { StoreDb } from "./open-store.ts";

/** Where one value was read: a table cell (table, row, column, labels, raw text) or a sentence. */
export interface ValueProvenance {
  key: string;
  value: number;
  source: "table" | "prose";
  table: number | null;
  row: number | null;
  col: number | null;
  row_label: string | null;
  col_label: string | null;
  raw: string | null;
  sentence: string | null;
  text_offset: number | null;
}

export interface ReportSourceRow {
  role: "primary" | "second" | "only";
  version_id: number;
  source_format: string;
  source_url: string;
  linked_from_url: string | null;
  fetched_at: string | null;
  body_sha256: string | null;
  reason: string | null;
}

export interface ReportDetail {
  report_id: number;
  version_id: number;
  agency: string | null;
  agency_id: number | null;
  agency_name: string | null;
  region_code: string | null;
  report_year: number | null;
  title: string | null;
  template: string;
  is_annual_report: boolean;
  published_at: string | null;
  doc_number: string | null;
  extractor_version: string;
  source_url: string;
  source_format: string;
  fetched_at: string | null;
  body_sha256: string | null;
  values: ValueProvenance[];
  /** Table cells read without a key (a ragged or unmatched row): kept as printed. */
  unkeyed_cells: {
    table: number;
    row: number;
    col: number;
    row_label: string;
    col_label: string;
    raw: string;
  }[];
  approx_facts: { key: string; value: number; sentence: string }[];
  checks: { check_id: string; ok: boolean; detail: string }[];
  flags: { flag_id: string; detail: string }[];
  sources: ReportSourceRow[];
}

function header(db: StoreDb, reportId: number) {
  return db
    .prepare(
      `SELECT r.id AS report_id, v.id AS version_id, v.agency, r.agency_id, a.name AS agency_name, a.region_code,
              v.report_year, v.title, v.template, v.is_annual_report, v.published_at, v.doc_number,
              v.extractor_version, v.source_url, v.source_format, f.fetched_at, v.body_sha256
       FROM reports r JOIN report_versions v ON v.id = r.current_version_id
       LEFT JOIN agencies a ON a.id = r.agency_id LEFT JOIN fetches f ON f.id = v.fetch_id
       WHERE r.id = ?`,
    )
    .get(reportId) as (Omit<ReportDetail, "is_annual_report"> & { is_annual_report: number }) | undefined;
}

function values(db: StoreDb, versionId: number): ValueProvenance[] {
  return db
    .prepare(
      `SELECT rv.key, rv.value, rv.source,
              c.table_no AS "table", c.row, c.col, c.row_label, c.col_label, c.raw,
              fa.sentence, fa.text_offset
       FROM report_values rv
       LEFT JOIN cells c ON rv.source = 'table' AND c.id = (
         SELECT id FROM cells WHERE version_id = rv.version_id AND key = rv.key ORDER BY position LIMIT 1)
       LEFT JOIN facts fa ON rv.source = 'prose' AND fa.version_id = rv.version_id AND fa.position = (
         SELECT position FROM facts WHERE version_id = rv.version_id AND key = rv.key AND approx = 0 ORDER BY position LIMIT 1)
       WHERE rv.version_id = ?
       ORDER BY rv.source DESC, c.table_no, c.row, c.col, rv.key`,
    )
    .all(versionId) as ValueProvenance[];
}

function sources(
  db: StoreDb,
  reportId: number,
  h: NonNullable<ReturnType<typeof header>>,
): ReportSourceRow[] {
  const rows = db
    .prepare(
      `SELECT s.role, v.id AS version_id, v.source_format, v.source_url, v.linked_from_url, f.fetched_at,
              v.body_sha256, s.reason
       FROM report_sources s JOIN report_versions v ON v.id = s.version_id LEFT JOIN fetches f ON f.id = v.fetch_id
       WHERE s.report_id = ? ORDER BY s.role, v.id`,
    )
    .all(reportId) as ReportSourceRow[];
  if (rows.length) return rows;
  return [
    {
      role: "only",
      version_id: h.version_id,
      source_format: h.source_format,
      source_url: h.source_url,
      linked_from_url: null,
      fetched_at: h.fetched_at,
      body_sha256: h.body_sha256,
      reason: null,
    },
  ];
}

/** The current version of one report, with every value's provenance. */
export function reportDetail(db: StoreDb, reportId: number): ReportDetail {
  const h = header(db, reportId);
  if (!h)
    throw new NianbaoError(
      "input_missing",
      `no report ${reportId}`,
      "report ids are in the report_id column of `nianbao export csv`; or give an agency and a year",
    );
  const checks = db
    .prepare(
      `SELECT check_id, ok, detail FROM (
         SELECT position, check_id, ok, detail FROM checks WHERE version_id = ?
         UNION ALL SELECT 1000000 + position, check_id, ok, detail FROM source_checks WHERE report_id = ? AND primary_version_id = ?)
       ORDER BY ok, position`,
    )
    .all(h.version_id, reportId, h.version_id) as { check_id: string; ok: number; detail: string }[];
  return {
    ...h,
    is_annual_report: h.is_annual_report === 1,
    values: values(db, h.version_id),
    unkeyed_cells: db
      .prepare(
        `SELECT table_no AS "table", row, col, row_label, col_label, raw FROM cells
         WHERE version_id = ? AND key IS NULL AND raw <> '' ORDER BY position`,
      )
      .all(h.version_id) as ReportDetail["unkeyed_cells"],
    approx_facts: db
      .prepare("SELECT key, value, sentence FROM facts WHERE version_id = ? AND approx = 1 ORDER BY position")
      .all(h.version_id) as ReportDetail["approx_facts"],
    checks: checks.map((c) => ({ ...c, ok: c.ok === 1 })),
    flags: db
      .prepare("SELECT flag_id, detail FROM flags WHERE version_id = ? ORDER BY position")
      .all(h.version_id) as ReportDetail["flags"],
    sources: sources(db, reportId, h),
  };
}

/**
 * The report an agency published for a year: the canonical agency or any name it printed. Two
 * current reports for one agency and year (two printed names) → an error listing both ids.
 */
export function reportIdFor(db: StoreDb, agencyQuery: string, year: number): number {
  const agency = resolveAgency(db, agencyQuery);
  const ids = db
    .prepare(
      `SELECT r.id, r.agency FROM reports r WHERE r.agency_id = ? AND r.report_year = ? AND r.superseded_by IS NULL
       ORDER BY r.id`,
    )
    .all(agency.id, year) as { id: number; agency: string }[];
  if (ids.length === 1) return (ids[0] as { id: number }).id;
  if (!ids.length) {
    const years = db
      .prepare(
        "SELECT DISTINCT report_year FROM reports WHERE agency_id = ? AND superseded_by IS NULL AND report_year IS NOT NULL ORDER BY 1",
      )
      .pluck()
      .all(agency.id) as number[];
    throw new NianbaoError(
      "input_missing",
      `${agency.name} has no report for ${year}`,
      years.length ? `its report years: ${years.join(", ")}` : "it has no dated report",
    );
  }
  throw new NianbaoError(
    "bad_usage",
    `${agency.name} has ${ids.length} reports for ${year}: ${ids.map((r) => `${r.id} (${r.agency})`).join(", ")}`,
    "give the report id: nianbao show <report-id>",
  );
}
