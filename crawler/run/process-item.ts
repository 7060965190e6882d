// The work of one frontier item: set its host's politeness from its site, fetch it (conditionally when
// an archived copy can stand in), render it if needed, archive the exchange, add its children and
// record its end state, then log the fetch. Returns the host's next item when one was leased with it.
import { createHash } from "node:crypto";
import type { FetchRecord, PreviousBody } from "../archive-port.ts";
import { INCREMENTAL_STOP, LIST_UNREAD, PAGING_CAPPED } from "../crawl-summary.ts";
import type { FetchResult } from "../fetch/page-fetcher.ts";
import type { FrontierItem } from "../frontier/frontier-store.ts";
import type { Site } from "../sites/site-schema.ts";
import { siteAllowList } from "../url/allowed-origin.ts";
import type { CrawlContext } from "./crawl-context.ts";
import { itemChildren } from "./item-children.ts";
import { renderIfNeeded, withoutValidators } from "./render-item.ts";

export function sha256(body: Buffer | null): string | null {
  return body ? createHash("sha256").update(body).digest("hex") : null;
}

/**
 * Fetches one item, archives the exchange and records its end state. Returns the host's next item when
 * it was leased in the same transaction (the caller runs it in this task's place), else null.
 */
export async function processItem(ctx: CrawlContext, item: FrontierItem): Promise<FrontierItem | null> {
  const { opts, frontier, runId } = ctx;
  const site = ctx.sites.get(item.site_slug);
  if (!site) {
    const end = { state: "skipped", outcome: "skipped", reason: "site not in the registry" } as const;
    frontier.complete(runId, item.id, { ...end, fetchId: null, change: null }, []);
    return null;
  }
  applySiteRate(ctx, site, item.host);
  const fetched = await fetchItem(ctx, site, item);
  if (fetched.res.reason === "aborted" || opts.signal?.aborted) {
    frontier.release(item.id); // interrupted: the item goes back to the queue for the resume
    return null;
  }
  const { res, rendered } = await renderIfNeeded(ctx, site, item, fetched.res);
  // Skipped URLs (robots, off-site) were never fetched: nothing to archive.
  const saved =
    res.outcome === "skipped"
      ? null
      : await opts.archive.saveFetch(fetchRecord(ctx, site, item, res, rendered));
  const change = res.outcome === "not_modified" ? "unchanged" : (saved?.change ?? null);
  const { children, stoppedEarly, pagingEnd } = await itemChildren(
    ctx,
    site,
    item,
    res,
    fetched.previousList,
  );

  const state =
    res.outcome === "ok" || res.outcome === "not_modified"
      ? "done"
      : res.outcome === "skipped"
        ? "skipped"
        : "failed";
  // One task per host at a time: the host's next item is leased with this one's end state.
  const leaseNext =
    ctx.leaseNext && (site.rate.concurrency ?? 1) === 1 && !opts.signal?.aborted
      ? { host: item.host, ...ctx.leaseNext }
      : undefined;
  // A list page where paging stopped because its reports are all known: the summary says so.
  // A list page that ended the walk early (capped, unreadable): the summary then judges no withdrawals.
  const reason = stoppedEarly
    ? INCREMENTAL_STOP
    : pagingEnd === "capped"
      ? PAGING_CAPPED
      : pagingEnd === "unread"
        ? LIST_UNREAD
        : (saved?.extractOutcome ?? res.reason);
  const end = { state, outcome: res.outcome, reason, fetchId: saved?.fetchId ?? null, change } as const;
  const next = await ctx.completions.complete(runId, item.id, end, children, leaseNext);
  if (state === "failed") ctx.counters.failed++;
  else ctx.counters.done++;
  try {
    logFetch(ctx, site, item, res, { change, rendered, stoppedEarly });
  } catch (err) {
    if (next) frontier.release(next.id); // nobody would run it: back to the queue
    throw err;
  }
  return next;
}

/** A host's delay and caps come from its site, set once, before its first request (robots.txt included). */
function applySiteRate(ctx: CrawlContext, site: Site, host: string): void {
  if (ctx.hostDelaysSet.has(host)) return;
  ctx.hostDelaysSet.add(host);
  ctx.gate.initDelay(host, site.rate.delay_ms ?? ctx.opts.defaultDelayMs ?? 1000);
  ctx.gate.initConcurrency(host, site.rate.concurrency ?? 1);
  if (site.rate.per_domain !== undefined) ctx.gate.initDomainConcurrency(host, site.rate.per_domain);
}

async function fetchItem(
  ctx: CrawlContext,
  site: Site,
  item: FrontierItem,
): Promise<{ res: FetchResult; previousList: PreviousBody | null }> {
  const { opts, fetcher } = ctx;
  // A list page is asked conditionally only when its archived body can stand in for a 304 (its links
  // are needed; validators come only from fetches that kept a body) and the site is not rendered (a
  // rendered list's data need not change with its shell).
  const conditional = item.kind !== "list" || (!site.render && opts.archive.previousBody !== undefined);
  const request = {
    url: item.url,
    kind: item.kind,
    allowedHosts: siteAllowList(site.allowed_hosts, site.start_urls),
    validators: conditional ? await opts.archive.previousValidators(item.url) : null,
    legacyTls: site.legacy_tls,
    charset: site.charset,
  };
  const res = await fetcher.fetch(request);
  if (item.kind !== "list" || res.outcome !== "not_modified") return { res, previousList: null };
  // A list page's 304 is read from its archived body (loaded only then); were it gone, the page is
  // fetched whole.
  const previousList = (await opts.archive.previousBody?.(item.url)) ?? null;
  if (previousList) return { res, previousList };
  return { res: await fetcher.fetch({ ...request, validators: null }), previousList: null };
}

function fetchRecord(
  ctx: CrawlContext,
  site: Site,
  item: FrontierItem,
  res: FetchResult,
  rendered: boolean,
): FetchRecord {
  return {
    runId: ctx.runId,
    siteSlug: site.slug,
    url: item.url,
    finalUrl: res.finalUrl,
    kind: item.kind,
    linkTitle: item.link_title,
    linkedFrom: item.kind === "attachment" ? item.parent_url : null,
    status: res.status,
    // The archived body of a rendered page is the DOM after scripts; the response's validators describe
    // the shell, so they are not kept (a later 304 on the shell says nothing about the data).
    headers: rendered ? withoutValidators(res.headers) : res.headers,
    body: res.body,
    sha256: sha256(res.body),
    contentType: res.headers["content-type"] ?? null,
    encoding: res.encoding,
    fileType: res.fileType,
    outcome: res.outcome,
    reason: res.reason,
    fetchedAt: res.fetchedAt,
    ms: Math.round(res.ms),
    attempts: res.attempts,
    redirects: res.redirects,
    rendered,
  };
}

function logFetch(
  ctx: CrawlContext,
  site: Site,
  item: FrontierItem,
  res: FetchResult,
  how: { change: string | null; rendered: boolean; stoppedEarly: boolean },
): void {
  ctx.opts.logger.info(
    {
      event: "fetch",
      site: site.slug,
      kind: item.kind,
      url: item.url,
      final_url: res.finalUrl === item.url ? undefined : res.finalUrl,
      status: res.status,
      ms: Math.round(res.ms),
      bytes: res.body?.length ?? 0,
      encoding: res.encoding,
      file_type: res.fileType,
      attempt: res.attempts,
      outcome: res.outcome,
      reason: res.reason ?? undefined,
      change: how.change ?? undefined,
      rendered: how.rendered || undefined,
      incremental_stop: how.stoppedEarly || undefined,
    },
    "fetch",
  );
}
