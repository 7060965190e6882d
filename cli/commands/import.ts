// `nianbao import <dir-or-files…>`: stores saved pages as if fetched, extracts them, saves the reports.
// Idempotent: the same files imported again add nothing. Ctrl-C stops between files (exit 130).
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { NianbaoError } from "../../core/errors.ts";
import { importPages } from "../../pipeline/import-pages.ts";
import { openDatabase } from "../../pipeline/open-database.ts";
import type { Command } from "../command.ts";
import { jsonText } from "../json-output.ts";
import { DB_HELP, dbPathFrom, parseStoreArgs } from "../store-command-options.ts";
import { terminalSafe } from "../terminal-text.ts";

const HELP = `nianbao import <dir-or-files…> [--db FILE] [--json] [--verbose]

Store saved report pages and report attachments (folders are read recursively) in the
database as if they had been fetched, extract
each one and save the report. Importing the same files again adds nothing; a changed file
or a newer extractor adds a new version. Each file is stored in its own transaction: an
interrupted import keeps every file that finished and nothing of the one in progress.

Formats (taken from folders by these names; a file named on its own is always tried):
  pages        .html .htm .shtml .xhtml (any charset), .txt (text exports)
  attachments  .pdf (text PDFs), .doc .docx .wps (Word, WPS), .ofd, .xls .xlsx .et (spreadsheets)
               (some WPS, OFD and spreadsheet files need LibreOffice, used when installed)

Options:
${DB_HELP}
  --json        print the summary as JSON
  --verbose     one line per file on stderr
  -h, --help    this help

Exit codes: 0 all files stored; 1 some files could not be read (listed); 2 bad usage or a
database problem (not a nianbao file, locked, read-only, disk full); 130 interrupted.`;

/** Skipped entries listed one per line; the rest are counted (all are in --json). */
const SKIPPED_LISTED = 20;

export const command: Command = {
  name: "import",
  summary: "store saved pages (files or folders) as if fetched, and extract them",
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseStoreArgs("import", args, {
      json: { type: "boolean" },
      verbose: { type: "boolean" },
    });
    if (!positionals.length)
      throw new NianbaoError(
        "bad_usage",
        "missing the files or folders to import",
        "usage: nianbao import <dir-or-files…> [--db FILE]",
      );
    // A mistyped path stops the command before a database file is created for nothing.
    const missing = positionals.find((p) => !existsSync(resolve(io.cwd, p)));
    if (missing) {
      throw new NianbaoError(
        "input_missing",
        `no such file or folder: ${missing}`,
        "check the path; pass saved pages, report attachments or folders holding them",
      );
    }
    const path = dbPathFrom(values.db, io);
    const store = openDatabase(path);
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once("SIGINT", onSigint);
    try {
      const summary = await importPages(
        store,
        positionals.map((p) => resolve(io.cwd, p)),
        {
          signal: abort.signal,
          onFile(result, i, total) {
            if (values.verbose) {
              const detail =
                result.status === "failed"
                  ? `failed: ${result.error?.message}`
                  : `${result.status} (report ${result.reportId})${result.notAnnualReport ? " — not an annual report" : ""}`;
              io.stderr(`[${i + 1}/${total}] ${result.file}: ${detail}\n`);
            } else if (io.isTTY) {
              io.stderr(`\r\x1b[K[${i + 1}/${total}] ${result.file.slice(-60)}`);
              if (i + 1 === total) io.stderr("\n");
            }
          },
        },
      );
      if (values.json) {
        io.stdout(jsonText({ database: path, ...summary }));
      } else {
        io.stdout(
          `${summary.files} file(s) into ${path}: ${summary.new} new report(s), ${summary.changed} changed, ${summary.unchanged} unchanged, ${summary.failed.length} failed${summary.notReports ? `; ${summary.notReports} of the stored file(s) not an annual report (kept, is_annual_report = 0)` : ""}\n`,
        );
      }
      if (summary.skipped.length) {
        // Each entry with its reason: a silently skipped symlink or FIFO looks like a lost report.
        const shown = summary.skipped.slice(0, SKIPPED_LISTED);
        io.stderr(
          `skipped ${summary.skipped.length} entr${summary.skipped.length === 1 ? "y" : "ies"}:\n${shown.map((e) => `  ${terminalSafe(e.file)}: ${e.reason}\n`).join("")}${summary.skipped.length > shown.length ? `  … and ${summary.skipped.length - shown.length} more (--json lists them all)\n` : ""}`,
        );
      }
      for (const f of summary.failed) io.stderr(`failed: ${f.error?.message}\n`);
      if (abort.signal.aborted) {
        io.stderr("interrupted: files stored so far are kept; run the same command again to finish\n");
        return 130;
      }
      return summary.failed.length ? 1 : 0;
    } finally {
      process.off("SIGINT", onSigint);
      store.close();
    }
  },
};
