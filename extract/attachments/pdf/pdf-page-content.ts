// Reads a PDF with pdfjs-dist (legacy build, runs in-process in Node) into what the layout
// reader needs per page: glyphs with positions, axis-aligned rulings (table borders), image count.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";

/** One character with its box in PDF user space (y grows upwards). */
export interface Glyph {
  ch: string;
  x0: number;
  x1: number;
  /** Baseline. */
  y: number;
  size: number;
}

/** A horizontal (y fixed) or vertical (x fixed) line segment drawn on the page. */
export interface Ruling {
  dir: "h" | "v";
  /** The fixed coordinate. */
  at: number;
  from: number;
  to: number;
}

export interface PdfPage {
  index: number;
  width: number;
  height: number;
  glyphs: Glyph[];
  rulings: Ruling[];
  images: number;
}

// CMaps let pdfjs map CJK fonts that use predefined encodings (UniGB-UCS2-H…) to Unicode;
// they ship inside pdfjs-dist, so this is package data, not input I/O.
const pdfjsRoot = dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
const CMAP_URL = pathToFileURL(join(pdfjsRoot, "cmaps") + "/").href;
const FONT_URL = pathToFileURL(join(pdfjsRoot, "standard_fonts") + "/").href;

export type PdfDocument = Awaited<ReturnType<typeof pdfjs.getDocument>["promise"]>;

export function openPdf(bytes: Uint8Array): { promise: Promise<PdfDocument>; destroy: () => Promise<void> } {
  // pdfjs takes ownership of the buffer it is given: pass a copy so the caller's bytes stay intact.
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    cMapUrl: CMAP_URL,
    cMapPacked: true,
    standardFontDataUrl: FONT_URL,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  return { promise: task.promise, destroy: () => task.destroy() };
}

type Matrix = [number, number, number, number, number, number];

function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

const OPS = pdfjs.OPS as Record<string, number>;
const PAINT_FILL = new Set([
  OPS.fill,
  OPS.eoFill,
  OPS.fillStroke,
  OPS.eoFillStroke,
  OPS.closeFillStroke,
  OPS.closeEOFillStroke,
]);
const PAINT_STROKE = new Set([
  OPS.stroke,
  OPS.closeStroke,
  OPS.fillStroke,
  OPS.eoFillStroke,
  OPS.closeFillStroke,
  OPS.closeEOFillStroke,
]);
const IMAGE_OPS = new Set([
  OPS.paintImageXObject,
  OPS.paintInlineImageXObject,
  OPS.paintImageMaskXObject,
  OPS.paintImageXObjectRepeat,
]);

/** Strokes and thin filled rectangles are rulings; larger fills are shading and ignored. */
function rulingsFromPath(
  points: [number, number][][],
  fill: boolean,
  stroke: boolean,
  pageArea: number,
): Ruling[] {
  const out: Ruling[] = [];
  const seg = (a: [number, number], b: [number, number]) => {
    if (Math.abs(a[1] - b[1]) < 0.8 && Math.abs(a[0] - b[0]) >= 3) {
      out.push({ dir: "h", at: (a[1] + b[1]) / 2, from: Math.min(a[0], b[0]), to: Math.max(a[0], b[0]) });
    } else if (Math.abs(a[0] - b[0]) < 0.8 && Math.abs(a[1] - b[1]) >= 3) {
      out.push({ dir: "v", at: (a[0] + b[0]) / 2, from: Math.min(a[1], b[1]), to: Math.max(a[1], b[1]) });
    }
  };
  for (const poly of points) {
    if (poly.length < 2) continue;
    const xs = poly.map((p) => p[0]);
    const ys = poly.map((p) => p[1]);
    const x0 = Math.min(...xs);
    const x1 = Math.max(...xs);
    const y0 = Math.min(...ys);
    const y1 = Math.max(...ys);
    if (fill && !stroke && poly.length >= 4) {
      const w = x1 - x0;
      const h = y1 - y0;
      if (w * h > pageArea * 0.4) continue; // page or paper background
      if (h <= 3 && w >= 3) out.push({ dir: "h", at: (y0 + y1) / 2, from: x0, to: x1 });
      else if (w <= 3 && h >= 3) out.push({ dir: "v", at: (x0 + x1) / 2, from: y0, to: y1 });
      // Larger fills are cell or line shading; WPS shades every prose line, so their edges are not borders.
      continue;
    }
    if (!stroke) continue;
    for (let i = 1; i < poly.length; i++) seg(poly[i - 1]!, poly[i]!);
  }
  return out;
}

