// `nianbao show <report-id | agency year>`: one stored report — every value with where it was read,
// failed checks, flags and sources — so a PDF's record is reachable without SQL.
import { NianbaoError } from "../../core/errors.ts";
import { openDatabaseForReading } from "../../pipeline/open-database.ts";
import { type ReportDetail, reportDetail, reportIdFor, type ValueProvenance } from "../../store/index.ts";
import type { Command } from "../command.ts";
import { jsonText } from "../json-output.ts";
import { DB_HELP, dbPathFrom, parseStoreArgs } from "../store-command-options.ts";

const HELP = `nianbao show <report-id> [--json] [--db FILE]
nianbao show <agency> <year> [--json] [--db FILE]

One stored report (its current version): metadata, every value with where it was read (table,
row and column with their labels and the raw text, or the sentence), cells kept without a key,
approximate facts, checks (failures first), flags, and its sources (page, attachment) with
their fetch dates and archived body hashes.

Takes a report id (the report_id column of \`nianbao export csv\`, \`search\`, \`checks\`), or an
agency and a year: the canonical agency or any name it printed (洪泽区人民政府 2023).

Options:
  --json        print the report as JSON: {report_id, agency, agency_name, report_year, …,
                values: [{key, value, source, table, row, col, row_label, col_label, raw,
                sentence, text_offset}], unkeyed_cells, approx_facts, checks, flags, sources}
${DB_HELP}
  -h, --help    this help`;

function where(v: ValueProvenance): string {
  if (v.source === "table")
    return `table ${v.table} row ${v.row} col ${v.col} (${v.row_label} / ${v.col_label}) raw "${v.raw}"`;
  return `sentence at ${v.text_offset}: ${v.sentence}`;
}

export function formatReport(d: ReportDetail): string {
  const name = d.agency_name ?? d.agency ?? "(agency unknown)";
  const printed = d.agency && d.agency !== name ? ` (printed as ${d.agency})` : "";
  const keyWidth = Math.max(0, ...d.values.map((v) => v.key.length));
  const valueWidth = Math.max(0, ...d.values.map((v) => String(v.value).length));
  const lines = [
    `${name} ${d.report_year ?? "?"} — report ${d.report_id}${printed}`,
    `  title      ${d.title ?? "—"}`,
    `  template   ${d.template}${d.is_annual_report ? "" : " (not an annual report)"} · published ${d.published_at ?? "—"} · doc number ${d.doc_number ?? "—"}`,
    `  region     ${d.region_code ?? "—"} · agency ${d.agency_id ?? "—"} · version ${d.version_id} · extractor ${d.extractor_version}`,
    "",
    "Sources:",
    ...d.sources.map(
      (s) =>
        `  ${s.role.padEnd(7)} ${s.source_format.padEnd(4)} ${s.source_url}${s.linked_from_url ? ` (linked from ${s.linked_from_url})` : ""}\n          fetched ${s.fetched_at ?? "—"} · body sha256 ${s.body_sha256 ?? "—"}${s.reason ? ` · ${s.reason}` : ""}`,
    ),
    "",
    `Values (${d.values.length}):`,
    ...d.values.map(
      (v) => `  ${v.key.padEnd(keyWidth)}  ${String(v.value).padStart(valueWidth)}  ${where(v)}`,
    ),
  ];
  if (d.unkeyed_cells.length)
    lines.push(
      "",
      `Cells kept without a key (${d.unkeyed_cells.length}):`,
      ...d.unkeyed_cells.map(
        (c) =>
          `  table ${c.table} row ${c.row} col ${c.col} (${c.row_label} / ${c.col_label}) raw "${c.raw}"`,
      ),
    );
  if (d.approx_facts.length)
    lines.push(
      "",
      "Approximate (not in values):",
      ...d.approx_facts.map((f) => `  ${f.key} ≈ ${f.value}: ${f.sentence}`),
    );
  lines.push(
    "",
    `Checks (${d.checks.filter((c) => !c.ok).length} failing):`,
    ...d.checks.map((c) => `  ${c.ok ? "ok  " : "FAIL"} ${c.check_id}${c.ok ? "" : ` — ${c.detail}`}`),
    "",
    `Flags (${d.flags.length}):`,
    ...d.flags.map((f) => `  ${f.flag_id} — ${f.detail}`),
  );
  return `${lines.join("\n")}\n`;
}

export const command: Command = {
  name: "show",
  summary: "one stored report: values with where each was read, checks, flags, sources",
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseStoreArgs("show", args, { json: { type: "boolean" } });
    const usage =
      "usage: nianbao show <report-id> or nianbao show <agency> <year>, e.g. nianbao show 天水市民政局 2019";
    if (!positionals.length || positionals.length > 2)
      throw new NianbaoError("bad_usage", "show takes a report id, or an agency and a year", usage);
    const [first, second] = positionals as [string, string | undefined];
    if (second === undefined && !/^\d+$/.test(first))
      throw new NianbaoError("bad_usage", `"${first}" is not a report id`, usage);
    if (second !== undefined && !/^\d{4}$/.test(second))
      throw new NianbaoError("bad_usage", `the year must have four digits, not "${second}"`, usage);
    const store = openDatabaseForReading(dbPathFrom(values.db, io));
    try {
      const id = second === undefined ? Number(first) : reportIdFor(store.db, first, Number(second));
      const detail = reportDetail(store.db, id);
      io.stdout(values.json ? jsonText(detail) : formatReport(detail));
      return 0;
    } finally {
      store.close();
    }
  },
};
