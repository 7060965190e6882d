// Matches printed row and column labels to the template's keys: ordinals stripped, variants and
// truncated labels accepted, ambiguous matches refused (a refused label leaves its row unkeyed).

import {
  TABLE1_ROWS,
  TABLE2_COLUMNS,
  TABLE2_GROUPS,
  TABLE2_ROWS,
  TABLE3_GROUP_LABELS,
  TABLE3_PART_LABELS,
  type Table1RowDef,
  type Table2GroupDef,
} from "../templates/report-templates.ts";
import { matchForm } from "../text/normalize.ts";

export interface Ordinal {
  kind: "top" | "paren" | "item";
  n: number;
}

const CN = "一二三四五六七八九十";

/** Splits a leading ordinal (一、 / (一) / 1. / 1、 / 1 ) off a label. */
export function splitOrdinal(label: string): { ordinal: Ordinal | null; text: string } {
  const s = matchForm(label);
  let m = /^([一二三四五六七八九十])[、.]/.exec(s);
  if (m) return { ordinal: { kind: "top", n: CN.indexOf(m[1]!) + 1 }, text: s.slice(m[0].length) };
  m = /^\(([一二三四五六七八九十])\)/.exec(s);
  if (m) return { ordinal: { kind: "paren", n: CN.indexOf(m[1]!) + 1 }, text: s.slice(m[0].length) };
  m = /^(\d{1,2})(?:[.、．]|(?=[\u4e00-\u9fa5]))/.exec(s);
  if (m) return { ordinal: { kind: "item", n: Number(m[1]) }, text: s.slice(m[0].length) };
  return { ordinal: null, text: s };
}

/** True when `text` names `labels`: contains a variant, or is a cut-short prefix (≥3 chars) of the official one. */
export function labelMatches(text: string, labels: string[]): boolean {
  if (!text) return false;
  for (const l of labels) {
    const lf = matchForm(l);
    if (text.includes(lf)) return true;
  }
  const official = matchForm(labels[0]!);
  return text.length >= 3 && official.startsWith(text);
}

export function matchTable1Row(label: string): Table1RowDef | null {
  const { text } = splitOrdinal(label);
  const t = text.replace(/^[(（][^)）]*[)）]/, "");
  // 行政规范性文件 contains 规范性文件, 其他对外管理服务事项 contains nothing else: check longest first.
  let best: Table1RowDef | null = null;
  let bestLen = 0;
  for (const row of TABLE1_ROWS) {
    for (const l of row.labels) {
      const lf = matchForm(l);
      if (
        (t === lf || t.startsWith(lf) || (t.includes(lf) && t.length <= lf.length + 6)) &&
        lf.length > bestLen
      ) {
        best = row;
        bestLen = lf.length;
      }
    }
  }
  return best;
}

export type Table2Match =
  | { kind: "row"; key: string }
  | { kind: "group"; group: Table2GroupDef }
  | { kind: "item"; group: Table2GroupDef; key: string }
  | { kind: "results" }
  | null;

/** Matches one Table 2 label cell, given the group the rows above opened. */
export function matchTable2Label(label: string, group: Table2GroupDef | null): Table2Match {
  const { ordinal, text } = splitOrdinal(label);
  if (/本年度办理结果/.test(text)) return { kind: "results" };
  // Items (1. 2. …) belong to the open group; a cut-short or misprinted label still matches its own item.
  if (group && (ordinal?.kind === "item" || !ordinal)) {
    const hits = group.items.filter((it) => labelMatches(text, it.labels));
    if (hits.length === 1) return { kind: "item", group, key: `${group.key}.${hits[0]!.key}` };
    if (hits.length > 1) {
      const exact = hits.filter((it) => text.includes(matchForm(it.labels[0]!)));
      if (exact.length === 1) return { kind: "item", group, key: `${group.key}.${exact[0]!.key}` };
      return null;
    }
  }
  for (const g of TABLE2_GROUPS) {
    // 3.不予公开 under 1.予以公开 / 2.部分公开: some pages number the groups like items.
    if (
      labelMatches(text, g.labels) &&
      (!ordinal || ordinal.kind === "paren" || (ordinal.kind === "item" && g !== group))
    )
      return { kind: "group", group: g };
  }
  const rows = TABLE2_ROWS.filter((r) => labelMatches(text, r.labels));
  // 予以公开 is inside 不予公开? No — but 部分公开 and 予以公开 never overlap; 总计 must carry its ordinal.
  const fitting = rows.filter(
    (r) => r.key !== "applications.results.total" || ordinal?.kind === "paren" || text === "总计",
  );
  if (fitting.length === 1) return { kind: "row", key: fitting[0]!.key };
  return null;
}

