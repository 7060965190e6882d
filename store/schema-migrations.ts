// The persistent schema as an ordered list of migrations, applied on open by PRAGMA user_version.
// Append a migration to change the schema; never edit one that has shipped (old files replay them).

import { linkAllReports } from "./agencies/agency-links.ts";
import { DISCLOSURE_COLUMNS } from "./disclosure-columns.ts";
import type { StoreDb } from "./open-store.ts";

/** Marks a file as a nianbao database (PRAGMA application_id), so a foreign SQLite file is refused. */
export const NIANBAO_APPLICATION_ID = 0x6e69616e; // "nian"

/**
 * Migration 1 builds the view from the column table. A column added later names its schema version
 * (`since`), and that version's migration drops and recreates the view, so old files get it too.
 */
function disclosureCountsView(schemaVersion: number): string {
  const cols = DISCLOSURE_COLUMNS.filter((c) => (c.since ?? 1) <= schemaVersion)
    .map((c) => `  ${c.perVersion ? `c.${c.name}` : c.sql} AS ${c.name}`)
    .join(",\n");
  return `CREATE VIEW v_disclosure_counts AS
SELECT
${cols}
FROM reports r
JOIN report_versions v ON v.id = r.current_version_id
LEFT JOIN report_version_counts c ON c.version_id = v.id
LEFT JOIN fetches f ON f.id = v.fetch_id
LEFT JOIN sites s ON s.slug = r.site_slug${schemaVersion >= 3 ? "\nLEFT JOIN agencies a ON a.id = r.agency_id" : ""}
WHERE r.superseded_by IS NULL;`;
}

const AFFINITY = { integer: "INTEGER", number: "NUMERIC", string: "TEXT" } as const;

/** One row per version: the v_disclosure_counts columns that depend on the version alone. */
function versionCountsTable(): string {
  const cols = DISCLOSURE_COLUMNS.filter((c) => c.perVersion).map((c) => `  ${c.name} ${AFFINITY[c.type]}`);
  return `CREATE TABLE report_version_counts (
  version_id INTEGER PRIMARY KEY REFERENCES report_versions(id),
${cols.join(",\n")}
);`;
}

/** Fills report_version_counts for one version (bound parameter: the version id). */
export function versionCountsInsertSql(): string {
  const cols = DISCLOSURE_COLUMNS.filter((c) => c.perVersion);
  return `INSERT INTO report_version_counts (version_id, ${cols.map((c) => c.name).join(", ")})
SELECT v.id, ${cols.map((c) => c.sql).join(", ")} FROM report_versions v WHERE v.id = ?`;
}

