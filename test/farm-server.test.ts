// The portal farm answers per virtual host and injects the faults the crawler tests rely on.
// Plain node:http requests with a Host header, as the crawler sends them.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Farm, startFarm } from "../fixtures/farm/server/farm-server.ts";

let farm: Farm;
beforeAll(async () => {
  farm = await startFarm();
});
afterAll(() => farm.close());

function get(
  host: string,
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((ok, fail) => {
    const req = request({ host: "127.0.0.1", port: farm.port, path, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on("error", fail);
    });
    req.on("error", fail);
    req.end();
  });
}

describe("portal farm", () => {
  it("serves files per virtual host and query files as <path>@<query>", async () => {
    const trs = await get("farm-trs.gov.cn", "/xxgk/ndbg/index.html");
    expect(trs.status).toBe(200);
    expect(trs.body.toString()).toContain("createPageHTML(countPage, currentPage");
    const other = await get("farm-none.gov.cn", "/xxgk/ndbg/index.html");
    expect(other.status).toBe(404);
    const xml = await get(
      "farm-hanweb.gov.cn",
      "/module/web/jpage/dataproxy.jsp?startrecord=7&endrecord=12&perpage=2&columnid=1234&unitid=5678",
    );
    expect(xml.body.toString()).toContain("art_1234_9007");
    expect(farm.log.some((r) => r.host === "farm-hanweb.gov.cn" && r.status === 200)).toBe(true);
  });

  it("serves GBK bytes without a charset", async () => {
    const r = await get("farm-gbk.gov.cn", "/ndbg/index.gbk.html");
    expect(r.headers["content-type"]).toBe("text/html");
    expect(new TextDecoder("gb18030").decode(r.body)).toContain("政府信息公开工作年度报告");
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(r.body)).toThrow();
  });

  it("fails the first n requests of a 429/503 route, then answers", async () => {
    const a = await get("farm-x.gov.cn", "/_fault/429?n=1&after=2");
    expect(a.status).toBe(429);
    expect(a.headers["retry-after"]).toBe("2");
    expect((await get("farm-x.gov.cn", "/_fault/429?n=1&after=2")).status).toBe(200);
    const burst = [];
    for (let i = 0; i < 4; i++) burst.push((await get("farm-x.gov.cn", "/_fault/503?n=3")).status);
    expect(burst).toEqual([503, 503, 503, 200]);
  });

  it("answers challenge shells, robots variants and truncated bodies", async () => {
    const c = await get("farm-x.gov.cn", "/_fault/challenge-412");
    expect(c.status).toBe(412);
    expect(c.body.toString()).toContain("$_ts");
    expect((await get("farm-x.gov.cn", "/_fault/challenge-521")).body.toString()).toContain(
      "__jsl_clearance",
    );
    expect((await get("farm-robots500.gov.cn", "/robots.txt")).status).toBe(500);
    expect((await get("farm-next.gov.cn", "/robots.txt")).body.toString()).toContain("Crawl-delay: 0.3");
    await expect(get("farm-x.gov.cn", "/_fault/truncated")).rejects.toThrow();
    await expect(get("farm-x.gov.cn", "/_fault/reset")).rejects.toThrow();
  });
});
