// JEECMS-style lists: index.jhtml, index_2.jhtml, index_3.jhtml … (1-based); "共N页" or a link to
// the next page says whether there is one.

import { readHtmlList, sibling } from "./list-page-html.ts";
import type { PaginationAdapter } from "./pagination-adapter.ts";

export const jhtml: PaginationAdapter = {
  style: "jhtml",
  firstPages: (site) => site.start_urls,
  parseList(page) {
    const { links, reportLinks } = readHtmlList(page.text, page.url);
    const nextName = `index_${page.pageIndex + 2}.jhtml`;
    const next = sibling(page.url, nextName);
    const total = Number(/共\s*(\d+)\s*页/.exec(page.text)?.[1] ?? 0);
    const more = total ? page.pageIndex + 1 < total : links.some((l) => l.url === next);
    return { reportLinks, nextPages: more ? [next] : [] };
  },
};
