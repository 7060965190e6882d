// CSV for spreadsheets and scripts: RFC 4180, UTF-8 (optional BOM), formula-safe text cells, and a
// Frictionless datapackage.json describing each column. Pure formatting; the CLI writes the files.
import { z } from "zod";
import { type ColumnType, VIEW_COLUMN_TYPES } from "./disclosure-columns.ts";
import type { Row } from "./report-queries.ts";

const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;
/** Text that already looks escaped ('=…, ''+…) gets one more ', so a reader can always drop exactly one. */
const LOOKS_ESCAPED = /^'+[=+\-@\t\r]/;

/** A text cell a spreadsheet would run as a formula gets a leading ' (plain numbers are left alone). */
export function formulaSafe(text: string): string {
  return (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) || LOOKS_ESCAPED.test(text)
    ? `'${text}`
    : text;
}

export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "number" ? String(value) : formulaSafe(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: string[], rows: Row[], opts: { bom?: boolean } = {}): string {
  // A one-column record holding nothing is written "" : a blank line is skipped by most readers.
  const record = (fields: string[]) => (fields.length === 1 && fields[0] === "" ? '""' : fields.join(","));
  const lines = [
    record(columns.map(csvField)),
    ...rows.map((r) => record(columns.map((c) => csvField(r[c])))),
  ];
  return `${opts.bom ? "\uFEFF" : ""}${lines.join("\r\n")}\r\n`;
}

/** Frictionless Data Package (Table Schema) for one CSV file. */
export function dataPackage(
  view: string,
  columns: string[],
  csvFileName: string,
  opts: { bom?: boolean } = {},
) {
  const known = VIEW_COLUMN_TYPES[view] ?? {};
  const fields = columns.map((name) => {
    const meta = known[name];
    const type: ColumnType = meta?.type ?? "string";
    return { name, type, ...(meta ? { description: meta.description } : {}) };
  });
  return {
    profile: "tabular-data-package",
    name: "nianbao",
    title: "Open Government Information annual reports (政府信息公开工作年度报告), as data",
    resources: [
      {
        name: view.replace(/^v_/, "").replace(/_/g, "-"),
        path: csvFileName,
        profile: "tabular-data-resource",
        format: "csv",
        mediatype: "text/csv",
        encoding: opts.bom ? "utf-8-sig" : "utf-8",
        dialect: { delimiter: ",", doubleQuote: true, lineTerminator: "\r\n", header: true },
        schema: {
          fields,
          missingValues: [""],
        },
        description:
          "Text cells that a spreadsheet would read as a formula (starting with =, +, -, @, tab or carriage return), or that already start with ' before one of those, carry a leading ' so they stay text; drop one leading ' from such cells to get the value.",
      },
    ],
  };
}

const existingPackageSchema = z
  .object({ resources: z.array(z.object({ path: z.string() }).passthrough()) })
  .passthrough();

/**
 * Adds (or replaces, by file name) this export's resource in a datapackage.json already in the
 * folder, so exporting several views side by side describes them all. Anything else is replaced.
 */
export function mergeDataPackage(existingJson: string | null, pkg: ReturnType<typeof dataPackage>): object {
  if (existingJson === null) return pkg;
  let parsed: z.infer<typeof existingPackageSchema>;
  try {
    parsed = existingPackageSchema.parse(JSON.parse(existingJson));
  } catch {
    return pkg;
  }
  const [resource] = pkg.resources;
  if (!resource) return pkg;
  const others = parsed.resources.filter((r) => r.path !== resource.path);
  return { ...pkg, resources: [...others, { ...resource, name: uniqueName(resource.name, others) }] };
}

/**
 * Frictionless requires resource names unique within a package: two exports of one view into one
 * folder (say, one per year) get disclosure-counts and disclosure-counts-2.
 */
function uniqueName(name: string, others: Record<string, unknown>[]): string {
  const taken = new Set(others.map((r) => r.name));
  if (!taken.has(name)) return name;
  let n = 2;
  while (taken.has(`${name}-${n}`)) n++;
  return `${name}-${n}`;
}
