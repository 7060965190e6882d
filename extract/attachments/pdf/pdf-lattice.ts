// Finds ruled tables on a PDF page: groups touching rulings into tables, builds the grid from their
// x and y positions, merges grid slots no ruling separates (rowspan/colspan), and places glyphs in cells.
import type { Glyph, Ruling } from "./pdf-page-content.ts";

export interface LatticeCell {
  row: number;
  col: number;
  rowspan: number;
  colspan: number;
  glyphs: Glyph[];
}

export interface LatticeTable {
  page: number;
  /** Bounding box in page space (y up). */
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  /** Column boundaries left→right, row boundaries top→bottom. */
  xs: number[];
  ys: number[];
  cells: LatticeCell[];
}

const SNAP = 2;

function cluster(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v - last[last.length - 1]! <= SNAP) last.push(v);
    else out.push([v]);
  }
  return out.map((g) => g.reduce((s, x) => s + x, 0) / g.length);
}

class UnionFind {
  parent: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]!]!;
      i = this.parent[i]!;
    }
    return i;
  }
  union(a: number, b: number) {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[rb] = ra;
  }
}

function touches(h: Ruling, v: Ruling): boolean {
  return v.at >= h.from - SNAP && v.at <= h.to + SNAP && h.at >= v.from - SNAP && h.at <= v.to + SNAP;
}

/** True when some ruling of `dir` at `at` covers the stretch [a, b] around its middle. */
function covered(rulings: Ruling[], at: number, a: number, b: number): boolean {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const mid = (lo + hi) / 2;
  const half = Math.max(0.5, (hi - lo) * 0.25);
  return rulings.some(
    (r) => Math.abs(r.at - at) <= SNAP && r.from <= mid - half + SNAP && r.to >= mid + half - SNAP,
  );
}

/**
 * Word and WPS leave the border off where a table breaks across pages: the column rulings run past
 * the last row ruling. Close the table there so its last (or first) row is not lost.
 */
function closeOpenEnds(rulings: Ruling[]): Ruling[] {
  const hs = rulings.filter((r) => r.dir === "h");
  const vs = rulings.filter((r) => r.dir === "v");
  if (!hs.length || !vs.length) return rulings;
  const out = [...rulings];
  const lowest = Math.min(...hs.map((r) => r.at));
  const highest = Math.max(...hs.map((r) => r.at));
  const vBottom = Math.min(...vs.map((r) => r.from));
  const vTop = Math.max(...vs.map((r) => r.to));
  const span = (pick: (r: Ruling) => boolean) => {
    const xs = vs.filter(pick).map((r) => r.at);
    return { from: Math.min(...xs), to: Math.max(...xs) };
  };
  if (vBottom < lowest - 3) out.push({ dir: "h", at: vBottom, ...span((r) => r.from <= vBottom + SNAP) });
  if (vTop > highest + 3) out.push({ dir: "h", at: vTop, ...span((r) => r.to >= vTop - SNAP) });
  return out;
}

function buildTable(page: number, given: Ruling[], glyphs: Glyph[]): LatticeTable | null {
  const rulings = closeOpenEnds(given);
  const hs = rulings.filter((r) => r.dir === "h");
  const vs = rulings.filter((r) => r.dir === "v");
  const xs = cluster(vs.map((r) => r.at));
  const ys = cluster(hs.map((r) => r.at)).reverse();
  if (xs.length < 2 || ys.length < 2) return null;
  const rows = ys.length - 1;
  const cols = xs.length - 1;
  // One column is a framed paragraph or a text box, not a table: its text goes to the prose reader.
  if (cols < 2) return null;
  const uf = new UnionFind(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (c + 1 < cols && !covered(vs, xs[c + 1]!, ys[r]!, ys[r + 1]!))
        uf.union(r * cols + c, r * cols + c + 1);
      if (r + 1 < rows && !covered(hs, ys[r + 1]!, xs[c]!, xs[c + 1]!))
        uf.union(r * cols + c, (r + 1) * cols + c);
    }
  }
  const boxes = new Map<number, { r0: number; r1: number; c0: number; c1: number }>();
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const root = uf.find(r * cols + c);
      const b = boxes.get(root);
      if (!b) boxes.set(root, { r0: r, r1: r, c0: c, c1: c });
      else {
        b.r0 = Math.min(b.r0, r);
        b.r1 = Math.max(b.r1, r);
        b.c0 = Math.min(b.c0, c);
        b.c1 = Math.max(b.c1, c);
      }
    }
  }
  const cells: LatticeCell[] = [];
  const owner: (LatticeCell | null)[] = new Array(rows * cols).fill(null);
  const ordered = [...boxes.values()].sort((a, b) => a.r0 - b.r0 || a.c0 - b.c0);
  for (const b of ordered) {
    if (owner[b.r0 * cols + b.c0]) continue; // overlaps an earlier, non-rectangular merge
    const cell: LatticeCell = {
      row: b.r0,
      col: b.c0,
      rowspan: b.r1 - b.r0 + 1,
      colspan: b.c1 - b.c0 + 1,
      glyphs: [],
    };
    cells.push(cell);
    for (let r = b.r0; r <= b.r1; r++) for (let c = b.c0; c <= b.c1; c++) owner[r * cols + c] ??= cell;
  }
  for (const g of glyphs) {
    const cx = (g.x0 + g.x1) / 2;
    const cy = g.y + g.size * 0.35;
    const c = xs.findIndex((x, i) => i < cols && cx >= x && cx < xs[i + 1]!);
    const r = ys.findIndex((y, i) => i < rows && cy <= y && cy > ys[i + 1]!);
    if (c < 0 || r < 0) continue;
    owner[r * cols + c]?.glyphs.push(g);
  }
  return { page, x0: xs[0]!, x1: xs[cols]!, top: ys[0]!, bottom: ys[rows]!, xs, ys, cells };
}

/** Ruled tables on one page, top to bottom. Glyphs inside a table are handed to its cells. */
export function findLatticeTables(page: number, rulings: Ruling[], glyphs: Glyph[]): LatticeTable[] {
  const hs = rulings.filter((r) => r.dir === "h");
  const vs = rulings.filter((r) => r.dir === "v");
  const all = [...hs, ...vs];
  const uf = new UnionFind(all.length);
  for (let i = 0; i < hs.length; i++) {
    for (let j = 0; j < vs.length; j++) if (touches(hs[i]!, vs[j]!)) uf.union(i, hs.length + j);
  }
  const groups = new Map<number, Ruling[]>();
  all.forEach((r, i) => {
    const root = uf.find(i);
    const g = groups.get(root) ?? [];
    g.push(r);
    groups.set(root, g);
  });
  const tables: LatticeTable[] = [];
  for (const group of groups.values()) {
    const x0 = Math.min(...group.map((r) => (r.dir === "v" ? r.at : r.from)));
    const x1 = Math.max(...group.map((r) => (r.dir === "v" ? r.at : r.to)));
    const y0 = Math.min(...group.map((r) => (r.dir === "h" ? r.at : r.from)));
    const y1 = Math.max(...group.map((r) => (r.dir === "h" ? r.at : r.to)));
    if (x1 - x0 < 20 || y1 - y0 < 8) continue;
    const inside = glyphs.filter((g) => {
      const cx = (g.x0 + g.x1) / 2;
      const cy = g.y + g.size * 0.35;
      return cx >= x0 && cx <= x1 && cy >= y0 && cy <= y1;
    });
    const t = buildTable(page, group, inside);
    if (t) tables.push(t);
  }
  return tables.sort((a, b) => b.top - a.top);
}
