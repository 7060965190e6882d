// `nianbao crawl`: crawls the registry's portals into the database, politely and resumably.
// Parses flags, builds the logger and the Ctrl-C handling, prints the per-site summary, maps the exit code.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import pino from "pino";
import { NianbaoError } from "../../core/errors.ts";
import { crawlIntoStore } from "../../pipeline/crawl.ts";
import { DEFAULT_USER_AGENT, formatSummary } from "../../pipeline/crawler-facade.ts";
import type { Command } from "../command.ts";
import { catchInterrupts } from "../interrupt-signals.ts";
import { jsonText } from "../json-output.ts";
import { DB_HELP, dbPathFrom, parseStoreArgs } from "../store-command-options.ts";
import { DEFAULT_SITES_FILE, loadSitesFile } from "./sites.ts";

const SYSTEM_CHROMIUM = "/usr/bin/chromium";

const HELP = `nianbao crawl [--sites FILE] [--site SLUG…] [--db FILE] [--max-pages N] [options]

Crawl the portals in the sites registry into the database: list pages through their
pagination, report pages and their attachments (pdf, doc, docx, wps, xls, et, ofd). Polite by
default: robots.txt, one request at a time per host with a delay (1 s or the site's delay_ms),
at most 2 per domain and 8 overall, Retry-After honoured, a failing host's circuit opens after 5
failures. Resumable: after a crash or kill, run the same command again and it continues.

Options:
  --sites FILE        the registry (default ${DEFAULT_SITES_FILE})
  --site SLUG         crawl only this site (repeatable)
${DB_HELP}
  --max-pages N       list pages per site (default: the site's max_pages)
  --delay-ms N        default delay between requests to one host (default 1000)
  --log FILE          write the JSON log lines to FILE instead of stderr
  --json              print the run summary as JSON on stdout
  --user-agent TEXT   the User-Agent (default: nianbao with a contact URL)
  --no-browser        never start Chromium (render:true sites are read raw, challenges end blocked)
  --chromium PATH     the Chromium binary (default ${SYSTEM_CHROMIUM} when present)
  --connect-to H:P    send every request to H:P (a local mirror or the test farm), Host header kept
  --no-extract        archive pages only; extract later with \`nianbao reextract\`
  -h, --help          this help

Exit codes: 0 clean run; 1 finished with failures, blocked pages or unhealthy sites, or another
crawl holds the database; 2 could not start (bad flags, bad registry); 130 interrupted (Ctrl-C):
leases are released and the next run resumes.`;

function positiveInt(flag: string, v: string | boolean | undefined): number | undefined {
  if (v === undefined || typeof v === "boolean") return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 0)
    throw new NianbaoError(
      "bad_usage",
      `${flag} needs a whole number, not "${v}"`,
      "see `nianbao crawl --help`",
    );
  return Number(v);
}

export const command: Command = {
  name: "crawl",
  summary: "crawl the registry's portals into the database (polite, resumable)",
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseStoreArgs("crawl", args, {
      sites: { type: "string" },
      site: { type: "string", multiple: true },
      "max-pages": { type: "string" },
      "delay-ms": { type: "string" },
      log: { type: "string" },
      json: { type: "boolean" },
      "user-agent": { type: "string" },
      "no-browser": { type: "boolean" },
      chromium: { type: "string" },
      "connect-to": { type: "string" },
      "no-extract": { type: "boolean" },
    });
    if (positionals.length)
      throw new NianbaoError(
        "bad_usage",
        `unexpected argument "${positionals[0]}"`,
        "see `nianbao crawl --help`",
      );
    const sitesShown = values.sites ?? DEFAULT_SITES_FILE;
    let sites = loadSitesFile(resolve(io.cwd, sitesShown), sitesShown);
    if (values.site?.length) {
      const unknown = values.site.filter((s) => !sites.some((x) => x.slug === s));
      if (unknown.length) {
        throw new NianbaoError(
          "bad_usage",
          `no site ${unknown.map((u) => `"${u}"`).join(", ")} in ${sitesShown}`,
          "run `nianbao sites validate --list` to list the slugs",
        );
      }
      sites = sites.filter((s) => values.site!.includes(s.slug));
    }
    let connectTo: { host: string; port: number } | undefined;
    if (values["connect-to"]) {
      const m = /^([\w.-]+):(\d+)$/.exec(values["connect-to"]);
      if (!m)
        throw new NianbaoError(
          "bad_usage",
          `--connect-to needs HOST:PORT, not "${values["connect-to"]}"`,
          "e.g. --connect-to 127.0.0.1:8080",
        );
      connectTo = { host: m[1]!, port: Number(m[2]) };
    }
    const chromium = values.chromium ?? (existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : null);
    const userAgent = values["user-agent"] ?? DEFAULT_USER_AGENT;

    const logTo = values.log
      ? pino.destination({ dest: resolve(io.cwd, values.log), sync: true, mkdir: true })
      : pino.destination({ fd: 2, sync: true });
    // On a terminal, stderr shows warnings and a progress line; the full JSON log goes to --log.
    const logger = pino({ level: !values.log && io.isTTY ? "warn" : "info" }, logTo);

    const interrupts = catchInterrupts("crawl", io);
    let lastDraw = 0;
    try {
      const result = await crawlIntoStore({
        dbPath: dbPathFrom(values.db, io),
        sites,
        logger,
        userAgent,
        maxPages: positiveInt("--max-pages", values["max-pages"]),
        defaultDelayMs: positiveInt("--delay-ms", values["delay-ms"]),
        connectTo: connectTo ? () => ({ host: connectTo.host, port: connectTo.port, tls: false }) : undefined,
        browser:
          values["no-browser"] || !chromium
            ? null
            : {
                executablePath: chromium,
                userAgent,
                hostResolverRules: connectTo ? `MAP * ${connectTo.host}:${connectTo.port}` : undefined,
              },
        extract: !values["no-extract"],
        signal: interrupts.signal,
        onProgress: io.isTTY
          ? (p) => {
              const now = Date.now();
              if (now - lastDraw < 200) return;
              lastDraw = now;
              io.stderr(
                `\r\x1b[2Kcrawl run ${p.runId}: ${p.done} done, ${p.failed} failed, ${p.inFlight} in flight, ${p.pending} pending`,
              );
            }
          : undefined,
      });
      if (io.isTTY) io.stderr("\r\x1b[2K");
      const { summary } = result;
      if (values.json) io.stdout(jsonText(summary));
      else io.stdout(`${formatSummary(summary)}\n`);
      if (summary.unhealthy.length) io.stderr(`unhealthy: ${summary.unhealthy.join(", ")}\n`);
      if (summary.interrupted) return 130;
      return result.exitCode;
    } finally {
      interrupts.release();
      logTo.flushSync?.();
    }
  },
};
