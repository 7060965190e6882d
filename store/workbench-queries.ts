// The read side of `nianbao serve`: agencies by name, province, level, department and year; one
// version's cells in print order; the archived original of a version. Plain SQL over the views.
import type { StoreDb } from "./open-store.ts";

export interface AgencyFilter {
  q?: string;
  province?: string;
  level?: string;
  department?: string;
  year?: number;
}

export interface AgencyListRow {
  agency_id: number;
  agency_name: string;
  region_code: string | null;
  province: string | null;
  agency_level: string | null;
  department_type: string;
  reports: number;
  years: string;
  aliases: string;
}

/** Agencies with current reports, filtered; the name search covers the canonical name and every alias. */
export function listAgencies(db: StoreDb, f: AgencyFilter, limit = 500): AgencyListRow[] {
  const where = ["d.agency_id IS NOT NULL"];
  const params: (string | number)[] = [];
  if (f.q) {
    where.push(
      "(a.name LIKE ? ESCAPE '\\' OR a.id IN (SELECT agency_id FROM agency_aliases WHERE name LIKE ? ESCAPE '\\'))",
    );
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    params.push(like, like);
  }
  const equal: [string, string | number | undefined][] = [
    ["a.province", f.province],
    ["a.region_level", f.level],
    ["a.department_type", f.department],
    ["d.report_year", f.year],
  ];
  for (const [column, value] of equal) {
    if (value === undefined || value === "") continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  params.push(limit);
  return db
    .prepare(
      `SELECT a.id AS agency_id, a.name AS agency_name, a.region_code, a.province, a.region_level AS agency_level,
              a.department_type, COUNT(DISTINCT d.report_id) AS reports,
              group_concat(DISTINCT d.report_year) AS years,
              (SELECT group_concat(name, '、') FROM agency_aliases WHERE agency_id = a.id) AS aliases
       FROM v_disclosure_counts d JOIN agencies a ON a.id = d.agency_id
       WHERE ${where.join(" AND ")}
       GROUP BY a.id ORDER BY a.province, a.name LIMIT ?`,
    )
    .all(...params) as AgencyListRow[];
}

/** The values a filter form offers: provinces, levels and department types present. */
export function agencyFacets(db: StoreDb): {
  provinces: string[];
  levels: string[];
  departments: string[];
  years: number[];
} {
  const list = (sql: string) => db.prepare(sql).pluck().all() as never[];
  return {
    provinces: list("SELECT DISTINCT province FROM agencies WHERE province IS NOT NULL ORDER BY 1"),
    levels: list("SELECT DISTINCT region_level FROM agencies WHERE region_level IS NOT NULL ORDER BY 1"),
    departments: list("SELECT DISTINCT department_type FROM agencies ORDER BY 1"),
    years: list(
      "SELECT DISTINCT report_year FROM v_disclosure_counts WHERE report_year IS NOT NULL ORDER BY 1 DESC",
    ),
  };
}

export interface PrintedCell {
  table: number;
  table_index: number;
  row: number;
  col: number;
  row_label: string;
  col_label: string;
  raw: string;
  value: number | null;
  key: string | null;
}

/** Every cell of a version as read, in table, row and column order: the tables as printed. */
export function versionCells(db: StoreDb, versionId: number): PrintedCell[] {
  return db
    .prepare(
      `SELECT table_no AS "table", table_index, row, col, row_label, col_label, raw, value, key
       FROM cells WHERE version_id = ? ORDER BY table_no, table_index, row, col, position`,
    )
    .all(versionId) as PrintedCell[];
}

/** A version's archived body and how it was served, for the link to the original. */
export function versionBody(
  db: StoreDb,
  versionId: number,
): { sha256: string; content_type: string | null; source_format: string } | null {
  return (
    (db
      .prepare(
        `SELECT v.body_sha256 AS sha256, f.content_type, v.source_format FROM report_versions v
         LEFT JOIN fetches f ON f.id = v.fetch_id WHERE v.id = ? AND v.body_sha256 IS NOT NULL`,
      )
      .get(versionId) as
      | { sha256: string; content_type: string | null; source_format: string }
      | undefined) ?? null
  );
}

/** Values of some reports whose key starts with `prefix` (applications.results.denied.): one agency's breakdowns. */
export function valuesWithPrefix(
  db: StoreDb,
  reportIds: number[],
  prefix: string,
): { report_id: number; key: string; value: number }[] {
  if (!reportIds.length) return [];
  return db
    .prepare(
      `SELECT report_id, key, value FROM v_report_values
       WHERE report_id IN (${reportIds.map(() => "?").join(", ")}) AND substr(key, 1, ?) = ? ORDER BY key`,
    )
    .all(...reportIds, prefix.length, prefix) as { report_id: number; key: string; value: number }[];
}
