// Agencies page (search by name, filter by province, level, department, year) and one agency's page:
// its key numbers year by year with the change from the year before, small charts, renames folded in.
import type { AgencyComparison, AgencyFilter, AgencyListRow } from "../store/index.ts";
import { barChart, esc, page } from "./html-page.ts";

function select(name: string, label: string, options: (string | number)[], chosen: unknown): string {
  return `<label>${esc(label)} <select name="${name}"><option value="">all</option>${options
    .map((o) => `<option${String(o) === String(chosen ?? "") ? " selected" : ""}>${esc(o)}</option>`)
    .join("")}</select></label>`;
}

export function agenciesPage(
  rows: AgencyListRow[],
  f: AgencyFilter,
  facets: { provinces: string[]; levels: string[]; departments: string[]; years: number[] },
): string {
  const form = `<form method="get" action="/agencies">
<input name="q" value="${esc(f.q)}" placeholder="机关名称 agency name" aria-label="agency name">
${select("province", "province", facets.provinces, f.province)} ${select("level", "level", facets.levels, f.level)}
${select("department", "department", facets.departments, f.department)} ${select("year", "year", facets.years, f.year)}
<button>Filter</button></form>`;
  const list = rows
    .map(
      (r) =>
        `<tr><td><a href="/agency/${r.agency_id}">${esc(r.agency_name)}</a>${r.aliases && r.aliases !== r.agency_name ? `<br><span class="note">printed as ${esc(r.aliases)}</span>` : ""}</td><td>${esc(r.region_code ?? "—")}</td><td>${esc(r.province ?? "—")}</td><td>${esc(r.agency_level ?? "—")}</td><td>${esc(r.department_type)}</td><td>${esc(r.years)}</td></tr>`,
    )
    .join("");
  return page(
    "Agencies",
    `${form}<p>${rows.length} agencies.</p><table id="agencies"><tr><th>agency</th><th>region code</th><th>province</th><th>level</th><th>department</th><th>years</th></tr>${list}</table>`,
  );
}

const CHARTED = [
  "applications_new_received_total",
  "applications_granted_total",
  "applications_denied_total",
  "review_total",
  "litigation_total",
];

/** The eight reasons of （三）不予公开, as printed. */
const DENIED_REASONS: [string, string][] = [
  ["state_secret", "1.属于国家秘密"],
  ["prohibited_by_law", "2.其他法律行政法规禁止公开"],
  ["security_stability", "3.危及“三安全一稳定”"],
  ["third_party_rights", "4.保护第三方合法权益"],
  ["internal_affairs", "5.属于三类内部事务信息"],
  ["process_information", "6.属于四类过程性信息"],
  ["enforcement_files", "7.属于行政执法案卷"],
  ["inquiry_matters", "8.属于行政查询事项"],
];

/** Denials by reason, one row per reason, with a bar as wide as its share of the year's most. */
function deniedTable(
  c: AgencyComparison,
  denied: { report_id: number; key: string; value: number }[],
): string {
  const years = c.years.map(String);
  const value = (y: string, reason: string) =>
    denied.find(
      (d) => d.report_id === c.report_ids[y] && d.key === `applications.results.denied.${reason}.total`,
    )?.value ?? null;
  const max = Math.max(1, ...denied.map((d) => d.value));
  const rows = DENIED_REASONS.map(
    ([reason, label]) =>
      `<tr><th>${esc(label)}</th>${years
        .map((y) => {
          const v = value(y, reason);
          return v === null
            ? '<td class="n muted">—</td>'
            : `<td class="n">${esc(v)} <svg width="60" height="8" aria-hidden="true"><rect class="bar" width="${Math.round((v / max) * 60)}" height="8"></rect></svg></td>`;
        })
        .join("")}</tr>`,
  ).join("");
  return `<h2>Denied, by reason (（三）不予公开)</h2><table id="denied"><tr><th></th>${years.map((y) => `<th>${esc(y)}</th>`).join("")}</tr>${rows}</table>`;
}

export function agencyPage(
  c: AgencyComparison,
  denied: { report_id: number; key: string; value: number }[] = [],
): string {
  const years = c.years.map(String);
  const head = `<tr><th></th>${years.map((y) => `<th><a href="/report/${c.report_ids[y]}">${esc(y)}</a><br><span class="note">${esc(c.printed_as[y])}</span></th>`).join("")}</tr>`;
  const rows = c.rows
    .map((r) => {
      const cells = years.map((y, i) => {
        const v = r.values[y] ?? null;
        const prev = i > 0 ? (r.values[years[i - 1] as string] ?? null) : null;
        const diff =
          v !== null && prev !== null && v !== prev
            ? ` <span class="note">(${v > prev ? "+" : ""}${Math.round((v - prev) * 100) / 100})</span>`
            : "";
        return `<td class="n">${v === null ? '<span class="muted">—</span>' : esc(v)}${diff}</td>`;
      });
      return `<tr><th>${esc(r.column)}</th>${cells.join("")}</tr>`;
    })
    .join("");
  const charts = CHARTED.map((col) => {
    const row = c.rows.find((r) => r.column === col);
    return row
      ? barChart(
          col,
          years.map((y) => ({ x: y, y: row.values[y] ?? null })),
        )
      : "";
  }).join("");
  return page(
    c.agency,
    `<p>Region ${esc(c.region_code ?? "—")} · printed as ${c.aliases.map(esc).join("、")}. “—” means the report does not give the number (not zero); (±n) is the change from the year before.</p>
<div class="charts">${charts}</div>
<table id="years">${head}<tr><th>template</th>${years.map((y) => `<td>${esc(c.templates[y])}</td>`).join("")}</tr>${rows}</table>
${deniedTable(c, denied)}`,
  );
}
