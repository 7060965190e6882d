// Pagination style (as named in the registry) → its adapter.
// Adding a style: add it to site-schema.ts's list, write pagination-<style>.ts, register it here.
import type { Site } from "../sites/site-schema.ts";
import type { PaginationAdapter } from "./pagination-adapter.ts";
import { gkmlptJson } from "./pagination-gkmlpt-json.ts";
import { hanwebDataproxy } from "./pagination-hanweb-dataproxy.ts";
import { jhtml } from "./pagination-jhtml.ts";
import { nextLink } from "./pagination-next-link.ts";
import { noPagination } from "./pagination-none.ts";
import { trsCreatePageHtml } from "./pagination-trs-create-page-html.ts";
import { trsPageDiv } from "./pagination-trs-page-div.ts";

export const PAGINATION_ADAPTERS: Record<Site["pagination"]["style"], PaginationAdapter> = {
  trs_create_page_html: trsCreatePageHtml,
  trs_page_div: trsPageDiv,
  hanweb_dataproxy: hanwebDataproxy,
  gkmlpt_json: gkmlptJson,
  jhtml,
  next_link: nextLink,
  none: noPagination,
};

export function adapterFor(site: Site): PaginationAdapter {
  return PAGINATION_ADAPTERS[site.pagination.style];
}