const MIGRATION_1 = `
CREATE TABLE sites (
  slug TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  agency TEXT NOT NULL,
  province TEXT,
  level TEXT,
  entry_json TEXT NOT NULL,
  loaded_at TEXT NOT NULL
);

CREATE TABLE crawl_runs (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  options_json TEXT,
  summary_json TEXT
);

CREATE TABLE bodies (
  sha256 TEXT PRIMARY KEY,
  size_bytes INTEGER NOT NULL,
  compression TEXT NOT NULL CHECK (compression IN ('gzip', 'none')),
  data BLOB NOT NULL
);

CREATE TABLE fetches (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL,
  final_url TEXT,
  status INTEGER,
  headers_json TEXT NOT NULL DEFAULT '{}',
  content_type TEXT,
  encoding TEXT,
  sha256 TEXT REFERENCES bodies(sha256),
  fetched_at TEXT NOT NULL,
  run_id INTEGER REFERENCES crawl_runs(id),
  site_slug TEXT,
  outcome TEXT NOT NULL,
  reason TEXT
);
CREATE INDEX fetches_by_url ON fetches(url, id);
CREATE INDEX fetches_by_sha256 ON fetches(sha256);
CREATE INDEX fetches_by_run ON fetches(run_id);

CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  report_key TEXT NOT NULL UNIQUE,
  agency TEXT,
  report_year INTEGER,
  source_url TEXT NOT NULL,
  site_slug TEXT,
  current_version_id INTEGER REFERENCES report_versions(id),
  superseded_by INTEGER REFERENCES reports(id),
  created_at TEXT NOT NULL
);
CREATE INDEX reports_by_agency_year ON reports(agency, report_year);

CREATE TABLE report_versions (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports(id),
  fetch_id INTEGER REFERENCES fetches(id),
  body_sha256 TEXT,
  source_url TEXT NOT NULL,
  extractor_version TEXT NOT NULL,
  record_sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL,
  title TEXT,
  agency TEXT,
  report_year INTEGER,
  published_at TEXT,
  doc_number TEXT,
  is_annual_report INTEGER NOT NULL,
  template TEXT NOT NULL,
  metadata_notes_json TEXT NOT NULL DEFAULT '{}',
  text_chars INTEGER NOT NULL,
  UNIQUE (report_id, body_sha256, extractor_version, record_sha256)
);
CREATE INDEX report_versions_by_source ON report_versions(source_url);

CREATE TABLE sections (
  id INTEGER PRIMARY KEY,
  version_id INTEGER NOT NULL REFERENCES report_versions(id),
  position INTEGER NOT NULL,
  level INTEGER NOT NULL,
  label TEXT NOT NULL,
  title TEXT NOT NULL,
  text_offset INTEGER NOT NULL,
  text TEXT NOT NULL,
  UNIQUE (version_id, position)
);

-- Table cells repeat the same few hundred labels and keys in every report: they are stored once in
-- cell_labels, and the view \`cells\` gives the cells back with their text.
CREATE TABLE cell_labels (
  id INTEGER PRIMARY KEY,
  text TEXT NOT NULL UNIQUE
);

CREATE TABLE table_cells (
  id INTEGER PRIMARY KEY,
  version_id INTEGER NOT NULL REFERENCES report_versions(id),
  position INTEGER NOT NULL,
  table_no INTEGER NOT NULL,
  table_index INTEGER NOT NULL,
  row INTEGER NOT NULL,
  col INTEGER NOT NULL,
  row_label_id INTEGER NOT NULL REFERENCES cell_labels(id),
  col_label_id INTEGER NOT NULL REFERENCES cell_labels(id),
  raw TEXT NOT NULL,
  value NUMERIC,
  key_id INTEGER REFERENCES cell_labels(id)
);
CREATE INDEX table_cells_by_version ON table_cells(version_id);

CREATE VIEW cells AS
SELECT c.id, c.version_id, c.position, c.table_no, c.table_index, c.row, c.col,
       rl.text AS row_label, cl.text AS col_label, c.raw, c.value, k.text AS key
FROM table_cells c
JOIN cell_labels rl ON rl.id = c.row_label_id
JOIN cell_labels cl ON cl.id = c.col_label_id
LEFT JOIN cell_labels k ON k.id = c.key_id;

CREATE TABLE facts (
  version_id INTEGER NOT NULL REFERENCES report_versions(id),
  position INTEGER NOT NULL,
  key TEXT NOT NULL,
  value NUMERIC NOT NULL,
  approx INTEGER NOT NULL,
  sentence TEXT NOT NULL,
  text_offset INTEGER NOT NULL,
  PRIMARY KEY (version_id, position)
) WITHOUT ROWID;

CREATE TABLE report_values (
  version_id INTEGER NOT NULL REFERENCES report_versions(id),
  key TEXT NOT NULL,
  value NUMERIC NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('table', 'prose')),
  PRIMARY KEY (version_id, key)
) WITHOUT ROWID;

CREATE TABLE checks (
  version_id INTEGER NOT NULL REFERENCES report_versions(id),
  position INTEGER NOT NULL,
  check_id TEXT NOT NULL,
  ok INTEGER NOT NULL,
  detail TEXT NOT NULL,
  PRIMARY KEY (version_id, position)
) WITHOUT ROWID;

CREATE TABLE flags (
  version_id INTEGER NOT NULL REFERENCES report_versions(id),
  position INTEGER NOT NULL,
  flag_id TEXT NOT NULL,
  detail TEXT NOT NULL,
  PRIMARY KEY (version_id, position)
) WITHOUT ROWID;

${versionCountsTable()}

CREATE VIRTUAL TABLE report_text_fts USING fts5(
  title, text,
  content = 'sections', content_rowid = 'id',
  tokenize = 'trigram'
);

${disclosureCountsView(1)}

CREATE VIEW v_report_values AS
SELECT r.id AS report_id, v.id AS version_id, v.agency, v.report_year, v.template,
       rv.key, rv.value, rv.source, v.source_url
FROM reports r
JOIN report_versions v ON v.id = r.current_version_id
JOIN report_values rv ON rv.version_id = v.id
WHERE r.superseded_by IS NULL;

CREATE VIEW v_failed_checks AS
SELECT r.id AS report_id, v.id AS version_id, v.agency, v.report_year, v.template,
       c.check_id, c.detail, v.source_url
FROM reports r
JOIN report_versions v ON v.id = r.current_version_id
JOIN checks c ON c.version_id = v.id AND c.ok = 0
WHERE r.superseded_by IS NULL;
`;

