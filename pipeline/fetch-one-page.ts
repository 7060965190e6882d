// `extract <URL>` fetches with the crawler's own fetcher, so one page from the command line has the
// crawl's bounds: body caps, connect and total timeouts, robots.txt, and redirects kept on the URL's
// own origin (scheme, host, port) or *.gov.cn. Every way it can fail is a NianbaoError (exit 2).
import { Writable } from "node:stream";
import pino from "pino";
import { NianbaoError } from "../core/errors.ts";
import { MAX_ATTACHMENT_BYTES, MAX_CRAWL_PAGE_BYTES } from "../core/size-caps.ts";
import { DEFAULT_USER_AGENT } from "../crawler/crawl-engine.ts";
import type { ConnectTo } from "../crawler/fetch/http-exchange.ts";
import { PageFetcher } from "../crawler/fetch/page-fetcher.ts";
import { HostGate } from "../crawler/politeness/host-gate.ts";
import { siteAllowList } from "../crawler/url/allowed-origin.ts";
import { canonicalUrl } from "../crawler/url/canonical-url.ts";

export interface FetchOnePageOptions {
  /** Total time for one exchange (connect and body included). */
  timeoutMs?: number;
  connectTo?: ConnectTo;
  userAgent?: string;
}

const quiet = pino({ level: "silent" }, new Writable({ write: (_c, _e, done) => done() }));

export async function fetchOnePage(
  url: string,
  opts: FetchOnePageOptions = {},
): Promise<{ bytes: Uint8Array; contentType: string | null; finalUrl: string }> {
  const canonical = canonicalUrl(url);
  if (!canonical)
    throw new NianbaoError(
      "bad_usage",
      `${url} is not an http(s) URL`,
      "pass an http(s) URL or a saved file",
    );
  const u = new URL(canonical);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const fetcher = new PageFetcher({
    userAgent: opts.userAgent ?? DEFAULT_USER_AGENT,
    productToken: "nianbao",
    gate: new HostGate({
      politeness: true,
      globalConcurrency: 1,
      perDomainConcurrency: 1,
      defaultDelayMs: 0,
      jitterRatio: 0,
      maxDelayMs: 5_000,
      circuitThreshold: 5,
    }),
    retry: { maxRetries: 1, baseBackoffMs: 500, maxBackoffMs: 2_000, maxRetryAfterMs: 5_000 },
    logger: quiet,
    connectTo: opts.connectTo,
    connectTimeoutMs: Math.min(10_000, timeoutMs),
    totalTimeoutMs: timeoutMs,
    maxHtmlBytes: MAX_CRAWL_PAGE_BYTES,
    maxAttachmentBytes: MAX_ATTACHMENT_BYTES,
    maxRedirects: 10,
    maxCrawlDelayMs: 0,
  });
  // The URL's own host (on its own port) is allowed besides *.gov.cn: that is the page asked for.
  const allowList = siteAllowList([u.hostname], [canonical]);
  const res = await fetcher.fetch({ url: canonical, kind: "report", allowedHosts: allowList });
  if (res.outcome === "ok" && res.body) {
    return {
      bytes: new Uint8Array(res.body),
      contentType: res.headers["content-type"] ?? null,
      finalUrl: res.finalUrl,
    };
  }
  const why =
    res.outcome === "blocked"
      ? `answered with an anti-bot challenge (${res.reason})`
      : res.outcome === "skipped"
        ? `was not fetched: ${res.reason}`
        : `could not be fetched: ${res.reason ?? `HTTP ${res.status}`}`;
  throw new NianbaoError(
    "input_unreadable",
    `${url} ${why}`,
    res.outcome === "skipped" && res.reason?.startsWith("offsite")
      ? "it redirects off its own origin; pass the final URL, or save the page and pass the file"
      : "check the URL; save the page from a browser and pass the file instead",
  );
}
