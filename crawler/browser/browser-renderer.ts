// Renders pages in the system Chromium (playwright-core) for render:true sites, SPA shells and one
// challenge retry. One context per site, recycled after N pages; images, fonts and analytics never load,
// and no request leaves the site's allowed origins (every one passes an interceptor that aborts the rest).
import type { Browser, BrowserContext, Route } from "playwright-core";
import { isAllowedOrigin } from "../url/allowed-origin.ts";

export interface BrowserOptions {
  executablePath: string;
  userAgent: string;
  /** Chromium --host-resolver-rules (tests map every host to the farm). */
  hostResolverRules?: string;
  pagesPerContext?: number;
  navigationTimeoutMs?: number;
  /** Extra time after load for scripts that draw lists late. */
  settleMs?: number;
}

export interface RenderedPage {
  status: number | null;
  finalUrl: string;
  html: string;
  /** A main-frame navigation off the allowed origins that was aborted (a script sending the page away). */
  offsiteNavigation: string | null;
}

/** Main-frame navigations allowed per render (the page plus one self-reload, as a cookie shell does). */
const MAX_NAVIGATIONS = 2;
const BLOCKED_TYPES = new Set(["image", "font", "media"]);
const ANALYTICS =
  /(hm\.baidu\.com|cnzz\.com|google-analytics\.com|googletagmanager\.com|51\.la|umeng\.com|zhuge\.io)/;
/** Schemes that never reach the network: a page may use them freely. */
const LOCAL_SCHEME = /^(data|blob|about):/i;

/**
 * Chromium's own traffic (update checks, safe browsing, field trials, metrics, translation, WebRTC
 * probes) is no part of a render and goes nowhere: the interceptor only sees the pages' requests.
 */
const QUIET_ARGS = [
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
  "--disable-extensions",
  "--disable-client-side-phishing-detection",
  "--safebrowsing-disable-auto-update",
  "--disable-domain-reliability",
  "--disable-breakpad",
  "--metrics-recording-only",
  "--no-pings",
  "--no-first-run",
  "--no-default-browser-check",
  "--no-service-autorun",
  "--dns-prefetch-disable",
  "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
  "--webrtc-ip-handling-policy=disable_non_proxied_udp",
  "--disable-features=OptimizationHints,OptimizationGuideModelDownloading,MediaRouter,DialMediaRouteProvider,Translate,AutofillServerCommunication,CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions,NetworkPrediction,NetworkTimeServiceQuerying,HttpsUpgrades",
];
/**
 * Some builds still call home (component updates, network time) whatever the flags say: their
 * service hosts resolve to nothing. First match wins, so these go before any caller's rules.
 */
const SILENT_HOSTS = ["*.google.com", "*.googleapis.com", "*.gvt1.com", "*.gvt2.com", "*.gstatic.com"]
  .map((h) => `MAP ${h} ~NOTFOUND`)
  .join(", ");

export class BrowserRenderer {
  private browser: Browser | null = null;
  private launching: Promise<Browser> | null = null;
  private readonly contexts = new Map<string, { context: BrowserContext; pages: number }>();

  constructor(private readonly opts: BrowserOptions) {}

  /** One launch however many renders ask at once (two racing launches would leave a Chromium behind). */
  private launch(): Promise<Browser> {
    this.launching ??= this.start().then(
      (b) => {
        this.browser = b;
        return b;
      },
      (err: unknown) => {
        this.launching = null; // the next render tries again
        throw err;
      },
    );
    return this.launching;
  }

  private async start(): Promise<Browser> {
    const args = ["--no-sandbox", "--headless", "--disable-gpu", ...QUIET_ARGS];
    const rules = this.opts.hostResolverRules
      ? `${SILENT_HOSTS}, ${this.opts.hostResolverRules}`
      : SILENT_HOSTS;
    args.push(`--host-resolver-rules=${rules}`);
    // Loaded on first launch: playwright-core costs some 65 MB of RSS, and most crawls never render.
    const { chromium } = await import("playwright-core");
    return chromium.launch({ executablePath: this.opts.executablePath, args, headless: true });
  }

