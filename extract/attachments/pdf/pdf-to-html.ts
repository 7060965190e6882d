// Turns a text PDF into report HTML from glyph positions: ruled tables become <table> markup
// (rowspans and wrapped labels kept), the rest is rebuilt into lines and paragraphs.
import {
  AttachmentError,
  type AttachmentFlag,
  type AttachmentFormat,
  type AttachmentLimits,
  type AttachmentResult,
  DEFAULT_LIMITS,
} from "../attachment-result.ts";
import { escapeHtml, pageHtml, paragraphHtml, type TableModel, tableHtml } from "../html-markup.ts";
import { cellText, glyphLines, type TextLine } from "./glyph-lines.ts";
import { findLatticeTables, type LatticeTable } from "./pdf-lattice.ts";
import { openPdf, type PdfDocument, type PdfPage, readPdfPage } from "./pdf-page-content.ts";
import { findStreamTables } from "./stream-tables.ts";

export interface PdfOptions {
  limits?: Partial<AttachmentLimits>;
  /** Aborts the conversion (the caller's time budget): checked between and during pages. */
  signal?: AbortSignal;
}

type Block =
  | { kind: "line"; line: TextLine; top: number }
  | { kind: "table"; table: TableModel & { xs: number[] }; top: number; bottom: number };

const PAGE_NUMBER = /^[-—–－\s]*(第\s*)?\d{1,4}\s*(页)?\s*([/／]\s*\d+\s*)?(页)?[-—–－\s]*$/;

function toModel(t: LatticeTable): TableModel & { xs: number[] } {
  return {
    rows: t.ys.length - 1,
    cols: t.xs.length - 1,
    xs: t.xs,
    cells: t.cells.map((c) => ({
      row: c.row,
      col: c.col,
      rowspan: c.rowspan,
      colspan: c.colspan,
      text: cellText(c.glyphs),
    })),
  };
}

