// The sources schema on a real SQLite file: a version-1 database is upgraded in place (formats read
// back from the attachment flags), and the source choice between a page and its attachments.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FrontierStore } from "../crawler/frontier/frontier-store.ts";
import type { ReportRecord } from "../extract/schema.ts";
import { settleSources } from "../pipeline/settle-sources.ts";
import {
  inferSourceFormat,
  openStore,
  SCHEMA_VERSION,
  type Store,
  saveReport,
  storeStats,
} from "../store/index.ts";
import { MIGRATIONS, NIANBAO_APPLICATION_ID } from "../store/schema-migrations.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-sources-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A database as nianbao with schema version 1 wrote it: a page, a PDF, a .txt import, a failed check. */
function versionOneFile(path: string): void {
  const db = new Database(path);
  db.exec(MIGRATIONS[0] as string);
  db.pragma(`application_id = ${NIANBAO_APPLICATION_ID}`);
  db.pragma("user_version = 1");
  const now = "2024-01-01T00:00:00Z";
  const report = db.prepare(
    "INSERT INTO reports (id, report_key, agency, report_year, source_url, created_at) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const version = db.prepare(
    `INSERT INTO report_versions (id, report_id, source_url, extractor_version, record_sha256, created_at, agency,
       report_year, is_annual_report, template, text_chars) VALUES (?, ?, ?, '0.1.0', ?, ?, ?, ?, 1, '2021', 10)`,
  );
  const flag = db.prepare("INSERT INTO flags (version_id, position, flag_id, detail) VALUES (?, ?, ?, 'x')");
  report.run(1, "甲局|2023", "甲局", 2023, "http://a.gov.cn/1.html", now);
  version.run(1, 1, "http://a.gov.cn/1.html", "h1", now, "甲局", 2023);
  report.run(2, "乙局|2023", "乙局", 2023, "http://a.gov.cn/2.pdf", now);
  version.run(2, 2, "http://a.gov.cn/2.pdf", "h2", now, "乙局", 2023);
  flag.run(2, 0, "table3_ragged");
  flag.run(2, 1, "attachment_pdf");
  report.run(3, "丙局|2023", "丙局", 2023, "file:///reports/3.txt", now);
  version.run(3, 3, "file:///reports/3.txt", "h3", now, "丙局", 2023);
  report.run(4, "丁局|2023", "丁局", 2023, "http://a.gov.cn/4.wps", now);
  version.run(4, 4, "http://a.gov.cn/4.wps", "h4", now, "丁局", 2023);
  flag.run(4, 0, "attachment_doc");
  db.prepare("UPDATE reports SET current_version_id = id").run();
  db.prepare(
    "INSERT INTO checks (version_id, position, check_id, ok, detail) VALUES (1, 0, 'review.total', 0, '1 ≠ 2')",
  ).run();
  db.close();
}

describe("migration 2 on an existing database", () => {
  it("upgrades a version-1 file in place: formats from the attachment flags and names, links empty", () => {
    const path = join(dir, "old.sqlite");
    versionOneFile(path);
    const store = openStore(path);
    try {
      const { db } = store;
      expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
      expect(
        db.prepare("SELECT id, source_format, linked_from_url FROM report_versions ORDER BY id").all(),
      ).toEqual([
        { id: 1, source_format: "html", linked_from_url: null },
        { id: 2, source_format: "pdf", linked_from_url: null },
        { id: 3, source_format: "txt", linked_from_url: null },
        // WPS bytes are DOC: the flag says doc (only the crawl's type knows the WPS name).
        { id: 4, source_format: "doc", linked_from_url: null },
      ]);
      // Old checks still show; the new tables and view are there and empty.
      expect(db.prepare("SELECT report_id, check_id FROM v_failed_checks").all()).toEqual([
        { report_id: 1, check_id: "review.total" },
      ]);
      expect(db.prepare("SELECT COUNT(*) FROM v_report_sources").pluck().get()).toBe(0);
      expect(db.prepare("SELECT COUNT(*) FROM source_checks").pluck().get()).toBe(0);
      expect(() => db.prepare("UPDATE report_versions SET source_format = 'exe' WHERE id = 1").run()).toThrow(
        /CHECK constraint failed/,
      );
    } finally {
      store.close();
    }
    // Reopening does not migrate again.
    const again = openStore(path);
    try {
      expect(again.db.prepare("SELECT COUNT(*) FROM report_versions").pluck().get()).toBe(4);
    } finally {
      again.close();
    }
  });
});

