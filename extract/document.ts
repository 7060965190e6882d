// The intermediate form every input becomes before reading: lines of text in page order, with
// statistics tables held apart as grids (HTML) or cell streams (flattened text).

export interface GridCell {
  text: string;
  row: number;
  col: number;
  /** Set on the copies a rowspan/colspan makes: which way the origin cell spans into this slot. */
  spannedFrom: "above" | "left" | null;
  /** A blank the layout prints as a cell of its own (a lone " |" line), not padding to trim. */
  printedBlank?: boolean;
}

export interface RawTable {
  source: "html" | "text";
  /**
   * Rows of cells. For HTML, a full grid after rowspan/colspan expansion (cells align by column).
   * For text, rows as the layout gives them: `positional` says whether a row's cells keep their
   * column positions (pipe rows) or are a stream whose blanks may have collapsed.
   */
  rows: GridCell[][];
  positional: boolean;
  /** Index of the line in Document.lines where the table sits. */
  lineIndex: number;
  /** Text only: nothing follows the table, so an excerpt cut short may end inside it. */
  endsText?: boolean;
}

export interface Document {
  /** Report lines in page order; a table sits at the line `{ table: i }`. */
  lines: (string | { table: number })[];
  tables: RawTable[];
  /** Lines outside the report body (page header, metadata block, footer): read for metadata only. */
  outerLines: string[];
  /** <title> and <meta> values of an HTML page. */
  meta: Record<string, string>;
}
