// `nianbao export csv|json [--view NAME] [--out FILE] [--bom]`: one view as a file for spreadsheets
// and scripts, with datapackage.json beside it. Files are written whole or not at all (temp + rename).
import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { NianbaoError } from "../../core/errors.ts";
import { processIsAlive } from "../../pipeline/crawler-facade.ts";
import { openDatabaseForReading } from "../../pipeline/open-database.ts";
import {
  dataPackage,
  datasetteMetadata,
  mergeDataPackage,
  type ReportFilter,
  resolveView,
  toCsv,
  viewRows,
} from "../../store/index.ts";
import type { CliIO, Command } from "../command.ts";
import { jsonText } from "../json-output.ts";
import { DB_HELP, dbPathFrom, parseStoreArgs, yearOption } from "../store-command-options.ts";

const HELP = `nianbao export csv [--view NAME] [--out FILE] [--bom] [filters] [--db FILE]
nianbao export json [--view NAME] [--out FILE] [filters] [--db FILE]
nianbao export datasette [--out FILE] [--db FILE]

Write one view of the database, one row per line:
  disclosure_counts  (default) one row per report: agency, year, template, key numbers
  report_values      every value, long form: agency, year, key, value, source
  failed_checks      every failing arithmetic check, with the numbers

Formats: csv (default) or json (also --json): an array of row objects with the view's
snake_case column names. \`export datasette\` writes Datasette metadata instead (labelled
views, facets, column descriptions, storage tables hidden) for
\`datasette FILE.sqlite --metadata metadata.json\`.

Filters (any together; each keeps the reports that match):
  --year YEAR        the year reported on, e.g. --year 2023
  --province NAME    the agency's province, as in the view's province column (江苏省) or its start (江苏)
  --agency NAME      one agency: its canonical name or any name it printed (as \`compare\` takes it)
  --template T       2021, 2019, pre2019 or unknown

CSV is RFC 4180, UTF-8, with a header row of snake_case names. Text cells that a
spreadsheet would run as a formula (=, +, -, @, tab, CR) get a leading '. With --out, a
datapackage.json describing every column is written beside the file.

Options:
  --view NAME   the view to export (see above)
  --out FILE    write here instead of stdout (replaced whole, never half-written)
  --bom         start the CSV with a UTF-8 byte order mark (for Excel)
${DB_HELP}
  -h, --help    this help`;

/** Temp files an export killed before its rename left behind (kill -9, power cut): removed on the next export. */
function removeStaleTemps(path: string): void {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".tmp")) continue;
    const pid = Number(name.slice(prefix.length, -".tmp".length));
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processIsAlive(pid)) continue;
    try {
      unlinkSync(join(dirname(path), name));
    } catch {
      // Another export removed it first.
    }
  }
}

function writeWhole(path: string, content: string): void {
  // Checked first: a rename onto a folder fails with a message naming our temp file, not the user's path.
  if (existsSync(path) && statSync(path).isDirectory())
    throw new NianbaoError(
      "bad_usage",
      `--out ${path} is a folder`,
      `name a file, e.g. --out ${join(path, "disclosure-counts.csv")}`,
    );
  removeStaleTemps(path);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // Nothing was written.
    }
    const code = (err as { code?: string }).code;
    if (code === "ENOSPC")
      throw new NianbaoError(
        "disk_full",
        `the disk is full; ${path} was not written`,
        "free some space or pass --out on another disk",
      );
    if (code === "ENOENT")
      throw new NianbaoError(
        "input_missing",
        `cannot write ${path}: the folder does not exist`,
        "create the folder or pass another --out path",
      );
    throw new NianbaoError(
      "database_readonly",
      `cannot write ${path} (${(err as Error).message})`,
      "pass an --out path in a writable folder",
    );
  }
}

function readView(
  dbPath: string,
  viewName: string,
  format: "csv" | "json",
  bom: boolean,
  filter: ReportFilter = {},
): { view: ReturnType<typeof resolveView>; columns: string[]; rows: number; content: string } {
  const view = resolveView(viewName);
  const store = openDatabaseForReading(dbPath);
  let columns: string[];
  let rows: ReturnType<typeof viewRows>["rows"];
  try {
    ({ columns, rows } = viewRows(store.db, view, filter));
  } finally {
    store.close();
  }
  const content = format === "csv" ? toCsv(columns, rows, { bom }) : jsonText(rows);
  return { view, columns, rows: rows.length, content };
}

