// `nianbao checks [--failed]`: the arithmetic identities per report, or only those that fail.
import { openDatabaseForReading } from "../../pipeline/open-database.ts";
import { listChecks } from "../../store/index.ts";
import type { Command } from "../command.ts";
import { jsonText } from "../json-output.ts";
import { DB_HELP, dbPathFrom, parseStoreArgs } from "../store-command-options.ts";

const HELP = `nianbao checks [--failed] [--json] [--db FILE]

The arithmetic identities of every current report (applications.balance, row totals,
review and litigation totals…), with the numbers when one fails. A failing check is data:
many published reports are wrong; this lists where.

Options:
  --failed      only the checks that fail
  --json        print [{report_id, agency, report_year, check_id, ok, detail, source_url}]
${DB_HELP}
  -h, --help    this help`;

export const command: Command = {
  name: "checks",
  summary: "arithmetic checks per report (--failed: only failures, with the detail)",
  help: HELP,
  async run(args, io) {
    const { values } = parseStoreArgs("checks", args, {
      failed: { type: "boolean" },
      json: { type: "boolean" },
    });
    const store = openDatabaseForReading(dbPathFrom(values.db, io));
    try {
      const rows = listChecks(store.db, Boolean(values.failed));
      if (values.json) {
        io.stdout(jsonText(rows));
        return 0;
      }
      let last = -1;
      for (const r of rows) {
        if (r.report_id !== last) {
          io.stdout(
            `${r.agency ?? "(agency unknown)"} ${r.report_year ?? "?"} — report ${r.report_id}  ${r.source_url}\n`,
          );
          last = r.report_id;
        }
        io.stdout(`  ${r.ok ? "ok  " : "FAIL"} ${r.check_id}${r.ok ? "" : ` — ${r.detail}`}\n`);
      }
      const failed = rows.filter((r) => !r.ok).length;
      io.stderr(`${rows.length} check(s), ${failed} failing\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};
