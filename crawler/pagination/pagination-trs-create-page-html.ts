// TRS WCM list pages: an inline createPageHTML(countPage, currentPage, "index", "html") call draws the
// pager in the browser; pages are index.html, index_1.html … index_{count-1}.html (0-based).

import { readHtmlList, sibling } from "./list-page-html.ts";
import type { PaginationAdapter } from "./pagination-adapter.ts";

interface TrsPager {
  count: number;
  current: number;
  prefix: string;
  ext: string;
}

/** Reads the call's arguments, resolving `var countPage = 5` style variables; the 6-argument variant starts with the div id. */
export function parseCreatePageHtml(text: string): TrsPager | null {
  const call = /(?<!function\s{0,4})createPageHTML\s*\(([^)]*)\)/.exec(text);
  if (!call) return null;
  let args = call[1]!.split(",").map((a) => a.trim().replace(/^["']|["']$/g, ""));
  const value = (arg: string | undefined): number | null => {
    if (arg === undefined) return null;
    if (/^\d+$/.test(arg)) return Number(arg);
    const v = new RegExp(`(?:var|let|const)?\\s*\\b${arg.replace(/[^\w$]/g, "")}\\s*=\\s*(\\d+)`).exec(text);
    return v ? Number(v[1]) : null;
  };
  if (args.length >= 5 && value(args[0]) === null) args = args.slice(1);
  const count = value(args[0]);
  const current = value(args[1]);
  if (count === null || current === null) return null;
  return { count, current, prefix: args[2] || "index", ext: args[3] || "html" };
}

export const trsCreatePageHtml: PaginationAdapter = {
  style: "trs_create_page_html",
  firstPages: (site) => site.start_urls,
  parseList(page) {
    const { reportLinks } = readHtmlList(page.text, page.url);
    const pager = parseCreatePageHtml(page.text);
    const current = pager?.current ?? page.pageIndex;
    const nextPages =
      pager && current + 1 < pager.count
        ? [sibling(page.url, `${pager.prefix}_${current + 1}.${pager.ext}`)]
        : [];
    return { reportLinks, nextPages };
  },
};
