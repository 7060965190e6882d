// One report: its statistics tables laid out as printed, every number linked to where it was read
// (table, row, column, source, fetch date), failed checks and flags beside the tables they concern.
import type { PrintedCell, ReportDetail } from "../store/index.ts";
import { esc, page } from "./html-page.ts";

const TABLE_TITLES: Record<number, string> = {
  1: "一、主动公开政府信息情况",
  2: "二、收到和处理政府信息公开申请情况",
  3: "三、政府信息公开行政复议、行政诉讼情况",
  0: "Other tables",
};

/** Which printed table a check or flag speaks of. */
function tableOf(id: string): number | null {
  if (/^table([123])_/.test(id)) return Number(id[5]);
  if (id.startsWith("proactive.")) return 1;
  if (id.startsWith("applications.")) return 2;
  if (id.startsWith("review.") || id.startsWith("litigation.")) return 3;
  return null;
}

/** Keys a failing total check covers (review.total → review.*), so its cells are marked. */
function coveredBy(checkId: string): string | null {
  return checkId.endsWith(".total") ? checkId.slice(0, -"total".length) : null;
}

export const provenanceId = (key: string) => `v-${key.replace(/[^a-zA-Z0-9_.-]/g, "_")}`;

function cellHtml(c: PrintedCell, failing: string[]): string {
  const bad = c.key && failing.some((p) => c.key?.startsWith(p));
  if (c.key && c.value !== null) {
    return `<td class="n${bad ? " bad" : ""}"><a class="num" href="#${provenanceId(c.key)}" title="${esc(`${c.key}: table ${c.table} row ${c.row} col ${c.col}`)}">${esc(c.raw)}</a></td>`;
  }
  return `<td class="n${c.raw ? " flagged" : ""}" title="${esc(c.raw ? "kept without a key (see flags)" : "")}">${esc(c.raw)}</td>`;
}

function printedTable(cells: PrintedCell[], failing: string[]): string {
  const cols = [...new Set(cells.map((c) => c.col))].sort((a, b) => a - b);
  const colLabel = new Map(cols.map((col) => [col, cells.find((c) => c.col === col)?.col_label ?? ""]));
  const rows = [...new Set(cells.map((c) => c.row))].sort((a, b) => a - b);
  const head = `<tr><th></th>${cols.map((c) => `<th>${esc(colLabel.get(c))}</th>`).join("")}</tr>`;
  const body = rows
    .map((r) => {
      const inRow = cells.filter((c) => c.row === r);
      const label = inRow[0]?.row_label ?? "";
      return `<tr><th>${esc(label)}</th>${cols
        .map((col) => {
          const c = inRow.find((x) => x.col === col);
          return c ? cellHtml(c, failing) : "<td></td>";
        })
        .join("")}</tr>`;
    })
    .join("");
  return `<table class="printed">${head}${body}</table>`;
}

function notesFor(d: ReportDetail, table: number): string {
  const checks = d.checks.filter((c) => !c.ok && tableOf(c.check_id) === table);
  const flags = d.flags.filter((f) => tableOf(f.flag_id) === table);
  if (!checks.length && !flags.length) return "";
  return `<ul class="notes">${checks.map((c) => `<li class="fail">check ${esc(c.check_id)} fails: ${esc(c.detail)}</li>`).join("")}${flags.map((f) => `<li class="flagged">flag ${esc(f.flag_id)}: ${esc(f.detail)}</li>`).join("")}</ul>`;
}

function provenanceTable(d: ReportDetail): string {
  const primary = d.sources.find((s) => s.version_id === d.version_id) ?? d.sources[0];
  const from = primary
    ? `${esc(primary.source_format)} <a href="/original/${primary.version_id}">archived original</a>, fetched ${esc(primary.fetched_at ?? "—")}`
    : "";
  const rows = d.values
    .map((v) => {
      const where =
        v.source === "table"
          ? `table ${v.table} row ${v.row} col ${v.col} (${esc(v.row_label)} / ${esc(v.col_label)}), printed “${esc(v.raw)}”`
          : `sentence: “${esc(v.sentence)}”`;
      return `<tr id="${provenanceId(v.key)}"><td><code>${esc(v.key)}</code></td><td class="n">${esc(v.value)}</td><td>${where}</td><td>${from}</td></tr>`;
    })
    .join("");
  return `<table id="provenance"><tr><th>key</th><th>value</th><th>where it was read</th><th>source</th></tr>${rows}</table>`;
}

export function reportPage(d: ReportDetail, cells: PrintedCell[]): string {
  const name = d.agency_name ?? d.agency ?? "(agency unknown)";
  const failing = d.checks
    .filter((c) => !c.ok)
    .map((c) => coveredBy(c.check_id))
    .filter((p): p is string => p !== null);
  const tables = [1, 2, 3, 0]
    .map((t) => {
      const inTable = cells.filter((c) => c.table === t);
      const notes = notesFor(d, t);
      if (!inTable.length && !notes) return "";
      return `<section id="table-${t}"><h2>${esc(TABLE_TITLES[t])}</h2>${notes}${inTable.length ? printedTable(inTable, failing) : '<p class="muted">Not printed, or not read.</p>'}</section>`;
    })
    .join("");
  const otherChecks = d.checks.filter((c) => tableOf(c.check_id) === null);
  const otherFlags = d.flags.filter((f) => tableOf(f.flag_id) === null);
  const sources = d.sources
    .map(
      (s) =>
        `<li>${esc(s.role)}: ${esc(s.source_format)} <a href="${esc(s.source_url)}" rel="noreferrer">${esc(s.source_url)}</a> · fetched ${esc(s.fetched_at ?? "—")} · <a href="/original/${s.version_id}">archived original</a>${s.reason ? ` · ${esc(s.reason)}` : ""}</li>`,
    )
    .join("");
  const body = `<dl>
<dt>printed as</dt><dd>${esc(d.agency ?? "—")}${d.agency_id ? ` · <a href="/agency/${d.agency_id}">all years of this agency</a>` : ""}</dd>
<dt>title</dt><dd>${esc(d.title ?? "—")}</dd>
<dt>template</dt><dd>${esc(d.template)} · published ${esc(d.published_at ?? "—")} · extractor ${esc(d.extractor_version)}</dd>
<dt>checks</dt><dd>${d.checks.map((c) => `<span class="${c.ok ? "ok" : "fail"}">${esc(c.check_id)}</span>`).join(" ")}</dd>
</dl>
<h2>Sources</h2><ul>${sources}</ul>
${tables}
${otherChecks.length || otherFlags.length ? `<h2>Other checks and flags</h2><ul>${otherChecks.map((c) => `<li class="${c.ok ? "ok" : "fail"}">${esc(c.check_id)}: ${esc(c.detail)}</li>`).join("")}${otherFlags.map((f) => `<li>${esc(f.flag_id)}: ${esc(f.detail)}</li>`).join("")}</ul>` : ""}
<h2>Where each number was read</h2>
${provenanceTable(d)}`;
  return page(`${name} ${d.report_year ?? ""}`, body);
}
