// `nianbao reextract`: re-runs the extractor over every stored page (no network) after an upgrade
// and prints what changed per report; changed reports get a new version, nothing is overwritten.
import { openDatabase } from "../../pipeline/open-database.ts";
import { type ReportChange, reextractAll } from "../../pipeline/reextract.ts";
import type { Command } from "../command.ts";
import { jsonText } from "../json-output.ts";
import { DB_HELP, dbPathFrom, parseStoreArgs } from "../store-command-options.ts";

const HELP = `nianbao reextract [--db FILE] [--json]

Run the current extractor again over every stored page (the archived bodies; no network)
and save a new report version wherever the result changed. Prints, per changed report,
the metadata, values, failing checks and flags that differ.

Options:
${DB_HELP}
  --json        print the changes as JSON
  -h, --help    this help`;

function fmt(v: unknown): string {
  return v === null || v === undefined ? "—" : String(v);
}

export function describeChange(c: ReportChange): string {
  const out = [
    `${c.agency ?? "(agency unknown)"} ${c.report_year ?? "(year unknown)"} — report ${c.reportId}${c.status === "new" ? " (new)" : ""}  ${c.sourceUrl}`,
  ];
  for (const m of c.metadata) out.push(`  ${m.field}: ${fmt(m.before)} → ${fmt(m.after)}`);
  const added = c.values.filter((v) => v.before === null).length;
  const removed = c.values.filter((v) => v.after === null).length;
  const changed = c.values.length - added - removed;
  if (c.values.length) out.push(`  values: +${added} added, ${changed} changed, -${removed} removed`);
  for (const v of c.values.filter((x) => x.before !== null && x.after !== null).slice(0, 20))
    out.push(`    ${v.key}: ${v.before} → ${v.after}`);
  if (c.checks_failing.added.length || c.checks_failing.removed.length) {
    out.push(
      `  failing checks: ${[...c.checks_failing.added.map((x) => `+${x}`), ...c.checks_failing.removed.map((x) => `-${x}`)].join(" ")}`,
    );
  }
  if (c.flags.added.length || c.flags.removed.length) {
    out.push(
      `  flags: ${[...c.flags.added.map((x) => `+${x}`), ...c.flags.removed.map((x) => `-${x}`)].join(" ")}`,
    );
  }
  return out.join("\n");
}

export const command: Command = {
  name: "reextract",
  summary: "re-run extraction over stored pages and print what changed",
  help: HELP,
  async run(args, io) {
    const { values } = parseStoreArgs("reextract", args, { json: { type: "boolean" } });
    const path = dbPathFrom(values.db, io);
    const store = openDatabase(path, { mustExist: true });
    try {
      const summary = await reextractAll(store, (_change, i, total) => {
        if (io.isTTY && !values.json) io.stderr(`\r\x1b[K[${i + 1}/${total}]`);
      });
      if (io.isTTY && !values.json) io.stderr("\r\x1b[K");
      if (values.json) {
        io.stdout(jsonText(summary));
      } else {
        for (const c of summary.changes) io.stdout(`${describeChange(c)}\n`);
        io.stdout(
          `${summary.pages} stored page(s): ${summary.changed} changed, ${summary.unchanged} unchanged${summary.notReports ? `, ${summary.notReports} not a report` : ""}${summary.stillBlocked ? `, ${summary.stillBlocked} still an anti-bot challenge` : ""}\n`,
        );
      }
      for (const m of summary.missing) io.stderr(`missing body for ${m}\n`);
      for (const f of summary.failed) io.stderr(`extraction failed for ${f.sourceUrl}: ${f.message}\n`);
      return summary.missing.length || summary.failed.length ? 1 : 0;
    } finally {
      store.close();
    }
  },
};
