// OFD (GB/T 33190, the Chinese fixed-layout format) → report HTML: text objects and path objects are
// read from each page's Content.xml into positioned glyphs and rulings, then laid out like a PDF.
import type { AnyNode, Element } from "domhandler";
import { isTag } from "domhandler";
import { parseDocument } from "htmlparser2";
import { AttachmentError, type AttachmentLimits, type AttachmentResult } from "../attachment-result.ts";
import type { Glyph, PdfPage, Ruling } from "../pdf/pdf-page-content.ts";
import { positionedPagesToHtml } from "../pdf/pdf-to-html.ts";
import { guardZip } from "../zip-bomb-guard.ts";
import { listZip, readZipEntry } from "../zip-directory.ts";

const MM_TO_PT = 72 / 25.4;

function local(el: Element): string {
  return el.name.replace(/^.*:/, "");
}

function children(el: AnyNode, name: string): Element[] {
  if (!("children" in el)) return [];
  return (el.children as AnyNode[]).filter((c): c is Element => isTag(c) && local(c) === name);
}

function find(el: AnyNode, name: string): Element | null {
  const stack: AnyNode[] = [el];
  while (stack.length) {
    const n = stack.shift()!;
    if (isTag(n) && local(n) === name) return n;
    if ("children" in n) stack.push(...(n.children as AnyNode[]));
  }
  return null;
}

function textOf(el: AnyNode | null): string {
  if (!el) return "";
  if ("data" in el && typeof el.data === "string") return el.data;
  if ("children" in el) return (el.children as AnyNode[]).map(textOf).join("");
  return "";
}

function numbers(s: string | undefined): number[] {
  return (s ?? "")
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
}

/** DeltaX/DeltaY: numbers with "g N v" meaning N copies of v. */
function deltas(s: string | undefined): number[] {
  const parts = (s ?? "").trim().split(/\s+/).filter(Boolean);
  const out: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === "g") {
      const n = Number(parts[i + 1]);
      const v = Number(parts[i + 2]);
      for (let k = 0; k < n && k < 10_000; k++) out.push(v);
      i += 2;
    } else out.push(Number(parts[i]));
  }
  return out;
}

type Matrix = [number, number, number, number, number, number];

function ctmOf(el: Element): Matrix | null {
  const m = numbers(el.attribs.CTM);
  return m.length === 6 ? (m as Matrix) : null;
}

function resolve(base: string, ref: string): string {
  if (ref.startsWith("/")) return ref.slice(1);
  const dir = base.includes("/") ? base.slice(0, base.lastIndexOf("/") + 1) : "";
  const parts = (dir + ref).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") out.pop();
    else if (p !== "." && p !== "") out.push(p);
  }
  return out.join("/");
}

/** Reads one page's objects (TextObject, PathObject, nested PageBlock) in mm, y down. */
function readObjects(root: Element, height: number, glyphs: Glyph[], rulings: Ruling[]) {
  const toPt = (x: number, y: number): [number, number] => [x * MM_TO_PT, (height - y) * MM_TO_PT];
  const visit = (el: Element) => {
    const name = local(el);
    if (name === "TextObject") {
      const [bx = 0, by = 0] = numbers(el.attribs.Boundary);
      const ctm = ctmOf(el);
      const size = Number(el.attribs.Size ?? 3.5);
      for (const code of children(el, "TextCode")) {
        const chars = [...textOf(code)];
        const dx = deltas(code.attribs.DeltaX);
        let x = Number(code.attribs.X ?? 0);
        const y = Number(code.attribs.Y ?? 0);
        chars.forEach((ch, k) => {
          const adv = dx[k] ?? size;
          // With a CTM the text is scaled in place (a, d); translation stays in the boundary.
          const sx = ctm ? ctm[0] : 1;
          const sy = ctm ? ctm[3] : 1;
          const gx = bx + (ctm ? ctm[4] : 0) + x * sx;
          const gy = by + (ctm ? ctm[5] : 0) + y * sy;
          const [px, py] = toPt(gx, gy);
          // The advance is where the next glyph starts, not this one's width: it can be negative or
          // span a gap, so the box is at most one em (half for Latin).
          const em = /[\u2e80-\uffff]/.test(ch) ? size : size * 0.5;
          const width = adv > 0 ? Math.min(adv, em) : em;
          if (ch.trim())
            glyphs.push({
              ch,
              x0: px,
              x1: px + width * sx * MM_TO_PT,
              y: py,
              size: size * Math.abs(sy) * MM_TO_PT,
            });
          x += adv;
        });
      }
      return;
    }
    if (name === "PathObject") {
      const [bx = 0, by = 0] = numbers(el.attribs.Boundary);
      const stroke = el.attribs.Stroke !== "false";
      const fill = el.attribs.Fill === "true";
      const tokens = textOf(find(el, "AbbreviatedData")).trim().split(/\s+/);
      const points: [number, number][][] = [];
      let cur: [number, number][] = [];
      for (let i = 0; i < tokens.length; ) {
        const op = tokens[i++];
        const take = (n: number) => {
          const out = tokens.slice(i, i + n).map(Number);
          i += n;
          return out;
        };
        if (op === "M" || op === "S") {
          if (cur.length) points.push(cur);
          const [x = 0, y = 0] = take(2);
          cur = [[bx + x, by + y]];
        } else if (op === "L") {
          const [x = 0, y = 0] = take(2);
          cur.push([bx + x, by + y]);
        } else if (op === "Q")
          cur.push(
            take(4)
              .slice(2)
              .map((v, k) => (k ? by : bx) + v) as [number, number],
          );
        else if (op === "B")
          cur.push(
            take(6)
              .slice(4)
              .map((v, k) => (k ? by : bx) + v) as [number, number],
          );
        else if (op === "A")
          cur.push(
            take(7)
              .slice(5)
              .map((v, k) => (k ? by : bx) + v) as [number, number],
          );
        else if (op === "C") {
          if (cur.length) cur.push(cur[0]!);
        } else break;
      }
      if (cur.length) points.push(cur);
      for (const poly of points) {
        const pts = poly.map(([x, y]) => toPt(x, y));
        if (fill && !stroke && pts.length >= 4) {
          const xs = pts.map((p) => p[0]);
          const ys = pts.map((p) => p[1]);
          const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
          if (y1 - y0 <= 3 && x1 - x0 >= 3) rulings.push({ dir: "h", at: (y0 + y1) / 2, from: x0, to: x1 });
          else if (x1 - x0 <= 3 && y1 - y0 >= 3)
            rulings.push({ dir: "v", at: (x0 + x1) / 2, from: y0, to: y1 });
          continue;
        }
        if (!stroke) continue;
        for (let k = 1; k < pts.length; k++) {
          const [a, b] = [pts[k - 1]!, pts[k]!];
          if (Math.abs(a[1] - b[1]) < 0.8 && Math.abs(a[0] - b[0]) >= 3)
            rulings.push({
              dir: "h",
              at: (a[1] + b[1]) / 2,
              from: Math.min(a[0], b[0]),
              to: Math.max(a[0], b[0]),
            });
          else if (Math.abs(a[0] - b[0]) < 0.8 && Math.abs(a[1] - b[1]) >= 3)
            rulings.push({
              dir: "v",
              at: (a[0] + b[0]) / 2,
              from: Math.min(a[1], b[1]),
              to: Math.max(a[1], b[1]),
            });
        }
      }
      return;
    }
    for (const c of el.children) if (isTag(c)) visit(c);
  };
  visit(root);
}

