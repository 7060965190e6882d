// Overview page: counts by year and template, the reports whose checks fail, and each site's health.
import { listChecks, type SiteHealth, type StoreStats } from "../store/index.ts";
import type { StoreDb } from "../store/open-store.ts";
import { esc, page } from "./html-page.ts";

function countTable(title: string, counts: Record<string, number>): string {
  const rows = Object.entries(counts)
    .map(([k, n]) => `<tr><td>${esc(k)}</td><td class="n">${n}</td></tr>`)
    .join("");
  return `<table><tr><th>${esc(title)}</th><th>reports</th></tr>${rows}</table>`;
}

export function overviewPage(db: StoreDb, stats: StoreStats, health: SiteHealth[]): string {
  const failed = listChecks(db, true);
  const byReport = new Map<number, typeof failed>();
  for (const c of failed) byReport.set(c.report_id, [...(byReport.get(c.report_id) ?? []), c]);
  const failedRows = [...byReport.values()]
    .map(
      (cs) =>
        `<tr><td><a href="/report/${cs[0]?.report_id}">${esc(cs[0]?.agency ?? "(agency unknown)")}</a></td><td>${esc(cs[0]?.report_year ?? "?")}</td><td>${cs.map((c) => `<span class="fail">${esc(c.check_id)}</span> <span class="note">${esc(c.detail)}</span>`).join("<br>")}</td></tr>`,
    )
    .join("");
  const healthRows = health
    .map(
      (h) =>
        `<tr><td>${esc(h.slug)}</td><td class="${h.healthy ? "ok" : "fail"}">${esc(h.status)}</td><td>${esc(h.last_success ?? "never")}</td><td class="n">${h.reports}</td><td>${esc(h.newest_year ?? "—")}</td></tr>`,
    )
    .join("");
  const body = `<p>${stats.reports} reports (${stats.annual_reports} annual reports, ${stats.report_versions} versions) from ${stats.fetches} fetches; ${stats.failed_checks} failing checks in ${stats.reports_with_failed_checks} reports.</p>
<div style="display:flex;gap:2em;flex-wrap:wrap">${countTable("year", stats.reports_by_year)}${countTable("template", stats.reports_by_template)}</div>
<h2>Reports with failed checks</h2>
${failedRows ? `<table id="failed-checks"><tr><th>agency</th><th>year</th><th>failed checks</th></tr>${failedRows}</table>` : "<p>None.</p>"}
<h2>Sites</h2>
${healthRows ? `<table><tr><th>site</th><th>status</th><th>last success</th><th>reports</th><th>newest year</th></tr>${healthRows}</table>` : '<p class="muted">No crawled sites (imported reports only).</p>'}`;
  return page("Overview", body);
}
