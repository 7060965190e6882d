// Turns an HTML page into a Document: the report body's lines in order, data tables as grids,
// and the rest of the page (header, metadata block, footer) as outer lines for metadata.
import { type AnyNode, type Element, isTag, isText } from "domhandler";
import { parseDocument } from "htmlparser2";
import { capNesting } from "../../core/cap-nesting.ts";
import type { Document, GridCell, RawTable } from "../document.ts";

const SKIP = new Set([
  "script",
  "style",
  "noscript",
  "iframe",
  "select",
  "option",
  "button",
  "textarea",
  "svg",
  "canvas",
  "object",
  "embed",
  "head",
  "template",
]);
const BLOCK = new Set([
  "p",
  "div",
  "br",
  "li",
  "ul",
  "ol",
  "dl",
  "dt",
  "dd",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "tr",
  "td",
  "th",
  "table",
  "tbody",
  "thead",
  "tfoot",
  "section",
  "article",
  "header",
  "footer",
  "nav",
  "aside",
  "main",
  "blockquote",
  "pre",
  "hr",
  "form",
  "center",
  "address",
  "figure",
  "figcaption",
  "caption",
  "title",
]);

/** Selectors of the report body on common government CMSs (TRS, Hanweb, gkmlpt, Word-exported pages). */
const CONTENT_HINTS: { attr: "class" | "id"; value: RegExp }[] = [
  {
    attr: "class",
    value:
      /(^|\s)(article_content|article-content|TRS_Editor|trs_editor|zw|zwnr|content_detail|detail-content|art_con|xxgk_content|wzy_content|view TRS_UEDITOR|pages_content|main-txt|con_text)(\s|$)/,
  },
  {
    attr: "id",
    value: /^(zoom|UCAP-CONTENT|Zoom|fontzoom|content|zw|article|detail|con_text|js_content|mainText)$/,
  },
];

function attr(el: Element, name: string): string {
  return el.attribs?.[name] ?? "";
}

function findContentRoot(root: AnyNode): Element | null {
  // Iterative depth-first search in document order: pages nest tags 100,000 deep in hostile cases.
  const stack: AnyNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (!isTag(node)) {
      if (node.type === "root") pushChildren(stack, node as unknown as Element);
      continue;
    }
    if (SKIP.has(node.name)) continue;
    for (const hint of CONTENT_HINTS) {
      if (hint.value.test(attr(node, hint.attr)) && textLength(node) > 200) return node;
    }
    pushChildren(stack, node);
  }
  return null;
}

function pushChildren(stack: unknown[], node: Element) {
  for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
}

function textLength(root: AnyNode): number {
  let n = 0;
  const stack: AnyNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (isText(node)) n += node.data.trim().length;
    else if (isTag(node) && !SKIP.has(node.name)) pushChildren(stack, node);
  }
  return n;
}

function hasNestedTable(table: Element): boolean {
  const stack: AnyNode[] = [...table.children];
  while (stack.length) {
    const n = stack.pop()!;
    if (!isTag(n)) continue;
    if (n.name === "table") return true;
    stack.push(...n.children);
  }
  return false;
}

/** Cell text: all inner text joined with no separator (Word splits labels and digits over spans). */
function cellText(root: AnyNode): string {
  let s = "";
  const stack: AnyNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (isText(node)) s += node.data;
    else if (isTag(node) && !SKIP.has(node.name)) pushChildren(stack, node);
  }
  return s;
}

function decodeSpan(v: string): number {
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, 200) : 1;
}

/** Slots a table's spans may fill; a 10,000-column table of 100 rows fits, a span bomb does not. */
const MAX_SPAN_SLOTS = 1_000_000;

/** Expands a data table into a grid, copying rowspan/colspan cells into the slots they cover. */
export function tableToGrid(table: Element): GridCell[][] {
  const rows: Element[] = [];
  const stack: AnyNode[] = [table];
  while (stack.length) {
    const n = stack.pop()!;
    if (!isTag(n)) continue;
    if (n.name === "tr") rows.push(n);
    else if (n.name !== "table" || n === table) pushChildren(stack, n);
  }
  const grid: GridCell[][] = [];
  const pending: (GridCell & { left: number })[][] = []; // rowspan carry-overs per row
  let slots = 0;
  rows.forEach((tr, r) => {
    const row: GridCell[] = grid[r] ?? [];
    grid[r] = row;
    let col = 0;
    for (const td of tr.children) {
      if (!isTag(td) || (td.name !== "td" && td.name !== "th")) continue;
      while (row[col]) col++;
      const text = cellText(td).replace(/[\s\u200b-\u200d]+/g, "");
      let rs = decodeSpan(attr(td, "rowspan"));
      let cs = decodeSpan(attr(td, "colspan"));
      // 1,000 cells of rowspan=colspan=200 would be 40 million slots (GBs): past the budget spans are 1.
      if (slots + rs * cs > MAX_SPAN_SLOTS) rs = cs = 1;
      slots += rs * cs;
      for (let dr = 0; dr < rs; dr++) {
        const target: GridCell[] = grid[r + dr] ?? [];
        grid[r + dr] = target;
        for (let dc = 0; dc < cs; dc++) {
          if (target[col + dc]) continue;
          target[col + dc] = {
            text,
            row: r + dr,
            col: col + dc,
            spannedFrom: dr > 0 ? "above" : dc > 0 ? "left" : null,
          };
        }
      }
      col += cs;
    }
  });
  void pending;
  // Rows a rowspan runs past the last <tr> are dropped; holes become blank cells.
  return grid.slice(0, rows.length).map((row, r) => {
    const out: GridCell[] = [];
    for (let c = 0; c < row.length; c++) out.push(row[c] ?? { text: "", row: r, col: c, spannedFrom: null });
    return out;
  });
}

