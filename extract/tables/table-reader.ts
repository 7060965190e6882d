// Reads a page's statistics tables into keyed cells: which template table each row belongs to,
// which key each value has. A row that cannot be placed with certainty yields a flag, never a key.

import type { RawTable } from "../document.ts";
import type { Cell, Flag } from "../schema.ts";
import {
  type ColumnDef,
  TABLE1_HEADER_MARKERS,
  TABLE2_COLUMNS,
  TABLE3_KEYS,
  TABLE3_PART_LABELS,
  type Table2GroupDef,
  TEMPLATE_MARKERS,
} from "../templates/report-templates.ts";
import { matchForm } from "../text/normalize.ts";
import type { CellValue } from "./cell-value.ts";
import {
  matchTable1Row,
  matchTable2Column,
  matchTable2Label,
  matchTable3Column,
  nearTable1Row,
  nearTable2Label,
  splitOrdinal,
} from "./label-match.ts";
import { isOldStatsTable, readOldStatsTable } from "./old-stats-table.ts";
import { type ModelRow, modelRows, trimValues, type ValueCell } from "./row-model.ts";

export type TableTemplate = "2019" | "2021";

export interface TablesResult {
  cells: Cell[];
  values: Record<string, number>;
  flags: Flag[];
  /** Which template tables were seen (1, 2, 3). */
  seen: Set<number>;
}

type TableKind = 0 | 1 | 2 | 3;

// 结转下年度: a page of a paged export can open with Table 2's last row alone (its other rows on the
// page before), and that row must still be read as Table 2.
const T2_MARK = /申请人情况|本列数据的勾稽关系|本年新收|上年结转政府信息公开申请|本年度办理结果|结转下年度/;
const T3_MARK = /结果维持|结果纠正|尚未审结|复议后起诉|未经复议直接起诉/;
const T1_MARK = /信息内容|第二十条|规章|规范性文件|行政许可|行政处罚|行政强制|行政事业性收费|政府集中采购/;

const MARKER_FORMS = (["2019", "2021"] as const).map((tpl) => ({
  tpl,
  forms: TEMPLATE_MARKERS[tpl].map((m) => [m, matchForm(m)] as const),
}));

/** Counts template-only column labels over all tables: decides 2019 vs 2021 for Table 1. */
export function detectTableTemplate(tables: RawTable[]): {
  template: TableTemplate | null;
  evidence: string;
} {
  const score = { "2019": 0, "2021": 0 };
  const hits: string[] = [];
  for (const t of tables) {
    for (const row of t.rows) {
      for (const c of row) {
        if (c.spannedFrom || !c.text || c.text.length > 60) continue;
        const f = matchForm(c.text);
        for (const { tpl, forms } of MARKER_FORMS) {
          for (const [m, mf] of forms) {
            if (f.includes(mf)) {
              score[tpl]++;
              if (hits.length < 4) hits.push(m);
            }
          }
        }
        // Table 2 parts of (六)其他处理 exist only in the 2021 form.
        if (/逾期不补正|逾期未按收费通知/.test(f)) score["2021"]++;
      }
    }
  }
  if (score["2019"] === score["2021"])
    return { template: null, evidence: "no template-specific column labels" };
  const template = score["2021"] > score["2019"] ? "2021" : "2019";
  return { template, evidence: `labels ${hits.join(", ")} (2019: ${score["2019"]}, 2021: ${score["2021"]})` };
}

function rowText(row: ModelRow): string {
  return matchForm(row.labels.join("|"));
}

/** Splits one raw table into runs of rows by template table (a page may print all three in one). */
function classifyRows(rows: ModelRow[]): TableKind[] {
  const kinds: TableKind[] = [];
  let current: TableKind = 0;
  for (const row of rows) {
    const t = rowText(row);
    if (T2_MARK.test(t)) current = 2;
    else if (T3_MARK.test(t) || (/行政复议/.test(t) && /行政诉讼/.test(t))) current = 3;
    else if (current !== 2 && current !== 3 && T1_MARK.test(t)) current = 1;
    else if (current === 2 && /^(信息内容|第二十条)/.test(t)) current = 1;
    kinds.push(current);
  }
  return kinds;
}

interface Reader {
  cells: Cell[];
  values: Record<string, number>;
  flags: Flag[];
  tableIndex: number;
}

function flag(r: Reader, id: string, detail: string) {
  if (!r.flags.some((f) => f.id === id && f.detail === detail)) r.flags.push({ id, detail });
}

