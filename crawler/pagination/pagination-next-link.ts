// Any list with a plain 下一页 ("next page") link: follow it while it points somewhere new.

import { readHtmlList } from "./list-page-html.ts";
import type { PaginationAdapter } from "./pagination-adapter.ts";

export const nextLink: PaginationAdapter = {
  style: "next_link",
  firstPages: (site) => site.start_urls,
  parseList(page) {
    const { links, reportLinks } = readHtmlList(page.text, page.url);
    const next = links.find((l) => /^(下一页|下页|下一頁)\s*[>›»]*$/.test(l.title) && l.url !== page.url);
    return { reportLinks, nextPages: next ? [next.url] : [] };
  },
};
