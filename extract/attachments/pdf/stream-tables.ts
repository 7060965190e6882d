// Tables drawn without rulings: rows are rebuilt from lines whose glyphs stand in separated runs
// ending in numbers, columns from clustering those numbers' x positions; wrapped labels and header
// labels stacked over several lines (社会/公益/组织) are merged into their row or column.
import type { TableCellModel, TableModel } from "../html-markup.ts";
import { joinGlyphs, type TextLine } from "./glyph-lines.ts";
import type { Glyph } from "./pdf-page-content.ts";

interface Segment {
  x0: number;
  x1: number;
  text: string;
}

export interface StreamTable {
  table: TableModel & { xs: number[] };
  lines: Set<TextLine>;
  top: number;
  bottom: number;
}

const VALUE = /^[+\-−]?\d[\d,，]*(\.\d+)?(万元|元|%)?$|^[—–\-/／]$|^(减少|增加)\d+$/;

const DIGIT = /[\d.]/;

/**
 * Splits a line where glyphs stand apart: wider than a character anywhere, or a third of one
 * between a label and a number (cells); `tight` (header lines) splits at half a character.
 */
function segments(line: TextLine, tight = false): Segment[] {
  const out: Segment[] = [];
  let run: Glyph[] = [];
  const flush = () => {
    if (run.length) out.push({ x0: run[0]!.x0, x1: run[run.length - 1]!.x1, text: joinGlyphs(run) });
    run = [];
  };
  for (const g of line.glyphs) {
    const prev = run[run.length - 1];
    const em = prev ? Math.max(prev.size, g.size) : g.size;
    const gap = prev ? g.x0 - prev.x1 : 0;
    const kindChange = !!prev && DIGIT.test(prev.ch) !== DIGIT.test(g.ch);
    if (prev && (gap > em * 0.9 || (kindChange && gap > em * 0.3) || (tight && gap > em * 0.45))) flush();
    run.push(g);
  }
  flush();
  // "0 0 0" closer than a character still splits into separate numbers.
  return out.flatMap((s) => (/^[\d.\s]+$/.test(s.text) && s.text.includes(" ") ? splitNumbers(s) : [s]));
}

function splitNumbers(s: Segment): Segment[] {
  const parts = s.text.split(/\s+/);
  const w = (s.x1 - s.x0) / Math.max(1, s.text.length);
  let at = 0;
  return parts.map((p) => {
    const start = s.text.indexOf(p, at);
    at = start + p.length;
    return { x0: s.x0 + start * w, x1: s.x0 + at * w, text: p };
  });
}

interface RowLine {
  line: TextLine;
  segs: Segment[];
  /** Index of the first value segment, or -1 when the line holds no trailing values. */
  firstValue: number;
}

function analyse(line: TextLine): RowLine {
  const segs = segments(line);
  let k = segs.length;
  while (k > 0 && VALUE.test(segs[k - 1]!.text.replace(/\s/g, ""))) k--;
  const values = segs.length - k;
  const numeric = values >= 1 && (k >= 1 || values >= 3) && segs.length >= 2;
  return { line, segs, firstValue: numeric ? k : -1 };
}

function cluster(centres: number[], tolerance: number): number[] {
  const sorted = [...centres].sort((a, b) => a - b);
  const groups: number[][] = [];
  for (const c of sorted) {
    const g = groups[groups.length - 1];
    if (g && c - g[g.length - 1]! <= tolerance) g.push(c);
    else groups.push([c]);
  }
  return groups.map((g) => g.reduce((s, x) => s + x, 0) / g.length);
}

/** Finds borderless tables among a page's lines (top to bottom); lines not in a table are left alone. */
export function findStreamTables(lines: TextLine[]): StreamTable[] {
  const rows = lines.map(analyse);
  const tables: StreamTable[] = [];
  let i = 0;
  while (i < rows.length) {
    if (rows[i]!.firstValue < 0) {
      i++;
      continue;
    }
    // Grow down: value rows, and short label-only lines that lie between value rows.
    let end = i;
    for (let j = i + 1; j < rows.length; j++) {
      const gap = rows[j - 1]!.line.y - rows[j]!.line.y;
      if (gap > rows[j]!.line.size * 3.2) break;
      if (rows[j]!.firstValue >= 0) {
        end = j;
        continue;
      }
      const nextValue = rows.slice(j + 1, j + 4).some((r) => r.firstValue >= 0);
      if (!nextValue) break;
    }
    const valueRows = rows.slice(i, end + 1).filter((r) => r.firstValue >= 0);
    if (valueRows.length < 2) {
      i = end + 1;
      continue;
    }
    // Grow up: header lines with several segments, or short lines just above them.
    let start = i;
    for (let j = i - 1; j >= 0; j--) {
      const r = rows[j]!;
      const gap = r.line.y - rows[j + 1]!.line.y;
      if (gap > r.line.size * 3.2 || r.firstValue >= 0) break;
      if (/^[一二三四五六七八九十]+、/.test(r.line.text) && r.segs.length === 1) break;
      if (r.segs.length < 2 && r.line.x1 - r.line.x0 > 200) break;
      start = j;
    }
    const table = buildTable(rows.slice(start, i), rows.slice(i, end + 1));
    if (table) {
      const member = rows.slice(start, end + 1).map((r) => r.line);
      tables.push({
        table,
        lines: new Set(member),
        top: member[0]!.y + member[0]!.size,
        bottom: member[member.length - 1]!.y,
      });
    }
    i = end + 1;
  }
  return tables;
}

