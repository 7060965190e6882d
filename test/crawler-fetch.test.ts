// The fetcher against the farm: decoding, redirects and shells, allowlist, caps, conditional GET,
// magic typing, retries with Retry-After, robots.txt 5xx, challenge shells.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FetchRequest, PageFetcher } from "../crawler/fetch/page-fetcher.ts";
import { HostGate } from "../crawler/politeness/host-gate.ts";
import { collectingLogger, farmConnectTo } from "../fixtures/farm/server/farm-connect.ts";
import { type Farm, startFarm } from "../fixtures/farm/server/farm-server.ts";

let farm: Farm;
beforeAll(async () => {
  farm = await startFarm();
});
afterAll(() => farm.close());

function fetcher(over: Partial<ConstructorParameters<typeof PageFetcher>[0]> = {}) {
  const gate = new HostGate({
    politeness: true,
    globalConcurrency: 8,
    perDomainConcurrency: 2,
    defaultDelayMs: 20,
    jitterRatio: 0.1,
    maxDelayMs: 2000,
    circuitThreshold: 5,
  });
  return new PageFetcher({
    userAgent: "nianbao-test/0.1 (+https://example.org/nianbao)",
    productToken: "nianbao",
    gate,
    retry: { maxRetries: 3, baseBackoffMs: 20, maxBackoffMs: 100, maxRetryAfterMs: 5000 },
    logger: collectingLogger().logger,
    connectTo: farmConnectTo(farm.port),
    connectTimeoutMs: 1000,
    totalTimeoutMs: 1500,
    maxHtmlBytes: 1024 * 1024,
    maxAttachmentBytes: 4 * 1024 * 1024,
    maxRedirects: 10,
    maxCrawlDelayMs: 30_000,
    ...over,
  });
}
const req = (url: string, extra: Partial<FetchRequest> = {}): FetchRequest => ({
  url,
  kind: "list",
  allowedHosts: [],
  ...extra,
});

