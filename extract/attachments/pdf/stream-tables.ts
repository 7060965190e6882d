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
  /** Only one or two numbers and nothing else: may continue a table, never start one. */
  lone: boolean;
}

function analyse(line: TextLine): RowLine {
  const segs = segments(line);
  let k = segs.length;
  while (k > 0 && VALUE.test(segs[k - 1]!.text.replace(/\s/g, ""))) k--;
  const values = segs.length - k;
  // A line of one or two bare numbers is a row only inside a table (a label wrapped around it).
  const lone = k === 0 && values < 3;
  return { line, segs, firstValue: values >= 1 ? k : -1, lone };
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
    if (rows[i]!.firstValue < 0 || rows[i]!.lone) {
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
      const nextValue = rows.slice(j + 1, j + 7).some((r) => r.firstValue >= 0);
      if (!nextValue) break;
    }
    const valueRows = rows.slice(i, end + 1).filter((r) => r.firstValue >= 0);
    // A list of lines ending in one number each (Page 1, Page 2…) is not a table: some row must
    // carry two numbers or more.
    const widest = Math.max(...valueRows.map((r) => r.segs.length - r.firstValue));
    // One row of many numbers (the review/litigation table) is a table on its own.
    if ((valueRows.length < 2 && widest < 5) || widest < 2) {
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

  // Body. Label text left of the numbers is split by x: row labels (item column, or full width)
  // and group labels standing in a narrower column to their left ((三)/不予公/开, broken over lines).
  const valueIdx = body.map((r, k) => (r.firstValue >= 0 ? k : -1)).filter((k) => k >= 0);
  const ITEM = /^\d+[.、．]/;
  const labelPieces = body.flatMap((r, k) =>
    (r.firstValue >= 0
      ? r.segs.slice(0, r.firstValue)
      : r.segs.every((x) => x.x1 <= labelRight)
        ? r.segs
        : []
    ).map((seg) => ({ seg, k, y: r.line.y })),
  );
  const itemXs = labelPieces.filter((p) => ITEM.test(p.seg.text)).map((p) => p.seg.x0);
  const itemX = itemXs.length >= 2 ? Math.min(...itemXs) : null;
  type Side = "own" | "left";
  const sideOf = (seg: Segment): Side =>
    itemX === null || seg.x0 >= itemX - size * 0.5 || seg.x1 > itemX + size ? "own" : "left";
  const rowY = (v: number) => body[v]!.line.y;
  const nearestRow = (y: number, preferBelow: boolean) => {
    let best = valueIdx[0]!;
    for (const v of valueIdx) {
      const d = Math.abs(rowY(v) - y);
      const bd = Math.abs(rowY(best) - y);
      if (d < bd - 0.5 || (Math.abs(d - bd) <= 0.5 && preferBelow && rowY(v) < rowY(best))) best = v;
    }
    return best;
  };
  const ownText = new Map<number, { y: number; text: string }[]>();
  const leftPieces: { y: number; text: string }[] = [];
  const captions = new Map<number, Segment[][]>();
  body.forEach((r, k) => {
    if (r.firstValue < 0) {
      const nearest = Math.min(...valueIdx.map((v) => Math.abs(rowY(v) - r.line.y)));
      const header = r.segs.some((x) => x.x1 > labelRight);
      const allOwn = r.segs.every((x) => sideOf(x) === "own");
      if (
        header ||
        (allOwn && nearest > size * 1.6) ||
        (itemX === null && r.line.x0 < labelRight - size * 20)
      ) {
        // A label row inside the table (第二十条第（五）项, 信息内容 | 本年处理决定数量).
        const at = valueIdx.find((v) => v > k) ?? valueIdx[valueIdx.length - 1]!;
        captions.set(at, [...(captions.get(at) ?? []), segments(r.line, true)]);
        return;
      }
    }
    const own = r.firstValue >= 0 ? r.segs.slice(0, r.firstValue) : segments(r.line, true);
    for (const seg of own) {
      if (sideOf(seg) === "left") {
        leftPieces.push({ y: r.line.y, text: seg.text });
        continue;
      }
      // The start of a label (1. / (二)) belongs to the row at or below it; a continuation to the nearer.
      const target =
        r.firstValue >= 0 ? k : nearestRow(r.line.y, ITEM.test(seg.text) || /^[（(]/.test(seg.text));
      ownText.set(target, [...(ownText.get(target) ?? []), { y: r.line.y, text: seg.text }]);
    }
  });
  const labelOf = (v: number) =>
    (ownText.get(v) ?? [])
      .sort((a, b) => b.y - a.y)
      .map((p) => p.text)
      .join("");
  // Groups: runs of rows numbered 1., 2., … (numbering restarts at each group).
  const groups: { rows: number[]; top: number; bottom: number; text: string }[] = [];
  for (let n = 0; n < valueIdx.length; n++) {
    const label = labelOf(valueIdx[n]!);
    const last = groups[groups.length - 1];
    if (/^1[.、．]/.test(label)) groups.push({ rows: [valueIdx[n]!], top: 0, bottom: 0, text: "" });
    else if (ITEM.test(label) && last && last.rows[last.rows.length - 1] === valueIdx[n - 1])
      last.rows.push(valueIdx[n]!);
  }
  for (const g of groups) {
    const i0 = valueIdx.indexOf(g.rows[0]!);
    const i1 = valueIdx.indexOf(g.rows[g.rows.length - 1]!);
    const prev = valueIdx[i0 - 1];
    const next = valueIdx[i1 + 1];
    g.top = prev === undefined ? Infinity : (rowY(prev) + rowY(g.rows[0]!)) / 2;
    g.bottom = next === undefined ? -Infinity : (rowY(next) + rowY(g.rows[g.rows.length - 1]!)) / 2;
  }
  const prefix = new Map<number, string>();
  for (const p of leftPieces.sort((a, b) => b.y - a.y)) {
    const g = groups.find((x) => p.y < x.top && p.y > x.bottom);
    if (g) g.text += p.text;
    else {
      const v = nearestRow(p.y, false);
      prefix.set(v, (prefix.get(v) ?? "") + p.text);
    }
  }
  const L = groups.length || prefix.size ? 2 : 1;
  const shift = L - 1;
  if (shift) {
    // Header and captions were laid out for one label column: widen it.
    for (const c of cells) {
      if (c.col === 0) c.colspan += c.colspan === cols ? shift : shift;
      else c.col += shift;
    }
  }
  const width = cols + shift;
  for (const v of valueIdx) {
    for (const segs of captions.get(v) ?? []) {
      const byCol = new Map<number, string>();
      for (const s of segs) {
        const over = centres.findIndex((c) => c >= s.x0 && c <= s.x1);
        const col = segs.length === 1 || s.x1 <= labelRight ? 0 : over >= 0 ? over + L : colOf(s) + shift;
        byCol.set(col, (byCol.get(col) ?? "") + s.text);
      }
      for (const [col, text] of byCol) cells.push({ row, col, rowspan: 1, colspan: col === 0 ? L : 1, text });
      row++;
    }
    const r = body[v]!;
    const g = groups.find((x) => x.rows.includes(v));
    const own = labelOf(v);
    if (g) {
      if (g.rows[0] === v) cells.push({ row, col: 0, rowspan: g.rows.length, colspan: 1, text: g.text });
      cells.push({ row, col: 1, rowspan: 1, colspan: 1, text: own });
    } else if (prefix.has(v)) {
      cells.push({ row, col: 0, rowspan: 1, colspan: 1, text: prefix.get(v)! });
      cells.push({ row, col: 1, rowspan: 1, colspan: 1, text: own });
    } else cells.push({ row, col: 0, rowspan: 1, colspan: L, text: own });
    const taken = new Set<number>();
    for (const s of r.segs.slice(r.firstValue)) {
      const col = colOf(s) + shift;
      if (taken.has(col)) return null; // two numbers in one column: the columns are not certain
      taken.add(col);
      cells.push({ row, col, rowspan: 1, colspan: 1, text: s.text });
    }
    row++;
  }
  const xs = [Math.min(...body.map((r) => r.line.x0)), ...centres, Math.max(...body.map((r) => r.line.x1))];
  // No row labels at all (the review/litigation table): no label column.
  if (cells.every((c) => c.col > 0 || (c.text === "" && c.colspan === 1))) {
    const kept = cells.filter((c) => c.col > 0).map((c) => ({ ...c, col: c.col - 1 }));
    return { rows: row, cols: width - 1, cells: kept, xs: xs.slice(1), ragged: true };
  }
  return { rows: row, cols: width, cells, xs, ragged: true };
}
