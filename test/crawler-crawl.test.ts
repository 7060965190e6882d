// A whole crawl of the farm into a real SQLite file: every pagination style, reports and attachments,
// politeness measured on the farm's request log, robots 5xx, challenges, GBK, re-crawl with 304 and incremental stop.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CrawlResult } from "../crawler/crawl-engine.ts";
import { collectingLogger, farmConnectTo } from "../fixtures/farm/server/farm-connect.ts";
import {
  DEFAULT_HOSTS_DIR as FARM_HOSTS,
  type Farm,
  type FarmRequest,
  startFarm,
} from "../fixtures/farm/server/farm-server.ts";
import { farmSites } from "../fixtures/farm/server/farm-sites.ts";
import { crawlIntoStore } from "../pipeline/crawl.ts";
import { openStore } from "../store/open-store.ts";

// Long enough that a stall of the shared event loop (its longest measured 32–38 ms during this crawl) stays under
// half of it, the least gap the politeness check accepts on this in-process farm.
const DELAY_MS = 100;
let farm: Farm;
let dir: string;
let dbPath: string;
let first: CrawlResult;
let firstLog: FarmRequest[];
let logLines: Record<string, unknown>[];

const sites = () => farmSites({ delayMs: DELAY_MS }).filter((s) => s.slug !== "farm-spa");

beforeAll(async () => {
  farm = await startFarm();
  dir = mkdtempSync(join(tmpdir(), "nianbao-crawl-"));
  dbPath = join(dir, "crawl.sqlite");
  const { logger, lines } = collectingLogger();
  logLines = lines;
  first = await crawlIntoStore({
    dbPath,
    sites: sites(),
    logger,
    connectTo: farmConnectTo(farm.port),
    browser: null,
    retry: { baseBackoffMs: 20, maxBackoffMs: 100 },
    totalTimeoutMs: 3000,
    extract: false,
  });
  firstLog = [...farm.log];
}, 60_000);
afterAll(async () => {
  await farm.close();
  rmSync(dir, { recursive: true, force: true });
});

function frontier(runId: number) {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare("SELECT * FROM crawl_frontier WHERE run_id = ? ORDER BY id").all(runId) as {
      site_slug: string;
      url: string;
      kind: string;
      state: string;
      outcome: string;
      reason: string | null;
    }[];
  } finally {
    db.close();
  }
}

