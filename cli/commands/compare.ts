// `nianbao compare --agency NAME [--from Y] [--to Y]`: one agency's key numbers, years side by side.
import { NianbaoError } from "../../core/errors.ts";
import { openDatabaseForReading } from "../../pipeline/open-database.ts";
import { type AgencyComparison, compareAgency } from "../../store/index.ts";
import type { Command } from "../command.ts";
import { jsonText } from "../json-output.ts";
import { DB_HELP, dbPathFrom, parseStoreArgs, yearOption } from "../store-command-options.ts";

const HELP = `nianbao compare --agency NAME [--from YEAR] [--to YEAR] [--json] [--db FILE]

One agency's key numbers (the v_disclosure_counts columns) with its report years side by
side. NAME is the canonical agency or any name it printed: 洪泽区人民政府 and 淮安市洪泽区人民政府 are
one agency (same GB/T 2260 region, same department), shown together. A unique part of a name
also works; a part several agencies share lists them. "—" means the report does not give that
number (not zero).

Options:
  --agency NAME  the agency
  --from YEAR    first report year to show
  --to YEAR      last report year to show
  --json         print {agency, agency_id, region_code, aliases, printed_as: {year: name}, years,
                 templates, rows: [{column, values: {year: n}}]}
${DB_HELP}
  -h, --help     this help`;

/** Display width: CJK characters take two columns in a terminal. */
function width(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
      ch,
    )
      ? 2
      : 1;
  return w;
}
const padEnd = (s: string, n: number) => s + " ".repeat(Math.max(0, n - width(s)));
const padStart = (s: string, n: number) => " ".repeat(Math.max(0, n - width(s))) + s;

export function formatComparison(c: AgencyComparison): string {
  const first = Math.max(...c.rows.map((r) => r.column.length), "template".length);
  const cols = c.years.map((y) => String(y));
  const w = Math.max(
    6,
    ...cols.map((y) => width(c.templates[y] ?? "")),
    ...c.rows.flatMap((r) => cols.map((y) => width(String(r.values[y] ?? "—")))),
  );
  const printed = [...new Set(Object.values(c.printed_as))];
  const title =
    printed.length > 1 || (printed[0] && printed[0] !== c.agency)
      ? `${c.agency} (printed as ${printed.join(", ")})`
      : c.agency;
  const lines = [title, `${padEnd("", first)}  ${cols.map((y) => padStart(y, w)).join("  ")}`];
  lines.push(
    `${padEnd("template", first)}  ${cols.map((y) => padStart(c.templates[y] ?? "", w)).join("  ")}`,
  );
  for (const r of c.rows)
    lines.push(
      `${padEnd(r.column, first)}  ${cols.map((y) => padStart(String(r.values[y] ?? "—"), w)).join("  ")}`,
    );
  return `${lines.join("\n")}\n`;
}

export const command: Command = {
  name: "compare",
  summary: "one agency's key numbers across years, side by side",
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseStoreArgs("compare", args, {
      agency: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      json: { type: "boolean" },
    });
    const agency = typeof values.agency === "string" ? values.agency.trim() : positionals.join(" ").trim();
    if (!agency)
      throw new NianbaoError(
        "bad_usage",
        "missing --agency NAME",
        "usage: nianbao compare --agency 天水市民政局 [--from 2019] [--to 2023]",
      );
    const from = yearOption("compare", "--from", values.from);
    const to = yearOption("compare", "--to", values.to);
    const store = openDatabaseForReading(dbPathFrom(values.db, io));
    try {
      const result = compareAgency(store.db, agency, from, to);
      io.stdout(values.json ? jsonText(result) : formatComparison(result));
      return 0;
    } finally {
      store.close();
    }
  },
};
