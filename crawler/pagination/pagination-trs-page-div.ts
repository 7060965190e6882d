// TRS lists whose pager is static links in a div.page / #page_div: follow its 下一页 link, or else the
// lowest-numbered index_N page after the current one.
import * as cheerio from "cheerio";
import { capNesting } from "../../core/cap-nesting.ts";
import { canonicalUrl } from "../url/canonical-url.ts";
import { readHtmlList } from "./list-page-html.ts";
import type { PaginationAdapter } from "./pagination-adapter.ts";

const PAGER = "#page_div, .page_div, div.page, .pages, .pagination, .fenye, .fy";

export const trsPageDiv: PaginationAdapter = {
  style: "trs_page_div",
  firstPages: (site) => site.start_urls,
  parseList(page) {
    const { reportLinks } = readHtmlList(page.text, page.url);
    const $ = cheerio.load(capNesting(page.text));
    const anchors = $(PAGER)
      .find("a[href]")
      .toArray()
      .map((el) => ({ text: $(el).text().trim(), href: $(el).attr("href") ?? "" }));
    const next = anchors.find((a) => /^下一?页/.test(a.text));
    let target = next ? canonicalUrl(next.href, page.url) : null;
    if (!target) {
      const numbered = anchors
        .map((a) => ({ n: Number(/index_(\d+)\./.exec(a.href)?.[1] ?? Number.NaN), href: a.href }))
        .filter((a) => a.n > page.pageIndex)
        .sort((x, y) => x.n - y.n);
      target = numbered[0] ? canonicalUrl(numbered[0].href, page.url) : null;
    }
    return { reportLinks, nextPages: target && target !== page.url ? [target] : [] };
  },
};
