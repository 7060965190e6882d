// Pulls the links out of an HTML list page (or an HTML fragment from an XML/JSON API) with their
// titles, resolved and canonicalised; the title attribute wins over the visible text, which CMSs truncate.
import { Parser } from "htmlparser2";
import { capNesting } from "../../core/cap-nesting.ts";
import type { ListLink } from "../pagination/pagination-adapter.ts";
import { canonicalUrl } from "../url/canonical-url.ts";
import { isReportTitle } from "./report-link.ts";

/**
 * The <a href> tags of a page with their title or text, read by a streaming tokenizer: no tree is built.
 * A DOM per page (cheerio) cost more CPU than the rest of a page's crawl work, and its short-lived
 * trees, outliving a scavenge or two beside hundreds of waiting hosts, grew the heap by some 100 MB
 * over a 200-host crawl; a DOM of a 17 MB page took seconds.
 */
export function htmlLinks(html: string, baseUrl: string): ListLink[] {
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

/** Report links, first occurrence of each URL, in page order. */
export function reportLinksOf(links: ListLink[]): ListLink[] {
  const seen = new Set<string>();
  return links.filter((l) => {
    if (!isReportTitle(l.title) || seen.has(l.url)) return false;
    seen.add(l.url);
    return true;
  });
}
