// One network boundary: no request of a crawl — robots.txt, a redirect hop, an attachment, a browser
// subrequest, Chromium's own traffic — reaches an origin the site does not allow. Every host but the
// portal's resolves to a second 127.0.0.1 server whose request log must stay empty.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectTo } from "../crawler/fetch/http-exchange.ts";
import { type Site, siteSchema } from "../crawler/sites/site-schema.ts";
import { isAllowedOrigin, siteAllowList } from "../crawler/url/allowed-origin.ts";
import { collectingLogger } from "../fixtures/farm/server/farm-connect.ts";
import { convertWithLibreOffice, findSoffice, runSoffice } from "../pipeline/convert-libreoffice.ts";
import { crawlIntoStore } from "../pipeline/crawl.ts";

const CHROMIUM = "/usr/bin/chromium";
const REPORT = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>示例县民政局2023年政府信息公开工作年度报告</title></head>
<body><h1>示例县民政局2023年政府信息公开工作年度报告</h1><p>${"一、总体情况。本机关全年主动公开政府信息。".repeat(20)}</p>`;

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;
async function listen(handler: Handler): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, port: (server.address() as AddressInfo).port };
}

let portal: { server: Server; port: number };
let outside: { server: Server; port: number };
/** Every request the outside server saw: host header and path. */
const outsideLog: string[] = [];
let dir: string;

const html = (res: ServerResponse, body: string) =>
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body);
const redirect = (res: ServerResponse, to: string) => res.writeHead(302, { location: to }).end();

/** The portal answers for several virtual hosts, each probing one way out. */
function portalRoutes(req: IncomingMessage, res: ServerResponse): unknown {
  const host = (req.headers.host ?? "").replace(/:\d+$/, "");
  const path = req.url ?? "/";
  const o = outside.port;
  if (path === "/robots.txt") {
    // robots-off: to a host outside the allowlist; robots-port: the same host on another port.
    if (host === "robots-off.gov.cn") return redirect(res, "http://www.example.com/robots.txt");
    if (host === "robots-port.gov.cn") return redirect(res, `http://robots-port.gov.cn:${o}/robots.txt`);
    return void res.writeHead(404).end();
  }
  if (path === "/ndbg/index.html") {
    const links = [
      ["/ndbg/port.html", "示例县民政局2023年政府信息公开工作年度报告"],
      ["/ndbg/off.html", "示例县民政局2022年政府信息公开工作年度报告"],
      ["/ndbg/ok.html", "示例县民政局2021年政府信息公开工作年度报告"],
    ];
    return html(
      res,
      `<html><body><ul>${links.map(([h, t]) => `<li><a href="${h}">${t}</a></li>`).join("")}</ul></body></html>`,
    );
  }
  if (path === "/ndbg/port.html") return redirect(res, `http://${host}:${o}/ndbg/port.html`);
  if (path === "/ndbg/off.html") return redirect(res, "http://www.example.com/ndbg/off.html");
  if (path === "/ndbg/ok.html")
    return html(
      res,
      `${REPORT}<a href="http://${host}:${o}/files/a.pdf">附件1</a><a href="/files/b.pdf">附件2</a></body></html>`,
    );
  if (path === "/files/b.pdf")
    return void res.writeHead(200, { "content-type": "application/pdf" }).end("%PDF-1.4\n%%EOF\n");
  // A rendered list page whose scripts reach for other hosts, frames, ports, a service worker, a
  // WebSocket, a popup, and finally send the page itself off-site.
  if (path === "/spa/index.html") {
    return html(
      res,
      `<html><body><div id="app"></div>
<iframe src="http://frames.example.com/frame.html"></iframe>
<img src="http://img.example.com/x.png">
<script>
fetch("http://api.example.com/data.json").catch(()=>{});
fetch("http://${host}:${o}/port.json").catch(()=>{});
fetch("http://127.0.0.1:${o}/loopback.json").catch(()=>{});
new Image().src = "http://pixel.example.com/p.gif";
try { navigator.serviceWorker.register("/sw.js").catch(()=>{}); } catch (e) {}
try { new WebSocket("ws://ws.example.com/socket"); } catch (e) {}
navigator.sendBeacon && navigator.sendBeacon("http://beacon.example.com/b", "x");
window.open("http://popup.example.com/");
document.getElementById("app").innerHTML = '<ul><li><a href="/ndbg/ok.html">示例县民政局2021年政府信息公开工作年度报告</a></li></ul>';
</script></body></html>`,
    );
  }
  if (path === "/jump/index.html") {
    // A script redirect the fetcher cannot read as a shell: the browser is asked, and must not leave.
    return html(
      res,
      `<html><body><div id="app"></div><script>setTimeout(function(){ location.href = ["http://www", "example", "com/list.html"].join("."); }, 10);</script></body></html>`,
    );
  }
  if (path === "/sw.js") return void res.writeHead(200, { "content-type": "text/javascript" }).end("");
  res.writeHead(404).end();
}