/** Records a value cell; `key` only when placed with certainty. */
function emit(
  r: Reader,
  table: number,
  row: ModelRow,
  v: ValueCell,
  colLabel: string,
  key: string | null,
  value: number | null,
) {
  r.cells.push({
    table,
    table_index: r.tableIndex,
    row: row.row,
    col: v.cell.col,
    row_label: row.labels.join(" / "),
    col_label: colLabel,
    raw: v.cell.text,
    value,
    key: value === null ? null : key,
  });
  if (key && value !== null) {
    if (key in r.values && r.values[key] !== value) {
      // The same key printed twice with different numbers: keep neither.
      flag(r, "duplicate_key", `${key}: ${r.values[key]} and ${value}`);
      r.values[key] = Number.NaN;
    } else {
      r.values[key] = value;
    }
  }
}

function emitUnkeyed(r: Reader, table: number, row: ModelRow) {
  for (const v of row.values) {
    if (v.parsed.kind === "empty") continue;
    emit(r, table, row, v, "", null, v.parsed.value);
  }
}

/** The stored value of a cell for a column: units converted, 2019 fee items never amounts. */
function columnValue(r: Reader, def: ColumnDef, p: CellValue, key: string): number | null {
  if (p.kind !== "number" || p.value === null) return null;
  if (def.unit === "wan_yuan" && p.unit === "yuan") {
    flag(r, "amount_converted", `${key}: ${p.value}元 → ${p.value / 10000}万元`);
    return Math.round((p.value / 10000) * 1e6) / 1e6;
  }
  if (!def.unit && p.unit) {
    flag(r, "unexpected_unit", `${key}: a count column printed with a money unit`);
    return null;
  }
  if (p.signed && !def.signed && p.value < 0) {
    flag(r, "negative_count", `${key}: ${p.value}`);
    return null;
  }
  return p.value;
}

function joinKey(rowKey: string, colKey: string): string {
  return rowKey ? `${rowKey}.${colKey}` : colKey;
}

// ---------- Table 1 ----------

function headerCellsOf(row: ModelRow): string[] {
  // A misprinted row label (read by edit distance) is not a header; only a row with numbers has one.
  const numbered = row.values.some((v) => v.parsed.kind === "number");
  return row.labels.filter(
    (l) =>
      !TABLE1_HEADER_MARKERS.some((m) => matchForm(l).includes(m)) &&
      !matchTable1Row(l) &&
      !(numbered && nearTable1Row(l)),
  );
}

/** Maps header labels to columns: by label when each names one column, by position when cut short. */
function mapTable1Columns(
  header: string[] | null,
  cols: ColumnDef[],
): { order: ColumnDef[] | null; reason: string } {
  if (!header || header.length === 0) return { order: cols, reason: "no header: template order" };
  const h = header.map(matchForm);
  // By label: every header cell names exactly one column.
  const byLabel = h.map((t) =>
    cols.filter((c) => c.labels.some((l) => t === matchForm(l) || t.includes(matchForm(l)))),
  );
  if (
    h.length === cols.length &&
    byLabel.every((m) => m.length === 1) &&
    new Set(byLabel.map((m) => m[0]!.key)).size === cols.length
  ) {
    return { order: byLabel.map((m) => m[0]!), reason: "by label" };
  }
  // Cut short or split: each header cell is a piece of the label at its position.
  if (
    h.length === cols.length &&
    h.every((t, i) => cols[i]!.labels.some((l) => matchForm(l).includes(t) || t.includes(matchForm(l))))
  ) {
    return { order: cols, reason: "by position (header cut short)" };
  }
  // Misprinted: a header cell that drops a character or two of its column's label (本年发件 for
  // 本年制发件数, 现行有效件 for 现行有效件数) still names that column when its characters appear in
  // that label in order and in no other column's label; every cell must name its own column so.
  if (
    h.length === cols.length &&
    h.every(
      (t, i) => namesColumnLoosely(t, cols[i]!) && cols.every((c, j) => j === i || !namesColumnLoosely(t, c)),
    )
  ) {
    return { order: cols, reason: "by position (header labels misprinted)" };
  }
  const joined = h.join("");
  const expected = cols.map((c) => matchForm(c.labels[0]!)).join("");
  if (joined === expected) return { order: cols, reason: "by position (header split over cells)" };
  return {
    order: null,
    reason: `header "${header.join(" | ")}" does not name the columns ${cols.map((c) => c.labels[0]).join(" / ")}`,
  };
}

