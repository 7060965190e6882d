// Extraction off the crawl's event loop: a 17 MB report page of ordinary prose (under the 20 MB cap)
// beside four ordinary sites. The page is extracted in a worker thread within a time budget; over it,
// it is stored as extract_timeout and reextract recovers it. The other sites finish, nothing failed,
// and the crawl's event loop never stalled while the big page was being read.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Site, siteSchema } from "../crawler/sites/site-schema.ts";
import { collectingLogger, farmConnectTo } from "../fixtures/farm/server/farm-connect.ts";
import { type Farm, startFarm } from "../fixtures/farm/server/farm-server.ts";
import { crawlIntoStore } from "../pipeline/crawl.ts";
import { reextractAll } from "../pipeline/reextract.ts";
import { openStore } from "../store/index.ts";
import { FIXTURE_PAGES } from "./support/one-list-portal.ts";

const SMALL = ["huojia-health-2023", "junan-hrss-2023", "ningling-civil-affairs-2021"];
const HOSTS = ["big", "s1", "s2", "s3", "s4"].map((h) => `farm-${h}.gov.cn`);
let farm: Farm;
let dir: string;

function bigPage(): string {
  const para =
    "<p>本机关认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息，持续深化政务公开工作，切实保障人民群众的知情权、参与权和监督权。</p>\n";
  const title = "示例县人民政府2023年政府信息公开工作年度报告";
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${para.repeat(Math.ceil(17e6 / Buffer.byteLength(para)))}</body></html>`;
}

function site(host: string): Site {
  const slug = host.replace(/\.gov\.cn$/, "");
  return siteSchema.parse({
    slug,
    name: `${slug} 门户`,
    agency: `${slug} 机关`,
    province: "测试",
    level: "county",
    start_urls: [`http://${host}/ndbg/index.html`],
    pagination: { style: "none", params: {}, max_pages: 1 },
    rate: { delay_ms: 100 },
    expect: { min_reports: 1 },
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-offloop-"));
  for (const host of HOSTS) {
    const list = join(dir, "hosts", host, "ndbg");
    mkdirSync(list, { recursive: true });
    const names = host === HOSTS[0] ? ["示例县2023年"] : SMALL;
    const links = names.map((n, i) => `<li><a href="/ndbg/t${i}.html">${n}政府信息公开工作年度报告</a></li>`);
    writeFileSync(join(list, "index.html"), `<html><body><ul>${links.join("")}</ul></body></html>`);
    if (host === HOSTS[0]) writeFileSync(join(list, "t0.html"), bigPage());
    else
      for (const [i, n] of SMALL.entries())
        copyFileSync(join(FIXTURE_PAGES, `${n}.html`), join(list, `t${i}.html`));
  }
  farm = await startFarm({ hostsDir: join(dir, "hosts") });
});
afterAll(async () => {
  await farm.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a 17 MB report page beside four sites", () => {
  it("is extracted off the event loop within its budget; over it, stored as extract_timeout for reextract", async () => {
    const dbPath = join(dir, "crawl.sqlite");
    const loop = monitorEventLoopDelay({ resolution: 20 });
    loop.enable();
    const { summary } = await crawlIntoStore({
      dbPath,
      sites: HOSTS.map(site),
      logger: collectingLogger().logger,
      connectTo: farmConnectTo(farm.port),
      browser: null,
      // Reading this page takes seconds of CPU; the budget is well below that.
      extractBudgetMs: 300,
    });
    loop.disable();
    const big = summary.sites.find((s) => s.site === "farm-big")!;
    expect([big.reportsFound, big.extractTimeouts]).toEqual([1, 1]);
    for (const s of summary.sites.filter((x) => x.site !== "farm-big")) {
      expect([s.site, s.reportsNew, s.failures, s.extractTimeouts]).toEqual([s.site, 3, {}, 0]);
    }
    // With the page read on the crawl's thread the loop stood still for seconds (80 s in the field).
    expect(loop.max / 1e6).toBeLessThan(2_000);
    const db = new Database(dbPath, { readonly: true });
    const row = db
      .prepare("SELECT outcome, reason FROM fetches WHERE url LIKE 'http://farm-big.gov.cn/ndbg/t0.html'")
      .get();
    expect(row).toEqual({
      outcome: "extract_timeout",
      reason: expect.stringMatching(/300 ms budget; run `nianbao reextract`/),
    });
    // The four small sites serve the same three reports (one report each, with sources on four sites).
    expect(db.prepare("SELECT COUNT(*) AS n FROM reports").get()).toEqual({ n: 3 });
    db.close();

    // reextract retries it (without a budget) and stores the report.
    const store = openStore(dbPath);
    try {
      const r = await reextractAll(store);
      expect(r.changes.map((c) => c.sourceUrl)).toEqual(["http://farm-big.gov.cn/ndbg/t0.html"]);
      expect(store.db.prepare("SELECT COUNT(*) AS n FROM reports").get()).toEqual({ n: 4 });
    } finally {
      store.close();
    }
  }, 120_000);
});