export function ofdToHtml(bytes: Uint8Array, limits: AttachmentLimits): AttachmentResult {
  guardZip(bytes, "ofd", limits);
  const entries = new Map(listZip(bytes).map((e) => [e.name.replace(/^\//, ""), e]));
  const xml = (path: string) => {
    const e = entries.get(path);
    if (!e)
      throw new AttachmentError(
        "corrupt",
        "ofd",
        `the OFD file lacks ${path}`,
        "the file is damaged or not an OFD document",
      );
    return parseDocument(new TextDecoder("utf-8").decode(readZipEntry(bytes, e)), { xmlMode: true });
  };
  const docRoot = textOf(find(xml("OFD.xml"), "DocRoot")).trim();
  if (!docRoot)
    throw new AttachmentError(
      "corrupt",
      "ofd",
      "OFD.xml names no DocRoot",
      "the file is damaged or not an OFD document",
    );
  const docPath = resolve("", docRoot);
  const doc = xml(docPath);
  const box = numbers(textOf(find(find(doc, "PageArea") ?? doc, "PhysicalBox")));
  const pageRefs = (find(doc, "Pages") ? children(find(doc, "Pages")!, "Page") : []).map(
    (p) => p.attribs.BaseLoc ?? "",
  );
  if (pageRefs.length > limits.maxPages) {
    throw new AttachmentError(
      "too_many_pages",
      "ofd",
      `the OFD has ${pageRefs.length} pages, over the ${limits.maxPages}-page cap`,
      "an annual report runs to a few dozen pages at most",
    );
  }
  const pages: PdfPage[] = pageRefs.map((ref, index) => {
    const content = xml(resolve(docPath, ref));
    const ownBox = numbers(textOf(find(find(content, "Area") ?? content, "PhysicalBox")));
    const [, , w = box[2] ?? 210, h = box[3] ?? 297] = ownBox.length === 4 ? ownBox : box;
    const glyphs: Glyph[] = [];
    const rulings: Ruling[] = [];
    const root = find(content, "Content");
    if (root) readObjects(root, h, glyphs, rulings);
    const images = root ? countImages(root) : 0;
    return { index, width: w * MM_TO_PT, height: h * MM_TO_PT, glyphs, rulings, images };
  });
  const flags: AttachmentResult["flags"] = [];
  const glyphCount = pages.reduce((s, p) => s + p.glyphs.length, 0);
  if (glyphCount < 20 * Math.max(1, pages.length) && pages.some((p) => p.images > 0)) {
    flags.push({
      id: "scanned_pdf",
      detail: "OFD without a text layer: its pages are images (OCR is not done)",
    });
    return { format: "ofd", html: null, text: null, pages: pages.length, flags };
  }
  const { html, text } = positionedPagesToHtml(pages, "ofd");
  return { format: "ofd", html, text, pages: pages.length, flags };
}

function countImages(el: Element): number {
  let n = local(el) === "ImageObject" ? 1 : 0;
  for (const c of el.children) if (isTag(c)) n += countImages(c);
  return n;
}
