// The provincial statistics table of pre-2019 reports (指标名称 | 计量单位 | 2015年度 | 历年累计): the
// year's column gives the prose keys where a row states one (items published, applications received,
// reviews, lawsuits, fees collected); every other row is kept as cells with no key, and flagged.
import type { RawTable } from "../document.ts";
import type { Cell, Flag } from "../schema.ts";
import { matchForm } from "../text/normalize.ts";
import { readCell } from "./cell-value.ts";

/** Row label → key. A breakdown row (其中…, 1、当面申请数) never matches: its label starts otherwise. */
const ROW_KEYS: { re: RegExp; key: string }[] = [
  { re: /^主动公开(?:政府)?(?:信息|文件)(?:总)?(?:数|条数|数量)/, key: "proactive.items_published" },
  {
    re: /^(?:受理|收到)(?:依申请公开|政府信息公开)?(?:信息)?(?:申请)?(?:总)?(?:数|件数|数量)$|^依申请公开(?:信息)?(?:申请)?总数$|^申请总数$|^依申请公开(?:信息)?数\(申请总数\)$/,
    key: "applications.received",
  },
  { re: /^(?:因政府信息公开(?:申请)?)?(?:申请|提起)?行政复议(?:案件)?(?:数|件数)$/, key: "review.count" },
  { re: /^(?:因政府信息公开(?:申请)?)?(?:提起)?行政诉讼(?:案件)?(?:数|件数)$/, key: "litigation.count" },
  { re: /^(?:依申请提供政府信息)?收取(?:的)?(?:费用|信息处理费)(?:总额|金额)?$/, key: "fees.collected_yuan" },
];

/** 指标名称 … 计量单位 (or a 累计 column): the old table's header, within its first rows. */
export function isOldStatsTable(table: RawTable): boolean {
  for (const row of table.rows.slice(0, 3)) {
    const text = matchForm(row.map((c) => c.text).join("|"));
    if (/指标名称|指标/.test(text) && /计量单位|单位|累计/.test(text)) return true;
  }
  return false;
}

export function readOldStatsTable(
  table: RawTable,
  tableIndex: number,
): { cells: Cell[]; values: Record<string, number>; flags: Flag[] } {
  const cells: Cell[] = [];
  const values: Record<string, number> = {};
  const flags: Flag[] = [];
  const headerAt = table.rows.findIndex((r) => r.some((c) => /指标/.test(c.text)));
  const header = table.rows[headerAt] ?? [];
  const unitCol = header.find((c) => /单位/.test(c.text))?.col ?? null;
  const yearCols = header.filter((c) => /\d{4}\s*年|本年|本期|当年/.test(c.text) && !/累计/.test(c.text));
  if (headerAt < 0 || yearCols.length !== 1) {
    flags.push({
      id: "old_table_unread",
      detail: "an old statistics table whose year column is not one labelled column",
    });
    return { cells, values, flags };
  }
  const yearCol = yearCols[0]!.col;
  const unplaced: string[] = [];
  for (const row of table.rows.slice(headerAt + 1)) {
    const label = row.find((c) => c.col === 0)?.text.trim() ?? "";
    const valueCell = row.find((c) => c.col === yearCol);
    if (!valueCell) continue;
    const parsed = readCell(valueCell.text);
    if (parsed.kind !== "number") continue;
    const unit = unitCol === null ? "" : (row.find((c) => c.col === unitCol)?.text ?? "");
    const def = ROW_KEYS.find((d) => d.re.test(matchForm(label)));
    let value = parsed.value;
    let key = def?.key ?? null;
    if (key === "fees.collected_yuan" && /万元/.test(unit) && value !== null) {
      value = Math.round(value * 10000 * 100) / 100;
      flags.push({ id: "amount_converted", detail: `${key}: ${parsed.value}万元 → ${value}元` });
    }
    // A count row in a unit that is not a count (元 for items) is not the row the key means.
    if (key && key !== "fees.collected_yuan" && /元/.test(unit)) key = null;
    if (key && key in values) {
      flags.push({ id: "duplicate_key", detail: `${key}: two rows of the old statistics table` });
      key = null;
    }
    if (key && value !== null) values[key] = value;
    else unplaced.push(label || `row ${valueCell.row}`);
    cells.push({
      table: 0,
      table_index: tableIndex,
      row: valueCell.row,
      col: yearCol,
      row_label: label,
      col_label: yearCols[0]!.text,
      raw: valueCell.text,
      value,
      key: key && value !== null ? key : null,
    });
  }
  if (unplaced.length)
    flags.push({
      id: "old_table_unkeyed",
      detail: `${unplaced.length} rows of the old statistics table kept as cells without a key: ${unplaced.slice(0, 6).join("、")}`,
    });
  return { cells, values, flags };
}
