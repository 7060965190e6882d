// `nianbao search <words…>`: full-text search over report sections (FTS5 trigram; Chinese works).
import { NianbaoError } from "../../core/errors.ts";
import { openDatabaseForReading } from "../../pipeline/open-database.ts";
import { searchText } from "../../store/index.ts";
import type { Command } from "../command.ts";
import { jsonText } from "../json-output.ts";
import { DB_HELP, dbPathFrom, parseStoreArgs } from "../store-command-options.ts";
import { terminalSafe } from "../terminal-text.ts";

const HELP = `nianbao search <words…> [--limit N] [--json] [--db FILE]

Find report sections (current versions) holding every word. Chinese works without spaces:
\`nianbao search 行政复议\`. Words of three or more characters use the full-text index
(FTS5, trigram); shorter words (复议) are matched by a slower scan.

Options:
  --limit N     at most N sections (default 50)
  --json        print [{report_id, agency, report_year, section_label, section_title, snippet, source_url}]
${DB_HELP}
  -h, --help    this help`;

export const command: Command = {
  name: "search",
  summary: "full-text search over report texts (Chinese works)",
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseStoreArgs("search", args, {
      limit: { type: "string" },
      json: { type: "boolean" },
    });
    const limit = typeof values.limit === "string" ? Number(values.limit) : 50;
    if (!Number.isInteger(limit) || limit < 1)
      throw new NianbaoError(
        "bad_usage",
        `--limit needs a positive whole number, not "${values.limit}"`,
        "e.g. --limit 20",
      );
    const words = positionals.flatMap((p) => p.split(/\s+/)).filter(Boolean);
    if (!words.length)
      throw new NianbaoError(
        "bad_usage",
        "missing the words to search for",
        "usage: nianbao search 行政复议",
      );
    const store = openDatabaseForReading(dbPathFrom(values.db, io));
    try {
      const hits = searchText(store.db, words, limit);
      if (values.json) {
        io.stdout(jsonText(hits));
      } else {
        for (const h of hits) {
          // Page text: its control characters are escaped, never sent to the terminal as is.
          io.stdout(
            terminalSafe(
              `${h.agency ?? "(agency unknown)"} ${h.report_year ?? "?"} · ${`${h.section_label}${h.section_title}` || "(opening text)"}`,
            ) + `\n  ${terminalSafe(h.snippet)}\n`,
          );
        }
        io.stderr(
          `${hits.length} section(s)${hits.length === limit ? ` (limit ${limit}; use --limit for more)` : ""}\n`,
        );
      }
      return 0;
    } finally {
      store.close();
    }
  },
};
