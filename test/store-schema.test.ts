// The store on a real SQLite file: schema and pragmas, the fetch archive API the crawler uses,
// report versions (nothing overwritten), keys for unidentified pages, views and FTS.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ReportRecord } from "../extract/schema.ts";
import {
  finishRun,
  getBody,
  latestFetchFor,
  openStore,
  SCHEMA_VERSION,
  type Store,
  saveFetch,
  saveReport,
  searchText,
  splitSections,
  startRun,
  viewRows,
} from "../store/index.ts";

const TEXT =
  "报告正文开头。一、总体情况 主动公开政府信息120条。四、政府信息公开行政复议、行政诉讼情况 行政复议1件。";

function record(over: Partial<ReportRecord> = {}): ReportRecord {
  return {
    extractor_version: "0.1.0",
    title: "甲县民政局2023年政府信息公开工作年度报告",
    agency: "甲县民政局",
    report_year: 2023,
    published_at: "2024-01-20",
    doc_number: null,
    is_annual_report: true,
    template: "2021",
    metadata_notes: {},
    headings: [
      { level: 1, label: "一、", title: "总体情况", offset: TEXT.indexOf("一、") },
      { level: 1, label: "四、", title: "政府信息公开行政复议、行政诉讼情况", offset: TEXT.indexOf("四、") },
    ],
    values: {
      "applications.new_received.total": 9,
      "applications.results.denied.state_secret.total": 1,
      "applications.results.denied.third_party_rights.total": 2,
      "proactive.items_published": 120,
      "review.total": 1,
      "litigation.direct.total": 2,
    },
    cells: [
      {
        table: 2,
        table_index: 1,
        row: 2,
        col: 7,
        row_label: "一、本年新收政府信息公开申请数量",
        col_label: "总计",
        raw: "9",
        value: 9,
        key: "applications.new_received.total",
      },
    ],
    facts: [
      {
        key: "proactive.items_published",
        value: 120,
        approx: false,
        sentence: "主动公开政府信息120条。",
        offset: TEXT.indexOf("主动公开"),
      },
    ],
    checks: [{ id: "applications.balance", ok: false, detail: "9 + 0 ≠ 8 + 0" }],
    flags: [{ id: "table3_ragged", detail: "x" }],
    text: TEXT,
    ...over,
  };
}

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-store-"));
  store = openStore(join(dir, "t.sqlite"));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = (table: string) => store.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