/** Decodes pdfjs 5's constructPath argument (a DrawOPS buffer) into polylines in page space. */
function polylines(buffer: ArrayLike<number>, ctm: Matrix): [number, number][][] {
  const polys: [number, number][][] = [];
  let cur: [number, number][] = [];
  let i = 0;
  while (i < buffer.length) {
    const op = buffer[i++];
    if (op === 0) {
      if (cur.length) polys.push(cur);
      cur = [apply(ctm, buffer[i]!, buffer[i + 1]!)];
      i += 2;
    } else if (op === 1) {
      cur.push(apply(ctm, buffer[i]!, buffer[i + 1]!));
      i += 2;
    } else if (op === 2) {
      cur.push(apply(ctm, buffer[i + 4]!, buffer[i + 5]!));
      i += 6;
    } else if (op === 3) {
      cur.push(apply(ctm, buffer[i + 2]!, buffer[i + 3]!));
      i += 4;
    } else if (op === 4) {
      if (cur.length) cur.push(cur[0]!);
    } else break;
  }
  if (cur.length) polys.push(cur);
  return polys;
}

export async function readPdfPage(doc: PdfDocument, pageNumber: number): Promise<PdfPage> {
  const page = await doc.getPage(pageNumber);
  const [vx0, vy0, vx1, vy1] = page.view as [number, number, number, number];
  const width = vx1 - vx0;
  const height = vy1 - vy0;
  const text = await page.getTextContent();
  const glyphs: Glyph[] = [];
  for (const item of text.items) {
    if (!("str" in item) || !item.str) continue;
    const [a, b, c, d, e, f] = item.transform as Matrix;
    if (Math.abs(b) > 0.01 || Math.abs(c) > 0.01) continue; // rotated text is not table content
    const size = Math.abs(d) || Math.abs(a) || item.height || 10;
    const chars = [...item.str];
    const w = item.width > 0 ? item.width : size * chars.length * 0.5;
    // pdfjs gives one width per run: spread it over the characters, CJK counting double.
    const weights = chars.map((ch) => (/[\u2e80-\uffff]/.test(ch) ? 2 : 1));
    const total = weights.reduce((s, x) => s + x, 0);
    let x = e;
    chars.forEach((ch, k) => {
      const cw = (w * weights[k]!) / total;
      if (ch.trim()) glyphs.push({ ch, x0: x, x1: x + cw, y: f, size });
      x += cw;
    });
  }
  const ops = await page.getOperatorList();
  const rulings: Ruling[] = [];
  let images = 0;
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  const area = width * height;
  for (let k = 0; k < ops.fnArray.length; k++) {
    const fn = ops.fnArray[k]!;
    const args = ops.argsArray[k] as unknown[];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = multiply(ctm, args as unknown as Matrix);
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      const m = args[0] as Matrix | null;
      if (m && m.length === 6) ctm = multiply(ctm, [...m] as Matrix);
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (IMAGE_OPS.has(fn)) images++;
    else if (fn === OPS.constructPath) {
      const paint = args[0] as number;
      const data = (args[1] as ArrayLike<number>[] | undefined)?.[0];
      if (!data) continue;
      const fill = PAINT_FILL.has(paint);
      const stroke = PAINT_STROKE.has(paint);
      if (!fill && !stroke) continue;
      rulings.push(...rulingsFromPath(polylines(data, ctm), fill, stroke, area));
    }
  }
  page.cleanup();
  return { index: pageNumber - 1, width, height, glyphs, rulings, images };
}