/**
 * A header that names each of the form's columns exactly once but in no order the values can follow
 * (printed out of order, a blank cell between its labels) places no value by position. A row whose
 * value cells are exactly one per column and all the same number still holds that number in every
 * column, whichever order the columns are in. Header cells that name no column may only be the
 * table's caption (主动公开…); another label could be a column the form does not have.
 */
function sameInEveryColumn(
  header: string[] | null,
  cols: ColumnDef[],
  values: ValueCell[],
): { order: ColumnDef[]; reason: string } | null {
  if (!header || values.length !== cols.length) return null;
  const first = values[0]!.parsed;
  if (
    first.kind !== "number" ||
    !values.every(
      (v) =>
        v.parsed.kind === "number" &&
        v.parsed.value === first.value &&
        v.parsed.unit === first.unit &&
        v.parsed.signed === first.signed,
    )
  )
    return null;
  const named = new Map<string, number>();
  for (const cell of header.map(matchForm)) {
    const hits = cols.filter((c) => c.labels.some((l) => cell.includes(matchForm(l))));
    if (hits.length > 1) return null;
    if (hits.length === 0) {
      if (!/^(?:[一二三四五六七八九十]+、)?(?:行政机关)?主动公开(?:政府信息)?(?:情况)?$/.test(cell))
        return null;
      continue;
    }
    named.set(hits[0]!.key, (named.get(hits[0]!.key) ?? 0) + 1);
  }
  if (named.size !== cols.length || [...named.values()].some((n) => n !== 1)) return null;
  return { order: cols, reason: "one number in every column (header order unplaceable)" };
}

/** The header cell is the column's label, a piece of it, or the label with at most two characters dropped. */
function namesColumnLoosely(cell: string, col: ColumnDef): boolean {
  return col.labels.some((l) => {
    const lf = matchForm(l);
    if (lf.includes(cell) || cell.includes(lf)) return true;
    return cell.length >= 3 && cell.length >= lf.length - 2 && isSubsequence(cell, lf);
  });
}

function isSubsequence(part: string, whole: string): boolean {
  let at = 0;
  for (const ch of part) {
    at = whole.indexOf(ch, at);
    if (at === -1) return false;
    at++;
  }
  return true;
}

/** A header that prints its unit (本年收费金额（单位：元）) overrides the form's 万元. */
function headerUnit(header: string[] | null): "yuan" | "wan_yuan" | null {
  const h = header ? matchForm(header.join("|")) : "";
  if (/万元/.test(h)) return "wan_yuan";
  if (/\(?(?:单位:)?元\)?|\(元\)|元\)/.test(h) && /金额|收费/.test(h)) return "yuan";
  return null;
}

function readTable1(r: Reader, rows: ModelRow[], template: TableTemplate | null) {
  let header: string[] | null = null;
  for (const row of rows) {
    const last = row.labels[row.labels.length - 1];
    let def = last !== undefined ? matchTable1Row(last) : null;
    // A misprinted label (one character off): read as its template row only when no other is near, flagged.
    if (!def && last !== undefined && row.values.some((v) => v.parsed.kind === "number")) {
      const near = nearTable1Row(last);
      if (near) {
        def = near.row;
        flag(r, "label_near_match", `row "${last}" read as ${near.label}`);
      }
    }
    const hdr = headerCellsOf(row);
    if (!def) {
      if (hdr.length) header = hdr;
      if (row.values.some((v) => v.parsed.kind === "number")) {
        flag(r, "table1_unmatched_row", `row "${row.labels.join(" / ")}" is not a Table 1 row`);
        emitUnkeyed(r, 1, row);
      }
      continue;
    }
    if (hdr.length) header = hdr; // stream layouts carry the header in the row's own label run
    const rowKey = `proactive.${def.key}`;
    const cols = template ? def.columns[template] : undefined;
    const values = row.positional ? trimValues(row, cols?.length ?? 0) : row.values;
    if (values.every((v) => v.parsed.kind === "empty")) continue; // an empty row is not zeros
    if (!cols) {
      flag(
        r,
        "table1_unplaced_row",
        `${rowKey}: ${template ? `not a row of the ${template} form` : "template unknown"}`,
      );
      emitUnkeyed(r, 1, row);
      continue;
    }
    const mapped = sameInEveryColumn(header, cols, values) ?? mapTable1Columns(header, cols);
    if (!mapped.order || values.length !== cols.length || row.rowspanValue) {
      const why = !mapped.order ? mapped.reason : `${values.length} cells for ${cols.length} columns`;
      flag(r, "table1_ragged", `${rowKey}: ${why}`);
      emitUnkeyed(r, 1, row);
      continue;
    }
    const unit = headerUnit(header);
    values.forEach((v, i) => {
      const col = mapped.order![i]!;
      const key = `${rowKey}.${col.key}`;
      if (v.parsed.kind === "empty") return;
      // A bare number under a header in 元 is in 元.
      const parsed =
        col.unit && unit === "yuan" && v.parsed.unit === null
          ? { ...v.parsed, unit: "yuan" as const }
          : v.parsed;
      emit(r, 1, row, v, col.labels[0]!, key, columnValue(r, col, parsed, key));
    });
  }
}

