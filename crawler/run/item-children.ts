// What one fetched item adds to the frontier: a list page's report links and next pages (unless every
// report on it is already known: the incremental stop), a report page's attachments.

import type { PreviousBody } from "../archive-port.ts";
import { decodeServed } from "../decode/decode-body.ts";
import { attachmentLinks } from "../discover/attachment-links.ts";
import type { FetchResult } from "../fetch/page-fetcher.ts";
import type { FrontierItem, NewItem } from "../frontier/frontier-store.ts";
import { adapterFor } from "../pagination/pagination-index.ts";
import type { Site } from "../sites/site-schema.ts";
import { siteAllowList } from "../url/allowed-origin.ts";
import { canonicalUrl } from "../url/canonical-url.ts";
import type { CrawlContext } from "./crawl-context.ts";

export interface ItemChildren {
  children: NewItem[];
  /** A list page where paging stopped because its reports are all known. */
  stoppedEarly: boolean;
  /**
   * A list page that ended the walk short of the list's end: more pages than max_pages (capped), or a
   * page answered but not readable (unread). Either way reports further on were not seen this run.
   */
  pagingEnd?: "capped" | "unread";
}

export function childItems(
  site: Site,
  parent: { depth: number },
  kind: NewItem["kind"],
  links: { url: string; title: string | null; pageIndex?: number }[],
  parentUrl: string | null = null,
): NewItem[] {
  const out: NewItem[] = [];
  for (const l of links) {
    const canonical = canonicalUrl(l.url);
    if (!canonical) continue;
    out.push({
      siteSlug: site.slug,
      url: canonical,
      canonicalUrl: canonical,
      depth: parent.depth + 1,
      kind,
      pageIndex: l.pageIndex ?? 0,
      linkTitle: l.title,
      parentUrl,
    });
  }
  return out;
}

/** The page a list item is read from: the fetched body, or for a 304 its archived copy (same links). */
function listPageOf(
  site: Site,
  res: FetchResult,
  previousList: PreviousBody | null,
): { url: string; text: string } | null {
  if (res.outcome === "ok" && res.text !== null) return { url: res.finalUrl, text: res.text };
  if (res.outcome === "not_modified" && previousList)
    return {
      url: previousList.finalUrl,
      text: decodeServed(previousList.body, previousList.contentType, site.charset).text,
    };
  return null;
}

export async function itemChildren(
  ctx: CrawlContext,
  site: Site,
  item: FrontierItem,
  res: FetchResult,
  previousList: PreviousBody | null,
): Promise<ItemChildren> {
  if (item.kind === "list") {
    const page = listPageOf(site, res, previousList);
    if (page) return listChildren(ctx, site, item, page);
    const answered = res.outcome === "ok" || res.outcome === "not_modified";
    return { children: [], stoppedEarly: false, ...(answered ? { pagingEnd: "unread" as const } : {}) };
  }
  if (res.outcome === "ok" && item.kind === "report" && res.fileType === "html" && res.text !== null) {
    const urls = attachmentLinks(res.text, res.finalUrl, siteAllowList(site.allowed_hosts, site.start_urls));
    const children = childItems(
      site,
      item,
      "attachment",
      urls.map((url) => ({ url, title: null })),
      res.finalUrl,
    );
    return { children, stoppedEarly: false };
  }
  return { children: [], stoppedEarly: false };
}

async function listChildren(
  ctx: CrawlContext,
  site: Site,
  item: FrontierItem,
  page: { url: string; text: string },
): Promise<ItemChildren> {
  const { opts, runId } = ctx;
  const parsed = adapterFor(site).parseList(
    { url: page.url, text: page.text, pageIndex: item.page_index },
    site,
  );
  const children = childItems(
    site,
    item,
    "report",
    parsed.reportLinks.map((l) => ({ url: l.url, title: l.title })),
  );
  // Incremental stop: a list page whose every report link an earlier run already has.
  let allKnown = parsed.reportLinks.length > 0;
  for (const l of parsed.reportLinks) {
    if (!(await opts.archive.seenBefore(l.url, runId))) {
      allKnown = false;
      break;
    }
  }
  if (allKnown) return { children, stoppedEarly: parsed.nextPages.length > 0 };
  const maxPages = opts.maxPages ?? site.pagination.max_pages;
  const pages = parsed.nextPages.map((url, i) => ({ url, title: null, pageIndex: item.page_index + 1 + i }));
  const next = pages.filter((p) => p.pageIndex < maxPages);
  children.push(...childItems(site, item, "list", next));
  return {
    children,
    stoppedEarly: false,
    ...(next.length < pages.length ? { pagingEnd: "capped" as const } : {}),
  };
}
