// The columns of v_disclosure_counts: name, SQL, type and meaning in one table, so the view,
// the CSV data package (datapackage.json) and the documentation cannot drift apart.

export type ColumnType = "integer" | "number" | "string";

export interface ViewColumn {
  name: string;
  /** Expression over r (reports), v (current report_versions row), f (fetches), s (sites), a (agencies). */
  sql: string;
  type: ColumnType;
  description: string;
  /** The schema version that added the column (absent: there from the start). */
  since?: number;
}

/** One value of the current version, by key: a primary-key lookup, so the view stays fast. */
const value = (key: string) => `(SELECT value FROM report_values WHERE version_id = v.id AND key = '${key}')`;

/** The eight reasons of （三）不予公开, as in report-formats.md. */
const DENIED_REASONS = [
  "state_secret",
  "prohibited_by_law",
  "security_stability",
  "third_party_rights",
  "internal_affairs",
  "process_information",
  "enforcement_files",
  "inquiry_matters",
];
const deniedList = DENIED_REASONS.map((r) => `'applications.results.denied.${r}.total'`).join(", ");

const litigationDirect = value("litigation.direct.total");
const litigationAfterReview = value("litigation.after_review.total");

const COLUMNS: ViewColumn[] = [
  {
    name: "report_id",
    sql: "r.id",
    type: "integer",
    description: "Report id (reports.id); stable across re-extraction.",
  },
  {
    name: "agency",
    sql: "v.agency",
    type: "string",
    description: "Issuing agency as extracted (发布机关), or empty when the page does not say.",
  },
  {
    name: "agency_id",
    sql: "r.agency_id",
    type: "integer",
    description:
      "Canonical agency (agencies.id): every name one body printed (洪泽区人民政府, 淮安市洪泽区人民政府) has one id.",
    since: 3,
  },
  {
    name: "agency_name",
    sql: "a.name",
    type: "string",
    description: "Canonical agency name: the printed name with its city and county (淮安市洪泽区人民政府).",
    since: 3,
  },
  {
    name: "region_code",
    sql: "a.region_code",
    type: "string",
    description:
      "GB/T 2260 division code of the agency's region (320813), empty when the name does not settle it.",
    since: 3,
  },
  {
    name: "province",
    sql: "a.province",
    type: "string",
    description: "Province of the agency's region (江苏省), read from its name.",
    since: 3,
  },
  {
    name: "city",
    sql: "a.city",
    type: "string",
    description: "City of the agency's region (淮安市); empty for a province-level agency.",
    since: 3,
  },
  {
    name: "county",
    sql: "a.county",
    type: "string",
    description: "County or district of the agency's region (洪泽区); empty above county level.",
    since: 3,
  },
  {
    name: "agency_level",
    sql: "a.region_level",
    type: "string",
    description: "province, city or county: the level of the agency's region.",
    since: 3,
  },
  {
    name: "department_type",
    sql: "a.department_type",
    type: "string",
    description:
      "What the agency is: government, government_office, civil_affairs (民政), education (教育), public_security (公安)…, other.",
    since: 3,
  },
  {
    name: "region",
    sql: "s.province",
    type: "string",
    description: "Province of the site the page was crawled from (sites.province); empty for imported pages.",
  },
  {
    name: "site",
    sql: "r.site_slug",
    type: "string",
    description: "Registry slug of the site the page was crawled from; empty for imported pages.",
  },
  {
    name: "report_year",
    sql: "v.report_year",
    type: "integer",
    description: "The year reported on (usually the year before publication).",
  },
  {
    name: "template",
    sql: "v.template",
    type: "string",
    description: "Report shape: 2021, 2019, pre2019 or unknown.",
  },
  {
    name: "is_annual_report",
    sql: "v.is_annual_report",
    type: "integer",
    description: "1 when the page is an annual report (年度报告), 0 otherwise (e.g. a 自查报告).",
  },
  {
    name: "published_at",
    sql: "v.published_at",
    type: "string",
    description: "Publication date (ISO 8601) when the page gives one.",
  },
  { name: "title", sql: "v.title", type: "string", description: "Page title as extracted." },
  {
    name: "proactive_items_published",
    sql: value("proactive.items_published"),
    type: "number",
    description: "Items proactively published, stated in prose (主动公开…条/件).",
  },
  {
    name: "applications_received",
    sql: value("applications.received"),
    type: "number",
    description: "Applications received, stated in prose (收到…申请…件).",
  },
  {
    name: "applications_new_received_total",
    sql: value("applications.new_received.total"),
    type: "number",
    description: "Table 2, 本年新收政府信息公开申请数量, 总计 column.",
  },
  {
    name: "applications_carried_over_total",
    sql: value("applications.carried_over.total"),
    type: "number",
    description: "Table 2, 上年结转政府信息公开申请数量, 总计 column.",
  },
  {
    name: "applications_granted_total",
    sql: value("applications.results.granted.total"),
    type: "number",
    description: "Table 2, （一）予以公开, 总计 column.",
  },
  {
    name: "applications_partially_granted_total",
    sql: value("applications.results.partially_granted.total"),
    type: "number",
    description: "Table 2, （二）部分公开, 总计 column.",
  },
  {
    name: "applications_denied_total",
    sql: `COALESCE(${value("applications.results.denied.total.total")}, (SELECT SUM(value) FROM report_values WHERE version_id = v.id AND key IN (${deniedList})))`,
    type: "number",
    description:
      "Table 2, （三）不予公开, 总计 column: the printed subtotal, or the sum of the eight printed reasons when the page prints no subtotal.",
  },
  {
    name: "applications_results_total",
    sql: value("applications.results.total.total"),
    type: "number",
    description: "Table 2, （七）总计 of the results, 总计 column.",
  },
  {
    name: "applications_carried_forward_total",
    sql: value("applications.carried_forward.total"),
    type: "number",
    description: "Table 2, 结转下年度继续办理, 总计 column.",
  },
  {
    name: "review_total",
    sql: value("review.total"),
    type: "number",
    description: "Table 3, 行政复议 总计.",
  },
  {
    name: "review_count",
    sql: value("review.count"),
    type: "number",
    description: "Administrative reviews stated in prose (行政复议…件).",
  },
  {
    name: "litigation_direct_total",
    sql: litigationDirect,
    type: "number",
    description: "Table 3, 行政诉讼 未经复议直接起诉 总计.",
  },
  {
    name: "litigation_after_review_total",
    sql: litigationAfterReview,
    type: "number",
    description: "Table 3, 行政诉讼 复议后起诉 总计.",
  },
  {
    name: "litigation_total",
    sql: `CASE WHEN ${litigationDirect} IS NULL AND ${litigationAfterReview} IS NULL THEN NULL ELSE COALESCE(${litigationDirect}, 0) + COALESCE(${litigationAfterReview}, 0) END`,
    type: "number",
    description: "Table 3, 行政诉讼 总计: direct plus after-review, when either is printed.",
  },
  {
    name: "litigation_count",
    sql: value("litigation.count"),
    type: "number",
    description: "Lawsuits stated in prose (行政诉讼…件).",
  },
  {
    name: "checks_failed",
    sql: "(SELECT COUNT(*) FROM checks WHERE version_id = v.id AND ok = 0)",
    type: "integer",
    description: "Arithmetic checks that fail for this report (see v_failed_checks).",
  },
  {
    name: "flags",
    sql: "(SELECT group_concat(flag_id, ' ') FROM (SELECT DISTINCT flag_id FROM flags WHERE version_id = v.id ORDER BY flag_id))",
    type: "string",
    description: "Distinct extractor flags, space-separated (e.g. spam_injected table2_ragged).",
  },
  {
    name: "sources",
    sql: "(SELECT COUNT(*) FROM report_sources rs WHERE rs.report_id = r.id)",
    type: "integer",
    description:
      "Sources kept for the report (its page, attachments, a correction's original, another site's copy); 0 when the page is the only one. v_report_sources lists them.",
    since: 4,
  },
  {
    name: "last_seen_at",
    sql: "r.last_seen_at",
    type: "string",
    description:
      "When a crawl last found the report on its site (linked, or answering), ISO 8601; empty for imported reports.",
    since: 4,
  },
  {
    name: "withdrawn_at",
    sql: "r.withdrawn_at",
    type: "string",
    description:
      "When a crawl first found the report gone from its site (no longer linked, or 404/410); empty while it is published. The report is kept.",
    since: 4,
  },
  {
    name: "withdrawn_reason",
    sql: "r.withdrawn_reason",
    type: "string",
    description:
      "Why the report counts as withdrawn: not_linked (its list no longer links it) or http_404 / http_410.",
    since: 4,
  },
  {
    name: "source_url",
    sql: "v.source_url",
    type: "string",
    description: "Where the page came from (http(s) URL, or file: URL for imported pages).",
  },
  {
    name: "fetched_at",
    sql: "f.fetched_at",
    type: "string",
    description: "When the page was fetched or imported (ISO 8601, UTC).",
  },
  {
    name: "extractor_version",
    sql: "v.extractor_version",
    type: "string",
    description: "Version of the extractor that produced these values.",
  },
  {
    name: "version_id",
    sql: "v.id",
    type: "integer",
    description: "Current report version (report_versions.id).",
  },
];