// ---------- Table 2 ----------

/** Grid-aligned HTML: the header labels above each column, joined top to bottom. */
function headerPaths(table: RawTable, fromRow: number, firstDataRow: number): Map<number, string> {
  const paths = new Map<number, string>();
  for (let r = fromRow; r < firstDataRow && r < table.rows.length; r++) {
    for (const c of table.rows[r]!) {
      const prev = paths.get(c.col) ?? "";
      if (c.text && !prev.endsWith(c.text)) paths.set(c.col, prev + c.text);
    }
  }
  return paths;
}

/** Column → key by header labels, when every key has exactly one column; else null (use positions). */
function columnsByLabel(
  paths: Map<number, string>,
  keys: string[],
  match: (p: string) => string | null,
): Map<number, string> | null {
  const byCol = new Map<number, string>();
  const seen = new Map<string, number>();
  for (const [col, path] of paths) {
    const key = match(path);
    if (!key) continue;
    if (seen.has(key)) return null;
    seen.set(key, col);
    byCol.set(col, key);
  }
  return keys.every((k) => seen.has(k)) ? byCol : null;
}

function firstDataRowIndex(rows: ModelRow[]): number {
  const first = rows.find((r) =>
    r.values.some((v) => v.parsed.kind === "number" || v.parsed.kind === "none"),
  );
  return first ? first.row : Number.POSITIVE_INFINITY;
}

/** Places one row's values on `keys` (the columns in template order), by label-mapped columns or by position. */
function placeRow(
  r: Reader,
  table: number,
  row: ModelRow,
  rowKey: string,
  columnKeys: string[],
  columnLabels: string[],
  byCol: Map<number, string> | null,
  ragged: string,
) {
  if (byCol && row.source === "html") {
    const found = new Map<string, ValueCell>();
    let stray = false;
    for (const v of row.values) {
      const keys = v.cols.map((c) => byCol.get(c)).filter((k): k is string => Boolean(k));
      if (keys.length === 0) {
        if (v.parsed.kind === "number") stray = true;
        continue;
      }
      if (keys.length > 1 && v.parsed.kind !== "empty") {
        stray = true; // one printed number spread over several columns
        continue;
      }
      found.set(keys[0]!, v);
    }
    // A row shorter than the header (cells missing at the end) cannot be placed: blanks are printed cells.
    const short = columnKeys.some((ck) => !found.has(ck));
    if (stray || short || row.rowspanValue) {
      flag(
        r,
        ragged,
        `${rowKey || `Table ${table} data row`}: cells do not line up with the ${columnKeys.length} columns`,
      );
      emitUnkeyed(r, table, row);
      return;
    }
    columnKeys.forEach((ck, i) => {
      const v = found.get(ck);
      if (v && v.parsed.kind !== "empty")
        emit(
          r,
          table,
          row,
          v,
          columnLabels[i]!,
          joinKey(rowKey, ck),
          v.parsed.kind === "number" ? v.parsed.value : null,
        );
    });
    return;
  }
  const values = row.positional ? trimValues(row, columnKeys.length) : row.values;
  if (values.length !== columnKeys.length || row.rowspanValue) {
    flag(
      r,
      ragged,
      `${rowKey || `Table ${table} data row`}: ${values.length} cells for ${columnKeys.length} columns`,
    );
    emitUnkeyed(r, table, row);
    return;
  }
  values.forEach((v, i) => {
    if (v.parsed.kind === "empty") return;
    emit(
      r,
      table,
      row,
      v,
      columnLabels[i]!,
      joinKey(rowKey, columnKeys[i]!),
      v.parsed.kind === "number" ? v.parsed.value : null,
    );
  });
}

