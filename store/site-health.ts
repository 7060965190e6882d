// Per-site health from the database (plain SQL over fetches and reports): last success, reports and
// newest year, failures of the last run, and whether the registry's `expect` is met.
import type { StoreDb } from "./open-store.ts";

/** What health needs of a registry entry (the crawler's Site has these and more). */
export interface HealthSite {
  slug: string;
  name: string;
  expect: { min_reports: number; min_year?: number };
}

export interface SiteHealth {
  slug: string;
  name: string;
  healthy: boolean;
  /** never_crawled | expect_not_met | failing | ok — the one word an operator scans for. */
  status: "ok" | "expect_not_met" | "failing" | "never_crawled";
  last_success: string | null;
  last_fetch: string | null;
  last_run_id: number | null;
  reports: number;
  newest_year: number | null;
  expect: HealthSite["expect"];
  expect_met: boolean;
  /** Failed fetches in the site's last run, by reason (or outcome when no reason was given). */
  failures: Record<string, number>;
  /** Reports a crawl found gone from the site (kept; v_withdrawn_reports lists them). */
  withdrawn: number;
}

const SUCCESS_OUTCOMES = ["ok", "not_modified"];

interface RunSiteSummary {
  site: string;
  skipped?: Record<string, number>;
  failures?: Record<string, number>;
}

/** The per-site summaries of the last few finished runs, newest first (crawl_runs.summary_json). */
function lastRunSummaries(db: StoreDb): { runId: number; sites: RunSiteSummary[] }[] {
  const rows = db
    .prepare(
      "SELECT id, summary_json FROM crawl_runs WHERE summary_json IS NOT NULL ORDER BY id DESC LIMIT 5",
    )
    .all() as { id: number; summary_json: string }[];
  return rows.flatMap((r) => {
    try {
      const parsed = JSON.parse(r.summary_json) as { sites?: unknown };
      return Array.isArray(parsed.sites) ? [{ runId: r.id, sites: parsed.sites as RunSiteSummary[] }] : [];
    } catch {
      return []; // a summary written by something else: ignored, as if absent
    }
  });
}

/**
 * Health of each registry site from the database (plain SQL over `fetches` and `reports`).
 * `expect` is met when at least `min_reports` current reports exist and, if `min_year` is set,
 * the newest one is from `min_year` or later (a site that stops publishing goes unhealthy).
 */
export function siteHealth(db: StoreDb, sites: readonly HealthSite[]): SiteHealth[] {
  const ok = SUCCESS_OUTCOMES.map((o) => `'${o}'`).join(",");
  const lastSuccess = db.prepare(
    `SELECT max(fetched_at) AS t FROM fetches WHERE site_slug = ? AND outcome IN (${ok})`,
  );
  const lastFetch = db.prepare(
    "SELECT max(fetched_at) AS t, max(run_id) AS run FROM fetches WHERE site_slug = ?",
  );
  const reports = db.prepare(
    "SELECT count(*) AS n, max(report_year) AS newest FROM reports WHERE site_slug = ? AND superseded_by IS NULL",
  );
  const withdrawn = db
    .prepare(
      "SELECT count(*) FROM reports WHERE site_slug = ? AND superseded_by IS NULL AND withdrawn_at IS NOT NULL",
    )
    .pluck();
  const failuresInRun = db.prepare(
    `SELECT coalesce(nullif(reason, ''), outcome) AS why, count(*) AS n FROM fetches
     WHERE site_slug = ? AND outcome NOT IN (${ok}, 'imported') AND run_id IS ? GROUP BY why ORDER BY n DESC, why`,
  );
  const successInRun = db.prepare(
    `SELECT count(*) AS n FROM fetches WHERE site_slug = ? AND run_id IS ? AND outcome IN (${ok})`,
  );

  const runs = lastRunSummaries(db);
  const out = sites.map((site): SiteHealth => {
    const ls = lastSuccess.get(site.slug) as { t: string | null };
    const lf = lastFetch.get(site.slug) as { t: string | null; run: number | null };
    const rp = reports.get(site.slug) as { n: number; newest: number | null };
    const failures: Record<string, number> = {};
    for (const row of failuresInRun.all(site.slug, lf.run) as { why: string; n: number }[])
      failures[row.why] = row.n;
    // Nothing archived is not "never crawled" when a run tried the site: pages skipped before any
    // request (robots.txt unreachable or answering 5xx) or failed without a body leave no fetch row.
    if (lf.t === null && rp.n === 0) {
      const tried = runs.find((r) => r.sites.some((x) => x.site === site.slug));
      const mine = tried?.sites.find((x) => x.site === site.slug);
      if (tried && mine) {
        for (const [why, n] of Object.entries({ ...mine.skipped, ...mine.failures })) failures[why] = n;
        lf.run = tried.runId;
      }
    }
    const expectMet =
      rp.n >= site.expect.min_reports &&
      (site.expect.min_year === undefined || (rp.newest ?? 0) >= site.expect.min_year);
    const runSucceeded = (successInRun.get(site.slug, lf.run) as { n: number }).n > 0;
    const status: SiteHealth["status"] =
      lf.t === null && rp.n === 0 && !Object.keys(failures).length
        ? "never_crawled"
        : !runSucceeded && Object.keys(failures).length
          ? "failing"
          : !expectMet
            ? "expect_not_met"
            : "ok";
    return {
      slug: site.slug,
      name: site.name,
      healthy: status === "ok",
      status,
      last_success: ls.t,
      last_fetch: lf.t,
      last_run_id: lf.run,
      reports: rp.n,
      newest_year: rp.newest,
      expect: site.expect,
      expect_met: expectMet,
      failures,
      withdrawn: withdrawn.get(site.slug) as number,
    };
  });
  // Unhealthy first, so the first screen is the one to act on.
  const rank = { failing: 0, expect_not_met: 1, never_crawled: 2, ok: 3 } as const;
  return out.sort((a, b) => rank[a.status] - rank[b.status] || a.slug.localeCompare(b.slug));
}
