// The whole checked-in registry crawled from the farm copies into a real SQLite file, then read back
// by `nianbao sites health`: every site finds its reports through its own URL scheme and meets `expect`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIO } from "../cli/command.ts";
import { loadSitesFile } from "../cli/commands/sites.ts";
import { main } from "../cli/main.ts";
import { FARM_SPECS } from "../fixtures/farm/build-site-copies.ts";
import { collectingLogger, farmConnectTo } from "../fixtures/farm/server/farm-connect.ts";
import { type Farm, startFarm } from "../fixtures/farm/server/farm-server.ts";
import { crawlIntoStore } from "../pipeline/crawl.ts";
import { openStore, siteHealth } from "../store/index.ts";

const sites = loadSitesFile("sites/sites.json", "sites/sites.json");
let farm: Farm;
let dir: string;
let dbPath: string;

beforeAll(async () => {
  farm = await startFarm();
  dir = mkdtempSync(join(tmpdir(), "nianbao-sites-crawl-"));
  dbPath = join(dir, "crawl.sqlite");
  const { logger } = collectingLogger();
  await crawlIntoStore({
    dbPath,
    sites,
    logger,
    connectTo: farmConnectTo(farm.port),
    browser: null,
    defaultDelayMs: 10,
    retry: { baseBackoffMs: 20, maxBackoffMs: 100 },
    totalTimeoutMs: 3000,
    extract: true,
  });
}, 120_000);
afterAll(async () => {
  await farm.close();
  rmSync(dir, { recursive: true, force: true });
});

function query<T>(sql: string, ...args: unknown[]): T[] {
  const store = openStore(dbPath, { readonly: true });
  try {
    return store.db.prepare(sql).all(...args) as T[];
  } finally {
    store.close();
  }
}

describe("the registry crawled from its farm copies", () => {
  it("stores, per site, exactly the reports its copy links (real URL schemes, query URLs included)", () => {
    for (const site of sites) {
      const spec = FARM_SPECS[site.slug]!;
      const want = spec.reports.map((r) => new URL(r.href, site.start_urls[r.list ?? 0]).href).sort();
      const got = query<{ source_url: string }>(
        "SELECT source_url FROM reports WHERE site_slug = ? ORDER BY source_url",
        site.slug,
      ).map((r) => r.source_url);
      expect(got, site.slug).toEqual(want);
    }
  });

  it("fetches nothing that failed, and never leaves the registry's hosts", () => {
    const failed = query<{ url: string; outcome: string }>(
      "SELECT url, outcome FROM fetches WHERE outcome NOT IN ('ok', 'not_modified')",
    );
    expect(failed).toEqual([]);
    const hosts = new Set(sites.flatMap((s) => s.start_urls.map((u) => new URL(u).hostname)));
    for (const { url } of query<{ url: string }>("SELECT DISTINCT url FROM fetches"))
      expect(hosts, url).toContain(new URL(url).hostname);
  });

  it("decodes the GBK portal's pages as GB18030", () => {
    const rows = query<{ encoding: string }>(
      "SELECT encoding FROM fetches WHERE site_slug = 'nanping-zhengfu' AND url NOT LIKE '%robots.txt'",
    );
    expect(rows.length).toBe(3);
    for (const r of rows) expect(r.encoding).toBe("gb18030");
    const titles = query<{ title: string }>(
      "SELECT v.title FROM reports r JOIN report_versions v ON v.id = r.current_version_id WHERE r.site_slug = 'nanping-zhengfu' ORDER BY v.title",
    ).map((r) => r.title);
    expect(titles).toEqual(["南平市2011年政府信息公开工作年度报告", "南平市2012年政府信息公开工作年度报告"]);
  });

  it("leaves every site healthy, and `sites health` says so with exit 0", async () => {
    const store = openStore(dbPath, { readonly: true });
    try {
      const rows = siteHealth(store.db, sites);
      expect(rows.filter((r) => r.status !== "ok").map((r) => `${r.slug}: ${r.status}`)).toEqual([]);
    } finally {
      store.close();
    }
    let out = "";
    const io: CliIO = {
      stdout: (t) => {
        out += t;
      },
      stderr: () => {},
      isTTY: false,
      env: {},
      cwd: process.cwd(),
    };
    expect(await main(["sites", "health", "--db", dbPath], io)).toBe(0);
    expect(out).toContain(`${sites.length} sites: ${sites.length} healthy, 0 unhealthy`);
  });
});
