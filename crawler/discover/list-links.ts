// Pulls the links out of an HTML list page (or an HTML fragment from an XML/JSON API) with their
// titles, resolved and canonicalised; the title attribute wins over the visible text, which CMSs truncate.
import * as cheerio from "cheerio";
import { capNesting } from "../../core/cap-nesting.ts";
import type { ListLink } from "../pagination/pagination-adapter.ts";
import { canonicalUrl } from "../url/canonical-url.ts";
import { isReportTitle } from "./report-link.ts";

export function htmlLinks(html: string, baseUrl: string): ListLink[] {
  // A hostile page nested 100,000 deep would take cheerio minutes; browsers stop at 512 levels too.
  const $ = cheerio.load(capNesting(html));
  const out: ListLink[] = [];
  $("a[href]").each((_, el) => {
    const a = $(el);
    const url = canonicalUrl(a.attr("href") ?? "", baseUrl);
    if (!url) return;
    const title = a.attr("title")?.trim() || a.text().replace(/\s+/g, " ").trim();
    out.push({ url, title });
  });
  return out;
}

/** Report links, first occurrence of each URL, in page order. */
export function reportLinksOf(links: ListLink[]): ListLink[] {
  const seen = new Set<string>();
  return links.filter((l) => {
    if (!isReportTitle(l.title) || seen.has(l.url)) return false;
    seen.add(l.url);
    return true;
  });
}
