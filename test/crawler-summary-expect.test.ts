// The summary's `expect.min_reports` rule: a first run that finds too few reports makes its site
// unhealthy; a re-run that stopped paging at known reports saw fewer, so its count is no verdict.
import { expect, it } from "vitest";
import { formatSummary, INCREMENTAL_STOP, summariseSite } from "../crawler/crawl-summary.ts";
import type { FrontierItem } from "../crawler/frontier/frontier-store.ts";
import { siteSchema } from "../crawler/sites/site-schema.ts";

const site = siteSchema.parse({
  slug: "expect-three",
  name: "示例门户",
  agency: "示例市民政局",
  province: "河南",
  level: "city",
  start_urls: ["http://www.example.gov.cn/ndbg/index.html"],
  pagination: { style: "none" },
  expect: { min_reports: 3 },
});

let nextId = 1;
function item(kind: FrontierItem["kind"], outcome: string, change: string | null): FrontierItem {
  const id = nextId++;
  return {
    id,
    run_id: 1,
    site_slug: site.slug,
    url: `http://www.example.gov.cn/ndbg/${id}.html`,
    canonical_url: `http://www.example.gov.cn/ndbg/${id}.html`,
    host: "www.example.gov.cn",
    depth: kind === "list" ? 0 : 1,
    kind,
    page_index: 0,
    link_title: null,
    parent_url: null,
    state: "done",
    attempts: 1,
    next_attempt_at: 0,
    lease_until: null,
    reason: null,
    outcome,
    change,
    fetch_id: null,
    done_at: null,
  };
}

const started = new Date().toISOString();

it("a run that finds fewer new reports than expected is unhealthy, saying how many it found", () => {
  const s = summariseSite(
    site,
    [item("list", "ok", "new"), item("report", "ok", "new"), item("report", "ok", "new")],
    new Set(),
    started,
  );
  expect([s.reportsNew, s.healthy]).toEqual([2, false]);
  expect(s.unhealthyReasons).toEqual(["expected at least 3 reports, found 2"]);
});

it("a one-page re-run that finds fewer reports than expected is still unhealthy: nothing was left unread", () => {
  const s = summariseSite(
    site,
    [item("list", "not_modified", null), item("report", "not_modified", null)],
    new Set(),
    started,
  );
  expect([s.incrementalStop, s.healthy]).toEqual([false, false]);
  expect(s.unhealthyReasons).toEqual(["expected at least 3 reports, found 1"]);
});

it("a re-run that stopped paging at known reports is healthy with fewer reports, and counts what it did not fetch again", () => {
  const list = { ...item("list", "not_modified", null), reason: INCREMENTAL_STOP };
  const s = summariseSite(site, [list, item("report", "not_modified", null)], new Set(), started);
  expect([s.reportsUnchanged, s.notModified, s.sameBytes, s.incrementalStop, s.healthy]).toEqual([
    1,
    2,
    0,
    true,
    true,
  ]);
  expect(s.unhealthyReasons).toEqual([]);
  const text = formatSummary({
    runId: 2,
    startedAt: started,
    finishedAt: started,
    durationMs: 0,
    lockTakeover: null,
    interrupted: false,
    resumed: false,
    sites: [s],
    unhealthy: [],
    totals: { pages: 2, reportsFound: 1, failed: 0, blocked: 0, skipped: 0, pending: 0 },
  });
  expect(text).toContain(
    `${site.slug}: 2 pages, reports 1 (new 0, changed 0, unchanged 1), attachments 0, unchanged since last run: 2 not modified (304), paging stopped at reports already known`,
  );
  expect(text).toContain(
    "unchanged since last run: 2 of 2 pages (2 answered 304 Not Modified, 0 fetched again",
  );
});
