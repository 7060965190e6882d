// Pagination adapters on list pages shaped like the real CMSs (TRS, Hanweb, gkmlpt, JEECMS, VSB),
// and a crawl of the whole sites registry against the farm's copies of those portals.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAGINATION_ADAPTERS } from "../crawler/pagination/pagination-index.ts";
import { parseCreatePageHtml } from "../crawler/pagination/pagination-trs-create-page-html.ts";
import { loadRegistry } from "../crawler/sites/load-registry.ts";
import { type Site, siteSchema } from "../crawler/sites/site-schema.ts";
import { collectingLogger, farmConnectTo } from "../fixtures/farm/server/farm-connect.ts";
import { type Farm, startFarm } from "../fixtures/farm/server/farm-server.ts";
import { farmSites } from "../fixtures/farm/server/farm-sites.ts";
import { crawlIntoStore } from "../pipeline/crawl.ts";

const HOSTS = "fixtures/farm/hosts";
const site = (slug: string) => farmSites({ delayMs: 0, only: [slug] })[0]!;
const read = (p: string) => readFileSync(join(HOSTS, p), "utf8");

describe("pagination adapters", () => {
  it("reads createPageHTML in its literal, variable and page_div forms", () => {
    expect(parseCreatePageHtml('createPageHTML(5, 0, "index", "html");')).toEqual({
      count: 5,
      current: 0,
      prefix: "index",
      ext: "html",
    });
    expect(
      parseCreatePageHtml(
        'var countPage = 7;var currentPage = 2;createPageHTML(countPage, currentPage, "index", "shtml");',
      ),
    ).toEqual({
      count: 7,
      current: 2,
      prefix: "index",
      ext: "shtml",
    });
    expect(parseCreatePageHtml("createPageHTML('page_div',4,1,'index','htm',58);")).toEqual({
      count: 4,
      current: 1,
      prefix: "index",
      ext: "htm",
    });
    expect(parseCreatePageHtml("function createPageHTML(a, b, c, d) {}")).toBeNull();
  });

  it("TRS createPageHTML: next page until the last", () => {
    const a = PAGINATION_ADAPTERS.trs_create_page_html;
    const s = site("farm-trs");
    const p0 = a.parseList(
      {
        url: "http://farm-trs.gov.cn/xxgk/ndbg/index.html",
        text: read("farm-trs.gov.cn/xxgk/ndbg/index.html"),
        pageIndex: 0,
      },
      s,
    );
    expect(p0.nextPages).toEqual(["http://farm-trs.gov.cn/xxgk/ndbg/index_1.html"]);
    expect(p0.reportLinks.map((l) => l.title)).toEqual(["示例县人民政府2023年政府信息公开工作年度报告"]);
    const p2 = a.parseList(
      {
        url: "http://farm-trs.gov.cn/xxgk/ndbg/index_2.html",
        text: read("farm-trs.gov.cn/xxgk/ndbg/index_2.html"),
        pageIndex: 2,
      },
      s,
    );
    expect(p2.nextPages).toEqual([]);
    expect(p2.reportLinks).toHaveLength(2);
  });

  it("reads a hostile list page nested 100,000 deep in bounded time, links and pager intact", () => {
    // The pager and links sit before the nesting, as on a real page; the nesting is capped at 512 like a
    // browser's, so cheerio never builds a 100,000-deep tree (uncapped: minutes per page).
    const text = `<html><body><ul><li><a href="t20240115_1.html">2023年政府信息公开工作年度报告</a></li></ul>
      <div class="page_div"><a href="index_2.html">下一页</a></div>${"<div>".repeat(100_000)}x${"</div>".repeat(100_000)}</body></html>`;
    const started = performance.now();
    const parsed = PAGINATION_ADAPTERS.trs_page_div.parseList(
      { url: "http://farm-pagediv.gov.cn/zwgk/ndbg/index_1.html", text, pageIndex: 1 },
      site("farm-pagediv"),
    );
    const took = performance.now() - started;
    expect(parsed.reportLinks.map((l) => l.url)).toEqual([
      "http://farm-pagediv.gov.cn/zwgk/ndbg/t20240115_1.html",
    ]);
    expect(parsed.nextPages).toEqual(["http://farm-pagediv.gov.cn/zwgk/ndbg/index_2.html"]);
    expect(took, `took ${took.toFixed(0)} ms`).toBeLessThan(15_000);
  });

  it("TRS page_div, JEECMS .jhtml and a 下一页 link", () => {
    const pd = PAGINATION_ADAPTERS.trs_page_div.parseList(
      {
        url: "http://farm-pagediv.gov.cn/zwgk/ndbg/index_1.html",
        text: read("farm-pagediv.gov.cn/zwgk/ndbg/index_1.html"),
        pageIndex: 1,
      },
      site("farm-pagediv"),
    );
    expect(pd.nextPages).toEqual(["http://farm-pagediv.gov.cn/zwgk/ndbg/index_2.html"]);
    const jh = PAGINATION_ADAPTERS.jhtml.parseList(
      {
        url: "http://farm-jhtml.gov.cn/zwgk/ndbg/index.jhtml",
        text: read("farm-jhtml.gov.cn/zwgk/ndbg/index.jhtml"),
        pageIndex: 0,
      },
      site("farm-jhtml"),
    );
    expect(jh.nextPages).toEqual(["http://farm-jhtml.gov.cn/zwgk/ndbg/index_2.jhtml"]);
    const last = PAGINATION_ADAPTERS.jhtml.parseList(
      {
        url: "http://farm-jhtml.gov.cn/zwgk/ndbg/index_3.jhtml",
        text: read("farm-jhtml.gov.cn/zwgk/ndbg/index_3.jhtml"),
        pageIndex: 2,
      },
      site("farm-jhtml"),
    );
    expect(last.nextPages).toEqual([]);
    const nx = PAGINATION_ADAPTERS.next_link.parseList(
      {
        url: "http://farm-next.gov.cn/news/list_2.html",
        text: read("farm-next.gov.cn/news/list_2.html"),
        pageIndex: 1,
      },
      site("farm-next"),
    );
    expect(nx.nextPages).toEqual([]); // the last page's 下一页 is plain text
  });

  it("Hanweb dataproxy groups and gkmlpt JSON pages", () => {
    const hw = site("farm-hanweb");
    const a = PAGINATION_ADAPTERS.hanweb_dataproxy;
    const [first] = a.firstPages(hw);
    expect(first).toBe(
      "http://farm-hanweb.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=6&perpage=2&columnid=1234&unitid=5678",
    );
    const g1 = a.parseList(
      {
        url: first!,
        text: read(`farm-hanweb.gov.cn/module/web/jpage/dataproxy.jsp@${first!.split("?")[1]}`),
        pageIndex: 0,
      },
      hw,
    );
    expect(g1.reportLinks.map((l) => l.url)).toEqual([
      "http://farm-hanweb.gov.cn/art/2024/1/20/art_1234_9001.html",
      "http://farm-hanweb.gov.cn/art/2023/1/20/art_1234_9003.html",
      "http://farm-hanweb.gov.cn/art/2022/1/20/art_1234_9005.html",
      "http://farm-hanweb.gov.cn/art/2021/1/20/art_1234_9006.html",
    ]);
    expect(g1.nextPages).toEqual([
      "http://farm-hanweb.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=7&endrecord=12&perpage=2&columnid=1234&unitid=5678",
    ]);
    const gk = site("farm-gkmlpt");
    const p1 = PAGINATION_ADAPTERS.gkmlpt_json.parseList(
      {
        url: "http://farm-gkmlpt.gov.cn/gkmlpt/api/all/2666?page=1",
        text: read("farm-gkmlpt.gov.cn/gkmlpt/api/all/2666@page=1"),
        pageIndex: 0,
      },
      gk,
    );
    expect(p1.nextPages).toEqual(["http://farm-gkmlpt.gov.cn/gkmlpt/api/all/2666?page=2"]);
    expect(p1.reportLinks).toHaveLength(2);
    const noSize = siteSchema.parse({ ...gk, pagination: { style: "gkmlpt_json", params: { catId: 2666 } } });
    const arts = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ title: `x${i}`, url: `/c/${i}.html` }));
    const page = (n: number, count: number, total: number) =>
      PAGINATION_ADAPTERS.gkmlpt_json.parseList(
        {
          url: `http://farm-gkmlpt.gov.cn/gkmlpt/api/all/2666?page=${n}`,
          text: JSON.stringify({ articles: arts(count), total }),
          pageIndex: n - 1,
        },
        noSize,
      ).nextPages;
    expect(page(1, 20, 45)).toEqual(["http://farm-gkmlpt.gov.cn/gkmlpt/api/all/2666?page=2"]);
    expect(page(3, 5, 45)).toEqual(["http://farm-gkmlpt.gov.cn/gkmlpt/api/all/2666?page=4"]); // one extra request…
    expect(page(4, 0, 45)).toEqual([]); // …that comes back empty and stops
    expect(page(1, 20, 20)).toEqual([]);
    expect(
      PAGINATION_ADAPTERS.gkmlpt_json.parseList(
        { url: "http://farm-gkmlpt.gov.cn/x?page=1", text: "<html>", pageIndex: 0 },
        gk,
      ),
    ).toEqual({
      reportLinks: [],
      nextPages: [],
    });
  });

  it("honours a site's own next-page text", () => {
    const s: Site = siteSchema.parse({
      ...site("farm-next"),
      pagination: { style: "next_link", params: { next_text: "后页" } },
    });
    const r = PAGINATION_ADAPTERS.next_link.parseList(
      { url: "http://x.gov.cn/l.jsp", text: '<a href="l.jsp?p=2">后页</a>', pageIndex: 0 },
      s,
    );
    expect(r.nextPages).toEqual(["http://x.gov.cn/l.jsp?p=2"]);
  });
});

