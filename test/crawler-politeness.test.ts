// The politeness gate measured on the farm's request log: at most 2 in flight per registrable
// domain, the global cap, slow-down on 429, and the circuit breaker after 5 consecutive failures.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PageFetcher } from "../crawler/fetch/page-fetcher.ts";
import { HostGate, type HostGateOptions } from "../crawler/politeness/host-gate.ts";
import { collectingLogger, farmConnectTo } from "../fixtures/farm/server/farm-connect.ts";
import { type Farm, type FarmRequest, startFarm } from "../fixtures/farm/server/farm-server.ts";

let farm: Farm;
beforeAll(async () => {
  farm = await startFarm();
});
afterAll(() => farm.close());

function setup(gateOpts: Partial<HostGateOptions> = {}) {
  const gate = new HostGate({
    politeness: true,
    globalConcurrency: 8,
    perDomainConcurrency: 2,
    defaultDelayMs: 10,
    jitterRatio: 0,
    maxDelayMs: 5000,
    circuitThreshold: 5,
    ...gateOpts,
  });
  const fetcher = new PageFetcher({
    userAgent: "nianbao-test",
    productToken: "nianbao",
    gate,
    retry: { maxRetries: 3, baseBackoffMs: 5, maxBackoffMs: 20, maxRetryAfterMs: 5000 },
    logger: collectingLogger().logger,
    connectTo: farmConnectTo(farm.port),
    connectTimeoutMs: 1000,
    totalTimeoutMs: 3000,
    maxHtmlBytes: 1 << 20,
    maxAttachmentBytes: 1 << 20,
    maxRedirects: 10,
    maxCrawlDelayMs: 30_000,
  });
  return { gate, fetcher };
}

function peakConcurrency(reqs: FarmRequest[]): number {
  const events = reqs
    .flatMap((r) => [[r.startMs, 1] as const, [r.endMs, -1] as const])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, d] of events) {
    now += d;
    peak = Math.max(peak, now);
  }
  return peak;
}

const get = (fetcher: PageFetcher, url: string) => fetcher.fetch({ url, kind: "list", allowedHosts: [] });

describe("politeness gate", () => {
  it("keeps at most 2 requests in flight per registrable domain", async () => {
    farm.reset();
    const { fetcher } = setup();
    const hosts = [
      "a.farmdomain.gov.cn",
      "b.farmdomain.gov.cn",
      "c.farmdomain.gov.cn",
      "d.farmdomain.gov.cn",
    ];
    await Promise.all(
      hosts.flatMap((h) => [1, 2].map((i) => get(fetcher, `http://${h}/_fault/slow?ms=150&i=${i}`))),
    );
    const pages = farm.log.filter((r) => r.path.startsWith("/_fault/slow"));
    expect(pages).toHaveLength(8);
    expect(peakConcurrency(pages)).toBe(2);
  });

  it("allows a site's configured concurrency per host, with starts still spaced by the delay", async () => {
    farm.reset();
    const { gate, fetcher } = setup();
    gate.initDelay("farm-wide.gov.cn", 40);
    gate.initConcurrency("farm-wide.gov.cn", 2);
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => get(fetcher, `http://farm-wide.gov.cn/_fault/slow?ms=150&i=${i}`)),
    );
    const pages = farm.log.filter((r) => r.host === "farm-wide.gov.cn").sort((a, b) => a.startMs - b.startMs);
    expect(pages).toHaveLength(7); // robots.txt + 6
    expect(peakConcurrency(pages)).toBe(2);
    // Spacing is kept where requests leave the crawler; the farm (same process, a busy event loop)
    // sees arrivals with some jitter, so: no pair closer than half the delay, and on average the delay.
    const gaps = pages.slice(1).map((p, i) => p.startMs - pages[i]!.startMs);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(20);
    expect(gaps.reduce((a, b) => a + b, 0) / gaps.length).toBeGreaterThanOrEqual(38);
  });

  it("never exceeds the global cap across domains", async () => {
    farm.reset();
    const { fetcher } = setup({ globalConcurrency: 3 });
    await Promise.all(
      Array.from({ length: 9 }, (_, i) => get(fetcher, `http://farm-g${i}.gov.cn/_fault/slow?ms=150`)),
    );
    const pages = farm.log.filter((r) => r.path.startsWith("/_fault/slow"));
    expect(pages).toHaveLength(9);
    expect(peakConcurrency(pages)).toBe(3);
  });

  it("doubles a host's delay on 429 and 503", async () => {
    const { gate, fetcher } = setup();
    gate.initDelay("farm-slowdown.gov.cn", 40);
    const r = await get(fetcher, "http://farm-slowdown.gov.cn/_fault/503?n=2");
    expect(r.outcome).toBe("ok");
    expect(gate.delayOf("farm-slowdown.gov.cn")).toBe(160);
    expect(gate.slowDownsOf("farm-slowdown.gov.cn")).toBe(2);
  });

  it("opens a host's circuit after 5 consecutive failures and stops sending", async () => {
    farm.reset();
    const { gate, fetcher } = setup();
    const a = await get(fetcher, "http://farm-broken.gov.cn/_fault/status/500?p=1");
    expect([a.outcome, a.reason, a.attempts]).toEqual(["failed", "http_500", 4]);
    const b = await get(fetcher, "http://farm-broken.gov.cn/_fault/status/500?p=2");
    expect([b.outcome, b.reason]).toEqual(["failed", "circuit_open"]);
    expect(gate.isOpen("farm-broken.gov.cn")).toBe(true);
    const c = await get(fetcher, "http://farm-broken.gov.cn/index.html");
    expect(c.reason).toBe("circuit_open");
    const sent = farm.log.filter((r) => r.host === "farm-broken.gov.cn" && r.path !== "/robots.txt");
    expect(sent).toHaveLength(5);
    expect(gate.openHosts()).toEqual(["farm-broken.gov.cn"]);
  });
});