/** What a report version was read from: the page itself or an attachment's format. */
export const SOURCE_FORMATS = [
  "html",
  "txt",
  "pdf",
  "docx",
  "doc",
  "wps",
  "ofd",
  "xls",
  "xlsx",
  "et",
  "odt",
  "rtf",
] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

const FORMAT_LIST = SOURCE_FORMATS.map((f) => `'${f}'`).join(", ");

/**
 * Migration 2: attachments as report versions. Each version says what it was read from
 * (source_format) and, for an attachment, the page that linked to it (linked_from_url). When a
 * report has more than one source (its page and an attachment), report_sources names the primary
 * (reports.current_version_id) and the second source, and source_checks holds one row per value the
 * two disagree on; v_failed_checks shows those beside the version's own checks.
 */
const MIGRATION_2 = `
ALTER TABLE report_versions ADD COLUMN source_format TEXT NOT NULL DEFAULT 'html'
  CHECK (source_format IN (${FORMAT_LIST}));
ALTER TABLE report_versions ADD COLUMN linked_from_url TEXT;
CREATE INDEX report_versions_by_linked_from ON report_versions(linked_from_url) WHERE linked_from_url IS NOT NULL;

-- Versions already stored: an attachment carries its attachment_<format> flag; a .txt import its name.
UPDATE report_versions SET source_format = (
  SELECT CASE substr(f.flag_id, 12) WHEN 'text' THEN 'txt' ELSE substr(f.flag_id, 12) END
  FROM flags f
  WHERE f.version_id = report_versions.id
    AND substr(f.flag_id, 1, 11) = 'attachment_'
    AND substr(f.flag_id, 12) IN (${FORMAT_LIST}, 'text')
  ORDER BY f.position LIMIT 1)
WHERE EXISTS (
  SELECT 1 FROM flags f
  WHERE f.version_id = report_versions.id
    AND substr(f.flag_id, 1, 11) = 'attachment_'
    AND substr(f.flag_id, 12) IN (${FORMAT_LIST}, 'text'));
UPDATE report_versions SET source_format = 'txt'
WHERE source_format = 'html' AND lower(source_url) LIKE '%.txt'
  AND NOT EXISTS (SELECT 1 FROM flags f WHERE f.version_id = report_versions.id AND substr(f.flag_id, 1, 11) = 'attachment_');

CREATE TABLE report_sources (
  report_id INTEGER NOT NULL REFERENCES reports(id),
  version_id INTEGER NOT NULL REFERENCES report_versions(id),
  role TEXT NOT NULL CHECK (role IN ('primary', 'second')),
  -- Keyed table values read with a number: the more complete table is the primary.
  completeness INTEGER NOT NULL,
  reason TEXT NOT NULL,
  chosen_at TEXT NOT NULL,
  PRIMARY KEY (report_id, version_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX report_sources_one_primary ON report_sources(report_id) WHERE role = 'primary';

CREATE TABLE source_checks (
  report_id INTEGER NOT NULL REFERENCES reports(id),
  position INTEGER NOT NULL,
  check_id TEXT NOT NULL,
  ok INTEGER NOT NULL,
  -- The value the sources disagree on (NULL on the one passing row that says they agree).
  key TEXT,
  primary_version_id INTEGER NOT NULL REFERENCES report_versions(id),
  primary_value NUMERIC,
  second_version_id INTEGER NOT NULL REFERENCES report_versions(id),
  second_value NUMERIC,
  detail TEXT NOT NULL,
  PRIMARY KEY (report_id, position)
) WITHOUT ROWID;

DROP VIEW v_failed_checks;
CREATE VIEW v_failed_checks AS
SELECT r.id AS report_id, v.id AS version_id, v.agency, v.report_year, v.template,
       c.check_id, c.detail, v.source_url
FROM reports r
JOIN report_versions v ON v.id = r.current_version_id
JOIN checks c ON c.version_id = v.id AND c.ok = 0
WHERE r.superseded_by IS NULL
UNION ALL
SELECT r.id, v.id, v.agency, v.report_year, v.template, sc.check_id, sc.detail, v.source_url
FROM reports r
JOIN report_versions v ON v.id = r.current_version_id
JOIN source_checks sc ON sc.report_id = r.id AND sc.primary_version_id = v.id AND sc.ok = 0
WHERE r.superseded_by IS NULL;

CREATE VIEW v_report_sources AS
SELECT r.id AS report_id, r.agency, r.report_year, s.role, s.completeness, v.id AS version_id,
       v.source_format, v.source_url, v.linked_from_url, s.reason
FROM report_sources s
JOIN reports r ON r.id = s.report_id
JOIN report_versions v ON v.id = s.version_id
WHERE r.superseded_by IS NULL;
`;

