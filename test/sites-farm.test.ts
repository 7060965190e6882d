// Every registry site has a farm copy, and the crawler's own pagination adapter, run over the saved
// pages the way a crawl would (first pages, then each next page), finds its reports and its second page.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeBody } from "../crawler/decode/decode-body.ts";
import type { ListLink } from "../crawler/pagination/pagination-adapter.ts";
import { adapterFor } from "../crawler/pagination/pagination-index.ts";
import { validateRegistry } from "../crawler/sites/load-registry.ts";
import type { Site } from "../crawler/sites/site-schema.ts";
import { buildAllCopies, FARM_SPECS } from "../fixtures/farm/build-site-copies.ts";

const HOSTS = "fixtures/farm/hosts";
const { sites } = validateRegistry(readFileSync("sites/sites.json", "utf8"), "sites/sites.json");

/** The farm server's mapping: hosts/<host>/<path>, `@<query>` for query URLs, index.html for directories. */
function farmFile(url: string): string {
  const u = new URL(url);
  let p = decodeURIComponent(u.pathname);
  if (p.endsWith("/")) p += "index.html";
  const base = join(HOSTS, u.hostname, p);
  return u.search && existsSync(`${base}@${u.search.slice(1)}`) ? `${base}@${u.search.slice(1)}` : base;
}

function readFarm(url: string): { text: string; encoding: string; bytes: Buffer } {
  const bytes = readFileSync(farmFile(url));
  // No Content-Type: the page must say its own charset, as portals that send none rely on.
  const d = decodeBody(bytes, null);
  return { text: d.text, encoding: d.encoding, bytes };
}

interface Walk {
  pages: string[];
  reports: ListLink[];
}

/** Lists a site as the crawler would: first pages, then every next page, capped at max_pages. */
function walkList(site: Site): Walk {
  const adapter = adapterFor(site);
  const queue = adapter.firstPages(site).map((url) => ({ url, pageIndex: 0 }));
  const pages: string[] = [];
  const reports: ListLink[] = [];
  while (queue.length && pages.length < site.pagination.max_pages) {
    const { url, pageIndex } = queue.shift()!;
    if (pages.includes(url)) continue;
    expect(existsSync(farmFile(url)), `${site.slug}: list page ${url} has no farm file`).toBe(true);
    pages.push(url);
    const res = adapter.parseList({ url, text: readFarm(url).text, pageIndex }, site);
    reports.push(...res.reportLinks.filter((r) => !reports.some((x) => x.url === r.url)));
    for (const next of res.nextPages) queue.push({ url: next, pageIndex: pageIndex + 1 });
  }
  return { pages, reports };
}

describe("farm copies of the registry sites", () => {
  it("exist for every site, with a farm spec each", () => {
    for (const s of sites) {
      expect(FARM_SPECS[s.slug], s.slug).toBeDefined();
      for (const u of s.start_urls) expect(existsSync(farmFile(u)), `${s.slug}: ${u}`).toBe(true);
    }
  });

  it("are exactly what the generator writes (rerun it after changing the registry or a spec)", () => {
    const files = buildAllCopies(sites);
    expect(files.length).toBeGreaterThanOrEqual(sites.length * 3);
    for (const f of files) {
      const path = join(HOSTS, f.file);
      expect(existsSync(path), f.file).toBe(true);
      expect(readFileSync(path).equals(f.bytes), f.file).toBe(true);
    }
    // …and nothing else lives under the registry's hosts (no copies left from removed entries).
    const hosts = new Set(sites.flatMap((s) => s.start_urls.map((u) => new URL(u).hostname)));
    const onDisk = [...hosts].flatMap((h) =>
      (readdirSync(join(HOSTS, h), { recursive: true }) as string[])
        .map((f) => join(h, f))
        .filter((f) => statSync(join(HOSTS, f)).isFile()),
    );
    expect(onDisk.sort()).toEqual(files.map((f) => f.file).sort());
  });

  it("reproduce different CMS skeletons, as the portals differ", () => {
    const markers: Record<string, RegExp> = {
      trs: /createPageHTML\(countPage, currentPage, "index", "s?html?"\)/,
      nfcms: /<div class="page">.*下一页/,
      hanweb: /<script type="text\/xml"><datastore>/,
      vsb: /class="pb_sys_common/,
      gkmlpt: /SID: '\d+'/,
      table: /<table class="newslist"/,
    };
    const seen = new Set<string>();
    for (const s of sites) {
      const text = readFarm(s.start_urls[0]!).text;
      for (const [k, re] of Object.entries(markers)) if (re.test(text)) seen.add(k);
    }
    expect([...seen].sort()).toEqual(Object.keys(markers).sort());
  });

  it("keep GBK portals as GBK bytes that decode by their meta charset", () => {
    const gbk = sites.filter((s) => s.charset === "gbk");
    expect(gbk.length).toBeGreaterThanOrEqual(1);
    for (const s of gbk) {
      const { bytes, text, encoding } = readFarm(s.start_urls[0]!);
      expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes), s.slug).toThrow();
      expect(encoding).toBe("gb18030");
      expect(text).toContain("政府信息公开工作年度报告");
    }
  });
});

describe.each(sites.map((s) => [s.slug, s] as const))("%s: list pages through its adapter", (slug, site) => {
  const spec = FARM_SPECS[slug]!;
  let walk: Walk;
  beforeAll(() => {
    walk = walkList(site);
  });

  it("yields the report links of the copy, each on its farm page", () => {
    const expected = spec.reports.length;
    expect(walk.reports.length).toBe(expected);
    expect(walk.reports.length).toBeGreaterThanOrEqual(site.expect.min_reports);
    // The copy's non-report item is not taken for a report.
    expect(walk.reports.some((r) => r.title === spec.other.title)).toBe(false);
    for (const r of walk.reports) expect(existsSync(farmFile(r.url)), r.url).toBe(true);
  });

  it("follows the next page exactly where the copy has one", () => {
    const twoPages = spec.reports.some((r) => r.page === 2);
    const listPages = site.start_urls.length + (twoPages ? 1 : 0);
    // Hanweb and gkmlpt list through their APIs: one first page each, however many start URLs.
    const firstPages = adapterFor(site).firstPages(site).length;
    expect(walk.pages.length).toBe(firstPages + (twoPages ? 1 : 0));
    if (site.pagination.style !== "hanweb_dataproxy" && site.pagination.style !== "gkmlpt_json")
      expect(walk.pages.length).toBe(listPages);
  });

  it("leads to small, plausible report pages (title with agency and year, headings, Table 1 from 2019)", () => {
    for (const link of walk.reports) {
      const { text, bytes } = readFarm(link.url);
      expect(bytes.length, link.url).toBeLessThan(8000);
      const year = Number(/(20\d\d)/.exec(link.title)?.[1]);
      expect(text, link.url).toContain(link.title);
      expect(text).toMatch(/一、(总体情况|概述)/);
      expect(text).toMatch(/[五六]、/);
      if (year >= 2021)
        expect(text, link.url).toMatch(/第二十条第（一）项[\s\S]*本年制发件数[\s\S]*行政规范性文件/);
      else if (year >= 2019) expect(text, link.url).toMatch(/本年新制作数量/);
      else expect(text, link.url).not.toMatch(/第二十条/);
    }
  });
});