const NUMERIC_CELL = /^[+\-−]?[\d０-９]+(?:[.．][\d０-９]+)?(?:万元|元|件|条|个|项)?$/;

/** A statistics table has numbers in several cells; a metadata or layout table has almost none. */
function looksStatistical(grid: GridCell[][]): boolean {
  let numbers = 0;
  for (const row of grid) for (const c of row) if (!c.spannedFrom && NUMERIC_CELL.test(c.text)) numbers++;
  return numbers >= 2;
}

interface Walker {
  lines: (string | { table: number })[];
  tables: RawTable[];
  current: string;
}

function flush(w: Walker) {
  const t = w.current.replace(/[ \t\r\f\v]+/g, " ").trim();
  if (t) w.lines.push(t);
  w.current = "";
}

const BLOCK_END = { blockEnd: true } as const;

function isBlockEnd(n: AnyNode | typeof BLOCK_END): n is typeof BLOCK_END {
  return n === BLOCK_END;
}

/** Iterative walk (no recursion: hostile pages nest 100,000 deep) emitting lines and tables in order. */
function walk(root: AnyNode, w: Walker) {
  const stack: (AnyNode | typeof BLOCK_END)[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (isBlockEnd(node)) {
      flush(w);
      continue;
    }
    if (isText(node)) {
      w.current += node.data;
      continue;
    }
    if (!isTag(node)) {
      if (node.type === "root") pushChildren(stack, node as unknown as Element);
      continue;
    }
    const name = node.name;
    if (SKIP.has(name)) continue;
    if (name === "table" && !hasNestedTable(node)) {
      flush(w);
      emitTable(node, w);
      continue;
    }
    const block = BLOCK.has(name);
    if (block) flush(w);
    if (name === "br") continue;
    if (block) stack.push(BLOCK_END);
    pushChildren(stack, node);
  }
}

function emitTable(node: Element, w: Walker) {
  const grid = tableToGrid(node);
  if (!looksStatistical(grid)) {
    // A layout or metadata table (文号：… 发布日期：…): its cells are lines, "label：" joined to its value.
    for (const row of grid) {
      let pending = "";
      for (const c of row) {
        if (c.spannedFrom || !c.text) continue;
        if (/[:：]$/.test(c.text)) {
          if (pending) w.lines.push(pending);
          pending = c.text;
        } else {
          w.lines.push(pending + c.text);
          pending = "";
        }
      }
      if (pending) w.lines.push(pending);
    }
    return;
  }
  if (grid.length) {
    w.tables.push({ source: "html", rows: grid, positional: true, lineIndex: w.lines.length });
    w.lines.push({ table: w.tables.length - 1 });
  }
}

function collectMeta(root: AnyNode, meta: Record<string, string>) {
  const stack: AnyNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (!isTag(n)) {
      if (n.type === "root") stack.push(...(n as unknown as Element).children);
      continue;
    }
    if (n.name === "title" && !meta.title) meta.title = cellText(n).trim();
    if (n.name === "meta") {
      const key = (attr(n, "name") || attr(n, "property")).trim();
      const content = attr(n, "content").trim();
      if (key && content) meta[key] = content;
    }
    if (n.name === "link" && /\bcanonical\b/i.test(attr(n, "rel")) && attr(n, "href").trim())
      meta["link:canonical"] = attr(n, "href").trim();
    if (n.name === "body") continue; // metadata lives in <head>
    stack.push(...n.children);
  }
}

function linesOf(node: AnyNode): { lines: (string | { table: number })[]; tables: RawTable[] } {
  const w: Walker = { lines: [], tables: [], current: "" };
  walk(node, w);
  flush(w);
  return { lines: w.lines, tables: w.tables };
}

export function looksLikeHtml(content: string, fileName?: string, contentType?: string): boolean {
  if (contentType && /html|xml/i.test(contentType)) return true;
  if (fileName && /\.s?html?$|\.jsp$|\.aspx?$|\.php$/i.test(fileName)) return true;
  if (fileName && /\.txt$/i.test(fileName)) return false;
  const head = content.slice(0, 2000).toLowerCase();
  return /<(!doctype html|html|head|body|meta|table|div|p)[\s>]/.test(head);
}

export function htmlToDocument(html: string): Document {
  const dom = parseDocument(capNesting(html), {
    decodeEntities: true,
    lowerCaseTags: true,
    lowerCaseAttributeNames: true,
  });
  const meta: Record<string, string> = {};
  collectMeta(dom, meta);
  const content = findContentRoot(dom);
  const body = linesOf(content ?? dom);
  let outerLines: string[] = [];
  if (content) {
    // The page around the body, for 发布时间/来源 lines and the title; the body itself is cut out.
    const parent = content.parent;
    const idx = parent ? parent.children.indexOf(content) : -1;
    if (parent && idx >= 0) parent.children.splice(idx, 1);
    outerLines = linesOf(dom).lines.filter((l): l is string => typeof l === "string");
    if (parent && idx >= 0) parent.children.splice(idx, 0, content);
  }
  return {
    lines: body.lines.map((l) => (typeof l === "string" ? toHalfWidthLine(l) : l)),
    tables: body.tables,
    outerLines: outerLines.map(toHalfWidthLine),
    meta,
  };
}

/** Lines keep their characters as printed; only whitespace runs (incl. U+3000, NBSP) collapse. */
function toHalfWidthLine(s: string): string {
  return s.replace(/[\s\u200b-\u200d]+/g, " ").trim();
}
