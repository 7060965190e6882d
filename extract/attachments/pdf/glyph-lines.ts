// Rebuilds text lines from positioned glyphs: groups by baseline, orders by x, and joins with
// spaces only where Latin words or numbers stand apart (Chinese text has no spaces between words).
import type { Glyph } from "./pdf-page-content.ts";

export interface TextLine {
  page: number;
  glyphs: Glyph[];
  text: string;
  x0: number;
  x1: number;
  /** Baseline (page space, y up). */
  y: number;
  size: number;
}

const CJK = /[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]/;

function needsSpace(prev: string, next: string): boolean {
  return !CJK.test(prev) && !CJK.test(next);
}

/** Joins one line's glyphs (sorted by x): a gap wider than a third of the font size is a space. */
export function joinGlyphs(glyphs: Glyph[]): string {
  let s = "";
  let prev: Glyph | null = null;
  for (const g of glyphs) {
    if (prev && g.x0 - prev.x1 > prev.size * 0.33 && needsSpace(prev.ch, g.ch)) s += " ";
    s += g.ch;
    prev = g;
  }
  return s;
}

/** Groups glyphs into lines: same baseline within 40% of the font size, glyphs ordered by x. */
export function glyphLines(page: number, glyphs: Glyph[]): TextLine[] {
  const sorted = [...glyphs].sort((a, b) => b.y - a.y || a.x0 - b.x0);
  const lines: Glyph[][] = [];
  for (const g of sorted) {
    const line = lines[lines.length - 1];
    const ref = line?.[0];
    if (line && ref && Math.abs(ref.y - g.y) <= Math.max(ref.size, g.size) * 0.4) line.push(g);
    else lines.push([g]);
  }
  return lines.map((gs) => {
    gs.sort((a, b) => a.x0 - b.x0);
    const sizes = gs.map((g) => g.size).sort((a, b) => a - b);
    return {
      page,
      glyphs: gs,
      text: joinGlyphs(gs),
      x0: gs[0]!.x0,
      x1: gs[gs.length - 1]!.x1,
      y: gs[0]!.y,
      size: sizes[Math.floor(sizes.length / 2)]!,
    };
  });
}

/** A cell's text: its lines top to bottom, joined without breaks (labels wrap inside cells). */
export function cellText(glyphs: Glyph[]): string {
  const lines = glyphLines(0, glyphs);
  let s = "";
  for (const l of lines) {
    if (s && needsSpace(s[s.length - 1]!, l.text[0] ?? "")) s += " ";
    s += l.text;
  }
  return s;
}
