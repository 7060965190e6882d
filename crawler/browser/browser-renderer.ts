// Renders pages in the system Chromium (playwright-core) for render:true sites, SPA shells and one
// challenge retry. One context per site, recycled after N pages; images, fonts and analytics never load.
import { type Browser, type BrowserContext, chromium } from "playwright-core";

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
}

/** Main-frame navigations allowed per render (the page plus one self-reload, as a cookie shell does). */
const MAX_NAVIGATIONS = 2;
const BLOCKED_TYPES = new Set(["image", "font", "media"]);
const ANALYTICS =
  /(hm\.baidu\.com|cnzz\.com|google-analytics\.com|googletagmanager\.com|51\.la|umeng\.com|zhuge\.io)/;

export class BrowserRenderer {
  private browser: Browser | null = null;
  private readonly contexts = new Map<string, { context: BrowserContext; pages: number }>();

  constructor(private readonly opts: BrowserOptions) {}

  private async launch(): Promise<Browser> {
    if (!this.browser) {
      const args = [
        "--no-sandbox",
        "--headless",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-features=OptimizationHints,MediaRouter,Translate",
        "--disable-domain-reliability",
      ];
      if (this.opts.hostResolverRules) args.push(`--host-resolver-rules=${this.opts.hostResolverRules}`);
      this.browser = await chromium.launch({
        executablePath: this.opts.executablePath,
        args,
        headless: true,
      });
    }
    return this.browser;
  }

  private async contextFor(siteSlug: string): Promise<BrowserContext> {
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
    });
    this.contexts.set(siteSlug, { context, pages: 1 });
    return context;
  }

  /** Pages rendered in the site's current context (tests check the recycling). */
  contextPages(siteSlug: string): number {
    return this.contexts.get(siteSlug)?.pages ?? 0;
  }

  async render(siteSlug: string, url: string): Promise<RenderedPage> {
    const context = await this.contextFor(siteSlug);
    const page = await context.newPage();
    let navigations = 0;
    let status: number | null = null;
    // Shells like 加速乐 reload themselves forever when their cookie does not stick: cap the reloads
    // so one render stays one or two requests to the host, never a flood.
    await page.route("**/*", (route) => {
      const req = route.request();
      if (BLOCKED_TYPES.has(req.resourceType()) || ANALYTICS.test(req.url())) return route.abort();
      if (req.isNavigationRequest() && req.frame() === page.mainFrame() && ++navigations > MAX_NAVIGATIONS) {
        return route.abort();
      }
      return route.continue();
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
      return { status, finalUrl: page.url(), html };
    } finally {
      await page.close().catch(() => {});
    }
  }

  async close(): Promise<void> {
    for (const { context } of this.contexts.values()) await context.close().catch(() => {});
    this.contexts.clear();
    if (this.browser) await this.browser.close().catch(() => {});
    this.browser = null;
  }
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
