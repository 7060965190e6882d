// Metadata for opening a nianbao database in Datasette: labelled views with their facets and column
// descriptions first, the storage tables hidden. Built from the same column table as the views.
import { DISCLOSURE_COLUMNS, VIEW_COLUMN_TYPES } from "./disclosure-columns.ts";

const describe = (view: string) =>
  Object.fromEntries(Object.entries(VIEW_COLUMN_TYPES[view] ?? {}).map(([name, c]) => [name, c.description]));

/** Tables a researcher never reads directly (the views and `cells` give their contents back). */
const HIDDEN = [
  "table_cells",
  "cell_labels",
  "report_version_counts",
  "bodies",
  "crawl_frontier",
  "crawl_frontier_runs",
  "crawl_lock",
  "crawler_meta",
];

export function datasetteMetadata(databaseName: string) {
  return {
    title: "nianbao — 政府信息公开工作年度报告, as data",
    description:
      "Annual reports on Open Government Information, one row per report and agency year. Every number was read from a named table cell or a quoted sentence (see cells and facts); a value a report does not print is empty, never 0.",
    databases: {
      [databaseName]: {
        tables: {
          v_disclosure_counts: {
            title: "Disclosure counts: one row per report",
            description: "Key numbers of each current report, with its canonical agency and region.",
            facets: ["report_year", "template", "province", "agency_level", "department_type"],
            sort_desc: "report_year",
            columns: Object.fromEntries(DISCLOSURE_COLUMNS.map((c) => [c.name, c.description])),
          },
          v_report_values: {
            title: "Every value, long form",
            description: "One row per value of a current report: key, value, table or prose.",
            facets: ["key", "source", "report_year", "province"],
            columns: describe("v_report_values"),
          },
          v_failed_checks: {
            title: "Failing arithmetic checks",
            description:
              "Identities the printed numbers break (applications.balance, review.total…), and sources.agree.",
            facets: ["check_id", "report_year", "province"],
            columns: describe("v_failed_checks"),
          },
          v_agency_aliases: {
            title: "Agency names as printed",
            description:
              "Every printed agency name, the canonical agency it resolves to, and the reports that printed it.",
            facets: ["province", "department_type"],
          },
          v_report_sources: {
            title: "Sources of reports: page, attachments, corrections' originals, other sites' copies",
            description:
              "Which source is current (primary) and why the others are kept (basis: tables, other_site, correction, later_publication).",
            facets: ["role", "basis", "source_format"],
          },
          v_withdrawn_reports: {
            title: "Reports gone from their sites",
            description:
              "No longer linked from a list read to its end, or answering 404/410: kept, with when each was last seen and first missed.",
            facets: ["withdrawn_reason", "site", "report_year"],
          },
          agencies: {
            title: "Canonical agencies",
            label_column: "name",
            facets: ["province", "region_level", "department_type"],
          },
          sites: {
            title: "Sites registry as last crawled",
            label_column: "name",
            facets: ["province", "level"],
          },
          reports: {
            title: "Reports (one per agency and year)",
            label_column: "agency",
            facets: ["report_year"],
          },
          report_versions: {
            title: "Report versions (each extraction)",
            label_column: "title",
            facets: ["template", "source_format", "extractor_version"],
          },
          cells: { title: "Table cells as read", facets: ["table_no", "key"] },
          facts: { title: "Numbers stated in prose", facets: ["key", "approx"] },
          flags: { title: "Extractor flags", facets: ["flag_id"] },
          checks: { title: "Checks per version", facets: ["check_id", "ok"] },
          fetches: { title: "Every fetch", facets: ["outcome", "site_slug", "status"] },
          ...Object.fromEntries(HIDDEN.map((t) => [t, { hidden: true }])),
        },
      },
    },
  };
}
