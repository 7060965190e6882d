// A list that is one page: its report links, no further pages.
// Used for annual-report channels that list every year on one page.

import { readHtmlList } from "./list-page-html.ts";
import type { PaginationAdapter } from "./pagination-adapter.ts";

export const noPagination: PaginationAdapter = {
  style: "none",
  firstPages: (site) => site.start_urls,
  parseList(page) {
    return { reportLinks: readHtmlList(page.text, page.url).reportLinks, nextPages: [] };
  },
};