describe("the crawl frontier of an earlier version", () => {
  it("gains parent_url in place, and an attachment enqueued from a page keeps the page's URL", () => {
    const path = join(dir, "frontier.sqlite");
    const db = new Database(path);
    try {
      // The frontier table as the crawler created it before parent_url.
      db.exec(`CREATE TABLE crawl_frontier (
        id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, site_slug TEXT NOT NULL, url TEXT NOT NULL,
        canonical_url TEXT NOT NULL, host TEXT NOT NULL, depth INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('list', 'report', 'attachment')), page_index INTEGER NOT NULL DEFAULT 0,
        link_title TEXT, state TEXT NOT NULL CHECK (state IN ('queued', 'leased', 'done', 'failed', 'skipped')),
        attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0, lease_until INTEGER,
        lease_owner TEXT, reason TEXT, outcome TEXT, change TEXT, fetch_id INTEGER, done_at INTEGER,
        UNIQUE (run_id, canonical_url))`);
      db.prepare(
        "INSERT INTO crawl_frontier (run_id, site_slug, url, canonical_url, host, depth, kind, state) VALUES (1, 's', 'http://a.gov.cn/old.pdf', 'http://a.gov.cn/old.pdf', 'a.gov.cn', 2, 'attachment', 'done')",
      ).run();
      const frontier = new FrontierStore(db);
      frontier.enqueue(1, [
        {
          siteSlug: "s",
          url: "http://a.gov.cn/1.pdf",
          canonicalUrl: "http://a.gov.cn/1.pdf",
          depth: 2,
          kind: "attachment",
          pageIndex: 0,
          linkTitle: null,
          parentUrl: "http://a.gov.cn/1.html",
        },
      ]);
      expect(db.prepare("SELECT url, parent_url FROM crawl_frontier ORDER BY id").all()).toEqual([
        { url: "http://a.gov.cn/old.pdf", parent_url: null },
        { url: "http://a.gov.cn/1.pdf", parent_url: "http://a.gov.cn/1.html" },
      ]);
      // Opening it again does not add the column twice.
      expect(() => new FrontierStore(db)).not.toThrow();
    } finally {
      db.close();
    }
  });
});

function record(values: Record<string, number>, over: Partial<ReportRecord> = {}): ReportRecord {
  const keys = Object.keys(values);
  return {
    extractor_version: "0.1.0",
    title: "甲县民政局2023年政府信息公开工作年度报告",
    agency: "甲县民政局",
    report_year: 2023,
    published_at: null,
    doc_number: null,
    is_annual_report: true,
    template: "2021",
    metadata_notes: {},
    headings: [],
    values,
    cells: keys.map((key, i) => ({
      table: 2,
      table_index: 1,
      row: i + 2,
      col: 7,
      row_label: `row ${key}`,
      col_label: "总计",
      raw: String(values[key]),
      value: values[key]!,
      key,
    })),
    facts: [],
    checks: [],
    flags: [],
    text: "甲县民政局2023年政府信息公开工作年度报告",
    ...over,
  };
}

