// Hanweb (大汉) jpage lists: the page asks /module/web/jpage/dataproxy.jsp for records in groups
// (startrecord/endrecord, three pages per group); the XML answer holds <record> CDATA fragments and <totalrecord>.
import type { Site } from "../sites/site-schema.ts";
import { readHtmlList } from "./list-page-html.ts";
import type { ListLink, PaginationAdapter } from "./pagination-adapter.ts";

const PAGES_PER_GROUP = 3;

function groupUrl(site: Site, start: number): string {
  const p = site.pagination.params;
  const perpage = Number(p.perpage ?? 15);
  const end = start + perpage * PAGES_PER_GROUP - 1;
  const origin = new URL(site.start_urls[0]!).origin;
  const path = String(p.path ?? "/module/web/jpage/dataproxy.jsp");
  return `${origin}${path}?startrecord=${start}&endrecord=${end}&perpage=${perpage}&columnid=${p.columnid}&unitid=${p.unitid}`;
}

export const hanwebDataproxy: PaginationAdapter = {
  style: "hanweb_dataproxy",
  firstPages: (site) => [groupUrl(site, 1)],
  parseList(page, site) {
    const reportLinks: ListLink[] = [];
    for (const m of page.text.matchAll(/<record>\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*<\/record>/g)) {
      reportLinks.push(...readHtmlList(m[1]!, page.url).reportLinks);
    }
    const total = Number(/<totalrecord>\s*(\d+)\s*<\/totalrecord>/.exec(page.text)?.[1] ?? 0);
    const end = Number(new URL(page.url).searchParams.get("endrecord") ?? 0);
    return { reportLinks, nextPages: end > 0 && end < total ? [groupUrl(site, end + 1)] : [] };
  },
};