/**
 * Writes one view to `out` whole (and, for CSV, datapackage.json beside it): what `export --out` does,
 * callable from other commands (`demo`) without going through argv and stderr.
 */
export function exportToFile(opts: {
  dbPath: string;
  view: string;
  format: "csv" | "json";
  out: string;
  bom: boolean;
  filter?: ReportFilter;
}): { rows: number; out: string; dataPackage: string | null } {
  const { view, columns, rows, content } = readView(
    opts.dbPath,
    opts.view,
    opts.format,
    opts.bom,
    opts.filter,
  );
  writeWhole(opts.out, content);
  if (opts.format !== "csv") return { rows, out: opts.out, dataPackage: null };
  const pkgPath = join(dirname(opts.out), "datapackage.json");
  const pkg = dataPackage(view, columns, basename(opts.out), { bom: opts.bom });
  const existing = existsSync(pkgPath) ? readFileSync(pkgPath, "utf8") : null;
  writeWhole(pkgPath, `${JSON.stringify(mergeDataPackage(existing, pkg), null, 2)}\n`);
  return { rows, out: opts.out, dataPackage: pkgPath };
}

/** Metadata naming the database as Datasette does: the file name without its extension. */
function writeDatasetteMetadata(values: Record<string, unknown>, io: CliIO): number {
  const dbPath = dbPathFrom(values.db as string | undefined, io);
  openDatabaseForReading(dbPath).close();
  const text = `${JSON.stringify(datasetteMetadata(basename(dbPath).replace(/\.[^.]*$/, "")), null, 2)}\n`;
  if (typeof values.out !== "string") {
    io.stdout(text);
    return 0;
  }
  const out = resolve(io.cwd, values.out);
  writeWhole(out, text);
  io.stderr(`wrote ${out}: datasette ${dbPath} --metadata ${out}\n`);
  return 0;
}

const TEMPLATES = ["2021", "2019", "pre2019", "unknown"];

function filterFrom(values: Record<string, string | boolean | undefined>): ReportFilter {
  const text = (flag: string): string | undefined => {
    const v = values[flag];
    if (typeof v !== "string") return undefined;
    if (!v.trim())
      throw new NianbaoError("bad_usage", `--${flag} needs a value`, "see `nianbao export --help`");
    return v.trim();
  };
  const template = text("template");
  if (template !== undefined && !TEMPLATES.includes(template))
    throw new NianbaoError(
      "bad_usage",
      `--template must be one of ${TEMPLATES.join(", ")}, not "${template}"`,
      "see `nianbao export --help`",
    );
  return {
    year: yearOption("export", "--year", values.year),
    province: text("province"),
    agency: text("agency"),
    template,
  };
}

export const command: Command = {
  name: "export",
  summary: "write a view (default: disclosure counts) as CSV or JSON, with datapackage.json",
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseStoreArgs("export", args, {
      view: { type: "string" },
      out: { type: "string" },
      bom: { type: "boolean" },
      json: { type: "boolean" },
      year: { type: "string" },
      province: { type: "string" },
      agency: { type: "string" },
      template: { type: "string" },
    });
    const filter = filterFrom(values);
    if (positionals[0] === "datasette") return writeDatasetteMetadata(values, io);
    const format = values.json ? "json" : (positionals[0] ?? "csv");
    if ((format !== "csv" && format !== "json") || positionals.length > 1) {
      throw new NianbaoError(
        "bad_usage",
        `unknown export format "${positionals.join(" ")}"`,
        "usage: nianbao export csv [--view NAME] [--out FILE] [--bom]",
      );
    }
    const view = typeof values.view === "string" ? values.view : "disclosure_counts";
    const dbPath = dbPathFrom(values.db, io);
    if (typeof values.out !== "string") {
      io.stdout(readView(dbPath, view, format, Boolean(values.bom), filter).content);
      return 0;
    }
    const written = exportToFile({
      dbPath,
      view,
      format,
      out: resolve(io.cwd, values.out),
      bom: Boolean(values.bom),
      filter,
    });
    io.stderr(
      `wrote ${written.rows} row(s) to ${written.out}${written.dataPackage ? ` and ${written.dataPackage}` : ""}\n`,
    );
    return 0;
  },
};
