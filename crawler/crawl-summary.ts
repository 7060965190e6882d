// The end-of-run summary per site (pages, reports new/changed/unchanged, failures by reason, blocked,
// duration, health), computed from the frontier so it is right after a resume too.
import { EXTRACT_TIMEOUT } from "./archive-port.ts";
import type { FrontierItem } from "./frontier/frontier-store.ts";
import type { LockTakeover } from "./frontier/run-lock.ts";
import type { Site } from "./sites/site-schema.ts";

export interface SiteSummary {
  site: string;
  pages: number;
  listPages: number;
  reportsFound: number;
  reportsNew: number;
  reportsChanged: number;
  reportsUnchanged: number;
  attachments: number;
  /** Pages the portal answered 304 Not Modified (a conditional GET): nothing was downloaded again. */
  notModified: number;
  /** Pages downloaded again whose bytes were the same as last time (a page without validators, a rendered list page). */
  sameBytes: number;
  failures: Record<string, number>;
  blocked: number;
  skipped: Record<string, number>;
  pending: number;
  /** From the run's start to the site's last finished page. */
  durationMs: number;
  circuitOpen: boolean;
  /** Paging stopped at a list page whose reports an earlier run already has (a re-run's normal end). */
  incrementalStop: boolean;
  /** Report pages stored but not extracted within the time budget (`nianbao reextract` retries them). */
  extractTimeouts: number;
  /**
   * Every list page was read to the list's real end this run (no incremental stop, no cap, no failure,
   * nothing pending): only then can a report missing from the list be taken as withdrawn.
   */
  listComplete: boolean;
  /** Filled by the store side: what this run learned about the site's reports (absent without a store). */
  reports?: SiteReportChanges;
  healthy: boolean;
  unhealthyReasons: string[];
}

/** What the store learned about a site's reports in one run (the pipeline fills it in). */
export interface SiteReportChanges {
  /** Pages of this site kept as second sources of a report whose own site is another. */
  secondSourcesFromHere: number;
  /** Reports of this site where a correction (or later publication) replaced an earlier page this run. */
  corrected: number;
  /** Reports first found gone this run (no longer linked, or 404/410), and all still withdrawn. */
  withdrawnNew: number;
  withdrawn: number;
  /** Withdrawn reports that came back this run. */
  returned: number;
}

export interface CrawlRunSummary {
  runId: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  interrupted: boolean;
  resumed: boolean;
  /** The lock this run took over (an earlier crawl's lease ran out, or its process died), else null. */
  lockTakeover: LockTakeover | null;
  sites: SiteSummary[];
  unhealthy: string[];
  totals: {
    pages: number;
    reportsFound: number;
    failed: number;
    blocked: number;
    skipped: number;
    pending: number;
  };
}