/**
 * A page text cut short inside Table 2 can end on the ordinal of the next item label (the "2" of
 * "2.其他法律行政法规禁止公开"), which a cell stream reads as an eighth number of the row above.
 * When the table ends the text, its last row has one cell more than the form's seven and that cell
 * is the bare ordinal of the open group's next item, the cell is that label's remnant, not a value.
 */
function dropCutOrdinal(row: ModelRow, group: Table2GroupDef | null, columns: number): ModelRow {
  if (row.positional || !group || row.values.length !== columns + 1) return row;
  const last = row.values[row.values.length - 1]!;
  const own = splitOrdinal(row.labels[row.labels.length - 1] ?? "").ordinal;
  if (own?.kind !== "item" || !/^\d{1,2}$/.test(last.cell.text.trim())) return row;
  const next = Number(last.cell.text.trim());
  if (next !== own.n + 1 || !group.items.some((it) => it.ordinal === next)) return row;
  return { ...row, values: row.values.slice(0, -1) };
}

function readTable2(r: Reader, rows: ModelRow[], raw: RawTable, cutAtEnd = false) {
  const colKeys = TABLE2_COLUMNS.map((c) => c.key);
  const colLabels = TABLE2_COLUMNS.map((c) => c.labels[0]!);
  const byCol =
    raw.source === "html"
      ? columnsByLabel(
          headerPaths(raw, rows[0]?.row ?? 0, firstDataRowIndex(rows)),
          colKeys,
          matchTable2Column,
        )
      : null;
  let group: Table2GroupDef | null = null;
  for (const row of rows) {
    // Earlier label cells (三、本年度办理结果, (三)不予公开) open the context; the last one names the row.
    let key: string | null = null;
    row.labels.forEach((label, i) => {
      const m = matchTable2Label(label, group);
      let k: string | null = null;
      if (m?.kind === "group") {
        group = m.group;
        k = m.group.keyWhenSingle ?? `${m.group.key}.total`;
      } else if (m?.kind === "item") {
        k = m.key;
      } else if (m?.kind === "row") {
        k = m.key;
        group = null;
      }
      if (i === row.labels.length - 1) {
        // A misprinted last label: its template row or open-group item, when it is the only one near.
        if (!k && !m) {
          const near = nearTable2Label(label, group);
          if (near) {
            k = near.key;
            flag(r, "label_near_match", `row "${label}" read as ${near.label}`);
          }
        }
        key = k;
      }
    });
    const hasNumbers = row.values.some((v) => v.parsed.kind === "number" || v.parsed.kind === "none");
    if (!hasNumbers) continue;
    if (!key) {
      const label = row.labels.join(" / ");
      if (label && !/申请人情况|自然人|法人或其他组织/.test(label))
        flag(r, "table2_unmatched_row", `row "${label}" is not a Table 2 row`);
      emitUnkeyed(r, 2, row);
      continue;
    }
    const placed =
      cutAtEnd && row === rows[rows.length - 1] ? dropCutOrdinal(row, group, colKeys.length) : row;
    placeRow(r, 2, placed, key, colKeys, colLabels, byCol, "table2_ragged");
  }
}

// ---------- Table 3 ----------

const T3_HEADER_WORDS =
  /^(行政复议|行政诉讼|结果维持|结果纠正|其他结果|尚未审结|总计|合计|未经复议直接起诉|复议后起诉|政府信息公开行政复议、?行政诉讼情况)$/;