/** Maps a Table 2 header path (all header labels above one column, joined) to a column key. */
export function matchTable2Column(path: string): string | null {
  const p = matchForm(path);
  const specific = TABLE2_COLUMNS.filter((c) => c.key !== "other_org" && labelMatches(p, c.labels));
  if (specific.length === 1) return specific[0]!.key;
  if (specific.length > 1) return null;
  // 其他 under 法人或其他组织: the path holds 其他 beyond the group label itself.
  const rest = p.replace(/法人或其他组织/g, "");
  return rest.includes("其他") ? "other_org" : null;
}

/** Maps a Table 3 header path to its key, e.g. 行政诉讼复议后起诉结果维持 → litigation.after_review.upheld. */
export function matchTable3Column(path: string): string | null {
  const p = matchForm(path);
  let group: string | null = null;
  if (labelMatches(p, TABLE3_GROUP_LABELS["litigation.after_review"])) group = "litigation.after_review";
  else if (labelMatches(p, TABLE3_GROUP_LABELS["litigation.direct"])) group = "litigation.direct";
  else if (p.includes("行政复议") && !p.includes("行政诉讼")) group = "review";
  if (!group) return null;
  const parts = (Object.keys(TABLE3_PART_LABELS) as (keyof typeof TABLE3_PART_LABELS)[]).filter((k) =>
    TABLE3_PART_LABELS[k].some((l) => p.endsWith(matchForm(l)) || p.includes(matchForm(l))),
  );
  return parts.length === 1 ? `${group}.${parts[0]}` : null;
}

/** Edits (insert, delete, replace one character) between two labels; stops counting past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > max) return max + 1;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= y.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[y.length]!;
}

/** How many edits a label of this length may carry and still be read: one per five characters. */
const allowedEdits = (len: number) => (len < 4 ? 0 : Math.min(3, Math.max(1, Math.floor(len / 5))));

/**
 * A misprinted label (行政许诃, 因他人合法权益 with a character dropped) read as the one template label
 * it is near: within the allowed edits of it, and no other label of the same table within them
 * (行政许罚 is one edit from 行政许可 and from 行政处罚: neither). Used only where no label matches
 * exactly; the caller flags the reading.
 */
export function nearestLabel<T>(
  text: string,
  options: { item: T; labels: string[] }[],
): { item: T; label: string } | null {
  const max = allowedEdits([...text].length);
  if (max === 0) return null;
  let best: { item: T; label: string; d: number } | null = null;
  let second = Number.POSITIVE_INFINITY;
  for (const o of options) {
    let d = Number.POSITIVE_INFINITY;
    let label = "";
    for (const l of o.labels) {
      const e = editDistance(text, matchForm(l), max + 2);
      if (e < d) [d, label] = [e, l];
    }
    if (!best || d < best.d) {
      if (best) second = Math.min(second, best.d);
      best = { item: o.item, label, d };
    } else second = Math.min(second, d);
  }
  if (!best || best.d === 0 || best.d > max || second <= max) return null;
  return { item: best.item, label: best.label };
}

/** A Table 1 row label one or two characters off its template label. */
export function nearTable1Row(label: string): { row: Table1RowDef; label: string } | null {
  const { text } = splitOrdinal(label);
  const hit = nearestLabel(
    text,
    TABLE1_ROWS.map((row) => ({ item: row, labels: row.labels })),
  );
  return hit ? { row: hit.item, label: hit.label } : null;
}

/** A Table 2 row or open-group item label a few characters off its template label. */
export function nearTable2Label(
  label: string,
  group: Table2GroupDef | null,
): { key: string; label: string } | null {
  const { text } = splitOrdinal(label);
  const options = [
    ...(group ? group.items.map((it) => ({ item: `${group.key}.${it.key}`, labels: it.labels })) : []),
    ...TABLE2_ROWS.filter((r) => r.key !== "applications.results.total").map((r) => ({
      item: r.key,
      labels: r.labels,
    })),
  ];
  const hit = nearestLabel(text, options);
  return hit ? { key: hit.item, label: hit.label } : null;
}