describe("fetcher", () => {
  it("decodes GBK without a charset header, with no declaration at all, and behind a wrong header", async () => {
    const f = fetcher();
    for (const path of ["gbk-no-charset", "gbk-bare", "wrong-charset"]) {
      const r = await f.fetch(req(`http://farm-a.gov.cn/_fault/${path}`));
      expect(r.outcome).toBe("ok");
      expect(r.encoding).toBe("gb18030");
      expect(r.text).toContain("政府信息公开工作年度报告：主动公开政府信息情况统计");
    }
    const page = await f.fetch(req("http://farm-gbk.gov.cn/ndbg/index.gbk.html"));
    expect(page.encoding).toBe("gb18030");
    expect(page.text).toContain("示例县财政局2023年政府信息公开工作年度报告");
  });

  it("follows redirects and shells, stops loops, skips off-site targets", async () => {
    const f = fetcher();
    const chain = await f.fetch(req("http://farm-a.gov.cn/_fault/redirect-chain/3"));
    expect(chain.outcome).toBe("ok");
    expect(chain.redirects).toHaveLength(4);
    expect(chain.finalUrl).toBe("http://farm-a.gov.cn/_fault/ok");
    const tooLong = await f.fetch(req("http://farm-a.gov.cn/_fault/redirect-chain/12"));
    expect(tooLong.outcome).toBe("failed");
    expect(tooLong.reason).toMatch(/too_many_redirects/);
    const loop = await f.fetch(req("http://farm-a.gov.cn/_fault/redirect-loop/a"));
    expect(loop.reason).toMatch(/redirect_loop/);
    const off = await f.fetch(req("http://farm-a.gov.cn/_fault/offsite"));
    expect(off.outcome).toBe("skipped");
    expect(off.reason).toMatch(/offsite: www\.example\.com/);
    expect(farm.log.some((r) => r.host === "www.example.com")).toBe(false);
    const meta = await f.fetch(req("http://farm-a.gov.cn/_fault/meta-refresh"));
    expect(meta.finalUrl).toBe("http://farm-a.gov.cn/_fault/ok?from=meta");
    const js = await f.fetch(req("http://farm-a.gov.cn/_fault/js-redirect"));
    expect(js.finalUrl).toBe("http://farm-a.gov.cn/_fault/ok?from=js");
    expect(js.outcome).toBe("ok");
  });

  it("fails oversize, truncated and slow bodies with a reason", async () => {
    const f = fetcher();
    const big = await f.fetch(req("http://farm-b.gov.cn/_fault/oversize?mb=8"));
    expect(big.outcome).toBe("failed");
    expect(big.reason).toMatch(/^too_large/);
    expect(big.attempts).toBe(1);
    const cut = await f.fetch(req("http://farm-b.gov.cn/_fault/truncated"));
    expect(cut.reason).toMatch(/^truncated/);
    expect(cut.attempts).toBe(4); // 1 + 3 retries
    const slow = await fetcher({ totalTimeoutMs: 200 }).fetch(
      req("http://farm-c.gov.cn/_fault/slow?ms=5000"),
    );
    expect(slow.reason).toMatch(/^timeout/);
    expect(slow.attempts).toBe(4);
  });

  it("sends validators and treats 304 as unchanged", async () => {
    const f = fetcher();
    const first = await f.fetch(req("http://farm-a.gov.cn/_fault/etag?v=7"));
    expect(first.headers.etag).toBe('"v7"');
    const again = await f.fetch(
      req("http://farm-a.gov.cn/_fault/etag?v=7", { validators: { etag: '"v7"', lastModified: null } }),
    );
    expect(again.outcome).toBe("not_modified");
    expect(again.body).toBeNull();
  });

  it("types attachments by magic bytes, not by extension", async () => {
    const f = fetcher();
    const base = "http://farm-trs.gov.cn/xxgk/ndbg/";
    const types: Record<string, string> = {
      "202401/P020240115300000000001.pdf": "pdf",
      "202401/P020240115300000000002.docx": "docx",
      "202301/P020230116300000000003.doc": "pdf",
      "202301/P020230116300000000004.wps": "wps",
      "202201/P020220118300000000005.ofd": "ofd",
      "202201/P020220118300000000006.xls": "xls",
    };
    for (const [path, type] of Object.entries(types)) {
      const r = await f.fetch(req(base + path, { kind: "attachment" }));
      expect([path, r.fileType]).toEqual([path, type]);
    }
  });

  it("waits out Retry-After and retries 503 bursts; 404 is final", async () => {
    const f = fetcher();
    const r = await f.fetch(req("http://farm-d.gov.cn/_fault/429?n=1&after=1"));
    expect(r.outcome).toBe("ok");
    expect(r.attempts).toBe(2);
    const hits = farm.log.filter((x) => x.host === "farm-d.gov.cn" && x.path.startsWith("/_fault/429"));
    expect(hits.map((h) => h.status)).toEqual([429, 200]);
    expect(hits[1]!.startMs - hits[0]!.endMs).toBeGreaterThanOrEqual(1000);
    const burst = await f.fetch(req("http://farm-d.gov.cn/_fault/503?n=3"));
    expect(burst.outcome).toBe("ok");
    expect(burst.attempts).toBe(4);
    const reset = await f.fetch(req("http://farm-d.gov.cn/_fault/reset-then-ok?n=2"));
    expect([reset.outcome, reset.attempts]).toEqual(["ok", 3]); // two connection resets retried
    const gone = await f.fetch(req("http://farm-d.gov.cn/_fault/status/404"));
    expect([gone.outcome, gone.reason, gone.attempts]).toEqual(["failed", "http_404", 1]);
  });

  it("blocks a host whose robots.txt answers 500, and never fetches its pages", async () => {
    const f = fetcher();
    const r = await f.fetch(req("http://farm-robots500.gov.cn/ndbg/index.html"));
    expect(r.outcome).toBe("skipped");
    expect(r.reason).toMatch(/robots\.txt answered HTTP 500/);
    const hits = farm.log.filter((x) => x.host === "farm-robots500.gov.cn").map((x) => x.path);
    expect(hits).toEqual(["/robots.txt"]);
    const disallowed = await f.fetch(req("http://farm-trs.gov.cn/private/t1.html"));
    expect([disallowed.outcome, disallowed.reason]).toEqual(["skipped", "robots_disallowed"]);
  });

  it("allows all on a 404 robots.txt and disallows a host whose robots.txt times out", async () => {
    const f = fetcher({ totalTimeoutMs: 300 });
    const open = await f.fetch(req("http://farm-robots404.gov.cn/_fault/ok"));
    expect(open.outcome).toBe("ok");
    const hung = await f.fetch(req("http://farm-robotstimeout.gov.cn/_fault/ok"));
    expect(hung.outcome).toBe("skipped");
    expect(hung.reason).toMatch(/robots\.txt unreachable \(timeout\)/);
    expect(farm.log.filter((r) => r.host === "farm-robotstimeout.gov.cn").map((r) => r.path)).toEqual([
      "/robots.txt",
    ]);
  });

  it("verifies TLS: a self-signed portal fails once (no retries) unless the site is marked legacy_tls", async () => {
    const tlsFarm = await startFarm({ tls: true });
    try {
      const f = fetcher({ connectTo: () => ({ host: "127.0.0.1", port: tlsFarm.port, tls: true }) });
      const strict = await f.fetch(req("https://farm-tls.gov.cn/_fault/ok"));
      expect(strict.outcome).toBe("skipped"); // robots.txt itself could not be read over a bad chain
      expect(strict.reason).toMatch(/robots\.txt unreachable \(tls\)/);
      const legacy = await f.fetch(req("https://farm-tls.gov.cn/_fault/ok", { legacyTls: true }));
      expect(legacy.reason).toMatch(/robots/); // the per-run robots verdict stands for the host
      const g = fetcher({ connectTo: () => ({ host: "127.0.0.1", port: tlsFarm.port, tls: true }) });
      const ok = await g.fetch(req("https://farm-tls2.gov.cn/_fault/ok", { legacyTls: true }));
      expect([ok.outcome, ok.status]).toEqual(["ok", 200]);
      const direct = await g.fetch(req("https://farm-tls2.gov.cn/_fault/ok?again=1"));
      expect([direct.outcome, direct.attempts]).toEqual(["failed", 1]);
      expect(direct.reason).toMatch(/^tls: .*legacy_tls/);
    } finally {
      await tlsFarm.close();
    }
  });

  it("reports challenge shells as blocked, without retrying them", async () => {
    const f = fetcher();
    const a = await f.fetch(req("http://farm-e.gov.cn/_fault/challenge-412", { kind: "report" }));
    expect([a.outcome, a.challenge?.vendor, a.attempts]).toEqual(["blocked", "ruishu", 1]);
    const b = await f.fetch(req("http://farm-e.gov.cn/_fault/challenge-521", { kind: "report" }));
    expect([b.outcome, b.challenge?.vendor, b.attempts]).toEqual(["blocked", "jiasule", 1]);
    const c = await f.fetch(req("http://farm-e.gov.cn/_fault/challenge-yunsuo", { kind: "report" }));
    expect([c.outcome, c.challenge?.vendor]).toEqual(["blocked", "yunsuo"]);
  });
});
