// A crawl of farm-attach.gov.cn into a real SQLite file: report pages that link their report as a PDF,
// an OFD and an XLS. Each attachment is a version with its format and linking page; the more complete
// source is primary, the other kept as second source, and a number they print differently is a failed check.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CrawlResult } from "../crawler/crawl-engine.ts";
import { siteSchema } from "../crawler/sites/site-schema.ts";
import { extractReport } from "../extract/index.ts";
import { ATTACH_HOST, ATTACH_REPORTS, attachHostPage } from "../fixtures/farm/server/attach-host.ts";
import { collectingLogger, farmConnectTo } from "../fixtures/farm/server/farm-connect.ts";
import { type Farm, startFarm } from "../fixtures/farm/server/farm-server.ts";
import { findSoffice } from "../pipeline/convert-libreoffice.ts";
import { crawlIntoStore } from "../pipeline/crawl.ts";
import { reextractAll } from "../pipeline/reextract.ts";
import { listChecks, openStore, saveReport, storeStats } from "../store/index.ts";

const soffice = await findSoffice();
const inCi = process.env.CI === "true";
const site = siteSchema.parse({
  slug: "farm-attach",
  name: "farm-attach 测试门户",
  agency: "farm-attach 测试机关",
  province: "测试",
  level: "county",
  start_urls: [`http://${ATTACH_HOST}/ndbg/index.html`],
  pagination: { style: "none", params: {}, max_pages: 2 },
  rate: { delay_ms: 10 },
  expect: { min_reports: 3 },
});
const url = (path: string) => `http://${ATTACH_HOST}${path}`;
const [junan, ningling, qinyang] = ATTACH_REPORTS;

let farm: Farm;
let dir: string;
let dbPath: string;
let first: CrawlResult;

const crawl = (into = dbPath, extract = true) =>
  crawlIntoStore({
    dbPath: into,
    extract,
    sites: [site],
    logger: collectingLogger().logger,
    connectTo: farmConnectTo(farm.port),
    browser: null,
    totalTimeoutMs: 5000,
    attachments: { timeoutMs: 90_000 },
  });

