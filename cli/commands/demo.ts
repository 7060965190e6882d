// `nianbao demo` (what `npm start` runs): starts the bundled portal farm on 127.0.0.1, crawls its demo
// portals with the real crawler into ./demo.sqlite, prints the per-site summary and exports the CSV.
//
// Layering: commands reach the crawler and the store only through pipeline/. The farm is a test and
// development tool in fixtures/, not part of the pipeline; importing it here (and only here) is deliberate,
// so that the demo needs no network and no second process.
import { mkdirSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import pino from "pino";
import { NianbaoError } from "../../core/errors.ts";
import { demoSites } from "../../fixtures/farm/server/demo-hosts.ts";
import { farmConnectTo } from "../../fixtures/farm/server/farm-connect.ts";
import { startFarm } from "../../fixtures/farm/server/farm-server.ts";
import { crawlIntoStore } from "../../pipeline/crawl.ts";
import { formatSummary } from "../../pipeline/crawler-facade.ts";
import type { Command } from "../command.ts";
import { catchInterrupts } from "../interrupt-signals.ts";
import { parseStoreArgs } from "../store-command-options.ts";
import { exportToFile } from "./export.ts";

const HELP = `nianbao demo [--db FILE] [--out FILE] [--bom] [--delay-ms N] [--log FILE]

Try the whole job offline: starts the bundled portal farm on 127.0.0.1 (four demo portals,
demo-1.gov.cn … demo-4.gov.cn, with TRS, GBK, jhtml and 下一页 list styles), crawls them with the
real crawler (robots.txt, politeness, conditional GET), extracts every report into the database,
prints the per-site summary and exports the disclosure counts as CSV.

Run it twice: the second run finds every report unchanged (304 Not Modified) and says so.

Options:
  --db FILE       the database (default ./demo.sqlite)
  --out FILE      the CSV of disclosure counts (default out/disclosure-counts.csv)
  --bom           start the CSV with a UTF-8 byte order mark (for Excel), as \`export csv --bom\`
  --delay-ms N    delay between requests to one demo host (default 50)
  --log FILE      write the crawl's JSON log lines to FILE (default: warnings only, on stderr)
  -h, --help      this help

Exit codes as for \`nianbao crawl\`: 0 clean run, 1 failures or unhealthy sites, 130 interrupted.`;

export const command: Command = {
  name: "demo",
  summary: "crawl the bundled demo portals (offline) into ./demo.sqlite and export a CSV",
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseStoreArgs("demo", args, {
      out: { type: "string" },
      bom: { type: "boolean" },
      "delay-ms": { type: "string" },
      log: { type: "string" },
    });
    if (positionals.length)
      throw new NianbaoError(
        "bad_usage",
        `unexpected argument "${positionals[0]}"`,
        "see `nianbao demo --help`",
      );
    const delay = values["delay-ms"] ?? "50";
    if (!/^\d+$/.test(delay))
      throw new NianbaoError(
        "bad_usage",
        `--delay-ms needs a whole number, not "${delay}"`,
        "e.g. --delay-ms 50",
      );
    const dbPath = resolve(io.cwd, values.db ?? "demo.sqlite");
    const outPath = resolve(io.cwd, values.out ?? "out/disclosure-counts.csv");
    mkdirSync(dirname(outPath), { recursive: true });

    const logTo = values.log
      ? pino.destination({ dest: resolve(io.cwd, values.log), sync: true, mkdir: true })
      : pino.destination({ fd: 2, sync: true });
    const logger = pino({ level: values.log ? "info" : "warn" }, logTo);

    const interrupts = catchInterrupts("demo", io);
    const farm = await startFarm({ keepLog: false });
    try {
      io.stdout(`portal farm on ${farm.origin}: crawling 4 demo portals into ${shown(io.cwd, dbPath)}\n`);
      const result = await crawlIntoStore({
        dbPath,
        sites: demoSites({ delayMs: Number(delay) }),
        logger,
        connectTo: farmConnectTo(farm.port),
        browser: null,
        extract: true,
        signal: interrupts.signal,
      });
      io.stdout(`${formatSummary(result.summary)}\n`);
      if (result.summary.interrupted) return 130;

      const written = exportToFile({
        dbPath,
        view: "disclosure_counts",
        format: "csv",
        out: outPath,
        bom: Boolean(values.bom),
      });
      io.stdout(
        [
          `disclosure counts (${written.rows} reports): ${shown(io.cwd, outPath)}  (datapackage.json beside it)`,
          `try: node bin/nianbao.js stats --db ${shown(io.cwd, dbPath)}`,
          `     node bin/nianbao.js export csv --view report_values --db ${shown(io.cwd, dbPath)} | head`,
          `     node bin/nianbao.js sites health --db ${shown(io.cwd, dbPath)}`,
          `     node bin/nianbao.js serve --db ${shown(io.cwd, dbPath)}   (the web workbench on 127.0.0.1)`,
          "",
        ].join("\n"),
      );
      return result.exitCode;
    } finally {
      interrupts.release();
      await farm.close();
      logTo.flushSync?.();
    }
  },
};

/** A path as the user would type it from where they ran the command. */
function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") ? rel : path;
}