/**
 * Columns computed from a version's values, checks and flags are worked out once when the version is
 * saved (table report_version_counts) rather than on every read of the view: 50,000 reports read in
 * well under a second. The SQL is the same either way.
 */
export interface DisclosureColumn extends ViewColumn {
  perVersion: boolean;
}

export const DISCLOSURE_COLUMNS: readonly DisclosureColumn[] = COLUMNS.map((c) => ({
  ...c,
  perVersion: c.sql.includes("version_id = v.id"),
}));

/** The agency columns v_report_values and v_failed_checks share with v_disclosure_counts. */
const AGENCY_COLUMNS = {
  agency_id: {
    type: "integer",
    description: "Canonical agency (agencies.id), one for every name it printed.",
  },
  agency_name: { type: "string", description: "Canonical agency name (淮安市洪泽区人民政府)." },
  province: { type: "string", description: "Province of the agency's region (江苏省)." },
} as const;

/** Column types of the other exportable views, for datapackage.json. */
export const VIEW_COLUMN_TYPES: Record<string, Record<string, { type: ColumnType; description: string }>> = {
  v_report_values: {
    report_id: { type: "integer", description: "Report id (reports.id)." },
    version_id: { type: "integer", description: "Current report version (report_versions.id)." },
    agency: { type: "string", description: "Issuing agency as extracted." },
    ...AGENCY_COLUMNS,
    report_year: { type: "integer", description: "The year reported on." },
    template: { type: "string", description: "Report shape: 2021, 2019, pre2019 or unknown." },
    key: {
      type: "string",
      description: "Value key, e.g. applications.new_received.total (see report-formats).",
    },
    value: { type: "number", description: "The value as printed (amounts in 万元)." },
    source: { type: "string", description: "table or prose." },
    source_url: { type: "string", description: "Where the page came from." },
  },
  v_failed_checks: {
    report_id: { type: "integer", description: "Report id (reports.id)." },
    version_id: { type: "integer", description: "Current report version (report_versions.id)." },
    agency: { type: "string", description: "Issuing agency as extracted." },
    ...AGENCY_COLUMNS,
    report_year: { type: "integer", description: "The year reported on." },
    template: { type: "string", description: "Report shape." },
    check_id: {
      type: "string",
      description: "The arithmetic identity that fails, e.g. applications.balance.",
    },
    detail: { type: "string", description: "The numbers that do not add up." },
    source_url: { type: "string", description: "Where the page came from." },
  },
  v_disclosure_counts: Object.fromEntries(
    DISCLOSURE_COLUMNS.map((c) => [c.name, { type: c.type, description: c.description }]),
  ),
};
