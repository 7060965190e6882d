// Test helper: the tables of an HTML string as grids of cell texts (rowspan/colspan expanded),
// read with the extractor's own grid builder so tests see what the extractor sees.
import { type Element, isTag } from "domhandler";
import { parseDocument } from "htmlparser2";
import { tableToGrid } from "../../extract/html/html-document.ts";

export function htmlTables(html: string): string[][][] {
  const dom = parseDocument(html);
  const out: string[][][] = [];
  const visit = (n: Element) => {
    if (n.name === "table") out.push(tableToGrid(n).map((row) => row.map((c) => c.text)));
    for (const c of n.children) if (isTag(c)) visit(c);
  };
  for (const c of dom.children) if (isTag(c)) visit(c);
  return out;
}
