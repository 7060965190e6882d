// Which reports a reading command covers: by report year, province, agency or template. One filter
// for every exportable view, applied through v_disclosure_counts (one row per current report).
import { resolveAgency } from "./agencies/agency-links.ts";
import type { StoreDb } from "./open-store.ts";

export interface ReportFilter {
  year?: number;
  /** Province name as in v_disclosure_counts.province (江苏省), or a unique start of it (江苏). */
  province?: string;
  /** The canonical agency or any name it printed (resolveAgency): all its reports. */
  agency?: string;
  template?: string;
}

/** A WHERE clause over a view with report_id, and its parameters; empty when nothing is filtered. */
export function filterClause(
  db: StoreDb,
  filter: ReportFilter,
): { sql: string; params: (string | number)[] } {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  if (filter.year !== undefined) {
    parts.push("report_year = ?");
    params.push(filter.year);
  }
  if (filter.province !== undefined) {
    parts.push("(province = ? OR province LIKE ? ESCAPE '\\')");
    params.push(filter.province, `${filter.province.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  if (filter.agency !== undefined) {
    parts.push("agency_id = ?");
    params.push(resolveAgency(db, filter.agency).id);
  }
  if (filter.template !== undefined) {
    parts.push("template = ?");
    params.push(filter.template);
  }
  if (!parts.length) return { sql: "", params };
  return {
    sql: `WHERE report_id IN (SELECT report_id FROM v_disclosure_counts WHERE ${parts.join(" AND ")})`,
    params,
  };
}
