// Caps how deep a page's tags nest before it is parsed, as browsers do (Chromium stops at 512): the
// parser's open-element stack costs time per tag in proportion to depth, so 100,000 levels took minutes.
// Shared by the extractor and the crawler's list-page parsing, which is why it lives in core/.

/** Deeper than any real report page (they nest tens of levels); the depth browsers stop at. */
export const MAX_NESTING = 512;

const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
]);
/** Table structure and optional-end tags are never dropped (the parser closes them itself when they repeat). */
const KEEP = new Set([
  "html",
  "head",
  "body",
  "tr",
  "td",
  "th",
  "tbody",
  "thead",
  "tfoot",
  "caption",
  "colgroup",
  "p",
  "li",
  "dt",
  "dd",
  "option",
  "optgroup",
  "rb",
  "rt",
  "rp",
]);

/**
 * Tags, comments and raw-text elements (script, style…: their contents are not tags). Attribute values
 * holding ">" may end a tag early; this only skews the depth count, and only on pages already over the cap.
 */
const TOKEN =
  /<!--[\s\S]*?(?:-->|$)|<(script|style|textarea|title|xmp|noscript)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)|<(\/?)([a-zA-Z][^\s/>]*)[^>]*>/gi;

/**
 * Tables past the cap keep their tags (a report's tables after a run of unclosed tags), this many deep;
 * pure wrappers (opensOnlyATable) are dropped and do not count.
 */
const MAX_DEEP_TABLES = 16;

interface Open {
  name: string;
  dropped: boolean;
  /** A table kept past the cap. */
  deepTable: boolean;
}

/**
 * Returns the page unchanged unless its elements nest deeper than `max`; then the start and end tags
 * below that depth are removed (their text stays, as siblings at the cap), as a browser's parser does;
 * tables (up to 16 deep) keep theirs, so a report's tables survive a run of unclosed tags before them.
 */
export function capNesting(html: string, max = MAX_NESTING): string {
  if (fewTags(html, max)) return html;
  const out: string[] = [];
  const stack: Open[] = [];
  const openCount = new Map<string, number>();
  let depth = 0;
  let deepTables = 0;
  let last = 0;
  const cut = (start: number, end: number) => {
    out.push(html.slice(last, start));
    last = end;
  };
  // Past the last ">" no tag can end, and a "<" with no ">" after it would make the tag pattern scan to
  // the end of the page once per "<" (minutes on a page of "<a <a <a…"): the walk stops there.
  for (const m of html.slice(0, html.lastIndexOf(">") + 1).matchAll(TOKEN)) {
    const name = m[3]?.toLowerCase();
    if (!name || VOID.has(name) || KEEP.has(name)) continue;
    const start = m.index;
    if (m[2] !== "/") {
      const deepTable =
        depth >= max &&
        name === "table" &&
        deepTables < MAX_DEEP_TABLES &&
        !opensOnlyATable(html, start + m[0].length);
      const dropped = depth >= max && !deepTable;
      if (dropped) cut(start, start + m[0].length);
      else if (deepTable) deepTables++;
      else depth++;
      stack.push({ name, dropped, deepTable });
      openCount.set(name, (openCount.get(name) ?? 0) + 1);
      continue;
    }
    if (!openCount.get(name)) continue; // a stray end tag: the parser ignores it
    // Close everything above the nearest open element of that name, as the parser will.
    for (;;) {
      const top = stack.pop() as Open;
      openCount.set(top.name, (openCount.get(top.name) ?? 1) - 1);
      if (top.deepTable) deepTables--;
      else if (!top.dropped) depth--;
      if (top.name !== name) continue;
      if (top.dropped) cut(start, start + m[0].length);
      break;
    }
  }
  // Nothing cut (the page never went past the cap): the page itself, not a copy.
  if (last === 0) return html;
  out.push(html.slice(last));
  return out.join("");
}

/** Up to its first cell, nothing but the next table's start: tags and blanks only, no text. */
const ONLY_A_TABLE = /(?:\s|<(?:tbody|thead|tr|td|th)\b[^>]*>)*<table\b/iy;

/**
 * A table whose first cell holds only another table (a wrapper, as thousands of nested tables are)
 * spends none of the deep-table budget: the budget is kept for the tables that hold the report.
 */
function opensOnlyATable(html: string, from: number): boolean {
  ONLY_A_TABLE.lastIndex = from;
  return ONLY_A_TABLE.test(html);
}

/** A page with no more tags than the cap cannot nest past it: most small pages skip the walk. */
function fewTags(html: string, max: number): boolean {
  let tags = 0;
  for (let i = html.indexOf("<"); i !== -1 && tags <= max; i = html.indexOf("<", i + 1)) tags++;
  return tags <= max;
}
