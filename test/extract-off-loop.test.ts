// Extraction off the crawl's event loop: a 17 MB report page of ordinary prose (under the 20 MB cap)
// beside four ordinary sites. The page is extracted in a worker thread: the other sites finish and
// nothing fails; extracting in the thread leaves the event loop free where extracting on it stalls it.
// Over its time budget the page is stored as extract_timeout and reextract recovers it.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Site, siteSchema } from "../crawler/sites/site-schema.ts";
import { extractReport } from "../extract/index.ts";
import { collectingLogger, farmConnectTo } from "../fixtures/farm/server/farm-connect.ts";
import { type Farm, startFarm } from "../fixtures/farm/server/farm-server.ts";
import { crawlIntoStore } from "../pipeline/crawl.ts";
import { ExtractThread } from "../pipeline/extract-thread.ts";
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

const crawl = (dbPath: string, hosts: string[], extractBudgetMs?: number) =>
  crawlIntoStore({
    dbPath,
    sites: hosts.map(site),
    logger: collectingLogger().logger,
    connectTo: farmConnectTo(farm.port),
    browser: null,
    extractBudgetMs,
  });

describe("a 17 MB report page beside four sites", () => {
  it("is extracted beside the other sites: they finish and nothing fails", async () => {
    const dbPath = join(dir, "crawl.sqlite");
    const { summary } = await crawl(dbPath, HOSTS);
    for (const s of summary.sites) {
      const reports = s.site === "farm-big" ? 1 : 3;
      expect([s.site, s.reportsNew, s.failures, s.extractTimeouts]).toEqual([s.site, reports, {}, 0]);
    }
    const db = new Database(dbPath, { readonly: true });
    // The four small sites serve the same three reports (one report each, with sources on four sites).
    expect(db.prepare("SELECT COUNT(*) AS n FROM reports").get()).toEqual({ n: 4 });
    db.close();
  }, 120_000);

  it("the extraction thread leaves the event loop free; extracting on it stalls the loop", async () => {
    const content = bigPage();
    /** The longest gap between ticks of a 10 ms timer while `work` runs: how long the loop stood still. */
    const stall = async (work: () => Promise<unknown>) => {
      let last = performance.now();
      let max = 0;
      const tick = setInterval(() => {
        const now = performance.now();
        max = Math.max(max, now - last);
        last = now;
      }, 10);
      await new Promise((r) => setTimeout(r, 30));
      await work();
      await new Promise((r) => setTimeout(r, 30)); // the first tick after the work measures its block
      clearInterval(tick);
      return max;
    };
    const thread = new ExtractThread(120_000);
    try {
      await thread.extract({ content: "<p>warm-up</p>", fileName: "warm.html" }); // the thread's start-up
      const inThread = await stall(() => thread.extract({ content, fileName: "big.html" }));
      const onLoop = await stall(async () => extractReport({ content, fileName: "big.html" }));
      // Compared in the same run, so the machine's load cancels out.
      expect(inThread, `thread ${inThread} ms, loop ${onLoop} ms`).toBeLessThan(onLoop / 3);
    } finally {
      await thread.close();
    }
  }, 120_000);

  it("over its time budget, the page is stored as extract_timeout and reextract recovers it", async () => {
    const dbPath = join(dir, "budget.sqlite");
    // A budget no 17 MB page can meet.
    const { summary } = await crawl(dbPath, [HOSTS[0]!], 1);
    expect([summary.sites[0]!.reportsFound, summary.sites[0]!.extractTimeouts]).toEqual([1, 1]);
    const db = new Database(dbPath, { readonly: true });
    const row = db
      .prepare("SELECT outcome, reason FROM fetches WHERE url LIKE 'http://farm-big.gov.cn/ndbg/t0.html'")
      .get();
    expect(row).toEqual({
      outcome: "extract_timeout",
      reason: expect.stringMatching(/1 ms budget; run `nianbao reextract`/),
    });
    expect(db.prepare("SELECT COUNT(*) AS n FROM reports").get()).toEqual({ n: 0 });
    db.close();
    const store = openStore(dbPath);
    try {
      const r = await reextractAll(store);
      expect(r.changes.map((c) => c.sourceUrl)).toEqual(["http://farm-big.gov.cn/ndbg/t0.html"]);
      expect(store.db.prepare("SELECT COUNT(*) AS n FROM reports").get()).toEqual({ n: 1 });
    } finally {
      store.close();
    }
  }, 120_000);
});
