// Reports a site no longer publishes. At the end of each crawl run, every live report of a site is
// judged from that run's fetches: found (its page or attachment answered) → last seen now, and back if
// it was withdrawn; its page answered 404/410 → withdrawn; not linked from a list the run read to its
// real end → withdrawn. A run that did not read the whole list judges nothing by absence. Nothing is
// deleted: a withdrawn report keeps its versions and values, with the dates it was last seen and
// first missed (v_withdrawn_reports).
import type { StoreDb } from "./open-store.ts";
import { statement } from "./statement-cache.ts";

export interface WithdrawalJudgement {
  siteSlug: string;
  runId: number;
  /** The run read every list page of the site to the list's end (the crawler's listComplete). */
  listComplete: boolean;
  /** When the run ended (ISO 8601): a report missing from a complete list is first missed then. */
  at: string;
}

export interface WithdrawalCounts {
  /** Reports first found gone in this run. */
  withdrawnNew: number;
  /** All reports of the site withdrawn after this run. */
  withdrawn: number;
  /** Reports withdrawn earlier that this run found again. */
  returned: number;
}

interface Judged {
  id: number;
  withdrawn_at: string | null;
  seen_at: string | null;
  gone_status: number | null;
  gone_at: string | null;
}

export function judgeWithdrawals(db: StoreDb, j: WithdrawalJudgement): WithdrawalCounts {
  // The URLs a report was read from on its site (its pages and attachments), and this run's fetches
  // of them: a report counts as found when any of them answered, gone when its page answered 404/410.
  // The run's fetches of the site are read once (MATERIALIZED): inlined, each report's three lookups
  // rescanned the whole run's fetches, some 4 s at the end of a 200-site run of 4,000 reports.
  const rows = statement(
    db,
    `WITH mine AS (
       SELECT id, withdrawn_at, source_url FROM reports
       WHERE site_slug = @site AND superseded_by IS NULL AND current_version_id IS NOT NULL),
     run AS MATERIALIZED (
       SELECT url, final_url, status, outcome, fetched_at FROM fetches WHERE run_id = @run AND site_slug = @site)
     SELECT mine.id, mine.withdrawn_at,
       (SELECT MAX(f.fetched_at) FROM report_versions v
          JOIN run f ON f.url = v.source_url OR f.final_url = v.source_url
        WHERE v.report_id = mine.id AND v.site_slug = @site AND f.outcome IN ('ok', 'not_modified')) AS seen_at,
       (SELECT f.status FROM run f WHERE (f.url = mine.source_url OR f.final_url = mine.source_url)
          AND f.status IN (404, 410) ORDER BY f.fetched_at DESC LIMIT 1) AS gone_status,
       (SELECT MIN(f.fetched_at) FROM run f WHERE (f.url = mine.source_url OR f.final_url = mine.source_url)
          AND f.status IN (404, 410)) AS gone_at
     FROM mine`,
  ).all({ site: j.siteSlug, run: j.runId }) as Judged[];
  const seen = statement(
    db,
    "UPDATE reports SET last_seen_at = ?, withdrawn_at = NULL, withdrawn_reason = NULL WHERE id = ?",
  );
  const gone = statement(
    db,
    "UPDATE reports SET withdrawn_at = COALESCE(withdrawn_at, ?), withdrawn_reason = ? WHERE id = ?",
  );
  const counts: WithdrawalCounts = { withdrawnNew: 0, withdrawn: 0, returned: 0 };
  db.transaction(() => {
    for (const r of rows) {
      if (r.seen_at !== null) {
        if (r.withdrawn_at !== null) counts.returned++;
        seen.run(r.seen_at, r.id);
      } else if (r.gone_status !== null) {
        if (r.withdrawn_at === null) counts.withdrawnNew++;
        gone.run(r.gone_at, `http_${r.gone_status}`, r.id);
      } else if (j.listComplete && r.withdrawn_at === null) {
        counts.withdrawnNew++;
        gone.run(j.at, "not_linked", r.id);
      }
    }
  }).immediate();
  counts.withdrawn = statement(
    db,
    "SELECT COUNT(*) FROM reports WHERE site_slug = ? AND superseded_by IS NULL AND withdrawn_at IS NOT NULL",
  )
    .pluck()
    .get(j.siteSlug) as number;
  return counts;
}

/** What this run's pages of a site did to reports through their sources (for the run summary). */
export function siteSourceChanges(
  db: StoreDb,
  siteSlug: string,
  runId: number,
): { secondSourcesFromHere: number; corrected: number } {
  const secondSourcesFromHere = statement(
    db,
    `SELECT COUNT(DISTINCT s.report_id) FROM report_sources s
     JOIN report_versions v ON v.id = s.version_id JOIN fetches f ON f.id = v.fetch_id
     WHERE s.role = 'second' AND s.basis = 'other_site' AND v.site_slug = ? AND f.run_id = ?`,
  )
    .pluck()
    .get(siteSlug, runId) as number;
  const corrected = statement(
    db,
    `SELECT COUNT(DISTINCT s.report_id) FROM report_sources s
     JOIN reports r ON r.id = s.report_id
     JOIN report_versions v ON v.id = r.current_version_id JOIN fetches f ON f.id = v.fetch_id
     WHERE s.role = 'second' AND s.basis IN ('correction', 'later_publication')
       AND r.site_slug = ? AND f.run_id = ?`,
  )
    .pluck()
    .get(siteSlug, runId) as number;
  return { secondSourcesFromHere, corrected };
}
