// `nianbao extract <file-or-url> [--json]`: one page in, its record out. Never writes the database.
import { parseArgs } from "node:util";
import { NianbaoError } from "../../core/errors.ts";
import type { ReportRecord } from "../../extract/schema.ts";
import { extractFile } from "../../pipeline/extract-file.ts";
import type { Command } from "../command.ts";
import { jsonText } from "../json-output.ts";
import { terminalSafe } from "../terminal-text.ts";

const HELP = `nianbao extract <file-or-url> [--json] [--with-text]

Extract one report — a saved page (HTML, or a text export like the seeds), an http(s) URL,
or an attachment file (PDF, DOC, DOCX, WPS, OFD, XLS, XLSX, ET; WPS, ET and XLS need
LibreOffice) — and print its record: metadata, headings, every statistics value with the table cell or
sentence it came from, the arithmetic checks and any flags. Never writes the database.

Formats: a saved page (.html .htm .shtml .xhtml, any charset), a text export (.txt), an
http(s) URL, or a report file (PDF, DOC, DOCX, WPS, OFD, XLS, XLSX, ET), typed by its bytes,
not its name. \`nianbao import\` stores them; \`nianbao show <report-id>\` prints a stored one.

Options:
  --json        print the record as JSON (the shape is in README.md, "The record")
  --with-text   include the cleaned report text in the JSON
  -h, --help    this help

Exit codes: 0 a report was read; 2 bad input (missing, unreadable or empty file) or a page
that is not an annual report (the record is still printed, with the reason).`;

/** A readable summary for people: what was found, then the values, then what to distrust. */
export function formatRecord(r: ReportRecord, source: string): string {
  const out: string[] = [];
  const meta = (name: string, v: unknown) => {
    const note = r.metadata_notes[name];
    const tag = note && note.basis !== "read" ? `  (${note.basis}: ${note.detail})` : "";
    out.push(`  ${name.padEnd(16)} ${v ?? "—"}${tag}`);
  };
  out.push(source);
  meta("title", r.title);
  meta("agency", r.agency);
  meta("report_year", r.report_year);
  meta("published_at", r.published_at);
  meta("doc_number", r.doc_number);
  out.push(
    `  ${"annual report".padEnd(16)} ${r.is_annual_report ? "yes" : "no"} — ${r.metadata_notes.is_annual_report?.detail ?? ""}`,
  );
  out.push(`  ${"template".padEnd(16)} ${r.template}`);
  if (r.headings.length) {
    out.push("", "Headings:");
    for (const h of r.headings) out.push(`  ${"  ".repeat(h.level - 1)}${h.label} ${h.title}`);
  }
  const keys = Object.keys(r.values).sort();
  out.push("", `Values (${keys.length}):`);
  const width = Math.max(0, ...keys.map((k) => k.length));
  for (const k of keys) out.push(`  ${k.padEnd(width)}  ${r.values[k]}`);
  const approx = r.facts.filter((f) => f.approx);
  if (approx.length) {
    out.push("", "Approximate (not stored as values):");
    for (const f of approx) out.push(`  ${f.key} ≈ ${f.value}  「${f.sentence.slice(0, 60)}」`);
  }
  if (r.checks.length) {
    out.push("", "Checks:");
    for (const c of r.checks) out.push(`  ${c.ok ? "ok  " : "FAIL"} ${c.id}${c.ok ? "" : ` — ${c.detail}`}`);
  }
  if (r.flags.length) {
    out.push("", "Flags:");
    for (const f of r.flags) out.push(`  ${f.id}: ${f.detail}`);
  }
  return `${out.join("\n")}\n`;
}

export const command: Command = {
  name: "extract",
  summary: "extract one saved page or URL and print its record (--json for scripts)",
  help: HELP,
  async run(args, io) {
    let parsed: ReturnType<typeof parse>;
    function parse() {
      return parseArgs({
        args,
        allowPositionals: true,
        options: { json: { type: "boolean" }, "with-text": { type: "boolean" } },
      });
    }
    try {
      parsed = parse();
    } catch (err) {
      throw new NianbaoError("bad_usage", (err as Error).message, "see `nianbao extract --help`");
    }
    const [source, ...extra] = parsed.positionals;
    if (!source || extra.length) {
      throw new NianbaoError(
        "bad_usage",
        source ? "extract takes one file or URL" : "missing the file or URL to extract",
        "usage: nianbao extract <file-or-url> [--json]",
      );
    }
    const { record } = await extractFile(source);
    if (parsed.values.json) {
      const { text, ...rest } = record;
      const shown = parsed.values["with-text"] ? record : rest;
      io.stdout(jsonText(shown));
    } else {
      // Titles, headings and sentences are page text: escaped, so they cannot drive the terminal.
      io.stdout(terminalSafe(formatRecord(record, source)));
    }
    if (!record.is_annual_report) {
      io.stderr(
        `${terminalSafe(`nianbao extract: ${source} is not an annual report: ${record.metadata_notes.is_annual_report?.detail ?? "no reason recorded"}`)}\n`,
      );
      return 2;
    }
    return 0;
  },
};