/**
 * Migration 3: agency identity. agencies holds each canonical agency (GB/T 2260 region, level,
 * department type), agency_aliases every printed name seen for one, reports.agency_id the link; the
 * views gain the agency's id, canonical name and region. Reports already stored are linked here.
 */
const MIGRATION_3_SQL = `
CREATE TABLE agencies (
  id INTEGER PRIMARY KEY,
  -- region code and department type (320813:government), or name:<printed name> when no region is read
  agency_key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  region_code TEXT,
  region_level TEXT CHECK (region_level IN ('province', 'city', 'county')),
  province TEXT,
  city TEXT,
  county TEXT,
  department_type TEXT NOT NULL,
  department_label TEXT NOT NULL
);
CREATE INDEX agencies_by_name ON agencies(name);

CREATE TABLE agency_aliases (
  name TEXT NOT NULL,
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  PRIMARY KEY (name, agency_id)
) WITHOUT ROWID;

ALTER TABLE reports ADD COLUMN agency_id INTEGER REFERENCES agencies(id);
CREATE INDEX reports_by_agency_id ON reports(agency_id);

DROP VIEW v_disclosure_counts;
${disclosureCountsView(3)}

DROP VIEW v_report_values;
CREATE VIEW v_report_values AS
SELECT r.id AS report_id, v.id AS version_id, v.agency, r.agency_id, a.name AS agency_name, a.province,
       v.report_year, v.template, rv.key, rv.value, rv.source, v.source_url
FROM reports r
JOIN report_versions v ON v.id = r.current_version_id
JOIN report_values rv ON rv.version_id = v.id
LEFT JOIN agencies a ON a.id = r.agency_id
WHERE r.superseded_by IS NULL;

DROP VIEW v_failed_checks;
CREATE VIEW v_failed_checks AS
SELECT r.id AS report_id, v.id AS version_id, v.agency, r.agency_id, a.name AS agency_name, a.province,
       v.report_year, v.template, c.check_id, c.detail, v.source_url
FROM reports r
JOIN report_versions v ON v.id = r.current_version_id
JOIN checks c ON c.version_id = v.id AND c.ok = 0
LEFT JOIN agencies a ON a.id = r.agency_id
WHERE r.superseded_by IS NULL
UNION ALL
SELECT r.id, v.id, v.agency, r.agency_id, a.name, a.province, v.report_year, v.template, sc.check_id, sc.detail,
       v.source_url
FROM reports r
JOIN report_versions v ON v.id = r.current_version_id
JOIN source_checks sc ON sc.report_id = r.id AND sc.primary_version_id = v.id AND sc.ok = 0
LEFT JOIN agencies a ON a.id = r.agency_id
WHERE r.superseded_by IS NULL;

-- Every printed name, the canonical agency it resolves to, and the current reports that printed it.
CREATE VIEW v_agency_aliases AS
SELECT al.name AS alias, a.id AS agency_id, a.name AS agency_name, a.region_code, a.province,
       a.department_type,
       (SELECT COUNT(*) FROM reports r WHERE r.agency_id = a.id AND r.agency = al.name AND r.superseded_by IS NULL) AS reports,
       (SELECT group_concat(id, ' ') FROM (SELECT r.id FROM reports r
          WHERE r.agency_id = a.id AND r.agency = al.name AND r.superseded_by IS NULL ORDER BY r.report_year, r.id)) AS report_ids,
       (SELECT group_concat(report_year, ' ') FROM (SELECT DISTINCT r.report_year FROM reports r
          WHERE r.agency_id = a.id AND r.agency = al.name AND r.superseded_by IS NULL ORDER BY r.report_year)) AS report_years
FROM agency_aliases al
JOIN agencies a ON a.id = al.agency_id;
`;