beforeAll(async () => {
  outside = await listen((req, res) => {
    outsideLog.push(`${req.headers.host ?? ""}${req.url ?? ""}`);
    // It answers like a willing server, so a request let through would also leave a trace in the database.
    html(res, `${REPORT}</body></html>`);
  });
  portal = await listen(portalRoutes);
  dir = mkdtempSync(join(tmpdir(), "nianbao-boundary-"));
});
afterAll(async () => {
  await new Promise((ok) => portal.server.close(ok));
  await new Promise((ok) => outside.server.close(ok));
  rmSync(dir, { recursive: true, force: true });
});

/** *.gov.cn on the default port → the portal; any explicit port → that port; anything else → outside. */
const connectTo: ConnectTo = (u) => ({
  host: "127.0.0.1",
  port: u.port ? Number(u.port) : u.hostname.endsWith(".gov.cn") ? portal.port : outside.port,
  tls: false,
});

function site(host: string, start: string, extra: Partial<Site> = {}): Site {
  const slug = host.replace(/\.gov\.cn$/, "");
  return siteSchema.parse({
    slug,
    name: `${slug} 门户`,
    agency: "示例县民政局",
    province: "测试",
    level: "county",
    start_urls: [`http://${host}${start}`],
    pagination: { style: "none", params: {}, max_pages: 1 },
    rate: { delay_ms: 0 },
    expect: { min_reports: 0 },
    ...extra,
  });
}

function fetchRows(dbPath: string): { url: string; final_url: string }[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare("SELECT url, final_url FROM fetches").all() as { url: string; final_url: string }[];
  } finally {
    db.close();
  }
}

describe("allowed origins", () => {
  it("compare scheme, host and port", () => {
    const list = siteAllowList(["files.example.org", "127.0.0.1"], ["http://127.0.0.1:8080/ndbg/"]);
    expect(isAllowedOrigin("https://mzj.wuhan.gov.cn/a", list)).toBe(true);
    expect(isAllowedOrigin("http://mzj.wuhan.gov.cn:80/a", list)).toBe(true);
    expect(isAllowedOrigin("http://mzj.wuhan.gov.cn:8080/a", list)).toBe(false);
    expect(isAllowedOrigin("http://mzj.wuhan.gov.cn:443/a", list)).toBe(false);
    expect(isAllowedOrigin("ftp://mzj.wuhan.gov.cn/a", list)).toBe(false);
    expect(isAllowedOrigin("http://files.example.org/x.pdf", list)).toBe(true);
    expect(isAllowedOrigin("http://files.example.org:81/x.pdf", list)).toBe(false);
    expect(isAllowedOrigin("http://127.0.0.1:8080/ndbg/1.html", list)).toBe(true);
    expect(isAllowedOrigin("http://127.0.0.1:8081/ndbg/1.html", list)).toBe(false);
    expect(isAllowedOrigin("http://www.example.com/", list)).toBe(false);
    expect(isAllowedOrigin("not a url", list)).toBe(false);
  });
});