describe("the sites registry against the farm's portal copies", () => {
  let farm: Farm;
  let dir: string;
  beforeAll(async () => {
    farm = await startFarm();
    dir = mkdtempSync(join(tmpdir(), "nianbao-registry-"));
  });
  afterAll(async () => {
    await farm.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("meets every site's expectation (reports found through its pagination style)", async () => {
    const sites = loadRegistry(readFileSync("sites/sites.json", "utf8"), "sites/sites.json").map((s) => ({
      ...s,
      rate: { delay_ms: 10 },
    }));
    const r = await crawlIntoStore({
      dbPath: join(dir, "registry.sqlite"),
      sites,
      logger: collectingLogger().logger,
      connectTo: farmConnectTo(farm.port),
      browser: null,
      extract: true,
    });
    const unhealthy = r.summary.sites
      .filter((s) => !s.healthy)
      .map((s) => `${s.site}: ${s.unhealthyReasons.join("; ")}`);
    expect(unhealthy).toEqual([]);
    expect(r.summary.sites).toHaveLength(sites.length);
    expect(r.summary.totals.reportsFound).toBeGreaterThanOrEqual(
      sites.reduce((a, s) => a + s.expect.min_reports, 0),
    );
    expect(farm.log.every((x) => x.host.endsWith(".gov.cn"))).toBe(true);
    // Report pages were extracted into the store as they arrived.
    const db = new Database(join(dir, "registry.sqlite"), { readonly: true });
    const stored = db
      .prepare(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT site_slug) AS sites FROM reports WHERE agency IS NOT NULL",
      )
      .get() as { n: number; sites: number };
    db.close();
    expect(stored.n).toBeGreaterThanOrEqual(r.summary.totals.reportsFound / 2);
    expect(stored.sites).toBeGreaterThan(sites.length / 2);
  });
});