function readTable3(r: Reader, rows: ModelRow[], raw: RawTable) {
  const labels = TABLE3_KEYS;
  const paths =
    raw.source === "html" ? headerPaths(raw, rows[0]?.row ?? 0, firstDataRowIndex(rows)) : new Map();
  const byCol = raw.source === "html" ? columnsByLabel(paths, TABLE3_KEYS, matchTable3Column) : null;
  for (const row of rows) {
    const hasNumbers = row.values.some((v) => v.parsed.kind === "number" || v.parsed.kind === "none");
    if (!hasNumbers) continue;
    // The data row has no label, or a generic one (数量, 件数), or (cell-per-paragraph layouts) the
    // header words themselves in front of it; any other label is something else.
    const label = row.labels.filter((l) => !T3_HEADER_WORDS.test(matchForm(l))).join("");
    if (
      label &&
      !/^(数量|件数|案件数|合计|总计|\(件\)|件)$/.test(matchForm(label)) &&
      !(/行政复议|行政诉讼/.test(label) && row.values.length >= 15)
    ) {
      flag(r, "table3_unmatched_row", `row "${row.labels.join(" / ")}" is not the Table 3 data row`);
      emitUnkeyed(r, 3, row);
      continue;
    }
    // Cells carry the labels printed above them: the column's header path on an HTML grid, else the
    // form's own words; a data row printed without a label takes its column's group (行政复议 / …).
    const printed = (key: string) => {
      const col = byCol ? [...byCol].find(([, k]) => k === key)?.[0] : undefined;
      const path = col === undefined ? undefined : paths.get(col);
      return path ?? TABLE3_PRINTED[key]!;
    };
    const before = r.cells.length;
    placeRow(r, 3, row, "", labels, labels.map(printed), byCol, "table3_ragged");
    if (row.labels.length === 0) {
      for (const c of r.cells.slice(before)) {
        const group = c.key ? TABLE3_GROUP_OF(c.key) : null;
        if (group) c.row_label = group;
      }
    }
  }
}

/** The form's printed words for each Table 3 key: 行政诉讼 / 复议后起诉 / 结果维持. */
const TABLE3_PRINTED: Record<string, string> = Object.fromEntries(
  TABLE3_KEYS.map((k) => {
    const part = k.split(".").pop() as keyof typeof TABLE3_PART_LABELS;
    return [k, `${TABLE3_GROUP_OF(k)} / ${TABLE3_PART_LABELS[part][0]}`];
  }),
);

function TABLE3_GROUP_OF(key: string): string | null {
  if (key.startsWith("review.")) return "行政复议";
  if (key.startsWith("litigation.direct.")) return "行政诉讼 / 未经复议直接起诉";
  if (key.startsWith("litigation.after_review.")) return "行政诉讼 / 复议后起诉";
  return null;
}

/** Reads every table of the page. Values with a conflicting duplicate are removed, not guessed. */
export function readTables(tables: RawTable[], template: TableTemplate | null): TablesResult {
  const result: TablesResult = { cells: [], values: {}, flags: [], seen: new Set() };
  tables.forEach((raw, tableIndex) => {
    const r: Reader = { cells: result.cells, values: result.values, flags: result.flags, tableIndex };
    if (isOldStatsTable(raw)) {
      const old = readOldStatsTable(raw, tableIndex);
      result.cells.push(...old.cells);
      result.flags.push(...old.flags);
      for (const [k, v] of Object.entries(old.values)) if (!(k in result.values)) result.values[k] = v;
      return;
    }
    const rows = modelRows(raw);
    const kinds = classifyRows(rows);
    let start = 0;
    for (let i = 1; i <= rows.length; i++) {
      if (i === rows.length || kinds[i] !== kinds[start]) {
        const kind = kinds[start]!;
        const run = rows.slice(start, i);
        if (kind === 1) readTable1(r, run, template);
        else if (kind === 2) readTable2(r, run, raw, i === rows.length && raw.endsText === true);
        else if (kind === 3) readTable3(r, run, raw);
        if (kind) result.seen.add(kind);
        start = i;
      }
    }
  });
  // (六)其他处理 printed with its parts: its own row is then the group subtotal, like denied.total.
  if (
    Object.keys(result.values).some((k) =>
      /^applications\.results\.other\.(no_correction|no_fee_paid|other)\./.test(k),
    )
  ) {
    for (const col of TABLE2_COLUMNS) {
      const single = `applications.results.other.${col.key}`;
      const subtotal = `applications.results.other.total.${col.key}`;
      if (single in result.values) {
        result.values[subtotal] = result.values[single]!;
        delete result.values[single];
      }
      for (const c of result.cells) if (c.key === single) c.key = subtotal;
    }
  }
  // A row key flagged anywhere (ragged, or printed twice) keeps no values at all: one certain copy
  // beside an uncertain one is still uncertain.
  const doubtful = result.flags
    .filter((f) => /_ragged$/.test(f.id))
    .map((f) => /^([a-z_.]+):/.exec(f.detail)?.[1])
    .filter((k): k is string => Boolean(k));
  const isDoubtful = (key: string) => doubtful.some((d) => key === d || key.startsWith(`${d}.`));
  for (const [k, v] of Object.entries(result.values)) {
    if (Number.isNaN(v) || isDoubtful(k)) delete result.values[k];
  }
  for (const c of result.cells) if (c.key && !(c.key in result.values)) c.key = null;
  return result;
}