function buildTable(header: RowLine[], body: RowLine[]): (TableModel & { xs: number[] }) | null {
  const valueSegs = body.flatMap((r) => (r.firstValue >= 0 ? r.segs.slice(r.firstValue) : []));
  const size = body[0]!.line.size;
  const centres = cluster(
    valueSegs.map((s) => (s.x0 + s.x1) / 2),
    size * 1.2,
  );
  if (!centres.length) return null;
  const labelRight = Math.min(...valueSegs.map((s) => s.x0)) - 1;
  const colOf = (s: Segment) => {
    const c = (s.x0 + s.x1) / 2;
    let best = 0;
    for (let k = 1; k < centres.length; k++)
      if (Math.abs(centres[k]! - c) < Math.abs(centres[best]! - c)) best = k;
    return best + 1; // column 0 holds the labels
  };
  const cols = centres.length + 1;
  const cells: TableCellModel[] = [];
  let row = 0;

  // Header: label-area text into column 0; a segment over several value columns spans them in its
  // own row; the rest stacks per column (社会 / 公益 / 组织 → 社会公益组织).
  if (header.length) {
    const pitch =
      centres.length > 1 ? (centres[centres.length - 1]! - centres[0]!) / (centres.length - 1) : size * 4;
    const spanning: { from: number; to: number; text: string }[] = [];
    const stacked = new Array<string>(cols).fill("");
    const ownRows: string[] = [];
    for (const h of header) {
      const segs = segments(h.line, true);
      // A lone caption over the table (第二十条第（一）项, 申请人情况) is a row of its own.
      if (segs.length === 1) {
        ownRows.push(segs[0]!.text);
        continue;
      }
      for (const s of segs) {
        if (s.x1 <= labelRight) {
          stacked[0] += s.text;
          continue;
        }
        const covered = centres
          .map((c, k) => (c >= s.x0 - size * 0.5 && c <= s.x1 + size * 0.5 ? k + 1 : -1))
          .filter((k) => k > 0);
        if (s.x1 - s.x0 > pitch * 1.5 && covered.length > 1)
          spanning.push({ from: covered[0]!, to: covered[covered.length - 1]!, text: s.text });
        else stacked[covered[0] ?? colOf(s)] += s.text;
      }
    }
    for (const text of ownRows) {
      cells.push({ row, col: 0, rowspan: 1, colspan: cols, text });
      row++;
    }
    if (spanning.length) {
      for (const sp of spanning)
        cells.push({ row, col: sp.from, rowspan: 1, colspan: sp.to - sp.from + 1, text: sp.text });
      row++;
    }
    stacked.forEach((text, col) => {
      if (text || col === 0) cells.push({ row, col, rowspan: 1, colspan: 1, text });
    });
    row++;
  }

  // Body: each value row is a row; label-only lines join the nearer value row, except lines left
  // of the row labels (group labels such as (三)不予公开), which become rows of their own.
  const valueIdx = body.map((r, k) => (r.firstValue >= 0 ? k : -1)).filter((k) => k >= 0);
  const labelX = Math.min(...body.filter((r) => r.firstValue > 0).map((r) => r.segs[r.firstValue - 1]!.x0));
  const extra = new Map<number, { above: string[]; below: string[] }>();
  const groupRows = new Map<number, Segment[][]>();
  body.forEach((r, k) => {
    if (r.firstValue >= 0) return;
    const text = r.segs.map((s) => s.text).join("");
    const nearest = Math.min(...valueIdx.map((v) => Math.abs(body[v]!.line.y - r.line.y)));
    if (r.line.x0 < labelX - size * 1.5 || r.segs.length > 1 || nearest > size * 1.6) {
      const at = valueIdx.find((v) => v > k) ?? valueIdx[valueIdx.length - 1]!;
      groupRows.set(at, [...(groupRows.get(at) ?? []), segments(r.line, true)]);
      return;
    }
    const after = valueIdx.find((v) => v > k);
    const before = [...valueIdx].reverse().find((v) => v < k);
    const dy = (v: number | undefined) => (v === undefined ? Infinity : Math.abs(body[v]!.line.y - r.line.y));
    const target = dy(before) <= dy(after) ? before! : after!;
    const e = extra.get(target) ?? { above: [], below: [] };
    if (target === before) e.below.push(text);
    else e.above.push(text);
    extra.set(target, e);
  });
  for (const v of valueIdx) {
    for (const segs of groupRows.get(v) ?? []) {
      // A label row inside the table (第二十条第（五）项, or 信息内容 | 本年处理决定数量): label part
      // in column 0, the rest under the value columns it stands over.
      const byCol = new Map<number, string>();
      for (const s of segs) {
        const over = centres.findIndex((c) => c >= s.x0 && c <= s.x1);
        const col = segs.length === 1 || s.x1 <= labelRight ? 0 : over >= 0 ? over + 1 : colOf(s);
        byCol.set(col, (byCol.get(col) ?? "") + s.text);
      }
      for (const [col, text] of byCol) cells.push({ row, col, rowspan: 1, colspan: 1, text });
      row++;
    }
    const r = body[v]!;
    const e = extra.get(v);
    const own = r.segs
      .slice(0, r.firstValue)
      .map((s) => s.text)
      .join("");
    cells.push({
      row,
      col: 0,
      rowspan: 1,
      colspan: 1,
      text: [...(e?.above ?? []), own, ...(e?.below ?? [])].join(""),
    });
    const taken = new Set<number>();
    for (const s of r.segs.slice(r.firstValue)) {
      const col = colOf(s);
      if (taken.has(col)) return null; // two numbers in one column: the columns are not certain
      taken.add(col);
      cells.push({ row, col, rowspan: 1, colspan: 1, text: s.text });
    }
    row++;
  }
  const xs = [Math.min(...body.map((r) => r.line.x0)), ...centres, Math.max(...body.map((r) => r.line.x1))];
  return { rows: row, cols, cells, xs, ragged: true };
}
