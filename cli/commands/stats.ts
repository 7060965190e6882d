// `nianbao stats`: what the database holds — sites, pages, reports by year and template, failures.
import { openDatabaseForReading } from "../../pipeline/open-database.ts";
import { type StoreStats, storeStats } from "../../store/index.ts";
import type { Command } from "../command.ts";
import { jsonText } from "../json-output.ts";
import { DB_HELP, dbPathFrom, parseStoreArgs } from "../store-command-options.ts";

const HELP = `nianbao stats [--json] [--db FILE]

Counts: sites, crawl runs, pages fetched (by outcome), stored bodies, reports by year and
template, reports with failing checks, extractor flags.

Options:
  --json        print the counts as JSON
${DB_HELP}
  -h, --help    this help`;

function table(title: string, counts: Record<string, number>): string[] {
  const keys = Object.keys(counts);
  if (!keys.length) return [];
  const w = Math.max(...keys.map((k) => k.length));
  return [title, ...keys.map((k) => `  ${k.padEnd(w)}  ${counts[k]}`)];
}

export function formatStats(path: string, s: StoreStats): string {
  return `${[
    path,
    `  sites              ${s.sites}`,
    `  crawl runs         ${s.crawl_runs}`,
    `  pages fetched      ${s.fetches}`,
    `  stored bodies      ${s.bodies} (${(s.body_bytes / 1e6).toFixed(1)} MB before compression)`,
    `  reports            ${s.reports} (${s.annual_reports} annual reports, ${s.report_versions} versions)`,
    `  failing checks     ${s.failed_checks} in ${s.reports_with_failed_checks} report(s)`,
    ...table("Pages by outcome:", s.fetches_by_outcome),
    ...table("Reports by year:", s.reports_by_year),
    ...table("Reports by template:", s.reports_by_template),
    ...table("Flags:", s.flags_by_id),
  ].join("\n")}\n`;
}

export const command: Command = {
  name: "stats",
  summary: "counts: sites, pages, reports by year and template, failures",
  help: HELP,
  async run(args, io) {
    const { values } = parseStoreArgs("stats", args, { json: { type: "boolean" } });
    const path = dbPathFrom(values.db, io);
    const store = openDatabaseForReading(path);
    try {
      const s = storeStats(store.db);
      io.stdout(values.json ? jsonText({ database: path, ...s }) : formatStats(path, s));
      return 0;
    } finally {
      store.close();
    }
  },
};
