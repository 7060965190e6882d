// The contract every pagination style implements: where listing starts, and what one list page yields.
// Adapters are pure (page text in, links out) so they are tested on saved pages without a server.
import type { Site } from "../sites/site-schema.ts";

export interface ListLink {
  url: string;
  title: string;
}

export interface ListPageResult {
  /** Links whose title looks like an annual report (see crawler.md, "Finding reports"). */
  reportLinks: ListLink[];
  /** Further list pages to visit (absolute URLs), in order. */
  nextPages: string[];
}

export interface PaginationAdapter {
  style: Site["pagination"]["style"];
  /** The list URLs to start from (usually site.start_urls; Hanweb/gkmlpt build API URLs). */
  firstPages(site: Site): string[];
  /** Parse one fetched list page (HTML, XML or JSON text). `pageIndex` is 0 for the first page. */
  parseList(page: { url: string; text: string; pageIndex: number }, site: Site): ListPageResult;
}