/** Why a source is primary or second: the basis column of report_sources (migration 4). */
export const SOURCE_BASES = ["tables", "other_site", "correction", "later_publication"] as const;
export type SourceBasis = (typeof SOURCE_BASES)[number];

/**
 * Migration 4: a report is an agency's report for a year on its site. Each version records the site
 * it was crawled from; report_sources says on what basis a source is primary or second (the more
 * complete table, another site's copy, a correction over the page it corrects, a later publication);
 * reports record when a crawl last found them and when one first found them gone (withdrawn, kept).
 */
const MIGRATION_4_SQL = `
ALTER TABLE report_versions ADD COLUMN site_slug TEXT;
UPDATE report_versions SET site_slug = (SELECT f.site_slug FROM fetches f WHERE f.id = report_versions.fetch_id)
WHERE fetch_id IS NOT NULL;

ALTER TABLE report_sources ADD COLUMN basis TEXT NOT NULL DEFAULT 'tables'
  CHECK (basis IN (${SOURCE_BASES.map((b) => `'${b}'`).join(", ")}));

ALTER TABLE reports ADD COLUMN last_seen_at TEXT;
-- First seen missing (no longer linked from its list, or answering 404/410); NULL while published.
ALTER TABLE reports ADD COLUMN withdrawn_at TEXT;
ALTER TABLE reports ADD COLUMN withdrawn_reason TEXT;
CREATE INDEX reports_by_site ON reports(site_slug) WHERE superseded_by IS NULL;

DROP VIEW v_disclosure_counts;
${disclosureCountsView(4)}

DROP VIEW v_report_sources;
CREATE VIEW v_report_sources AS
SELECT r.id AS report_id, r.agency, r.report_year, r.site_slug AS report_site, s.role, s.basis, s.completeness,
       v.id AS version_id, v.site_slug AS source_site, v.source_format, v.source_url, v.linked_from_url,
       v.published_at, s.reason
FROM report_sources s
JOIN reports r ON r.id = s.report_id
JOIN report_versions v ON v.id = s.version_id
WHERE r.superseded_by IS NULL;

-- Reports a crawl found gone from their site: kept, with when they were last seen and first missed.
CREATE VIEW v_withdrawn_reports AS
SELECT r.id AS report_id, r.agency, r.agency_id, a.name AS agency_name, r.report_year, r.site_slug AS site,
       r.source_url, r.last_seen_at, r.withdrawn_at AS first_missing_at, r.withdrawn_reason
FROM reports r
LEFT JOIN agencies a ON a.id = r.agency_id
WHERE r.withdrawn_at IS NOT NULL AND r.superseded_by IS NULL;
`;

export type Migration = string | ((db: StoreDb) => void);

/** Index i takes user_version i to i + 1: SQL, or a step that also links rows already stored. */
export const MIGRATIONS: readonly Migration[] = [
  MIGRATION_1,
  MIGRATION_2,
  (db) => {
    db.exec(MIGRATION_3_SQL);
    linkAllReports(db);
  },
  MIGRATION_4_SQL,
];
export const SCHEMA_VERSION = MIGRATIONS.length;
