// The browser step of one item: a render:true site's list page, an SPA shell or a challenge gets one
// Chromium render (through the same politeness gate); a failed render keeps the raw result.
import { looksLikeSpaShell } from "../browser/browser-renderer.ts";
import { detectChallenge } from "../fetch/challenge-detect.ts";
import type { FetchResult } from "../fetch/page-fetcher.ts";
import type { FrontierItem } from "../frontier/frontier-store.ts";
import type { Site } from "../sites/site-schema.ts";
import { isAllowedOrigin, siteAllowList } from "../url/allowed-origin.ts";
import type { CrawlContext } from "./crawl-context.ts";

export async function renderIfNeeded(
  ctx: CrawlContext,
  site: Site,
  item: FrontierItem,
  res: FetchResult,
): Promise<{ res: FetchResult; rendered: boolean }> {
  const { browser, gate, opts } = ctx;
  if (!browser) return { res, rendered: false };
  const host = new URL(res.finalUrl).hostname;
  const wantRender =
    res.outcome === "blocked" ||
    (res.outcome === "ok" &&
      res.fileType === "html" &&
      item.kind === "list" &&
      (site.render || looksLikeSpaShell(res.text ?? "")));
  if (!wantRender) return { res, rendered: false };
  try {
    // The browser counts as one request to the host: it goes through the same gate.
    const allowList = siteAllowList(site.allowed_hosts, site.start_urls);
    const page = await gate.run(host, () => browser.render(site.slug, res.finalUrl, allowList));
    // The interceptor aborts off-site navigations; were one to land anyway, its DOM is not the site's.
    // (An aborted reload leaves Chromium's chrome-error: page, judged below by its content.)
    const landedOffsite = /^https?:/i.test(page.finalUrl) && !isAllowedOrigin(page.finalUrl, allowList);
    if (page.offsiteNavigation || landedOffsite) {
      return {
        res: {
          ...res,
          outcome: "skipped",
          reason: `offsite: the rendered page went to ${page.offsiteNavigation ?? page.finalUrl}`,
          body: null,
          text: null,
        },
        rendered: false,
      };
    }
    const challenge = detectChallenge(page.status ?? 200, page.html);
    if (challenge || (page.status ?? 200) >= 400) {
      const why = challenge ? challenge.reason : `HTTP ${page.status}`;
      return {
        res: {
          ...res,
          outcome: "blocked",
          reason: `${res.reason ?? `challenge (${why})`}; browser retry failed: ${why}`,
          challenge: challenge ?? res.challenge,
        },
        rendered: false,
      };
    }
    return {
      res: {
        ...res,
        outcome: "ok",
        reason: null,
        challenge: null,
        status: page.status ?? res.status,
        finalUrl: page.finalUrl,
        text: page.html,
        body: Buffer.from(page.html, "utf8"),
        encoding: "utf-8",
        fileType: "html",
      },
      rendered: true,
    };
  } catch (err) {
    opts.logger.warn({ url: res.finalUrl, err: (err as Error).message }, "browser render failed");
    return {
      res: res.outcome === "blocked" ? { ...res, reason: `${res.reason}; browser retry failed` } : res,
      rendered: false,
    };
  }
}

/** A rendered page's validators describe the shell, not the data: they are not kept. */
export function withoutValidators(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([k]) => !["etag", "last-modified"].includes(k.toLowerCase())),
  );
}
