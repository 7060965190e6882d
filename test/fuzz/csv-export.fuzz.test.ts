// Property tests of the CSV writer: any cell round-trips through our writer and an RFC 4180 reader (ours
// and Python's csv module), and no text cell reaches a spreadsheet as a formula unless escaped.
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvField, formulaSafe, toCsv } from "../../store/csv-export.ts";

const RUNS = Number(process.env.NIANBAO_FUZZ_RUNS ?? 200);

/** A strict RFC 4180 reader (CRLF or LF records, "" inside quotes); throws on anything malformed. */
function parseCsv(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = "";
  };
  while (i < csv.length) {
    const c = csv[i]!;
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') (field += '"'), (i += 2);
      else if (c === '"') {
        quoted = false;
        i++;
        if (i < csv.length && csv[i] !== "," && csv[i] !== "\r" && csv[i] !== "\n")
          throw new Error(`text after a closing quote at ${i}`);
      } else (field += c), i++;
    } else if (c === '"') {
      if (field !== "") throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
      i++;
    } else if (c === ",") endField(), i++;
    else if (c === "\r" || c === "\n") {
      if (c === "\r" && csv[i + 1] !== "\n") throw new Error(`bare CR in an unquoted field at ${i}`);
      endField();
      rows.push(row);
      row = [];
      i += c === "\r" ? 2 : 1;
    } else (field += c), i++;
  }
  if (quoted) throw new Error("unterminated quoted field");
  if (field !== "" || row.length) throw new Error("last record has no line end");
  return rows;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The reader's side of our rule: a ' before a formula start (or before more ' and one) is ours to drop. */
function unescape(cell: string): string {
  return /^'+[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

const tricky = fc.constantFrom(
  '"',
  '""',
  ",",
  "\r",
  "\n",
  "\r\n",
  "=",
  "+",
  "-",
  "@",
  "\t",
  "'",
  "'=",
  "''+",
  '=HYPERLINK("http://x")',
  "=1+2",
  "-1",
  "+5.02",
  "1e5",
  "-.5",
  "-3-",
  " ",
  "　",
  "中文",
  "天水市民政局",
  "\uFEFF",
  "\u0000",
  "'-1",
  "@SUM(A1)",
  "\t=1",
);
const text = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .array(fc.oneof(tricky, fc.string({ maxLength: 4 })), { maxLength: 6 })
      .map((p) => p.join("")),
  },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
);
const cell = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constant(null) },
);

function expectCellBack(parsed: string, original: string | number | null) {
  if (original === null) expect(parsed).toBe("");
  else if (typeof original === "number")
    expect(Number(parsed) === original, `${parsed} for ${original}`).toBe(true);
  else expect(unescape(parsed)).toBe(original);
}

const stats = { escaped: 0, quoted: 0 };

describe("CSV export properties", () => {
  it("every cell round-trips through the writer and an RFC 4180 reader", () => {
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 8 }), (cells) => {
        const line = `${cells.map(csvField).join(",")}\r\n`;
        const [row, ...rest] = parseCsv(line);
        expect(rest).toEqual([]);
        expect(row).toHaveLength(cells.length);
        cells.forEach((c, i) => expectCellBack(row![i]!, c));
      }),
      { numRuns: RUNS },
    );
  });

  it("no text cell reaches a spreadsheet starting with = + - @ tab or CR unless it is a plain number", () => {
    fc.assert(
      fc.property(text, (s) => {
        const [[parsed]] = parseCsv(`${csvField(s)}\r\n`) as [[string]];
        if (parsed !== s) stats.escaped++;
        if (csvField(s).startsWith('"')) stats.quoted++;
        if (FORMULA_START.test(parsed)) expect(parsed).toMatch(PLAIN_NUMBER);
        // Escaped exactly when a spreadsheet would run it, or when it already looks escaped.
        const escape = (FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) || /^'+[=+\-@\t\r]/.test(s);
        expect(formulaSafe(s)).toBe(escape ? `'${s}` : s);
      }),
      { numRuns: RUNS },
    );
  });

  it("whole tables round-trip through Python's csv module (with and without a BOM)", () => {
    const table = fc.tuple(
      fc.array(
        text.filter((t) => t !== ""),
        { minLength: 1, maxLength: 5 },
      ),
      fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { maxLength: 4 }),
    );
    const tables = fc
      .sample(table, RUNS)
      .map(([columns, rows]) => [columns, rows.map((r) => r.slice(0, columns.length))] as const);
    const csvs = tables.map(([columns, rows], i) => {
      const cols = columns.map((c, j) => `${c}#${j}`); // distinct names, as a view's columns are
      return toCsv(
        cols,
        rows.map((r) => Object.fromEntries(cols.map((c, j) => [c, r[j] ?? null]))),
        { bom: i % 2 === 0 },
      );
    });
    const script = `
import csv, io, json, sys
out = []
for text, bom in json.load(sys.stdin):
    if bom:
        assert text.startswith("\\ufeff")
        text = text[1:]
    out.append(list(csv.reader(io.StringIO(text, newline=""), strict=True)))
json.dump(out, sys.stdout)
`;
    const parsed: string[][][] = JSON.parse(
      execFileSync("python3", ["-c", script], {
        input: JSON.stringify(csvs.map((c, i) => [c, i % 2 === 0])),
        encoding: "utf8",
        maxBuffer: 512 * 1024 * 1024,
      }),
    );
    expect(parsed).toHaveLength(tables.length);
    tables.forEach(([columns, rows], t) => {
      const [header, ...body] = parsed[t]!;
      expect(header!.map(unescape)).toEqual(columns.map((c, j) => `${c}#${j}`));
      expect(body).toHaveLength(rows.length);
      rows.forEach((r, i) => r.forEach((c, j) => expectCellBack(body[i]![j]!, c)));
      // Our reader agrees with Python's on every table.
      expect(parseCsv(t % 2 === 0 ? csvs[t]!.slice(1) : csvs[t]!)).toEqual(parsed[t]);
    });
  });

  it("the inputs are not vacuous: many cells are escaped, many quoted", () => {
    expect(stats.escaped).toBeGreaterThan(RUNS / 20);
    expect(stats.quoted).toBeGreaterThan(RUNS / 20);
  });
});
