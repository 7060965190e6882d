// The nightly re-crawl when a portal corrects a published report: the changed page comes back 200
// (its validators no longer match), becomes a new report version holding the corrected number, the old
// version stays in the database, and the untouched pages come back 304 and stay as they were.
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { siteSchema } from "../crawler/sites/site-schema.ts";
import { collectingLogger, farmConnectTo } from "../fixtures/farm/server/farm-connect.ts";
import { type Farm, startFarm } from "../fixtures/farm/server/farm-server.ts";
import { crawlIntoStore } from "../pipeline/crawl.ts";

const HOST = "farm-changes.gov.cn";
const PAGES = resolve(import.meta.dirname, "../fixtures/pages");
const REPORTS = ["huojia-health-2023", "junan-hrss-2023", "ningling-civil-affairs-2021"];
const KEY = "proactive.licensing.decisions";

let farm: Farm;
let dir: string;
let hostDir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-changes-"));
  hostDir = join(dir, "hosts", HOST, "ndbg");
  mkdirSync(hostDir, { recursive: true });
  const links = REPORTS.map(
    (name, i) => `<li><a href="/ndbg/t${i}.html">${name}政府信息公开工作年度报告</a></li>`,
  );
  writeFileSync(
    join(hostDir, "index.html"),
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>年度报告</title></head><body><ul>${links.join("")}</ul></body></html>`,
  );
  for (const [i, name] of REPORTS.entries())
    copyFileSync(join(PAGES, `${name}.html`), join(hostDir, `t${i}.html`));
  farm = await startFarm({ hostsDir: join(dir, "hosts") });
});
afterAll(async () => {
  await farm.close();
  rmSync(dir, { recursive: true, force: true });
});

const site = siteSchema.parse({
  slug: "farm-changes",
  name: "更正测试门户",
  agency: "更正测试机关",
  province: "测试",
  level: "county",
  start_urls: [`http://${HOST}/ndbg/index.html`],
  pagination: { style: "none", params: {}, max_pages: 1 },
  render: false,
  rate: { delay_ms: 0 },
  expect: { min_reports: 1 },
});

const crawl = (dbPath: string) =>
  crawlIntoStore({
    dbPath,
    sites: [site],
    logger: collectingLogger().logger,
    connectTo: farmConnectTo(farm.port),
    browser: null,
  });

describe("a report corrected on the portal", () => {
  it("becomes a new version with the corrected number; the old version and the other reports stay", async () => {
    const dbPath = join(dir, "changes.sqlite");
    const first = (await crawl(dbPath)).summary.sites[0]!;
    expect([first.reportsNew, first.reportsChanged]).toEqual([3, 0]);

    // The bureau corrects one number of the first report (463 licensing decisions → 464).
    const page = join(hostDir, "t0.html");
    const html = readFileSync(page, "utf8");
    expect(html.match(/>\s*463\s*</g)).toHaveLength(1);
    writeFileSync(page, html.replace(/>(\s*)463(\s*)</, ">$1464$2<"));
    const later = new Date(Date.now() + 60_000);
    utimesSync(page, later, later);

    farm.reset();
    const second = (await crawl(dbPath)).summary.sites[0]!;
    expect([second.reportsNew, second.reportsChanged, second.reportsUnchanged]).toEqual([0, 1, 2]);
    const hits = farm.log.filter((r) => r.host === HOST && /\/t\d\.html$/.test(r.path));
    expect(hits.map((r) => [r.path, r.status]).sort()).toEqual([
      ["/ndbg/t0.html", 200],
      ["/ndbg/t1.html", 304],
      ["/ndbg/t2.html", 304],
    ]);

    const db = new Database(dbPath, { readonly: true });
    try {
      const versions = db
        .prepare(
          `SELECT v.id, rv.value, v.id = r.current_version_id AS current FROM reports r
           JOIN report_versions v ON v.report_id = r.id
           JOIN report_values rv ON rv.version_id = v.id AND rv.key = ?
           WHERE r.source_url = ? ORDER BY v.id`,
        )
        .all(KEY, `http://${HOST}/ndbg/t0.html`) as { id: number; value: number; current: number }[];
      expect(versions.map((v) => [v.value, v.current])).toEqual([
        [463, 0],
        [464, 1],
      ]);
      const others = db
        .prepare(
          `SELECT COUNT(*) AS n FROM report_versions v JOIN reports r ON r.id = v.report_id
           WHERE r.source_url <> ?`,
        )
        .get(`http://${HOST}/ndbg/t0.html`) as { n: number };
      expect(others.n).toBe(2);
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      db.close();
    }
  });
});
