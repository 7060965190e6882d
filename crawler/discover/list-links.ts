// Pulls the links out of an HTML list page (or an HTML fragment from an XML/JSON API) with their
// titles, resolved and canonicalised; the title attribute wins over the visible text, which CMSs truncate.
import * as cheerio from "cheerio";
import { Parser } from "htmlparser2";
import { capNesting } from "../../core/cap-nesting.ts";
import type { ListLink } from "../pagination/pagination-adapter.ts";
import { canonicalUrl } from "../url/canonical-url.ts";
import { isReportTitle } from "./report-link.ts";

/** Past this size a page's links are read by a streaming tokenizer: a DOM of 17 MB takes seconds. */
const DOM_MAX_CHARS = 1024 * 1024;

/** The links of a big page without building its tree: <a href> tags, their title or text. */
function streamedLinks(html: string, baseUrl: string): ListLink[] {
  const out: ListLink[] = [];
  let open: { href: string; title: string | undefined; text: string } | null = null;
  const close = () => {
    if (!open) return;
    const url = canonicalUrl(open.href, baseUrl);
    const title = open.title?.trim() || open.text.replace(/\s+/g, " ").trim();
    if (url) out.push({ url, title });
    open = null;
  };
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name !== "a") return;
        close(); // an <a> inside an open <a> ends the first, as browsers do
        if (attrs.href !== undefined) open = { href: attrs.href, title: attrs.title, text: "" };
      },
      ontext(text) {
        if (open && open.text.length < 1000) open.text += text;
      },
      onclosetag(name) {
        if (name === "a") close();
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  // The tokenizer keeps a stack of open tags too: 100,000 nested levels cost it minutes, capped they cost nothing.
  parser.write(capNesting(html));
  parser.end();
  close();
  return out;
}

export function htmlLinks(html: string, baseUrl: string): ListLink[] {
  if (html.length > DOM_MAX_CHARS) return streamedLinks(html, baseUrl);
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
