// The real system Chromium: a farm page whose report list exists only after JavaScript runs, a
// challenge retried once in the browser (still blocked), context recycling and blocked resource types.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrowserRenderer, looksLikeSpaShell } from "../crawler/browser/browser-renderer.ts";
import { collectingLogger, farmConnectTo } from "../fixtures/farm/server/farm-connect.ts";
import { type Farm, startFarm } from "../fixtures/farm/server/farm-server.ts";
import { farmSites } from "../fixtures/farm/server/farm-sites.ts";
import { crawlIntoStore } from "../pipeline/crawl.ts";

const CHROMIUM = "/usr/bin/chromium";
let farm: Farm;
let dir: string;

beforeAll(async () => {
  farm = await startFarm();
  dir = mkdtempSync(join(tmpdir(), "nianbao-browser-"));
});
afterAll(async () => {
  await farm.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!existsSync(CHROMIUM))("browser rendering with the system Chromium", () => {
  it("finds reports that only appear after JavaScript runs; without the browser it finds none", async () => {
    const sites = farmSites({ delayMs: 50, only: ["farm-spa", "farm-challenge"] });
    const raw = await crawlIntoStore({
      dbPath: join(dir, "raw.sqlite"),
      sites,
      logger: collectingLogger().logger,
      connectTo: farmConnectTo(farm.port),
      browser: null,
      extract: false,
    });
    expect(raw.summary.sites.find((s) => s.site === "farm-spa")!.reportsFound).toBe(0);

    const { logger, lines } = collectingLogger();
    const rendered = await crawlIntoStore({
      dbPath: join(dir, "rendered.sqlite"),
      sites,
      logger,
      connectTo: farmConnectTo(farm.port),
      browser: {
        executablePath: CHROMIUM,
        userAgent: "nianbao-test",
        hostResolverRules: `MAP * 127.0.0.1:${farm.port}`,
      },
      extract: false,
    });
    const spa = rendered.summary.sites.find((s) => s.site === "farm-spa")!;
    expect([spa.reportsFound, spa.reportsNew, spa.healthy]).toEqual([2, 2, true]);
    expect(
      lines.find((l) => l.event === "fetch" && l.url === "http://farm-spa.gov.cn/ndbg/index.html"),
    ).toMatchObject({ rendered: true });

    // The challenge got its one browser attempt and is still blocked (the farm's shell never clears).
    const challenge = rendered.summary.sites.find((s) => s.site === "farm-challenge")!;
    expect([challenge.blocked, challenge.reportsNew]).toEqual([2, 0]);
    const db = new Database(join(dir, "rendered.sqlite"), { readonly: true });
    const reasons = db
      .prepare("SELECT reason FROM crawl_frontier WHERE site_slug = 'farm-challenge' AND kind = 'report'")
      .all() as { reason: string }[];
    db.close();
    for (const r of reasons) expect(r.reason).toMatch(/challenge:\w+.*browser retry failed/);
    const browserHits = farm.log.filter(
      (r) =>
        r.host === "farm-challenge.gov.cn" &&
        r.path.startsWith("/_fault/") &&
        r.headers["upgrade-insecure-requests"] === "1",
    );
    expect(browserHits.length).toBeGreaterThanOrEqual(2);
    expect(browserHits.length).toBeLessThanOrEqual(4); // a self-reloading shell is not allowed to loop
  });

  it("recycles a site's context after N pages and never loads images or fonts", async () => {
    const renderer = new BrowserRenderer({
      executablePath: CHROMIUM,
      userAgent: "nianbao-test",
      hostResolverRules: `MAP * 127.0.0.1:${farm.port}`,
      pagesPerContext: 2,
    });
    try {
      farm.reset();
      const page = await renderer.render("farm-spa", "http://farm-spa.gov.cn/ndbg/index.html", []);
      expect(page.html).toContain("示例市统计局2023年政府信息公开工作年度报告");
      expect(renderer.contextPages("farm-spa")).toBe(1);
      await renderer.render("farm-spa", "http://farm-spa.gov.cn/ndbg/9001.html", []);
      expect(renderer.contextPages("farm-spa")).toBe(2);
      await renderer.render("farm-spa", "http://farm-spa.gov.cn/ndbg/9002.html", []);
      expect(renderer.contextPages("farm-spa")).toBe(1); // a fresh context
      expect(farm.log.some((r) => /\.(png|jpe?g|gif|woff2?|ttf)$/.test(r.path))).toBe(false);
    } finally {
      await renderer.close();
    }
  });

  it("tells an SPA shell from a page with content", () => {
    expect(
      looksLikeSpaShell('<html><body><div id="app"></div><script src="/app.js"></script></body></html>'),
    ).toBe(true);
    expect(
      looksLikeSpaShell(
        `<html><body><div id="app"><ul>${'<li><a href="/a">x</a></li>'.repeat(5)}</ul></div><script></script></body></html>`,
      ),
    ).toBe(false);
  });
});
