// Importing real pages into a fresh file: the database holds exactly what extractReport() returns for
// each file, the stock sqlite3 shell and Python's sqlite3 read the same values, re-imports add nothing.
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatedReportPage } from "../bench/generated-report.ts";
import { extractFile } from "../pipeline/extract-file.ts";
import { importPages } from "../pipeline/import-pages.ts";
import { reextractAll } from "../pipeline/reextract.ts";
import { openStore, type Store, splitSections } from "../store/index.ts";

const SEEDS = resolve("../shared/seeds");
const REAL = resolve("../shared/real-reports");
const FIXTURES = resolve("fixtures/pages");

function pageFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(html?|txt)$/i.test(f))
    .map((f) => join(dir, f))
    .sort();
}

const files = [...pageFiles(SEEDS), ...pageFiles(REAL), ...pageFiles(FIXTURES)];
const TABLES = [
  "sites",
  "crawl_runs",
  "bodies",
  "fetches",
  "reports",
  "report_versions",
  "sections",
  "cells",
  "facts",
  "report_values",
  "checks",
  "flags",
  "report_text_fts",
];

let dir: string;
let dbPath: string;
let store: Store;

function rowCounts(s: Store): Record<string, number> {
  return Object.fromEntries(
    TABLES.map((t) => [t, s.db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number]),
  );
}

let notReports = -1;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-import-"));
  dbPath = join(dir, "reports.sqlite");
  store = openStore(dbPath);
  const summary = await importPages(store, files);
  expect(summary.failed).toEqual([]);
  notReports = summary.notReports;
});
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

it("counts the stored pages that are not annual reports (the fixture spam and notice pages)", () => {
  const stored = store.db
    .prepare("SELECT COUNT(*) AS n FROM report_versions WHERE is_annual_report = 0")
    .get() as { n: number };
  expect(stored.n).toBeGreaterThan(0);
  expect(notReports).toBe(stored.n);
});

function versionFor(file: string) {
  return store.db
    .prepare(
      `SELECT v.* FROM reports r JOIN report_versions v ON v.id = r.current_version_id
       WHERE v.source_url = ? AND r.superseded_by IS NULL`,
    )
    .get(pathToFileURL(file).href) as Record<string, unknown> | undefined;
}