describe("choosing between a report's sources", () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(join(dir, "t.sqlite"));
  });
  afterEach(() => store.close());

  const PAGE = "http://a.gov.cn/ndbg/1.html";
  const PDF = "http://a.gov.cn/ndbg/1.pdf";
  const DOCX = "http://a.gov.cn/ndbg/1.docx";

  it("of two pages of one report, the later publication is current and the earlier kept as a replaced source", () => {
    const a = saveReport(store.db, { record: record({ "review.total": 1 }), sourceUrl: PAGE });
    const b = saveReport(store.db, {
      record: record({ "review.total": 2, "litigation.direct.total": 3 }),
      sourceUrl: "http://a.gov.cn/ndbg/1-copy.html",
    });
    expect(b.reportId).toBe(a.reportId);
    expect(settleSources(store.db, a.reportId)).toMatchObject({
      primaryVersionId: b.versionId,
      secondVersionIds: [a.versionId],
      disagreements: 0,
      replaced: 1,
    });
    expect(store.db.prepare("SELECT current_version_id FROM reports").pluck().get()).toBe(b.versionId);
    expect(store.db.prepare("SELECT role, basis FROM v_report_sources ORDER BY role").all()).toEqual([
      { role: "primary", basis: "tables" },
      { role: "second", basis: "later_publication" },
    ]);
    // A correction's changed numbers are recorded, not failed.
    expect(store.db.prepare("SELECT COUNT(*) FROM v_failed_checks").pluck().get()).toBe(0);
    expect(store.db.prepare("SELECT check_id, ok, key FROM source_checks ORDER BY position").all()).toEqual([
      { check_id: "sources.correction", ok: 1, key: "review.total" },
    ]);
  });

  it("makes the more complete attachment primary, whichever was saved last, and records each disagreement", () => {
    const pdf = saveReport(store.db, {
      record: record({
        "review.total": 1,
        "litigation.direct.total": 3,
        "applications.new_received.total": 9,
      }),
      sourceUrl: PDF,
      sourceFormat: "pdf",
      linkedFrom: PAGE,
    });
    const page = saveReport(store.db, {
      record: record({ "review.total": 2, "litigation.direct.total": 3 }),
      sourceUrl: PAGE,
    });
    expect(page.reportId).toBe(pdf.reportId);
    expect(settleSources(store.db, pdf.reportId)).toEqual({
      primaryVersionId: pdf.versionId,
      secondVersionIds: [page.versionId],
      disagreements: 1,
      replaced: 0,
      otherSite: 0,
    });
    expect(store.db.prepare("SELECT current_version_id FROM reports").pluck().get()).toBe(pdf.versionId);
    expect(
      store.db
        .prepare(
          "SELECT role, completeness, source_format, linked_from_url FROM v_report_sources ORDER BY role",
        )
        .all(),
    ).toEqual([
      { role: "primary", completeness: 3, source_format: "pdf", linked_from_url: PAGE },
      { role: "second", completeness: 2, source_format: "html", linked_from_url: null },
    ]);
    expect(store.db.prepare("SELECT check_id, detail FROM v_failed_checks").all()).toEqual([
      {
        check_id: "sources.agree",
        detail: `review.total: 1 (primary: table 2 row "row review.total" column "总计" printed "1" in PDF ${PDF}) vs 2 (second source: table 2 row "row review.total" column "总计" printed "2" in HTML ${PAGE})`,
      },
    ]);
    expect(storeStats(store.db)).toMatchObject({ failed_checks: 1, reports_with_failed_checks: 1 });
  });

  it("compares the primary with each second source, and a new version of an attachment keeps its link", () => {
    saveReport(store.db, {
      record: record({ "review.total": 1, "litigation.direct.total": 3 }),
      sourceUrl: PAGE,
    });
    const pdf = saveReport(store.db, {
      record: record({ "review.total": 1 }),
      sourceUrl: PDF,
      sourceFormat: "pdf",
      linkedFrom: PAGE,
    });
    const docx = saveReport(store.db, {
      record: record({ "review.total": 4 }),
      sourceUrl: DOCX,
      sourceFormat: "docx",
      linkedFrom: PAGE,
    });
    const settled = settleSources(store.db, pdf.reportId)!;
    expect(settled.secondVersionIds).toEqual([pdf.versionId, docx.versionId]);
    expect(settled.disagreements).toBe(1);
    expect(
      store.db.prepare("SELECT ok, key, second_value FROM source_checks ORDER BY position").all(),
    ).toEqual([
      { ok: 1, key: null, second_value: null },
      { ok: 0, key: "review.total", second_value: 4 },
    ]);
    // Re-extracted without saying its format or link (e.g. by reextract): the format comes from the
    // record's attachment flag, the link from the URL's earlier version.
    const pdf2 = saveReport(store.db, {
      record: record({ "review.total": 5 }, { flags: [{ id: "attachment_pdf", detail: "read from a PDF" }] }),
      sourceUrl: PDF,
      bodySha256: "b2",
    });
    const row = store.db
      .prepare("SELECT source_format, linked_from_url FROM report_versions WHERE id = ?")
      .get(pdf2.versionId);
    expect(row).toEqual({ source_format: "pdf", linked_from_url: PAGE });
  });
});

describe("the source format a saved record shows by itself", () => {
  const flagged = (id: string) => ({ flags: [{ id, detail: "" }] });
  it("comes from the reader's flag, WPS and ET by their name (DOC and XLS bytes), else .txt or HTML", () => {
    expect(inferSourceFormat(flagged("attachment_pdf"), "http://a.gov.cn/1.pdf")).toBe("pdf");
    expect(inferSourceFormat(flagged("attachment_doc"), "http://a.gov.cn/1.doc")).toBe("doc");
    expect(inferSourceFormat(flagged("attachment_doc"), "http://a.gov.cn/1.WPS")).toBe("wps");
    expect(inferSourceFormat(flagged("attachment_xls"), "file:///r/1.et")).toBe("et");
    expect(inferSourceFormat(flagged("attachment_xls"), "http://a.gov.cn/1.wps")).toBe("xls");
    expect(inferSourceFormat(flagged("attachment_text"), "http://a.gov.cn/1")).toBe("txt");
    expect(inferSourceFormat({ flags: [] }, "file:///r/1.txt?x=1")).toBe("txt");
    expect(inferSourceFormat({ flags: [] }, "http://a.gov.cn/txt/1.html")).toBe("html");
  });
});
