// Reads one table cell's raw text as a number, a "no value" mark, a blank or a label.
// Full-width digits, units (5.02万元), signed changes (+2, -3, 减少1) and —/无/- all arrive here.
import { toHalfWidth } from "../text/normalize.ts";

export type CellKind = "empty" | "none" | "number" | "label";

export interface CellValue {
  kind: CellKind;
  value: number | null;
  /** Unit printed in the cell, if any. */
  unit: "wan_yuan" | "yuan" | null;
  /** True when the cell carried an explicit sign or 增/减 word. */
  signed: boolean;
}

const NONE_MARKS = /^(?:[—–\-－/\\]+|无|空|暂无|\\)$/;
const NUMBER =
  /^(增加|减少|增|减|\+|-|−|–)?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(万元|元|件|条|个|项|人|次|家|宗)?$/;

export function readCell(raw: string): CellValue {
  const s = toHalfWidth(raw).replace(/\s+/g, "");
  if (s === "") return { kind: "empty", value: null, unit: null, signed: false };
  if (NONE_MARKS.test(s)) return { kind: "none", value: null, unit: null, signed: false };
  const m = NUMBER.exec(s);
  if (!m) return { kind: "label", value: null, unit: null, signed: false };
  const sign = m[1] ?? "";
  let value = Number(m[2]!.replace(/,/g, ""));
  if (sign === "-" || sign === "−" || sign === "–" || sign.startsWith("减")) value = -value;
  if (Object.is(value, -0)) value = 0;
  const unit = m[3] === "万元" ? "wan_yuan" : m[3] === "元" ? "yuan" : null;
  return { kind: "number", value, unit, signed: sign !== "" };
}

export function isValueLike(kind: CellKind): boolean {
  return kind === "number" || kind === "none";
}
