// sites health for a site whose crawl never got a page: robots.txt answering 5xx keeps every page
// unrequested (nothing archived), yet the site was crawled and failed: "failing", with the reason.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectingLogger, farmConnectTo } from "../fixtures/farm/server/farm-connect.ts";
import { type Farm, startFarm } from "../fixtures/farm/server/farm-server.ts";
import { farmSites } from "../fixtures/farm/server/farm-sites.ts";
import { crawlIntoStore } from "../pipeline/crawl.ts";
import { openStore, siteHealth } from "../store/index.ts";

let farm: Farm;
let dir: string;
beforeAll(async () => {
  farm = await startFarm();
  dir = mkdtempSync(join(tmpdir(), "nianbao-health-tried-"));
});
afterAll(async () => {
  await farm.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("sites health after a crawl that fetched nothing", () => {
  it("says failing, with the robots.txt reason, not never_crawled", async () => {
    const dbPath = join(dir, "h.sqlite");
    const sites = farmSites({ delayMs: 20, only: ["farm-robots500"] });
    await crawlIntoStore({
      dbPath,
      sites,
      logger: collectingLogger().logger,
      connectTo: farmConnectTo(farm.port),
      browser: null,
    });
    const store = openStore(dbPath);
    try {
      expect(
        store.db.prepare("SELECT COUNT(*) AS n FROM fetches WHERE site_slug = 'farm-robots500'").get(),
      ).toEqual({
        n: 0,
      });
      const [h] = siteHealth(store.db, sites);
      expect(h).toMatchObject({ slug: "farm-robots500", status: "failing", healthy: false });
      expect(Object.keys(h!.failures).join()).toMatch(/robots\.txt/);
      expect(h!.last_run_id).not.toBeNull();
    } finally {
      store.close();
    }
  });
});