/** "timeout: no complete answer…" → "timeout"; "http_404" stays. */
export function reasonKey(reason: string | null): string {
  return (reason ?? "unknown").split(/[:(]/)[0]!.trim() || "unknown";
}

/** The frontier reason of a list page where paging stopped because its reports were all known. */
export const INCREMENTAL_STOP = "incremental_stop";
/** A list page with more pages after it than the site's max_pages allows. */
export const PAGING_CAPPED = "paging_capped";
/** A list page answered (200, or 304 with no archived copy) whose links could not be read. */
export const LIST_UNREAD = "list_unread";

export function summariseSite(
  site: Site,
  items: FrontierItem[],
  openHosts: ReadonlySet<string>,
  runStartedAt: string,
): SiteSummary {
  const mine = items.filter((i) => i.site_slug === site.slug);
  const lastDone = mine.reduce((m, i) => Math.max(m, i.done_at ?? 0), 0);
  const s: SiteSummary = {
    site: site.slug,
    pages: 0,
    listPages: 0,
    reportsFound: 0,
    reportsNew: 0,
    reportsChanged: 0,
    reportsUnchanged: 0,
    attachments: 0,
    notModified: 0,
    sameBytes: 0,
    failures: {},
    blocked: 0,
    skipped: {},
    pending: 0,
    durationMs: lastDone ? Math.max(0, lastDone - Date.parse(runStartedAt)) : 0,
    circuitOpen: mine.some((i) => openHosts.has(i.host) || i.reason === "circuit_open"),
    incrementalStop: mine.some(
      (i) => i.kind === "list" && i.state === "done" && i.reason === INCREMENTAL_STOP,
    ),
    extractTimeouts: mine.filter((i) => i.reason === EXTRACT_TIMEOUT).length,
    listComplete: false,
    healthy: true,
    unhealthyReasons: [],
  };
  for (const i of mine) {
    if (i.state === "queued" || i.state === "leased") {
      s.pending++;
      continue;
    }
    if (i.kind === "report") s.reportsFound++;
    if (i.state === "skipped") {
      const k = reasonKey(i.reason);
      s.skipped[k] = (s.skipped[k] ?? 0) + 1;
      continue;
    }
    s.pages++;
    if (i.kind === "list" && i.state === "done") s.listPages++;
    if (i.kind === "attachment" && i.state === "done") s.attachments++;
    if (i.outcome === "not_modified") s.notModified++;
    else if (i.state === "done" && i.change === "unchanged") s.sameBytes++;
    if (i.outcome === "blocked") s.blocked++;
    else if (i.state === "failed") {
      const k = reasonKey(i.reason);
      s.failures[k] = (s.failures[k] ?? 0) + 1;
    }
    if (i.kind === "report" && i.state === "done") {
      if (i.change === "new") s.reportsNew++;
      else if (i.change === "changed") s.reportsChanged++;
      else s.reportsUnchanged++;
    }
  }
  const lists = mine.filter((i) => i.kind === "list");
  s.listComplete =
    lists.length > 0 &&
    s.pending === 0 &&
    !s.incrementalStop &&
    !s.circuitOpen &&
    lists.every(
      (i) =>
        i.state === "done" &&
        i.outcome !== "blocked" &&
        i.reason !== PAGING_CAPPED &&
        i.reason !== LIST_UNREAD,
    );
  const goodReports = s.reportsNew + s.reportsChanged + s.reportsUnchanged;
  // A re-run stops paging at the first list page whose reports are all known (incremental), so it sees
  // fewer reports than the site has: then the count says nothing. Whether the site as a whole still
  // meets `expect` is `nianbao sites health`'s question (it counts the database).
  if (goodReports < site.expect.min_reports && !s.incrementalStop) {
    s.unhealthyReasons.push(`expected at least ${site.expect.min_reports} reports, found ${goodReports}`);
  }
  if (s.circuitOpen) s.unhealthyReasons.push("circuit opened after repeated failures");
  if (s.blocked > 0 && goodReports === 0) s.unhealthyReasons.push("blocked by an anti-bot challenge");
  s.healthy = s.unhealthyReasons.length === 0;
  return s;
}

/** ", corrected 1, withdrawn 2 (1 new), second source of 3 reports of other sites" — only what happened. */
function reportChangesText(r: SiteReportChanges | undefined): string {
  if (!r) return "";
  const parts: string[] = [];
  if (r.corrected) parts.push(`corrected ${r.corrected} (the correction is current, the original kept)`);
  if (r.withdrawn)
    parts.push(`withdrawn ${r.withdrawn}${r.withdrawnNew ? ` (${r.withdrawnNew} new this run)` : ""}`);
  if (r.returned) parts.push(`back after withdrawal ${r.returned}`);
  if (r.secondSourcesFromHere)
    parts.push(
      `${r.secondSourcesFromHere} pages kept as second sources (their reports belong to another site)`,
    );
  return parts.length ? `, ${parts.join(", ")}` : "";
}

/** "19 not modified (304), 4 same bytes": what a re-run did not need to fetch or store again. */
function unchangedText(s: SiteSummary): string {
  const parts: string[] = [];
  if (s.notModified) parts.push(`${s.notModified} not modified (304)`);
  if (s.sameBytes) parts.push(`${s.sameBytes} same bytes`);
  return parts.join(", ");
}

export function formatSummary(summary: CrawlRunSummary): string {
  const lines = [
    `crawl run ${summary.runId}${summary.resumed ? " (resumed)" : ""}${summary.interrupted ? " — interrupted" : ""}: ${Math.round(summary.durationMs / 100) / 10} s`,
  ];
  const t = summary.lockTakeover;
  if (t) {
    const why =
      t.reason === "lease_expired"
        ? `its lease ran out at ${t.lease_until === null ? "?" : new Date(t.lease_until).toISOString()}`
        : "its process is gone";
    lines.push(
      `  took over the lock of pid ${t.pid} on ${t.hostname}${t.run_id === null ? "" : ` (run ${t.run_id})`}, held since ${t.acquired_at}: ${why}`,
    );
  }
  for (const s of summary.sites) {
    const fails = Object.entries(s.failures)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ");
    const skipped = Object.entries(s.skipped)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ");
    lines.push(
      `  ${s.healthy ? "ok " : "!! "}${s.site}: ${s.pages} pages, reports ${s.reportsFound} (new ${s.reportsNew}, changed ${s.reportsChanged}, unchanged ${s.reportsUnchanged}), attachments ${s.attachments}` +
        (s.notModified || s.sameBytes ? `, unchanged since last run: ${unchangedText(s)}` : "") +
        (s.incrementalStop ? ", paging stopped at reports already known" : "") +
        (s.blocked ? `, blocked ${s.blocked}` : "") +
        (s.extractTimeouts ? `, not extracted in time ${s.extractTimeouts} (run reextract)` : "") +
        reportChangesText(s.reports) +
        (fails ? `, failed: ${fails}` : "") +
        (skipped ? `, skipped: ${skipped}` : "") +
        (s.pending ? `, pending ${s.pending}` : "") +
        `, ${(s.durationMs / 1000).toFixed(1)} s` +
        (s.healthy ? "" : ` — unhealthy: ${s.unhealthyReasons.join("; ")}`),
    );
  }
  const sum = (f: (s: SiteSummary) => number) => summary.sites.reduce((n, s) => n + f(s), 0);
  const notModified = sum((s) => s.notModified);
  const same = sum((s) => s.sameBytes);
  if (notModified || same) {
    // The line an operator reads to see that a re-run was incremental.
    lines.push(
      `  unchanged since last run: ${notModified + same} of ${sum((s) => s.pages)} pages (${notModified} answered 304 Not Modified, ${same} fetched again with the same bytes)`,
    );
  }
  return lines.join("\n");
}
