// `nianbao crawl`: crawls the registry's portals into the database, politely and resumably.
// Parses flags, builds the logger and the Ctrl-C handling, prints the per-site summary, maps the exit code.
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import pino from "pino";
import { NianbaoError } from "../../core/errors.ts";
import { crawlIntoStore } from "../../pipeline/crawl.ts";
import {
  AUTO_MIN_GLOBAL,
  DEFAULT_MAX_GLOBAL_CONCURRENCY,
  DEFAULT_USER_AGENT,
  formatSummary,
  MAX_CONCURRENCY,
  MAX_PER_DOMAIN,
} from "../../pipeline/crawler-facade.ts";
import type { Command } from "../command.ts";
import { catchInterrupts } from "../interrupt-signals.ts";
import { jsonText } from "../json-output.ts";
import { DB_HELP, dbPathFrom, parseStoreArgs } from "../store-command-options.ts";
import { DEFAULT_SITES_FILE, loadSitesFileWithSettings } from "./sites.ts";

const SYSTEM_CHROMIUM = "/usr/bin/chromium";

const HELP = `nianbao crawl [--sites FILE] [--site SLUG…] [--db FILE] [--max-pages N] [options]

Crawl the portals in the sites registry into the database: list pages through their
pagination, report pages and their attachments (pdf, doc, docx, wps, xls, et, ofd). Polite by
default: robots.txt and its Crawl-delay, one request at a time per host, starts ≥ the delay apart
(1 s or the site's delay_ms, plus 1–3 % jitter; a slower answer is followed at once), at most
2 in flight per registrable domain, Retry-After honoured and the host's delay doubled on 429/503,
a failing host's circuit opens after 5 failures. Overall, one request in flight per host with
work (at least ${AUTO_MIN_GLOBAL}, at most ${DEFAULT_MAX_GLOBAL_CONCURRENCY}), so politeness, not a cap, bounds the crawl: 200 hosts at a
1 s delay fetch up to 200 pages/s. Resumable: after a crash or kill, run the same command again
and it continues.

Options:
  --sites FILE        the registry (default ${DEFAULT_SITES_FILE})
  --site SLUG         crawl only this site (repeatable)
${DB_HELP}
  --max-pages N       list pages per site (default: the site's max_pages)
  --delay-ms N        default delay between request starts to one host (default 1000)
  --concurrency N     at most N requests in flight overall, 1–${MAX_CONCURRENCY} (default: one per host
                      with work, ${AUTO_MIN_GLOBAL}–${DEFAULT_MAX_GLOBAL_CONCURRENCY}; the registry's crawl.concurrency)
  --per-domain N      at most N in flight per registrable domain, 1–${MAX_PER_DOMAIN} (default 2; the
                      registry's crawl.per_domain; a site's rate.per_domain wins for its domain)
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

/** A whole number flag within [min, max]; undefined when not given. */
function boundedInt(
  flag: string,
  v: string | boolean | undefined,
  min: number,
  max: number,
): number | undefined {
  const n = positiveInt(flag, v);
  if (n === undefined) return undefined;
  if (n < min || n > max)
    throw new NianbaoError(
      "bad_usage",
      `${flag} must be between ${min} and ${max}, not ${n}`,
      "see `nianbao crawl --help`",
    );
  return n;
}

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

/** The --log file, opened for appending before the crawl starts: a bad path is a usage error, not a crash. */
function openLogFile(path: string, shown: string): number {
  const fail = (why: string, hint: string) => new NianbaoError("bad_usage", `--log ${shown}: ${why}`, hint);
  if (existsSync(path) && statSync(path).isDirectory())
    throw fail("is a folder", `name a file, e.g. --log ${join(shown, "crawl.log")}`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, "a");
    if (!fstatSync(fd).isFile()) {
      closeSync(fd);
      throw fail("is not a regular file", "name a log file");
    }
    return fd;
  } catch (err) {
    if (err instanceof NianbaoError) throw err;
    throw fail(
      `cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      "pass a --log path in a folder you can write",
    );
  }
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
      concurrency: { type: "string" },
      "per-domain": { type: "string" },
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
    const concurrency = boundedInt("--concurrency", values.concurrency, 1, MAX_CONCURRENCY);
    const perDomain = boundedInt("--per-domain", values["per-domain"], 1, MAX_PER_DOMAIN);
    const registry = loadSitesFileWithSettings(resolve(io.cwd, sitesShown), sitesShown);
    let sites = registry.sites;
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
      ? pino.destination({ fd: openLogFile(resolve(io.cwd, values.log), values.log), sync: true })
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
        globalConcurrency: concurrency ?? registry.crawl.concurrency ?? "auto",
        perDomainConcurrency: perDomain ?? registry.crawl.per_domain,
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
