// The `sites` command: `validate` checks the registry file (schema, hosts, slugs) and lists every
// problem with its path; `health` reads the database and says, per site, whether it is doing its job.
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { NianbaoError } from "../../core/errors.ts";
import {
  type CrawlSettings,
  loadRegistry,
  loadRegistryFile,
  type Site,
  siteSchema,
  validateRegistry,
} from "../../pipeline/crawler-facade.ts";
import { databasePath, openDatabaseForReading } from "../../pipeline/open-database.ts";
import { nonRegularKind } from "../../pipeline/read-user-file.ts";
import { type SiteHealth, siteHealth, storedSiteEntries } from "../../store/index.ts";
import type { CliIO, Command } from "../command.ts";
import { jsonText } from "../json-output.ts";

export const DEFAULT_SITES_FILE = "sites/sites.json";

const HELP = `nianbao sites — the sites registry and how each site is doing

Usage:
  nianbao sites validate [FILE] [--list] [--json]
      Check the registry (default ${DEFAULT_SITES_FILE}): schema, start URLs on *.gov.cn or the
      entry's allowed_hosts, no file:// or off-list URLs, unique slugs.
      Exit 0 with a count, or 2 listing every problem with its path (e.g. sites[3].start_urls[0]).
      --list also prints every site: its slug (what \`crawl --site SLUG\` takes), agency,
      province and pagination style.
  nianbao sites health [--sites FILE] [--db FILE] [--json]
      Per site: last successful fetch, reports found (newest year), failures by reason in its last
      run, and whether its \`expect\` is met. Unhealthy sites first. Exit 1 when any site is unhealthy.

Options:
  --sites FILE  the registry to judge (default: the sites the database was last crawled with;
                ${DEFAULT_SITES_FILE} for a database never crawled)
  --db FILE     the database (default ./nianbao.sqlite, or NIANBAO_DB)
  --json        print JSON instead of text
`;

// ---------- validate ----------

/** A registry is a few hundred KB; far past that it is the wrong file. */
const MAX_REGISTRY_BYTES = 16 * 1024 * 1024;

function readRegistryFile(path: string, shown: string): string {
  try {
    const st = statSync(path);
    // A folder, a FIFO (a read would wait forever) or a device (/dev/zero never ends) is refused unread.
    const kind = nonRegularKind(st);
    if (kind)
      throw new NianbaoError(
        "input_unreadable",
        `${shown} is ${kind}, not a registry file`,
        `pass the registry file, e.g. --sites ${DEFAULT_SITES_FILE}`,
      );
    if (st.size > MAX_REGISTRY_BYTES)
      throw new NianbaoError(
        "input_unreadable",
        `${shown} is ${st.size} bytes, too large for a sites registry`,
        `pass the registry file, e.g. --sites ${DEFAULT_SITES_FILE}`,
      );
    return readFileSync(path, "utf8");
  } catch (err) {
    if (err instanceof NianbaoError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      throw new NianbaoError(
        "input_missing",
        `no registry at ${shown}`,
        `pass the registry file, e.g. \`nianbao sites validate ${DEFAULT_SITES_FILE}\``,
      );
    throw new NianbaoError(
      "input_unreadable",
      `cannot read ${shown}: ${(err as Error).message}`,
      "check the file's permissions",
    );
  }
}

/** Loads a registry for a command that needs valid sites; every problem goes into one error. */
export function loadSitesFile(path: string, shown: string): Site[] {
  return loadRegistry(readRegistryFile(path, shown), shown);
}

/** The sites and the registry's crawl-wide settings (`crawl.concurrency`, `crawl.per_domain`). */
export function loadSitesFileWithSettings(
  path: string,
  shown: string,
): { sites: Site[]; crawl: CrawlSettings } {
  return loadRegistryFile(readRegistryFile(path, shown), shown);
}

function siteList(sites: Site[]): string {
  const width = Math.max(4, ...sites.map((s) => s.slug.length));
  return sites
    .map((s) => `${s.slug.padEnd(width)}  ${s.agency}  ${s.province}  ${s.pagination.style}\n`)
    .join("");
}

async function runValidate(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, { list: { type: "boolean" } });
  if (positionals.length > 1)
    throw new NianbaoError(
      "bad_usage",
      `sites validate takes one FILE, got ${positionals.length}`,
      "see `nianbao sites --help`",
    );
  const shown = positionals[0] ?? DEFAULT_SITES_FILE;
  const check = validateRegistry(readRegistryFile(resolve(io.cwd, shown), shown), shown);
  if (values.json) {
    io.stdout(
      jsonText({
        file: shown,
        ok: check.problems.length === 0,
        sites: check.sites.length,
        problems: check.problems,
        ...(values.list
          ? {
              slugs: check.sites.map((x) => ({
                slug: x.slug,
                agency: x.agency,
                province: x.province,
                pagination: x.pagination.style,
              })),
            }
          : {}),
      }),
    );
    return check.problems.length ? 2 : 0;
  }
  if (check.problems.length) {
    io.stderr(
      `${shown}: ${check.problems.length} problem(s):\n${check.problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}\n`,
    );
    return 2;
  }
  const styles = new Map<string, number>();
  for (const s of check.sites) styles.set(s.pagination.style, (styles.get(s.pagination.style) ?? 0) + 1);
  const byStyle = [...styles].map(([k, n]) => `${k} ${n}`).join(", ");
  if (values.list) io.stdout(siteList(check.sites));
  io.stdout(`${shown}: ${check.sites.length} sites OK (${byStyle})\n`);
  return 0;
}