  private async contextFor(siteSlug: string, allowList: readonly string[]): Promise<BrowserContext> {
    const limit = this.opts.pagesPerContext ?? 100;
    const existing = this.contexts.get(siteSlug);
    if (existing && existing.pages < limit) {
      existing.pages++;
      return existing.context;
    }
    if (existing) await existing.context.close().catch(() => {});
    const browser = await this.launch();
    const context = await browser.newContext({
      userAgent: this.opts.userAgent,
      locale: "zh-CN",
      javaScriptEnabled: true,
      // A service worker's fetches would bypass the interceptor.
      serviceWorkers: "block",
    });
    // Every request of every page, frame and popup of the context, before it is sent.
    await context.route("**/*", (route) => guardRequest(route, allowList));
    // WebSockets are not routed like requests, and no report needs one.
    await context.routeWebSocket(/.*/, (ws) => ws.close({ code: 1008, reason: "not allowed" }));
    this.contexts.set(siteSlug, { context, pages: 1 });
    return context;
  }

  /** Pages rendered in the site's current context (tests check the recycling). */
  contextPages(siteSlug: string): number {
    return this.contexts.get(siteSlug)?.pages ?? 0;
  }

  /** `allowList` as `siteAllowList` builds it: what the page may load; everything else is aborted. */
  async render(siteSlug: string, url: string, allowList: readonly string[]): Promise<RenderedPage> {
    const context = await this.contextFor(siteSlug, allowList);
    const page = await context.newPage();
    let navigations = 0;
    let status: number | null = null;
    let offsiteNavigation: string | null = null;
    // Shells like 加速乐 reload themselves forever when their cookie does not stick: cap the reloads
    // so one render stays one or two requests to the host, never a flood.
    // The page's own route runs first and falls back to the context's origin guard.
    await page.route("**/*", (route) => {
      const req = route.request();
      if (!req.isNavigationRequest() || req.frame() !== page.mainFrame()) return route.fallback();
      if (!LOCAL_SCHEME.test(req.url()) && !isAllowedOrigin(req.url(), allowList)) {
        offsiteNavigation ??= req.url();
        return route.abort("blockedbyclient");
      }
      if (++navigations > MAX_NAVIGATIONS) return route.abort();
      return route.fallback();
    });
    page.on("response", (res) => {
      if (res.request().isNavigationRequest() && res.frame() === page.mainFrame()) status = res.status();
    });
    const timeout = this.opts.navigationTimeoutMs ?? 30_000;
    try {
      await page.goto(url, { waitUntil: "domcontentloaded", timeout }).catch((err: Error) => {
        if (status === null) throw err; // nothing arrived at all: a real failure
      });
      await page.waitForLoadState("load", { timeout: 5_000 }).catch(() => {});
      await page.waitForLoadState("networkidle", { timeout: 2_000 }).catch(() => {});
      if (this.opts.settleMs) await page.waitForTimeout(this.opts.settleMs);
      const html = await page.content().catch(() => "");
      return { status, finalUrl: page.url(), html, offsiteNavigation };
    } finally {
      await page.close().catch(() => {});
    }
  }

  async close(): Promise<void> {
    for (const { context } of this.contexts.values()) await context.close().catch(() => {});
    this.contexts.clear();
    // A launch still under way is waited for, so its Chromium is closed too.
    const browser = this.browser ?? (await this.launching?.catch(() => null)) ?? null;
    this.launching = null;
    this.browser = null;
    if (browser) await browser.close().catch(() => {});
  }
}

function guardRequest(route: Route, allowList: readonly string[]): Promise<void> {
  const req = route.request();
  const url = req.url();
  if (LOCAL_SCHEME.test(url)) return route.continue();
  if (!isAllowedOrigin(url, allowList)) return route.abort("blockedbyclient");
  if (BLOCKED_TYPES.has(req.resourceType()) || ANALYTICS.test(url)) return route.abort();
  return route.continue();
}

/** An SPA shell: a page with scripts, an app root and almost no text or links of its own. */
export function looksLikeSpaShell(html: string): boolean {
  if (html.length > 200_000) return false;
  const links = (html.match(/<a\s[^>]*href/gi) ?? []).length;
  const text = html
    .replace(/<script[\s\S]*?<\/script>/gi, "")
    .replace(/<style[\s\S]*?<\/style>/gi, "")
    .replace(/<[^>]+>/g, "")
    .replace(/\s+/g, "");
  const hasRoot = /<div[^>]+id=["'](app|root|__next|__nuxt)["']/i.test(html);
  return hasRoot && /<script/i.test(html) && links <= 2 && text.length < 300;
}