describe("the crawl's network boundary", () => {
  it("never sends robots.txt redirects, redirect hops or attachments to another host or port", async () => {
    outsideLog.length = 0;
    const dbPath = join(dir, "fetch.sqlite");
    const sites = ["robots-off.gov.cn", "robots-port.gov.cn", "pages.gov.cn"].map((h) =>
      site(h, "/ndbg/index.html"),
    );
    const { summary } = await crawlIntoStore({
      dbPath,
      sites,
      logger: collectingLogger().logger,
      connectTo,
      browser: null,
      extract: false,
    });
    expect(outsideLog).toEqual([]);
    const pages = summary.sites.find((s) => s.site === "pages")!;
    expect(pages.reportsFound).toBe(3);
    const rows = fetchRows(dbPath);
    for (const r of rows) {
      expect(new URL(r.final_url).port, r.final_url).toBe("");
      expect(new URL(r.final_url).hostname.endsWith(".gov.cn"), r.final_url).toBe(true);
    }
    // The allowed attachment was fetched; the one on another port was never queued.
    expect(rows.some((r) => r.url === "http://pages.gov.cn/files/b.pdf")).toBe(true);
    expect(rows.some((r) => r.url.includes("/files/a.pdf"))).toBe(false);
    // No robots.txt body was archived from the hops that were refused.
    expect(rows.filter((r) => r.url.endsWith("/robots.txt"))).toEqual([]);
    const db = new Database(dbPath, { readonly: true });
    const skipped = db
      .prepare("SELECT url, reason FROM crawl_frontier WHERE state = 'skipped' ORDER BY url")
      .all() as { url: string; reason: string }[];
    db.close();
    expect(skipped.map((s) => s.reason).filter((r) => r.startsWith("offsite")).length).toBeGreaterThanOrEqual(
      6,
    );
    expect(skipped.find((s) => s.url === "http://pages.gov.cn/ndbg/port.html")?.reason).toBe(
      `offsite: pages.gov.cn:${outside.port} is not an allowed origin`,
    );
  });

  it.skipIf(!existsSync(CHROMIUM))(
    "keeps Chromium inside the allowed origins: subrequests, frames, ports, workers, script redirects, its own traffic",
    async () => {
      outsideLog.length = 0;
      const dbPath = join(dir, "browser.sqlite");
      const sites = [
        site("spa.gov.cn", "/spa/index.html", { render: true }),
        site("jump.gov.cn", "/jump/index.html", { render: true }),
      ];
      const { summary } = await crawlIntoStore({
        dbPath,
        sites,
        logger: collectingLogger().logger,
        connectTo,
        browser: {
          executablePath: CHROMIUM,
          userAgent: "nianbao-test",
          // Names resolve as connectTo does: the portal's hosts to the portal, all else to the outside.
          hostResolverRules: `MAP *.gov.cn 127.0.0.1:${portal.port}, MAP * 127.0.0.1:${outside.port}`,
          settleMs: 1500,
        },
        extract: false,
      });
      expect(outsideLog).toEqual([]);
      // The rendered list still worked: its report link was found and fetched.
      expect(summary.sites.find((s) => s.site === "spa")!.reportsFound).toBe(1);
      // The off-site script redirect was not archived as the site's list page.
      const rows = fetchRows(dbPath);
      for (const r of rows) expect(isAllowedOrigin(r.final_url, []), r.final_url).toBe(true);
      const db = new Database(dbPath, { readonly: true });
      const jump = db
        .prepare("SELECT state, reason FROM crawl_frontier WHERE url = 'http://jump.gov.cn/jump/index.html'")
        .get();
      db.close();
      expect(jump).toEqual({
        state: "skipped",
        reason: expect.stringMatching(
          /^offsite: the rendered page went to https?:\/\/www\.example\.com\/list\.html$/,
        ),
      });
    },
    60_000,
  );
});

const soffice = await findSoffice();

describe.skipIf(!soffice)("LibreOffice conversions", () => {
  it("never fetch what a document links to", async () => {
    outsideLog.length = 0;
    const linked = `http://127.0.0.1:${outside.port}/linked.png`;
    const page = join(dir, "linked.html");
    writeFileSync(
      page,
      `<html><body><p>示例县民政局2023年政府信息公开工作年度报告</p><img src="${linked}" width="10" height="10"></body></html>`,
    );
    // Writer keeps an HTML page's images as links: the ODT made from it links the image.
    const odt = await runSoffice({
      input: page,
      convertTo: "odt",
      outDir: join(dir, "odt"),
      timeoutMs: 60_000,
      inFilter: "HTML (StarWriter)",
    });
    const html = await convertWithLibreOffice(new Uint8Array(readFileSync(odt)), "odt", 60_000);
    expect(html).toContain(linked);
    expect(outsideLog).toEqual([]);
  }, 120_000);
});