describe("schema", () => {
  it("opens with WAL, foreign keys, the schema version and every table and view", () => {
    const { db } = store;
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    const names = db
      .prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')")
      .pluck()
      .all() as string[];
    for (const n of [
      "sites",
      "fetches",
      "bodies",
      "crawl_runs",
      "reports",
      "report_versions",
      "sections",
      "cells",
      "facts",
      "report_values",
      "checks",
      "flags",
      "report_text_fts",
      "v_disclosure_counts",
      "v_report_values",
      "v_failed_checks",
    ]) {
      expect(names).toContain(n);
    }
    const fts = db
      .prepare("SELECT sql FROM sqlite_schema WHERE name = 'report_text_fts'")
      .pluck()
      .get() as string;
    expect(fts).toMatch(/tokenize\s*=\s*'trigram'/);
  });

  it("reopens an existing file without migrating again", () => {
    saveReport(store.db, { record: record(), sourceUrl: "http://a.gov.cn/1.html" });
    store.close();
    store = openStore(join(dir, "t.sqlite"));
    expect(count("reports")).toBe(1);
  });

  it("refuses a version pointing at a report that does not exist (foreign keys on)", () => {
    expect(() =>
      store.db
        .prepare(
          "INSERT INTO sections (version_id, position, level, label, title, text_offset, text) VALUES (999, 0, 1, '', '', 0, '')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });
});

describe("fetch archive", () => {
  it("stores each body once by sha256 and gives it back byte for byte", () => {
    const body = new TextEncoder().encode("<html>甲县民政局</html>");
    const a = saveFetch(store.db, {
      url: "http://a.gov.cn/1.html",
      status: 200,
      headers: { ETag: '"abc"', "Last-Modified": "Tue, 01 Oct 2024 00:00:00 GMT" },
      body,
      outcome: "ok",
    });
    const b = saveFetch(store.db, { url: "http://a.gov.cn/copy.html", status: 200, body, outcome: "ok" });
    expect(a.sha256).toBe(b.sha256);
    expect(a.fetchId).not.toBe(b.fetchId);
    expect(count("bodies")).toBe(1);
    expect(count("fetches")).toBe(2);
    expect(Buffer.from(getBody(store.db, a.sha256 as string) as Uint8Array).toString()).toBe(
      "<html>甲县民政局</html>",
    );
    expect(getBody(store.db, "0".repeat(64))).toBeNull();
  });

  it("answers the conditional-GET question from the last fetch with a body", () => {
    const body = new TextEncoder().encode("v1");
    saveFetch(store.db, {
      url: "http://a.gov.cn/1.html",
      status: 200,
      headers: { etag: '"v1"', "last-modified": "Mon, 30 Sep 2024 00:00:00 GMT" },
      body,
      outcome: "ok",
    });
    saveFetch(store.db, { url: "http://a.gov.cn/1.html", status: 304, outcome: "not_modified" });
    const last = latestFetchFor(store.db, "http://a.gov.cn/1.html");
    expect(last).toMatchObject({
      etag: '"v1"',
      last_modified: "Mon, 30 Sep 2024 00:00:00 GMT",
      status: 200,
      run_id: null,
    });
    expect(latestFetchFor(store.db, "http://a.gov.cn/none.html")).toBeNull();
  });

  it("records a crawl run with its summary", () => {
    const run = startRun(store.db, { sites: ["a"] });
    saveFetch(store.db, {
      url: "http://a.gov.cn/x",
      status: 500,
      runId: run,
      outcome: "http_error",
      reason: "HTTP 500",
    });
    finishRun(store.db, run, { pages: 1, failures: { http_error: 1 } });
    const row = store.db
      .prepare("SELECT finished_at, summary_json FROM crawl_runs WHERE id = ?")
      .get(run) as { finished_at: string; summary_json: string };
    expect(row.finished_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(JSON.parse(row.summary_json)).toEqual({ pages: 1, failures: { http_error: 1 } });
  });
});

describe("report versions", () => {
  it("adds nothing when the same extraction is saved twice", () => {
    const first = saveReport(store.db, {
      record: record(),
      sourceUrl: "http://a.gov.cn/1.html",
      bodySha256: "aa",
    });
    const counts = [
      "reports",
      "report_versions",
      "sections",
      "cells",
      "facts",
      "report_values",
      "checks",
      "flags",
    ].map(count);
    const again = saveReport(store.db, {
      record: record(),
      sourceUrl: "http://a.gov.cn/1.html",
      bodySha256: "aa",
    });
    expect(first.status).toBe("new");
    expect(again).toMatchObject({
      status: "unchanged",
      reportId: first.reportId,
      versionId: first.versionId,
    });
    expect(
      ["reports", "report_versions", "sections", "cells", "facts", "report_values", "checks", "flags"].map(
        count,
      ),
    ).toEqual(counts);
  });

  it("keeps the old version when the body or the extractor changes, and points at the new one", () => {
    const v1 = saveReport(store.db, {
      record: record(),
      sourceUrl: "http://a.gov.cn/1.html",
      bodySha256: "aa",
    });
    const v2 = saveReport(store.db, {
      record: record({ values: { "proactive.items_published": 121 } }),
      sourceUrl: "http://a.gov.cn/1.html",
      bodySha256: "bb",
    });
    const v3 = saveReport(store.db, {
      record: record({ extractor_version: "0.2.0" }),
      sourceUrl: "http://a.gov.cn/1.html",
      bodySha256: "bb",
    });
    expect([v2.status, v3.status]).toEqual(["changed", "changed"]);
    expect(new Set([v1.reportId, v2.reportId, v3.reportId]).size).toBe(1);
    expect(count("report_versions")).toBe(3);
    expect(store.db.prepare("SELECT current_version_id FROM reports").pluck().get()).toBe(v3.versionId);
    // The first version's values are still there.
    expect(
      store.db
        .prepare("SELECT value FROM report_values WHERE version_id = ? AND key = 'proactive.items_published'")
        .pluck()
        .get(v1.versionId),
    ).toBe(120);
    expect(viewRows(store.db, "v_disclosure_counts").rows).toHaveLength(1);
  });

  it("keys a page without agency or year by its URL, so two such pages are never merged", () => {
    const a = saveReport(store.db, { record: record({ agency: null }), sourceUrl: "http://a.gov.cn/1.html" });
    const b = saveReport(store.db, { record: record({ agency: null }), sourceUrl: "http://a.gov.cn/2.html" });
    const c = saveReport(store.db, {
      record: record({ report_year: null }),
      sourceUrl: "http://a.gov.cn/3.html",
    });
    const d = saveReport(store.db, {
      record: record({ is_annual_report: false }),
      sourceUrl: "http://a.gov.cn/4.html",
    });
    expect(new Set([a.reportId, b.reportId, c.reportId, d.reportId]).size).toBe(4);
    expect(store.db.prepare("SELECT report_key FROM reports WHERE id = ?").pluck().get(a.reportId)).toBe(
      "url:http://a.gov.cn/1.html",
    );
  });

  it("follows a page whose key changes once its agency becomes readable", () => {
    const before = saveReport(store.db, {
      record: record({ agency: null }),
      sourceUrl: "http://a.gov.cn/1.html",
      bodySha256: "aa",
    });
    const after = saveReport(store.db, {
      record: record({ extractor_version: "0.2.0" }),
      sourceUrl: "http://a.gov.cn/1.html",
      bodySha256: "aa",
    });
    expect(after).toMatchObject({ reportId: before.reportId, status: "changed" });
    expect(store.db.prepare("SELECT report_key FROM reports").pluck().all()).toEqual(["甲县民政局|2023"]);
  });

  it("cuts the text into sections at the headings, losing nothing", () => {
    const r = record();
    const sections = splitSections(r);
    expect(sections.map((s) => s.title)).toEqual(["", "总体情况", "政府信息公开行政复议、行政诉讼情况"]);
    expect(sections.map((s) => s.text).join("")).toBe(r.text);
    saveReport(store.db, { record: r, sourceUrl: "http://a.gov.cn/1.html" });
    const stored = store.db.prepare("SELECT text FROM sections ORDER BY position").pluck().all() as string[];
    expect(stored.join("")).toBe(r.text);
  });

  it("fills v_disclosure_counts from report_values, with sums the page prints no subtotal for", () => {
    saveReport(store.db, { record: record(), sourceUrl: "http://a.gov.cn/1.html" });
    const [row] = viewRows(store.db, "v_disclosure_counts").rows;
    expect(row).toMatchObject({
      agency: "甲县民政局",
      report_year: 2023,
      template: "2021",
      proactive_items_published: 120,
      applications_new_received_total: 9,
      applications_denied_total: 3,
      review_total: 1,
      litigation_total: 2,
      checks_failed: 1,
      flags: "table3_ragged",
    });
    expect(viewRows(store.db, "v_failed_checks").rows).toMatchObject([
      { check_id: "applications.balance", detail: "9 + 0 ≠ 8 + 0" },
    ]);
    const values = viewRows(store.db, "v_report_values").rows;
    expect(values.find((v) => v.key === "proactive.items_published")).toMatchObject({
      value: 120,
      source: "prose",
      agency: "甲县民政局",
      report_year: 2023,
    });
    expect(values.find((v) => v.key === "applications.new_received.total")).toMatchObject({
      value: 9,
      source: "table",
    });
  });

  it("finds Chinese words with the trigram index and two-character words by scanning", () => {
    saveReport(store.db, { record: record(), sourceUrl: "http://a.gov.cn/1.html" });
    expect(searchText(store.db, ["行政复议"]).map((h) => h.section_title)).toEqual([
      "政府信息公开行政复议、行政诉讼情况",
    ]);
    expect(searchText(store.db, ["复议"]).map((h) => h.section_title)).toEqual([
      "政府信息公开行政复议、行政诉讼情况",
    ]);
    expect(searchText(store.db, ["主动公开", "120"]).map((h) => h.section_title)).toEqual(["总体情况"]);
    expect(searchText(store.db, ["不存在的词语"])).toEqual([]);
  });
});
