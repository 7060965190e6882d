// Any list with a plain 下一页 ("next page") link: follow it while it points somewhere new.
// VSB portals say 下页 and may name their own text in params.next_text.

import { readHtmlList } from "./list-page-html.ts";
import type { PaginationAdapter } from "./pagination-adapter.ts";

export const nextLink: PaginationAdapter = {
  style: "next_link",
  firstPages: (site) => site.start_urls,
  parseList(page, site) {
    const { links, reportLinks } = readHtmlList(page.text, page.url);
    // A site may name its own link text (params.next_text, e.g. "下页" on VSB list.jsp portals).
    const own = site.pagination.params.next_text;
    const isNext = (t: string) =>
      (own !== undefined && t === String(own)) || /^(下一页|下页|下一頁)\s*[>›»]*$/.test(t);
    const next = links.find((l) => isNext(l.title) && l.url !== page.url);
    return { reportLinks, nextPages: next ? [next.url] : [] };
  },
};
