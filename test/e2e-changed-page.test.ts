// The nightly re-crawl when a portal corrects a published report: the changed page comes back 200
// (its validators no longer match), becomes a new report version holding the corrected number, the old
// version stays in the database, and the untouched pages come back 304 and stay as they were.
import { readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectingLogger, farmConnectTo } from "../fixtures/farm/server/farm-connect.ts";
import { crawlIntoStore } from "../pipeline/crawl.ts";
import { type OneListPortal, startOneListPortal } from "./support/one-list-portal.ts";

const KEY = "proactive.licensing.decisions";

let portal: OneListPortal;

beforeAll(async () => {
  portal = await startOneListPortal({
    host: "farm-changes.gov.cn",
    reports: ["huojia-health-2023", "junan-hrss-2023", "ningling-civil-affairs-2021"],
  });
});
afterAll(() => portal.close());

const crawl = (dbPath: string) =>
  crawlIntoStore({
    dbPath,
    sites: [portal.site],
    logger: collectingLogger().logger,
    connectTo: farmConnectTo(portal.farm.port),
    browser: null,
  });

describe("a report corrected on the portal", () => {
  it("becomes a new version with the corrected number; the old version and the other reports stay", async () => {
    const dbPath = join(portal.dir, "changes.sqlite");
    const first = (await crawl(dbPath)).summary.sites[0]!;
    expect([first.reportsNew, first.reportsChanged]).toEqual([3, 0]);

    // The bureau corrects one number of the first report (463 licensing decisions → 464).
    const page = join(portal.listDir, "t0.html");
    const html = readFileSync(page, "utf8");
    expect(html.match(/>\s*463\s*</g)).toHaveLength(1);
    writeFileSync(page, html.replace(/>(\s*)463(\s*)</, ">$1464$2<"));
    const later = new Date(Date.now() + 60_000);
    utimesSync(page, later, later);

    portal.farm.reset();
    const second = (await crawl(dbPath)).summary.sites[0]!;
    expect([second.reportsNew, second.reportsChanged, second.reportsUnchanged]).toEqual([0, 1, 2]);
    const hits = portal.farm.log.filter(
      (r) => r.host === "farm-changes.gov.cn" && /\/t\d\.html$/.test(r.path),
    );
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
        .all(KEY, portal.reportUrl(0)) as { id: number; value: number; current: number }[];
      expect(versions.map((v) => [v.value, v.current])).toEqual([
        [463, 0],
        [464, 1],
      ]);
      const others = db
        .prepare(
          `SELECT COUNT(*) AS n FROM report_versions v JOIN reports r ON r.id = v.report_id
           WHERE r.source_url <> ?`,
        )
        .get(portal.reportUrl(0)) as { n: number };
      expect(others.n).toBe(2);
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      db.close();
    }
  });
});