describe("import into a fresh file", () => {
  it("found the test pages (seeds, real reports, fixtures)", () => {
    expect(pageFiles(SEEDS)).toHaveLength(5);
    expect(files.length).toBeGreaterThanOrEqual(9);
  });

  it.each(files)("stores exactly the extraction of %s", async (file) => {
    const { record } = await extractFile(file);
    const v = versionFor(file);
    expect(v, "a current version for the file").toBeDefined();
    if (!v) return;
    expect({
      agency: v.agency,
      report_year: v.report_year,
      template: v.template,
      published_at: v.published_at,
      doc_number: v.doc_number,
      title: v.title,
      is_annual_report: v.is_annual_report === 1,
    }).toEqual({
      agency: record.agency,
      report_year: record.report_year,
      template: record.template,
      published_at: record.published_at,
      doc_number: record.doc_number,
      title: record.title,
      is_annual_report: record.is_annual_report,
    });
    const values = Object.fromEntries(
      store.db.prepare("SELECT key, value FROM report_values WHERE version_id = ?").raw().all(v.id) as [
        string,
        number,
      ][],
    );
    expect(values).toEqual(record.values);
    const cells = store.db
      .prepare(
        'SELECT table_no AS "table", table_index, row, col, row_label, col_label, raw, value, key FROM cells WHERE version_id = ? ORDER BY position',
      )
      .all(v.id);
    expect(cells).toEqual(record.cells);
    const facts = store.db
      .prepare(
        "SELECT key, value, approx, sentence, text_offset AS offset FROM facts WHERE version_id = ? ORDER BY position",
      )
      .all(v.id) as { approx: number }[];
    expect(facts.map((f) => ({ ...f, approx: f.approx === 1 }))).toEqual(record.facts);
    const checks = store.db
      .prepare("SELECT check_id AS id, ok, detail FROM checks WHERE version_id = ? ORDER BY position")
      .all(v.id) as { ok: number }[];
    expect(checks.map((c) => ({ ...c, ok: c.ok === 1 }))).toEqual(record.checks);
    expect(
      store.db
        .prepare("SELECT flag_id AS id, detail FROM flags WHERE version_id = ? ORDER BY position")
        .all(v.id),
    ).toEqual(record.flags);
    const sections = store.db
      .prepare("SELECT level, label, title, text FROM sections WHERE version_id = ? ORDER BY position")
      .all(v.id) as { text: string }[];
    expect(sections.map((s) => s.text).join("")).toBe(record.text);
    expect(sections.length).toBe(splitSections(record).length);
  });

  // Values the spec fixes for seed 004: they pass once the extractor reads the 2019 template.
  it("seed 004 (天水市民政局 2019): spec values are in report_values", () => {
    const v = versionFor(join(SEEDS, "004_9f09e102a19e83ee.txt"));
    const value = (key: string) =>
      store.db
        .prepare("SELECT value FROM report_values WHERE version_id = ? AND key = ?")
        .pluck()
        .get(v?.id, key);
    expect(v?.agency).toBe("天水市民政局");
    expect(v?.report_year).toBe(2019);
    expect(v?.template).toBe("2019");
    expect(value("proactive.licensing.decisions")).toBe(17);
    expect(value("proactive.penalties.change")).toBe(-3);
    expect(value("proactive.procurement.amount_wan_yuan")).toBe(5.02);
    expect(value("proactive.items_published")).toBe(607);
    expect(value("proactive.fees.amount_wan_yuan")).toBeUndefined();
    const row = store.db
      .prepare("SELECT * FROM v_disclosure_counts WHERE agency = '天水市民政局'")
      .get() as Record<string, unknown>;
    expect(row).toMatchObject({
      report_year: 2019,
      template: "2019",
      proactive_items_published: 607,
      applications_received: 0,
    });
    expect(String(row.flags).split(" ")).toEqual(expect.arrayContaining(["table2_ragged", "table3_ragged"]));
  });

  // Expected records written by hand beside the fixture pages: pass as the extractor reads each page.
  const expectedFiles = existsSync(FIXTURES)
    ? readdirSync(FIXTURES).filter((f) => f.endsWith(".expected.json"))
    : [];
  it.each(expectedFiles)("the values of %s are in report_values", (name) => {
    const page = readdirSync(FIXTURES).find(
      (f) => f.startsWith(name.replace(".expected.json", ".")) && !f.endsWith(".json"),
    );
    expect(page, `the page beside ${name}`).toBeDefined();
    const want = JSON.parse(readFileSync(join(FIXTURES, name), "utf8")) as {
      values?: Record<string, number>;
      agency?: string;
      report_year?: number;
    };
    const v = versionFor(join(FIXTURES, page as string));
    const got = Object.fromEntries(
      store.db.prepare("SELECT key, value FROM report_values WHERE version_id = ?").raw().all(v?.id) as [
        string,
        number,
      ][],
    );
    const missing = Object.entries(want.values ?? {})
      .filter(([k, x]) => got[k] !== x)
      .map(([k, x]) => `${k}: want ${x}, stored ${got[k] ?? "nothing"}`);
    expect(missing).toEqual([]);
    if (want.agency) expect(v?.agency).toBe(want.agency);
    if (want.report_year) expect(v?.report_year).toBe(want.report_year);
  });

  it("answers the stock sqlite3 shell and Python's sqlite3 with the same values", () => {
    const sql =
      "SELECT report_id, agency, report_year, template, proactive_items_published, applications_new_received_total, checks_failed FROM v_disclosure_counts ORDER BY report_id";
    const mine = store.db.prepare(sql).raw().all() as unknown[][];
    expect(mine.length).toBeGreaterThan(5);
    const shell = JSON.parse(
      execFileSync("sqlite3", ["-json", "-readonly", dbPath, sql], { encoding: "utf8" }) || "[]",
    ) as Record<string, unknown>[];
    expect(shell.map((r) => Object.values(r))).toEqual(mine);
    const py = execFileSync(
      "python3",
      [
        "-c",
        "import json, sqlite3, sys\ncon = sqlite3.connect(sys.argv[1])\nprint(json.dumps(con.execute(sys.argv[2]).fetchall(), ensure_ascii=False))",
        dbPath,
        sql,
      ],
      { encoding: "utf8" },
    );
    expect(JSON.parse(py)).toEqual(mine);
    const search = execFileSync(
      "sqlite3",
      [dbPath, "SELECT count(*) FROM report_text_fts WHERE report_text_fts MATCH '行政复议'"],
      { encoding: "utf8" },
    );
    expect(Number(search.trim())).toBeGreaterThan(0);
    expect(execFileSync("sqlite3", [dbPath, "PRAGMA integrity_check"], { encoding: "utf8" }).trim()).toBe(
      "ok",
    );
  });

  it("re-extracting the stored bodies (GBK pages included) reproduces every record: nothing changes", async () => {
    const summary = await reextractAll(store);
    expect(summary.pages).toBe(files.length);
    expect(summary.missing).toEqual([]);
    expect(summary.changes).toEqual([]);
    expect(summary.unchanged).toBe(files.length);
  });

  it("adds nothing when the same files are imported again", async () => {
    const before = rowCounts(store);
    const summary = await importPages(store, files);
    expect(summary).toMatchObject({ new: 0, changed: 0, unchanged: files.length, failed: [] });
    expect(rowCounts(store)).toEqual(before);
  });
});

describe("1,000 pages", () => {
  it("importing the same 1,000 pages twice leaves every row count unchanged", async () => {
    const pagesDir = join(dir, "thousand");
    mkdirSync(pagesDir);
    for (let i = 0; i < 1000; i++) {
      const p = generatedReportPage(i);
      writeFileSync(join(pagesDir, p.name), p.text);
    }
    const thousand = openStore(join(dir, "thousand.sqlite"));
    try {
      const first = await importPages(thousand, [pagesDir]);
      expect(first).toMatchObject({ files: 1000, new: 1000, failed: [] });
      const counts = rowCounts(thousand);
      expect(counts.reports).toBe(1000);
      const second = await importPages(thousand, [pagesDir]);
      expect(second).toMatchObject({ files: 1000, new: 0, changed: 0, unchanged: 1000 });
      expect(rowCounts(thousand)).toEqual(counts);
    } finally {
      thousand.close();
    }
  }, 240_000);
});