beforeAll(async () => {
  farm = await startFarm();
  dir = mkdtempSync(join(tmpdir(), "nianbao-attach-store-"));
  dbPath = join(dir, "crawl.sqlite");
  first = await crawl();
}, 180_000);
afterAll(async () => {
  await farm?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface VersionRow {
  id: number;
  report_id: number;
  source_url: string;
  source_format: string;
  linked_from_url: string | null;
  agency: string | null;
  report_year: number | null;
  metadata_notes_json: string;
}

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const version = (sourceUrl: string) =>
  query<VersionRow>(
    "SELECT * FROM report_versions WHERE source_url = ? ORDER BY id DESC LIMIT 1",
    sourceUrl,
  )[0];

const sources = (reportId: number) =>
  query<{
    role: string;
    completeness: number;
    version_id: number;
    source_format: string;
    source_url: string;
  }>(
    "SELECT role, completeness, version_id, source_format, source_url FROM v_report_sources WHERE report_id = ? ORDER BY role, version_id",
    reportId,
  );

const currentOf = (reportId: number) =>
  query<{ current_version_id: number }>("SELECT current_version_id FROM reports WHERE id = ?", reportId)[0]!
    .current_version_id;

describe("attachments crawled into the store", () => {
  it("crawls the three report pages and their attachments", () => {
    expect(first.exitCode).toBe(0);
    const fetched = query<{ url: string }>("SELECT url FROM fetches WHERE outcome = 'ok'").map((r) => r.url);
    for (const r of ATTACH_REPORTS) {
      expect(fetched).toContain(url(r.page));
      expect(fetched).toContain(url(r.attachment));
    }
  });

  it("stores each page as an html version and each attachment with its format and the page that linked it", () => {
    for (const r of ATTACH_REPORTS) {
      if (r.format === "xls" && !soffice && !inCi) continue;
      const page = version(url(r.page));
      expect(page, r.page).toBeDefined();
      expect(page!.source_format).toBe("html");
      expect(page!.linked_from_url).toBeNull();
      const att = version(url(r.attachment));
      expect(att, r.attachment).toBeDefined();
      expect(att!.source_format).toBe(r.format);
      expect(att!.linked_from_url).toBe(url(r.page));
      // Page and attachment are one report: two sources of it.
      expect(att!.report_id).toBe(page!.report_id);
      expect(att!.agency).toBe(page!.agency);
      expect(att!.report_year).toBe(page!.report_year);
    }
  });

  it("makes the PDF primary when the page's table is less complete, and keeps the page as second source", () => {
    const page = version(url(junan.page))!;
    const pdf = version(url(junan.attachment))!;
    expect(page.agency).toBe("莒南县人力资源和社会保障局");
    expect(page.report_year).toBe(2023);
    const rows = sources(pdf.report_id);
    expect(rows).toEqual([
      {
        role: "primary",
        completeness: 186,
        version_id: pdf.id,
        source_format: "pdf",
        source_url: url(junan.attachment),
      },
      // The page leaves Table 3 (15 numbers) out.
      {
        role: "second",
        completeness: 171,
        version_id: page.id,
        source_format: "html",
        source_url: url(junan.page),
      },
    ]);
    expect(currentOf(pdf.report_id)).toBe(pdf.id);
    const counts = query<{ source_url: string; applications_new_received_total: number }>(
      "SELECT source_url, applications_new_received_total FROM v_disclosure_counts WHERE report_id = ?",
      pdf.report_id,
    );
    expect(counts).toEqual([{ source_url: url(junan.attachment), applications_new_received_total: 18 }]);
  });

  it("records the number the page and its PDF print differently as a failed sources.agree check with both provenances", () => {
    const pdf = version(url(junan.attachment))!;
    const page = version(url(junan.page))!;
    const failed = query<{ check_id: string; detail: string; version_id: number; source_url: string }>(
      "SELECT check_id, detail, version_id, source_url FROM v_failed_checks WHERE report_id = ? AND check_id = 'sources.agree'",
      pdf.report_id,
    );
    expect(failed).toHaveLength(1);
    const { detail } = failed[0]!;
    expect(failed[0]!.version_id).toBe(pdf.id);
    expect(detail).toMatch(
      /^applications\.new_received\.natural_person: 16 \(primary: table 2 row "一、本年新收政府信息公开申请数量"/,
    );
    expect(detail).toContain(`printed "16" in PDF ${url(junan.attachment)}`);
    expect(detail).toContain(`vs 61 (second source: table 2 row "一、本年新收政府信息公开申请数量"`);
    expect(detail).toContain(`printed "61" in HTML ${url(junan.page)}`);
    const rows = query<Record<string, unknown>>(
      "SELECT key, ok, primary_version_id, primary_value, second_version_id, second_value FROM source_checks WHERE report_id = ?",
      pdf.report_id,
    );
    expect(rows).toEqual([
      {
        key: "applications.new_received.natural_person",
        ok: 0,
        primary_version_id: pdf.id,
        primary_value: 16,
        second_version_id: page.id,
        second_value: 61,
      },
    ]);
  });

  it("lists the disagreement with the report's checks (nianbao checks, stats) as v_failed_checks does", () => {
    const pdf = version(url(junan.attachment))!;
    const store = openStore(dbPath, { readonly: true });
    try {
      const failed = listChecks(store.db, true).filter((c) => c.report_id === pdf.report_id);
      expect(failed.filter((c) => c.check_id === "sources.agree")).toMatchObject([
        {
          ok: false,
          source_url: url(junan.attachment),
          agency: "莒南县人力资源和社会保障局",
          report_year: 2023,
        },
      ]);
      const all = listChecks(store.db, false).filter((c) => c.check_id === "sources.agree");
      // One failing row for junan, one passing row per agreeing second source (OFD, WPS, and the XLS).
      expect(all.filter((c) => !c.ok)).toHaveLength(1);
      expect(all.filter((c) => c.ok).length).toBe(soffice || inCi ? 3 : 2);
      // stats counts from v_failed_checks; listChecks reads the tables itself: the two must agree.
      const failedRows = listChecks(store.db, true);
      expect(failedRows.length).toBeGreaterThan(0);
      expect(storeStats(store.db)).toMatchObject({
        failed_checks: failedRows.length,
        reports_with_failed_checks: new Set(failedRows.map((c) => c.report_id)).size,
      });
    } finally {
      store.close();
    }
  });

  it("reads the PDF's own agency from its title, not from the portal menu printed above it", () => {
    const pdf = version(url(junan.attachment))!;
    const page = version(url(junan.page))!;
    const notes = JSON.parse(pdf.metadata_notes_json) as Record<string, { basis: string; detail: string }>;
    expect(notes.agency).toEqual({ basis: "read", detail: "named in the title" });
    expect(pdf.agency).toBe("莒南县人力资源和社会保障局");
    expect(pdf.report_id).toBe(page.report_id);
  });

  it("keeps the page primary on a tie (OFD and WPS as complete as the page) and records that every value agrees", () => {
    const page = version(url(ningling.page))!;
    const ofd = version(url(ningling.attachment))!;
    const wps = version(url(ningling.wps))!;
    // WPS Writer files are DOC bytes: the crawler names the format from the link.
    expect(wps).toMatchObject({
      source_format: "wps",
      linked_from_url: url(ningling.page),
      report_id: page.report_id,
    });
    expect(sources(page.report_id)).toEqual([
      {
        role: "primary",
        completeness: 200,
        version_id: page.id,
        source_format: "html",
        source_url: url(ningling.page),
      },
      {
        role: "second",
        completeness: 200,
        version_id: ofd.id,
        source_format: "ofd",
        source_url: url(ningling.attachment),
      },
      {
        role: "second",
        completeness: 200,
        version_id: wps.id,
        source_format: "wps",
        source_url: url(ningling.wps),
      },
    ]);
    expect(currentOf(page.report_id)).toBe(page.id);
    const checks = query<{ ok: number; key: string | null; detail: string }>(
      "SELECT ok, key, detail FROM source_checks WHERE report_id = ? ORDER BY position",
      page.report_id,
    );
    expect(checks.map((c) => [c.ok, c.key])).toEqual([
      [1, null],
      [1, null],
    ]);
    expect(checks[0]!.detail).toMatch(/^all 203 shared values agree between the HTML .* and the OFD /);
    expect(checks[1]!.detail).toMatch(/^all 203 shared values agree between the HTML .* and the WPS /);
    expect(
      query(
        "SELECT 1 FROM v_failed_checks WHERE report_id = ? AND check_id = 'sources.agree'",
        page.report_id,
      ),
    ).toEqual([]);
  });

  it.skipIf(!soffice && !inCi)(
    "reads the XLS of the tables through LibreOffice Calc and keeps it as second source of its page's report",
    () => {
      const page = version(url(qinyang.page))!;
      const xls = version(url(qinyang.attachment))!;
      expect(xls.source_format).toBe("xls");
      const notes = JSON.parse(xls.metadata_notes_json) as Record<string, { basis: string; detail: string }>;
      expect(notes.is_annual_report?.basis).toBe("inferred");
      expect(notes.agency?.detail).toContain("the attachment does not name it");
      expect(sources(page.report_id)).toEqual([
        {
          role: "primary",
          completeness: 200,
          version_id: page.id,
          source_format: "html",
          source_url: url(qinyang.page),
        },
        {
          role: "second",
          completeness: 200,
          version_id: xls.id,
          source_format: "xls",
          source_url: url(qinyang.attachment),
        },
      ]);
      const values = query<{ key: string; value: number }>(
        "SELECT key, value FROM report_values WHERE version_id = ?",
        xls.id,
      );
      expect(values.length).toBe(200);
      expect(query("SELECT 1 FROM source_checks WHERE report_id = ? AND ok = 0", page.report_id)).toEqual([]);
    },
  );

  it("keeps the choice on a re-crawl and when the second source is saved again", async () => {
    const pdf = version(url(junan.attachment))!;
    const before = query("SELECT COUNT(*) AS n FROM report_versions")[0];
    const again = await crawl();
    expect(again.exitCode).toBe(0);
    expect(query("SELECT COUNT(*) AS n FROM report_versions")[0]).toEqual(before);
    expect(currentOf(pdf.report_id)).toBe(pdf.id);
    // Re-extracting the page (a second source) gives the same version: the PDF stays current.
    const html = attachHostPage(ATTACH_HOST, new URL(url(junan.page)))!.body.toString("utf8");
    const store = openStore(dbPath);
    try {
      const saved = saveReport(store.db, {
        record: extractReport({ content: html, fileName: url(junan.page) }),
        sourceUrl: url(junan.page),
        bodySha256: query<{ body_sha256: string }>(
          "SELECT body_sha256 FROM report_versions WHERE source_url = ? ORDER BY id DESC LIMIT 1",
          url(junan.page),
        )[0]!.body_sha256,
      });
      expect(saved.status).toBe("unchanged");
    } finally {
      store.close();
    }
    expect(currentOf(pdf.report_id)).toBe(pdf.id);
  }, 120_000);

  it("reextract keeps each attachment under its page's report, with its format and link, and redoes the choice", async () => {
    const pdf = version(url(junan.attachment))!;
    const reports = query<{ n: number }>("SELECT COUNT(*) AS n FROM reports")[0]!.n;
    const store = openStore(dbPath);
    let summary: Awaited<ReturnType<typeof reextractAll>>;
    try {
      // As after an extractor change: no stored version matches what extraction gives now.
      store.db.prepare("UPDATE report_versions SET record_sha256 = 'old-' || record_sha256").run();
      summary = await reextractAll(store);
    } finally {
      store.close();
    }
    // Reextract reads attachments as the crawl did, the XLS through LibreOffice Calc; without it the XLS fails.
    expect(summary.failed.map((f) => f.sourceUrl)).toEqual(soffice || inCi ? [] : [url(qinyang.attachment)]);
    expect(query<{ n: number }>("SELECT COUNT(*) AS n FROM reports")[0]!.n).toBe(reports);
    const pdf2 = version(url(junan.attachment))!;
    const page2 = version(url(junan.page))!;
    expect(pdf2.id).toBeGreaterThan(pdf.id);
    expect(pdf2).toMatchObject({
      report_id: pdf.report_id,
      agency: "莒南县人力资源和社会保障局",
      source_format: "pdf",
      linked_from_url: url(junan.page),
    });
    expect(page2.report_id).toBe(pdf.report_id);
    expect(currentOf(pdf.report_id)).toBe(pdf2.id);
    expect(sources(pdf.report_id).map((s) => [s.role, s.version_id])).toEqual([
      ["primary", pdf2.id],
      ["second", page2.id],
    ]);
    expect(
      query<{ check_id: string }>(
        "SELECT check_id FROM v_failed_checks WHERE report_id = ? AND check_id = 'sources.agree'",
        pdf.report_id,
      ),
    ).toHaveLength(1);
  }, 120_000);

  it("reextract of a crawl archived without extraction files each attachment under its linking page", async () => {
    const archived = join(dir, "archived.sqlite");
    expect((await crawl(archived, false)).exitCode).toBe(0);
    const store = openStore(archived);
    try {
      expect(store.db.prepare("SELECT COUNT(*) FROM report_versions").pluck().get()).toBe(0);
      const summary = await reextractAll(store);
      expect(summary.failed.map((f) => f.sourceUrl)).toEqual(
        soffice || inCi ? [] : [url(qinyang.attachment)],
      );
      // The link comes from the frontier (no version to keep it from yet).
      const linked = (attachment: string) =>
        store.db
          .prepare(
            `SELECT a.linked_from_url AS linkedFrom, a.report_id = p.report_id AS sameReport
             FROM report_versions a JOIN report_versions p ON p.source_url = a.linked_from_url
             WHERE a.source_url = ?`,
          )
          .get(url(attachment));
      for (const r of ATTACH_REPORTS) {
        if (r.format === "xls" && !soffice && !inCi) continue;
        expect(linked(r.attachment), r.attachment).toEqual({ linkedFrom: url(r.page), sameReport: 1 });
      }
      expect(linked(ningling.wps)).toEqual({ linkedFrom: url(ningling.page), sameReport: 1 });
      // Named by its link as the crawl names it, though its bytes (and reader) are DOC.
      const format = store.db.prepare(
        "SELECT source_format FROM report_versions WHERE source_url = ? ORDER BY id DESC LIMIT 1",
      );
      expect(format.pluck().get(url(ningling.wps))).toBe("wps");
      expect(format.pluck().get(url(junan.attachment))).toBe("pdf");
    } finally {
      store.close();
    }
  }, 120_000);
});
