// Splits raw table rows into what the template readers need: the label cells, the value cells,
// and whether the row's values keep their column positions. Stream rows are cut at label/value runs.
import type { GridCell, RawTable } from "../document.ts";
import { type CellValue, readCell } from "./cell-value.ts";

export interface ValueCell {
  cell: GridCell;
  parsed: CellValue;
  /** Grid columns this logical cell covers (colspan copies merged). */
  cols: number[];
}

export interface ModelRow {
  /** Row index in the raw table (first grid row for stream rows). */
  row: number;
  labels: string[];
  values: ValueCell[];
  /** True when each value sits in a known column slot (HTML grid, pipe row). */
  positional: boolean;
  /** A value cell was copied down from a rowspan: its row is uncertain. */
  rowspanValue: boolean;
  /** The raw table's source, for grid-aligned column mapping. */
  source: RawTable["source"];
}

function isValue(p: CellValue): boolean {
  return p.kind === "number" || p.kind === "none";
}

/** Merges colspan copies into one logical cell (the origin), keeping rowspan copies as their own cells. */
function logicalCells(row: GridCell[]): { cell: GridCell; cols: number[] }[] {
  const out: { cell: GridCell; cols: number[] }[] = [];
  for (const c of row) {
    const last = out[out.length - 1];
    if (c.spannedFrom === "left" && last && last.cell.text === c.text) {
      last.cols.push(c.col);
      continue;
    }
    out.push({ cell: c, cols: [c.col] });
  }
  return out;
}

function modelPositionalRow(row: GridCell[], source: RawTable["source"]): ModelRow {
  const cells = logicalCells(row).map((lc) => ({ ...lc, parsed: readCell(lc.cell.text) }));
  let lastLabel = -1;
  cells.forEach((c, i) => {
    if (c.parsed.kind === "label") lastLabel = i;
  });
  // Leading blanks before the first label (empty corner cells) are layout.
  const labels = cells
    .slice(0, lastLabel + 1)
    .filter((c) => c.parsed.kind === "label")
    .map((c) => c.cell.text);
  const values = cells.slice(lastLabel + 1);
  return {
    row: row[0]?.row ?? 0,
    labels,
    values,
    positional: true,
    rowspanValue: values.some((v) => v.cell.spannedFrom === "above" && v.parsed.kind === "number"),
    source,
  };
}

/** Cuts a cell stream into rows: a run of labels followed by a run of values is one row. */
function modelStream(row: GridCell[], source: RawTable["source"]): ModelRow[] {
  const out: ModelRow[] = [];
  let labels: string[] = [];
  let values: ValueCell[] = [];
  let startRow = 0;
  const push = () => {
    if (labels.length || values.length) {
      out.push({ row: startRow, labels, values, positional: false, rowspanValue: false, source });
    }
    labels = [];
    values = [];
  };
  for (const c of row) {
    const parsed = readCell(c.text);
    if (parsed.kind === "empty") continue; // a collapsed layout keeps no blanks we could trust
    if (isValue(parsed)) {
      values.push({ cell: c, parsed, cols: [c.col] });
    } else {
      if (values.length) push();
      if (!labels.length) startRow = c.col;
      labels.push(c.text);
    }
  }
  push();
  return out;
}

export function modelRows(table: RawTable): ModelRow[] {
  if (!table.positional) return table.rows.flatMap((r) => modelStream(r, table.source));
  return table.rows.map((r) => modelPositionalRow(r, table.source));
}

/**
 * The value cells a positional row offers for `expected` columns. Text rows already lost their
 * trailing blanks; HTML rows may carry extra trailing blank cells, which are dropped only when the
 * row would otherwise be too long.
 */
export function trimValues(row: ModelRow, expected: number): ValueCell[] {
  const vals = [...row.values];
  if (row.source === "text") {
    // Two numbers or more fix the columns by position: a printed blank after them is an empty cell.
    // One number before blanks may be one cell merged across them: the blanks go.
    const numbers = vals.filter((v) => v.parsed.kind !== "empty").length;
    while (
      vals.length &&
      vals[vals.length - 1]!.parsed.kind === "empty" &&
      // Padding goes; a printed blank (a lone " |" cell) stays unless the row is then too long.
      (!vals[vals.length - 1]!.cell.printedBlank || vals.length > expected || numbers < 2)
    )
      vals.pop();
  } else {
    while (vals.length > expected && vals[vals.length - 1]!.parsed.kind === "empty") vals.pop();
  }
  return vals;
}
