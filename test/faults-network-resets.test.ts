// Connections that die at every stage of a response (before the status line, inside it, inside the
// headers, right after them, inside a chunked body, short of a Content-Length): each report ends as a
// failure with its reason, the good reports beside them are stored with their expected values, the
// database passes integrity_check, and a second run keeps everything and stores no half page.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectingLogger, farmConnectTo } from "../fixtures/farm/server/farm-connect.ts";
import { crawlIntoStore } from "../pipeline/crawl.ts";
import { expectedSchema } from "./support/expected-record.ts";
import { FIXTURE_PAGES, type OneListPortal, startOneListPortal } from "./support/one-list-portal.ts";

const STAGES = ["before-status", "mid-status", "mid-headers", "after-headers", "mid-body-chunked"] as const;
const GOOD = ["huojia-health-2023", "junan-hrss-2023", "ningling-civil-affairs-2021"];

let portal: OneListPortal;

beforeAll(async () => {
  portal = await startOneListPortal({
    host: "farm-resets.gov.cn",
    reports: GOOD,
    extraLinks: [
      // One host per stage: five failures on one host would open its circuit and hide the later stages.
      ...STAGES.map((stage) => ({
        href: `http://reset-${stage}.gov.cn/_fault/reset-at/${stage}/report.html`,
        title: `${stage} 2023年政府信息公开工作年度报告`,
      })),
      // Short of its Content-Length: the farm's `truncated` route.
      {
        href: "http://reset-truncated.gov.cn/_fault/truncated",
        title: "truncated 2023年政府信息公开工作年度报告",
      },
    ],
  });
});
afterAll(() => portal.close());

async function crawl(dbPath: string) {
  return crawlIntoStore({
    dbPath,
    sites: [portal.site],
    logger: collectingLogger().logger,
    connectTo: farmConnectTo(portal.farm.port),
    browser: null,
    retry: { maxRetries: 1, baseBackoffMs: 10, maxBackoffMs: 20 },
    totalTimeoutMs: 5_000,
  });
}

describe("network resets at every stage of a response", () => {
  it("fail with a reason, never store a half page, and leave a sound database holding every good report", async () => {
    const dbPath = join(portal.dir, "resets.sqlite");
    const first = await crawl(dbPath);
    const summary = first.summary.sites[0]!;
    expect(summary.reportsFound).toBe(GOOD.length + STAGES.length + 1);
    // Every cut connection fails on its own (no circuit opened, no timeout waited out): before the
    // body as a network failure, inside the body as a truncated one.
    expect(summary.failures).toEqual({ network: 3, truncated: 3 });

    const check = (path: string) => {
      const db = new Database(path, { readonly: true });
      try {
        expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
        const frontier = db
          .prepare(
            "SELECT url, state, reason FROM crawl_frontier WHERE kind = 'report' AND run_id = (SELECT MAX(run_id) FROM crawl_frontier) ORDER BY url",
          )
          .all() as { url: string; state: string; reason: string | null }[];
        const cut = frontier.filter((x) => x.url.includes("/_fault/"));
        expect(cut).toHaveLength(STAGES.length + 1);
        for (const f of cut) {
          expect(f.state, f.url).toBe("failed");
          const inBody = /after-headers|mid-body|truncated/.test(f.url);
          expect(f.reason, f.url).toMatch(inBody ? /^truncated/ : /^network/);
        }
        // No fetch of a fault URL kept a body: a cut response is never archived as if whole.
        const bodies = db
          .prepare("SELECT url FROM fetches WHERE url LIKE '%/_fault/%' AND sha256 IS NOT NULL")
          .all();
        expect(bodies).toEqual([]);
        const reports = db
          .prepare("SELECT source_url, current_version_id AS v FROM reports ORDER BY source_url")
          .all() as { source_url: string; v: number }[];
        expect(reports.map((r) => r.source_url)).toEqual(GOOD.map((_, i) => portal.reportUrl(i)));
        for (const [i, name] of GOOD.entries()) {
          const expected = expectedSchema.parse(
            JSON.parse(readFileSync(join(FIXTURE_PAGES, `${name}.expected.json`), "utf8")),
          );
          const rows = db
            .prepare("SELECT key, value FROM report_values WHERE version_id = ?")
            .all(reports[i]!.v) as { key: string; value: number }[];
          const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
          const keys = Object.keys(expected.values);
          expect(keys.length, name).toBeGreaterThan(20);
          for (const k of keys) expect(stored[k], `${name} ${k}`).toBe(expected.values[k]);
        }
      } finally {
        db.close();
      }
    };
    check(dbPath);

    // Run again: the good pages come back 304/unchanged, the faults fail again, nothing is lost.
    const second = await crawl(dbPath);
    expect(second.summary.sites[0]!.reportsFound).toBe(GOOD.length + STAGES.length + 1);
    check(dbPath);
  });
});
