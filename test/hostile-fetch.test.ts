// Hostile responses at the crawler's door: an endless HTML body, a 50 MB body announced or chunked, and
// an 11 MB page of 1,000,000 nested tags under the 20 MB cap. Each ends with a reason, in bounded time and memory.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FetchRequest, PageFetcher } from "../crawler/fetch/page-fetcher.ts";
import { HostGate } from "../crawler/politeness/host-gate.ts";
import { collectingLogger } from "../fixtures/farm/server/farm-connect.ts";

const MB = 1024 * 1024;
let server: Server;
let port: number;
/** Bytes each path managed to send before the fetcher hung up. */
const sent = new Map<string, number>();

const CHUNK = Buffer.from(`<p>${"政府信息公开工作年度报告。".repeat(200)}</p>\n`);

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? "/";
    let bytes = 0;
    const write = (b: Buffer) => {
      bytes += b.length;
      sent.set(path, bytes);
      return res.write(b);
    };
    const pump = (limit: number) => {
      while (bytes < limit) if (!write(CHUNK)) return void res.once("drain", () => pump(limit));
      res.end();
    };
    res.on("close", () => sent.set(path, bytes));
    if (path === "/robots.txt") {
      res.writeHead(404).end();
    } else if (path === "/endless.html") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      write(Buffer.from("<html><body>"));
      pump(Number.POSITIVE_INFINITY);
    } else if (path === "/announced.html") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": String(50 * MB) });
      pump(50 * MB);
    } else if (path === "/chunked.html") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      pump(50 * MB);
    } else if (path === "/nested.html") {
      const open = Buffer.from("<div>".repeat(1_000_000));
      const close = Buffer.from("</div>".repeat(1_000_000));
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      write(Buffer.from("<html><body>"));
      write(open);
      write(Buffer.from("政府信息公开工作年度报告"));
      write(close);
      res.end("</body></html>");
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
});

/** The crawler's production caps (20 MB HTML), its real politeness gate, and this server for every host. */
function fetcher() {
  const gate = new HostGate({
    politeness: true,
    globalConcurrency: 4,
    perDomainConcurrency: 2,
    defaultDelayMs: 10,
    jitterRatio: 0,
    maxDelayMs: 1000,
    circuitThreshold: 5,
  });
  return new PageFetcher({
    userAgent: "nianbao-test/0.1 (+https://example.org/nianbao)",
    productToken: "nianbao",
    gate,
    retry: { maxRetries: 1, baseBackoffMs: 10, maxBackoffMs: 50, maxRetryAfterMs: 1000 },
    logger: collectingLogger().logger,
    connectTo: () => ({ host: "127.0.0.1", port, tls: false }),
    connectTimeoutMs: 2000,
    totalTimeoutMs: 30_000,
    maxHtmlBytes: 20 * MB,
    maxAttachmentBytes: 100 * MB,
    maxRedirects: 10,
    maxCrawlDelayMs: 30_000,
  });
}
const req = (path: string): FetchRequest => ({
  url: `http://hostile.gov.cn${path}`,
  kind: "report",
  allowedHosts: [],
});

/** Fetches, and checks the time and that the heap did not grow by more than `heapMB` over the fetch. */
async function boundedFetch(path: string, heapMB: number) {
  const heapBefore = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  const r = await fetcher().fetch(req(path));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const grew = (process.memoryUsage().heapUsed - heapBefore) / MB;
  expect(ms, "fetch time (ms)").toBeLessThan(30_000);
  expect(grew, "heap growth (MB)").toBeLessThan(heapMB);
  expect(process.resourceUsage().maxRSS / 1024, "peak RSS (MB)").toBeLessThan(1536);
  return r;
}

describe("hostile response bodies", { timeout: 120_000 }, () => {
  it("an endless HTML body is cut at the 20 MB cap: failed, too_large, not retried", async () => {
    const r = await boundedFetch("/endless.html", 200);
    expect(r.outcome).toBe("failed");
    expect(r.reason).toMatch(/^too_large/);
    expect(r.attempts).toBe(1);
    expect(r.body).toBeNull();
    // The connection was dropped soon after the cap, not drained.
    await new Promise((ok) => setTimeout(ok, 200));
    expect(sent.get("/endless.html")).toBeLessThan(40 * MB);
  });

  it("a 50 MB body announced by Content-Length is refused", async () => {
    const r = await boundedFetch("/announced.html", 200);
    expect(r.outcome).toBe("failed");
    expect(r.reason).toMatch(/^too_large/);
    expect(sent.get("/announced.html")).toBeLessThan(40 * MB);
  });

  it("a 50 MB chunked body is cut at the cap", async () => {
    const r = await boundedFetch("/chunked.html", 200);
    expect(r.outcome).toBe("failed");
    expect(r.reason).toMatch(/^too_large/);
    expect(sent.get("/chunked.html")).toBeLessThan(40 * MB);
  });

  it("an 11 MB page of 1,000,000 nested tags under the cap is fetched and decoded whole", async () => {
    const r = await boundedFetch("/nested.html", 400);
    expect(r.outcome).toBe("ok");
    expect(r.encoding).toBe("utf-8");
    expect(r.text?.length).toBe(12 + 5_000_000 + 12 + 6_000_000 + 14);
    expect(r.text).toContain("政府信息公开工作年度报告");
  });
});