describe("crawl of the farm", () => {
  it("finds every report through each pagination style", () => {
    const items = frontier(first.summary.runId);
    const reports = (slug: string) =>
      items
        .filter((i) => i.site_slug === slug && i.kind === "report")
        .map((i) => i.url)
        .sort();
    expect(reports("farm-trs")).toEqual([
      "http://farm-trs.gov.cn/private/t1.html",
      "http://farm-trs.gov.cn/xxgk/ndbg/202101/t20210120_1007.html",
      "http://farm-trs.gov.cn/xxgk/ndbg/202201/t20220118_1006.html",
      "http://farm-trs.gov.cn/xxgk/ndbg/202301/t20230116_1004.html",
      "http://farm-trs.gov.cn/xxgk/ndbg/202401/t20240115_1001.html",
    ]);
    expect(reports("farm-pagediv")).toHaveLength(3);
    expect(reports("farm-hanweb")).toHaveLength(5);
    expect(reports("farm-gkmlpt")).toEqual([
      "http://farm-gkmlpt.gov.cn/gkmlpt/content/0/901/post_901.html",
      "http://farm-gkmlpt.gov.cn/gkmlpt/content/0/903/post_903.html",
      "http://farm-gkmlpt.gov.cn/gkmlpt/content/0/904/post_904.html",
    ]);
    expect(reports("farm-jhtml")).toHaveLength(3);
    expect(reports("farm-next")).toHaveLength(2);
    expect(reports("farm-none")).toHaveLength(1);
    const lists = items.filter((i) => i.site_slug === "farm-hanweb" && i.kind === "list").map((i) => i.url);
    expect(lists).toEqual([
      "http://farm-hanweb.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=6&perpage=2&columnid=1234&unitid=5678",
      "http://farm-hanweb.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=7&endrecord=12&perpage=2&columnid=1234&unitid=5678",
    ]);
    const s = first.summary.sites.find((x) => x.site === "farm-trs")!;
    expect(s.reportsNew).toBe(4);
    expect(s.attachments).toBe(6);
    expect(s.skipped).toEqual({ robots_disallowed: 1 });
  });

  it("keeps one request in flight per host and the delay between requests", () => {
    const byHost = new Map<string, FarmRequest[]>();
    for (const r of firstLog) byHost.set(r.host, [...(byHost.get(r.host) ?? []), r]);
    let pairs = 0;
    let minGap = Number.POSITIVE_INFINITY;
    let excessMs = 0;
    for (const [host, reqs] of byHost) {
      reqs.sort((a, b) => a.startMs - b.startMs);
      const delay = host === "farm-next.gov.cn" ? 300 : DELAY_MS; // farm-next's robots.txt asks Crawl-delay: 0.3
      for (let i = 1; i < reqs.length; i++) {
        // Start to start; the next request never starts before the last one ended (one in flight).
        const gap = reqs[i]!.startMs - reqs[i - 1]!.startMs;
        // This farm shares the crawler's event loop: an arrival is stamped only when the loop is free (an
        // attachment being read holds it for tens of ms), so one gap can look short by that much. Hence:
        // no pair closer than half the delay here, and on average the delay; the exact spacing is checked
        // on virtual time (crawler-host-spacing) and, as a server sees it, by the crawl bench.
        expect(gap, `${host} ${reqs[i]!.path}`).toBeGreaterThanOrEqual(delay / 2);
        expect(reqs[i]!.startMs, `${host} ${reqs[i]!.path}`).toBeGreaterThanOrEqual(reqs[i - 1]!.endMs - 2);
        minGap = Math.min(minGap, gap);
        excessMs += gap - delay;
        pairs++;
      }
      expect(farm.maxInFlightByHost.get(host) ?? 1).toBe(1);
    }
    expect(pairs).toBeGreaterThan(40);
    expect(excessMs / pairs, "mean gap over the delay (ms)").toBeGreaterThanOrEqual(0);
    // The auto global cap follows the hosts with work: never more in flight than hosts, and more than
    // one at a time (the old fixed cap of 8 is gone; a fixed --concurrency is tested on the gate).
    const events = firstLog
      .flatMap((r) => [[r.startMs, 1] as const, [r.endMs, -1] as const])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let now = 0;
    let peak = 0;
    for (const [, d] of events) {
      now += d;
      peak = Math.max(peak, now);
    }
    expect(peak).toBeLessThanOrEqual(byHost.size);
    expect(peak).toBeGreaterThan(1); // hosts do run in parallel
  });

  it("archives each robots.txt it was given (200) with its body, under the run and the site of that host", () => {
    const db = new Database(dbPath, { readonly: true });
    try {
      const rows = db
        .prepare(
          `SELECT f.url, f.site_slug, f.status, f.run_id, b.sha256 FROM fetches f JOIN bodies b ON b.sha256 = f.sha256
           WHERE f.url LIKE '%/robots.txt' ORDER BY f.url`,
        )
        .all() as { url: string; site_slug: string | null; status: number; run_id: number; sha256: string }[];
      const trs = rows.find((r) => r.url === "http://farm-trs.gov.cn/robots.txt");
      expect(trs).toMatchObject({ site_slug: "farm-trs", status: 200, run_id: first.summary.runId });
      const body = createHash("sha256")
        .update(readFileSync(join(FARM_HOSTS, "farm-trs.gov.cn", "robots.txt")))
        .digest("hex");
      expect(trs!.sha256).toBe(body);
      // A host whose robots.txt answers 500 has nothing archived (no body worth keeping).
      expect(rows.some((r) => r.url.includes("farm-robots500"))).toBe(false);
      // robots.txt is no report: nothing was extracted from it.
      const reports = db
        .prepare("SELECT COUNT(*) AS n FROM reports WHERE source_url LIKE '%/robots.txt'")
        .get() as {
        n: number;
      };
      expect(reports.n).toBe(0);
    } finally {
      db.close();
    }
  });

  it("never fetches a host whose robots.txt answers 500, nor disallowed paths", () => {
    expect(firstLog.filter((r) => r.host === "farm-robots500.gov.cn").map((r) => r.path)).toEqual([
      "/robots.txt",
    ]);
    expect(firstLog.some((r) => r.path.startsWith("/private/"))).toBe(false);
    const s = first.summary.sites.find((x) => x.site === "farm-robots500")!;
    expect(s.healthy).toBe(false);
  });

  it("ends challenge pages as blocked, not as reports", () => {
    const items = frontier(first.summary.runId).filter(
      (i) => i.site_slug === "farm-challenge" && i.kind === "report",
    );
    expect(items.map((i) => [i.state, i.outcome])).toEqual([
      ["failed", "blocked"],
      ["failed", "blocked"],
    ]);
    expect(items[0]!.reason).toMatch(/challenge:ruishu/);
    const s = first.summary.sites.find((x) => x.site === "farm-challenge")!;
    expect([s.blocked, s.reportsNew, s.healthy]).toEqual([2, 0, false]);
    const db = new Database(dbPath, { readonly: true });
    const outcomes = db
      .prepare("SELECT outcome FROM fetches WHERE site_slug = 'farm-challenge' AND url LIKE '%/_fault/%'")
      .all();
    db.close();
    expect(outcomes).toEqual([{ outcome: "blocked" }, { outcome: "blocked" }]);
    expect(first.exitCode).toBe(1);
  });

  it("opens the circuit of a failing host and reports its site unhealthy", () => {
    const s = first.summary.sites.find((x) => x.site === "farm-broken")!;
    expect(s.circuitOpen).toBe(true);
    expect(s.healthy).toBe(false);
    expect(s.unhealthyReasons).toContain("circuit opened after repeated failures");
    expect(s.failures.circuit_open).toBeGreaterThanOrEqual(1);
    const sent = firstLog.filter((r) => r.host === "farm-broken.gov.cn" && r.path.startsWith("/_fault/"));
    expect(sent).toHaveLength(5); // five consecutive 503s, then nothing more to that host
  });

  it("stops at the page cap", async () => {
    farm.reset();
    const capped = await crawlIntoStore({
      dbPath: join(dir, "capped.sqlite"),
      sites: farmSites({ delayMs: 20, only: ["farm-trs"] }),
      logger: collectingLogger().logger,
      connectTo: farmConnectTo(farm.port),
      browser: null,
      extract: false,
      maxPages: 2,
    });
    expect(capped.summary.sites[0]!.listPages).toBe(2);
    expect(farm.log.some((r) => r.path === "/xxgk/ndbg/index_2.html")).toBe(false);
  });

  it("an interrupted run resumes in-process and takes in sites added to the registry meanwhile", async () => {
    const db = join(dir, "interrupted.sqlite");
    const controller = new AbortController();
    const { logger, lines } = collectingLogger();
    const timer = setInterval(() => {
      if (lines.some((l) => l.event === "fetch")) controller.abort();
    }, 5);
    const cut = await crawlIntoStore({
      dbPath: db,
      sites: farmSites({ delayMs: 100, only: ["farm-trs"] }),
      logger,
      connectTo: farmConnectTo(farm.port),
      browser: null,
      extract: false,
      signal: controller.signal,
    });
    clearInterval(timer);
    expect(cut.summary.interrupted).toBe(true);
    expect(cut.summary.totals.pending).toBeGreaterThan(0);
    const resumed = await crawlIntoStore({
      dbPath: db,
      sites: farmSites({ delayMs: 20, only: ["farm-trs", "farm-none"] }),
      logger: collectingLogger().logger,
      connectTo: farmConnectTo(farm.port),
      browser: null,
      extract: false,
    });
    expect([resumed.summary.runId, resumed.summary.resumed, resumed.summary.interrupted]).toEqual([
      cut.summary.runId,
      true,
      false,
    ]);
    expect(resumed.summary.sites.map((s) => [s.site, s.healthy, s.pending])).toEqual([
      ["farm-trs", true, 0],
      ["farm-none", true, 0],
    ]);
  });

  it("stops at once with the store's error when the disk fills, and resumes once there is room", async () => {
    const db = join(dir, "full.sqlite");
    const sites = farmSites({ delayMs: 10, only: ["farm-trs", "farm-jhtml", "farm-hanweb"] });
    const common = {
      dbPath: db,
      sites,
      connectTo: farmConnectTo(farm.port),
      browser: null,
      extract: false,
    } as const;
    const { logger, lines } = collectingLogger();
    // The empty store (every migration applied) takes some pages; six more fill up after some fetches.
    const empty = join(dir, "empty.sqlite");
    openStore(empty).close();
    const probe = new Database(empty, { readonly: true });
    const emptyPages = probe.pragma("page_count", { simple: true }) as number;
    probe.close();
    const maxPageCount = emptyPages + 6;
    await expect(crawlIntoStore({ ...common, logger, store: { maxPageCount } })).rejects.toMatchObject({
      code: "disk_full",
    });
    const fetchedBeforeFull = lines.filter((l) => l.event === "fetch").length;
    expect(fetchedBeforeFull).toBeGreaterThan(0);
    expect(lines.filter((l) => l.msg === "crawl task failed")).toEqual([]); // no page-by-page failures
    const resumed = await crawlIntoStore({ ...common, logger: collectingLogger().logger });
    expect(resumed.summary.resumed).toBe(true);
    expect(resumed.summary.unhealthy).toEqual([]);
    expect(resumed.summary.totals.pending).toBe(0);
  });

  it("decodes the GBK site and records the encoding", () => {
    const db = new Database(dbPath, { readonly: true });
    const rows = db
      .prepare("SELECT url, encoding FROM fetches WHERE site_slug = 'farm-gbk' ORDER BY id")
      .all();
    db.close();
    expect(rows).toEqual([
      { url: "http://farm-gbk.gov.cn/ndbg/index.gbk.html", encoding: "gb18030" },
      { url: "http://farm-gbk.gov.cn/ndbg/t6001.gbk.html", encoding: "gb18030" },
    ]);
    const gbkReports = frontier(first.summary.runId).filter(
      (i) => i.site_slug === "farm-gbk" && i.kind === "report",
    );
    expect(gbkReports.map((i) => i.state)).toEqual(["done"]);
  });

  it("logs one JSON line per fetch and a summary", () => {
    const fetches = logLines.filter((l) => l.event === "fetch");
    expect(fetches.length).toBe(frontier(first.summary.runId).length);
    const one = fetches.find((l) => l.url === "http://farm-gbk.gov.cn/ndbg/index.gbk.html")!;
    expect(one).toMatchObject({ status: 200, encoding: "gb18030", outcome: "ok", attempt: 1, kind: "list" });
    expect(typeof one.ms).toBe("number");
    expect(logLines.some((l) => l.event === "summary")).toBe(true);
  });

  it("re-crawls with conditional GET and stops paging at known lists", async () => {
    farm.reset();
    const again = await crawlIntoStore({
      dbPath,
      sites: farmSites({ delayMs: DELAY_MS, only: ["farm-trs", "farm-jhtml"] }),
      logger: collectingLogger().logger,
      connectTo: farmConnectTo(farm.port),
      browser: null,
      extract: false,
    });
    expect(again.summary.runId).toBeGreaterThan(first.summary.runId);
    expect(frontier(first.summary.runId).length).toBeGreaterThan(0); // earlier runs' rows are kept (up to 5)
    expect(again.summary.resumed).toBe(false);
    const trsLists = farm.log.filter(
      (r) => r.host === "farm-trs.gov.cn" && r.path.includes("/xxgk/ndbg/index"),
    );
    expect(trsLists.map((r) => r.path)).toEqual(["/xxgk/ndbg/index.html"]); // incremental stop after page 0
    // The list page too is asked conditionally: its 304 is read from the archived body, whose links
    // are all known.
    expect(trsLists.map((r) => [r.status, typeof r.headers["if-none-match"]])).toEqual([[304, "string"]]);
    const s = again.summary.sites.find((x) => x.site === "farm-jhtml")!;
    expect([s.reportsNew, s.reportsUnchanged]).toEqual([0, 1]);
    // The report page was asked for conditionally and answered 304; an unchanged page's attachments
    // are not visited again (they are in the archive from the first run).
    const reportHits = farm.log.filter(
      (r) => r.host === "farm-trs.gov.cn" && /\/t\d+_\d+\.html$|\/P0\d+\./.test(r.path),
    );
    expect(reportHits.map((r) => r.path)).toEqual(["/xxgk/ndbg/202401/t20240115_1001.html"]);
    expect(reportHits.every((r) => r.status === 304 && typeof r.headers["if-none-match"] === "string")).toBe(
      true,
    );
  });
});
