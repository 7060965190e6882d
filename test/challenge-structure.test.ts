// Challenge detection by structure: a genuine report page that says 部署了网站防火墙 (it deployed a
// web firewall) is extracted, while a Safedog shell with the same words is blocked; a page an older
// detector classed blocked stays archived and reextract judges it again.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectChallenge, hasReportStructure } from "../crawler/fetch/challenge-detect.ts";
import { collectingLogger, farmConnectTo } from "../fixtures/farm/server/farm-connect.ts";
import { crawlIntoStore } from "../pipeline/crawl.ts";
import { reextractAll } from "../pipeline/reextract.ts";
import { openStore } from "../store/index.ts";
import { FIXTURE_PAGES, type OneListPortal, startOneListPortal } from "./support/one-list-portal.ts";

const REPORT = "fengqiu-transport-2022";
const SAFEDOG_SHELL = `<html><head><title>网站防火墙</title></head><body><div>您的请求带有不合法参数，已被网站管理员设置拦截！</div><p>网站防火墙 safedog</p></body></html>`;
let portal: OneListPortal;

beforeAll(async () => {
  portal = await startOneListPortal({
    host: "farm-firewall.gov.cn",
    reports: [REPORT],
    extraLinks: [{ href: "/ndbg/shell.html", title: "示例县2021年政府信息公开工作年度报告" }],
  });
  // The report says, as real ones do, that the office put a web firewall in front of its portal.
  const page = readFileSync(join(FIXTURE_PAGES, `${REPORT}.html`), "utf8");
  const sentence = "<p>本年度，我局部署了网站防火墙，加强政府网站安全防护。</p>";
  writeFileSync(join(portal.listDir, "t0.html"), page.replace(/<\/body>/i, `${sentence}</body>`));
  writeFileSync(join(portal.listDir, "shell.html"), SAFEDOG_SHELL);
});
afterAll(() => portal.close());

const crawl = (dbPath: string, extract: boolean) =>
  crawlIntoStore({
    dbPath,
    sites: [portal.site],
    logger: collectingLogger().logger,
    connectTo: farmConnectTo(portal.farm.port),
    browser: null,
    extract,
  });

describe("challenge detection by structure", () => {
  it("judges keyword signatures only on pages without report structure", () => {
    const page = readFileSync(join(portal.listDir, "t0.html"), "utf8");
    expect(page.length).toBeLessThan(64 * 1024); // small enough to be judged at all
    expect(hasReportStructure(page)).toBe(true);
    expect(detectChallenge(200, page)).toBeNull();
    expect(detectChallenge(200, SAFEDOG_SHELL)).toMatchObject({ vendor: "safedog" });
    // A status-bound signature stands whatever the page holds.
    expect(detectChallenge(412, `${page}<script>$_ts=window['$_ts'];</script>`)).toMatchObject({
      vendor: "ruishu",
    });
  });

  it("a report mentioning 部署了网站防火墙 is extracted; the shell is blocked", async () => {
    const dbPath = join(portal.dir, "crawl.sqlite");
    const { summary } = await crawl(dbPath, true);
    const s = summary.sites[0]!;
    expect([s.reportsNew, s.blocked]).toEqual([1, 1]);
    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare("SELECT COUNT(*) AS n FROM reports").get()).toEqual({ n: 1 });
    db.close();
  });

  it("reextract judges archived blocked pages again: the report is recovered, the shell stays blocked", async () => {
    const dbPath = join(portal.dir, "old-detector.sqlite");
    await crawl(dbPath, false);
    // As an older detector left it: the report page archived as blocked, no report.
    const db = new Database(dbPath);
    db.prepare("UPDATE fetches SET outcome = 'blocked' WHERE url LIKE '%/ndbg/t0.html'").run();
    expect(db.prepare("SELECT COUNT(*) AS n FROM fetches WHERE outcome = 'blocked'").get()).toEqual({ n: 2 });
    db.close();
    const store = openStore(dbPath);
    try {
      const summary = await reextractAll(store);
      expect([summary.changed, summary.stillBlocked]).toEqual([1, 1]);
      expect(store.db.prepare("SELECT report_year FROM reports").all()).toEqual([{ report_year: 2022 }]);
    } finally {
      store.close();
    }
  });
});