const ORDINAL_START = /^([（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d+[.．、])/;
const NUMERIC = /^[\d\s.,，．%-]+$/;

/** Column index in `xs` of boundary `x`, or -1. */
function boundaryIndex(xs: number[], x: number): number {
  return xs.findIndex((v) => Math.abs(v - x) <= 3);
}

/**
 * Joins a table continued on the next page. The continuation's column boundaries must all be
 * boundaries of the first part. Label cells cut by the page break are rejoined (a rowspan grows,
 * the text runs on); a row cut in two (label on both pages, numbers on one) becomes one row again.
 */
function mergeContinuation(a: TableModel & { xs: number[] }, b: TableModel & { xs: number[] }): boolean {
  const map = b.xs.map((x) => boundaryIndex(a.xs, x));
  if (map.some((i) => i < 0) || map[0] !== 0 || map[map.length - 1] !== a.cols) return false;
  const cells = b.cells.map((c) => ({
    ...c,
    col: map[c.col]!,
    colspan: map[c.col + c.colspan]! - map[c.col]!,
  }));
  const above = (c: { col: number; colspan: number }) =>
    a.cells.find((x) => x.col === c.col && x.colspan === c.colspan && x.row + x.rowspan === a.rows);
  const joins = (top: TableCellModelLike | undefined, c: TableCellModelLike) =>
    !!top &&
    !NUMERIC.test(top.text || "x") &&
    !NUMERIC.test(c.text || "x") &&
    (c.text === "" || (top.text !== "" && !ORDINAL_START.test(c.text)));
  const first = cells.filter((c) => c.row === 0);
  // A whole row cut in two: every cell is empty or continues the text above it.
  const rowCut =
    first.length > 0 &&
    first.every((c) => {
      const top = above(c);
      return !!top && (c.text === "" || joins(top, c));
    });
  const shift = rowCut ? a.rows - 1 : a.rows;
  for (const c of cells) {
    const top = c.row === 0 ? above(c) : undefined;
    if (top && (rowCut || joins(top, c))) {
      top.rowspan += rowCut ? c.rowspan - 1 : c.rowspan;
      top.text += c.text;
      continue;
    }
    a.cells.push({ ...c, row: c.row + shift });
  }
  a.rows += b.rows - (rowCut ? 1 : 0);
  return true;
}

type TableCellModelLike = { text: string };

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function mode(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(Math.round(v), (counts.get(Math.round(v)) ?? 0) + 1);
  let best = 0;
  let n = -1;
  for (const [v, c] of counts) if (c > n || (c === n && v < best)) [best, n] = [v, c];
  return best;
}

/** Paragraphs from lines: a new one starts at an indent, after a short line, a gap or a size change. */
function paragraphs(lines: TextLine[], left: number, right: number): string[] {
  const out: string[] = [];
  let cur = "";
  let prev: TextLine | null = null;
  for (const l of lines) {
    const indented = l.x0 > left + l.size * 1.2;
    const centered = indented && l.x1 < right - l.size * 2;
    let fresh = !prev || indented || centered;
    if (prev && !fresh) {
      const prevShort = prev.x1 < right - prev.size * 2;
      const gap = prev.page === l.page ? prev.y - l.y : prev.size * 1.5;
      const sizeJump = Math.abs(prev.size - l.size) > 1.5;
      fresh = prevShort || gap > Math.max(prev.size, l.size) * 2.2 || sizeJump;
    }
    if (fresh && cur) {
      out.push(cur);
      cur = "";
    }
    const joinSpace = cur && /[A-Za-z0-9]$/.test(cur) && /^[A-Za-z0-9]/.test(l.text);
    cur += (joinSpace ? " " : "") + l.text;
    prev = centered ? { ...l, x1: 0 } : l; // a centred line never runs on into the next
  }
  if (cur) out.push(cur);
  return out;
}

function aborted(signal: AbortSignal | undefined): AttachmentError {
  return new AttachmentError(
    "time_budget_exceeded",
    "pdf",
    `PDF conversion stopped: the time budget ran out${signal?.reason instanceof Error ? ` (${signal.reason.message})` : ""}`,
    "the file is too large or too complex to read in time; split it or raise the budget",
  );
}

function raceAbort<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(aborted(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

function openFailure(err: unknown): AttachmentError {
  const name = (err as { name?: string })?.name ?? "";
  const message = (err as Error)?.message ?? String(err);
  if (name === "PasswordException" || /password/i.test(message)) {
    return new AttachmentError(
      "encrypted",
      "pdf",
      "the PDF is encrypted with a password",
      "ask the publisher for an unprotected copy; nianbao does not guess passwords",
    );
  }
  return new AttachmentError(
    "corrupt",
    "pdf",
    `the PDF cannot be read: ${message}`,
    "the download may be truncated or damaged; fetch it again",
  );
}

export async function pdfToHtml(bytes: Uint8Array, options: PdfOptions = {}): Promise<AttachmentResult> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { signal } = options;
  if (bytes.length > limits.maxInputBytes) {
    throw new AttachmentError(
      "too_large",
      "pdf",
      `the PDF is ${bytes.length} bytes, over the ${limits.maxInputBytes}-byte limit`,
      "reports are small; this is probably not one",
    );
  }
  const task = openPdf(bytes);
  // pdfjs rejects the loading promise itself when the task is destroyed: keep that from going unhandled.
  task.promise.catch(() => {});
  let doc: PdfDocument;
  try {
    doc = await raceAbort(task.promise, signal);
  } catch (err) {
    await task.destroy().catch(() => {});
    if (err instanceof AttachmentError) throw err;
    throw openFailure(err);
  }
  try {
    const numPages = doc.numPages;
    if (numPages > limits.maxPages) {
      throw new AttachmentError(
        "too_many_pages",
        "pdf",
        `the PDF has ${numPages} pages, over the ${limits.maxPages}-page cap`,
        "an annual report runs to a few dozen pages at most; this file is something else",
      );
    }
    const flags: AttachmentFlag[] = [];
    const pages: PdfPage[] = [];
    const unreadable: number[] = [];
    for (let n = 1; n <= numPages; n++) {
      // pdfjs in-process resolves through microtasks only: yield a turn so the budget's timer can fire.
      if (signal) await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw aborted(signal);
      try {
        pages.push(await raceAbort(readPdfPage(doc, n), signal));
      } catch (err) {
        if (err instanceof AttachmentError) throw err;
        unreadable.push(n);
      }
    }
    if (pages.length === 0) {
      throw new AttachmentError(
        "corrupt",
        "pdf",
        `none of the PDF's ${numPages} pages could be read`,
        "the download may be truncated or damaged; fetch it again",
      );
    }
    if (unreadable.length)
      flags.push({ id: "pdf_pages_unreadable", detail: `pages ${unreadable.join(", ")} could not be read` });
    const glyphCount = pages.reduce((s, p) => s + p.glyphs.length, 0);
    const imagePages = pages.filter((p) => p.glyphs.length < 10 && p.images > 0).map((p) => p.index + 1);
    if (glyphCount < 20 * pages.length && imagePages.length > 0) {
      flags.push({
        id: "scanned_pdf",
        detail: `no text layer: ${imagePages.length} of ${pages.length} pages are images (OCR is not done)`,
      });
      return { format: "pdf", html: null, text: null, pages: numPages, flags };
    }
    if (imagePages.length)
      flags.push({ id: "scanned_pages", detail: `pages ${imagePages.join(", ")} are images without text` });

    const { html, text } = positionedPagesToHtml(pages, "pdf");
    return { format: "pdf", html, text, pages: numPages, flags };
  } finally {
    await task.destroy().catch(() => {});
  }
}

/**
 * Lays out positioned pages (PDF, or OFD read into the same shape) as report HTML: ruled tables
 * become <table> markup, tables continued over a page break are joined, the rest becomes paragraphs.
 */
export function positionedPagesToHtml(
  pages: PdfPage[],
  format: AttachmentFormat,
): { html: string; text: string } {
  const blocks: Block[] = [];
  const allLines: TextLine[] = [];
  const perPage = pages.map((page) => {
    const tables = findLatticeTables(page.index, page.rulings, page.glyphs);
    const inTable = new Set(tables.flatMap((t) => t.cells.flatMap((c) => c.glyphs)));
    const lines = glyphLines(
      page.index,
      page.glyphs.filter((g) => !inTable.has(g)),
    ).filter((l) => {
      const nearEdge = l.y < page.height * 0.1 || l.y > page.height * 0.92;
      return !(nearEdge && PAGE_NUMBER.test(l.text));
    });
    return { page, tables, lines };
  });
  // Tables without rulings, found among the lines the ruled tables left. Pages are stacked into one
  // column (each page's first line just below the last line before it) so a table broken by a page
  // break is found whole.
  const virtual = new Map<TextLine, TextLine>();
  let floor: number | null = null;
  for (const { lines } of perPage) {
    if (!lines.length) continue;
    const offset: number = floor === null ? 0 : floor - lines[0]!.size * 1.6 - lines[0]!.y;
    for (const l of lines) virtual.set({ ...l, y: l.y + offset }, l);
    floor = lines[lines.length - 1]!.y + offset;
  }
  const streams = findStreamTables([...virtual.keys()]).map((t) => {
    const real = [...t.lines].map((l) => virtual.get(l)!);
    return { ...t, real, page: real[0]!.page, top: real[0]!.y + real[0]!.size };
  });
  const inStream = new Set(streams.flatMap((t) => t.real));
  for (const { page, tables, lines } of perPage) {
    const prose = lines.filter((l) => !inStream.has(l));
    allLines.push(...prose);
    const pageBlocks: Block[] = [
      ...prose.map((line): Block => ({ kind: "line", line, top: line.y + line.size })),
      ...tables.map((t): Block => ({ kind: "table", table: toModel(t), top: t.top, bottom: t.bottom })),
      ...streams
        .filter((t) => t.page === page.index)
        .map((t): Block => ({ kind: "table", table: t.table, top: t.top, bottom: t.bottom })),
    ].sort((a, b) => b.top - a.top);
    const first = pageBlocks[0];
    const last = blocks[blocks.length - 1];
    if (first?.kind === "table" && last?.kind === "table" && mergeContinuation(last.table, first.table)) {
      pageBlocks.shift();
    }
    blocks.push(...pageBlocks);
  }
  const left = mode(allLines.map((l) => l.x0));
  const right =
    median(allLines.map((l) => l.x1).filter((x) => x > left + 100)) ||
    Math.max(...allLines.map((l) => l.x1), 0);
  const rightEdge = Math.max(right, ...allLines.filter((l) => l.x1 <= right + 20).map((l) => l.x1));

  // The title is the run of centred lines that opens the first page (agency on one line, the
  // year and 年度报告 on the next): one heading, so the agency and the year stay together.
  const titleLines = new Set<TextLine>();
  for (const l of allLines.filter((x) => x.page === pages[0]!.index).slice(0, 4)) {
    if (l.x0 > left + l.size * 1.2 && l.x1 < rightEdge - l.size * 2) titleLines.add(l);
    else break;
  }
  const title = titleLines.size ? [...titleLines].map((l) => l.text).join("") : null;
  let body = title ? `<h1>${escapeHtml(title)}</h1>\n` : "";
  const textParts: string[] = title ? [title] : [];
  let run: TextLine[] = [];
  const flushRun = () => {
    for (const p of paragraphs(run, left, rightEdge)) {
      body += paragraphHtml(p);
      textParts.push(p);
    }
    run = [];
  };
  for (const b of blocks) {
    if (b.kind === "line") {
      if (!titleLines.has(b.line)) run.push(b.line);
      continue;
    }
    flushRun();
    body += tableHtml(b.table);
    const rows: string[][] = Array.from({ length: b.table.rows }, () => []);
    for (const c of b.table.cells) rows[c.row]?.push(c.text);
    textParts.push(rows.map((r) => r.join(" | ")).join("\n"));
  }
  flushRun();
  if (!body.trim()) {
    throw new AttachmentError(
      "empty",
      format,
      `the ${format.toUpperCase()} file holds no text`,
      "check that the file is the report and not a cover page",
    );
  }
  return { html: pageHtml(title, format, body), text: textParts.join("\n") };
}