// ---------- health ----------

function healthTable(rows: SiteHealth[]): string {
  const head = [
    "STATUS",
    "SITE",
    "LAST SUCCESS",
    "REPORTS",
    "WITHDRAWN",
    "NEWEST",
    "EXPECT",
    "FAILURES (last run)",
  ];
  const lines = rows.map((r) => [
    r.status,
    r.slug,
    r.last_success ? r.last_success.replace("T", " ").slice(0, 16) : "never",
    String(r.reports),
    r.withdrawn ? String(r.withdrawn) : "-",
    r.newest_year === null ? "-" : String(r.newest_year),
    `${r.expect_met ? "met" : "NOT MET"} (≥${r.expect.min_reports}${r.expect.min_year ? `, ≥${r.expect.min_year}` : ""})`,
    Object.entries(r.failures)
      .map(([k, n]) => `${k}×${n}`)
      .join(", ") || "-",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const unhealthy = rows.filter((r) => !r.healthy).length;
  const withdrawn = rows.reduce((n, r) => n + r.withdrawn, 0);
  const gone = withdrawn
    ? `; ${withdrawn} report${withdrawn > 1 ? "s" : ""} withdrawn from their sites (kept: SELECT * FROM v_withdrawn_reports)`
    : "";
  return `${[fmt(head), ...lines.map(fmt)].join("\n")}\n\n${rows.length} sites: ${rows.length - unhealthy} healthy, ${unhealthy} unhealthy${gone}\n`;
}

async function runHealth(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, { sites: { type: "string" }, db: { type: "string" } } as const);
  if (positionals.length)
    throw new NianbaoError(
      "bad_usage",
      `sites health takes no FILE argument (got "${positionals[0]}")`,
      "use --sites FILE for the registry and --db FILE for the database",
    );
  const dbPath = databasePath(
    typeof values.db === "string" ? values.db : undefined,
    io.env.NIANBAO_DB,
    io.cwd,
  );
  // Without --sites: the sites the database was last crawled with (what an operator checks after a
  // run, wherever the database is opened); a database never crawled falls back to the registry file.
  const store = openDatabaseForReading(dbPath);
  try {
    const stored = typeof values.sites === "string" ? [] : storedSiteEntries(store.db);
    const sitesShown = typeof values.sites === "string" ? values.sites : DEFAULT_SITES_FILE;
    const sites = stored.length
      ? stored.map((e) => siteSchema.parse(e))
      : loadSitesFile(resolve(io.cwd, sitesShown), sitesShown);
    if (stored.length && !values.json)
      io.stderr(
        `registry: the ${sites.length} site(s) last crawled into ${dbPath} (--sites FILE for another)\n`,
      );
    const rows = siteHealth(store.db, sites);
    if (values.json) io.stdout(jsonText({ database: dbPath, sites: rows }));
    else io.stdout(healthTable(rows));
    return rows.every((r) => r.healthy) ? 0 : 1;
  } finally {
    store.close();
  }
}

// ---------- command ----------

type Opts = Record<string, { type: "string" | "boolean" }>;

function parse<O extends Opts>(args: string[], options: O) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { json: { type: "boolean" }, ...options } as O & { json: { type: "boolean" } },
    });
  } catch (err) {
    throw new NianbaoError("bad_usage", (err as Error).message, "see `nianbao sites --help`");
  }
}

export const command: Command = {
  name: "sites",
  summary: "validate the sites registry; show each site's health",
  help: HELP,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === "validate") return runValidate(rest, io);
    if (sub === "health") return runHealth(rest, io);
    throw new NianbaoError(
      "bad_usage",
      sub ? `unknown sites subcommand "${sub}"` : "sites needs a subcommand",
      "use `nianbao sites validate [FILE]` or `nianbao sites health`",
    );
  },
};
