// Pure parts of the crawler: canonical URLs, allowed hosts and registrable domains, robots.txt
// (RFC 9309 matching, Crawl-delay), report-title detection, Retry-After and backoff.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isReportTitle, titleYear } from "../crawler/discover/report-link.ts";
import {
  backoffMs,
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  retryAfterMs,
} from "../crawler/politeness/retry-policy.ts";
import { isAllowedByRobots, parseRobots } from "../crawler/robots/robots-txt.ts";
import { isAllowedHost, registrableDomain } from "../crawler/url/allowed-host.ts";
import { canonicalUrl } from "../crawler/url/canonical-url.ts";

describe("canonical URLs", () => {
  it("lowercases scheme and host, drops default ports and fragments, resolves dot segments", () => {
    expect(canonicalUrl("HTTP://WWW.Example.GOV.CN:80/a/./b/../c/index.html#top")).toBe(
      "http://www.example.gov.cn/a/c/index.html",
    );
    expect(canonicalUrl("https://x.gov.cn:443/p")).toBe("https://x.gov.cn/p");
    expect(canonicalUrl("https://x.gov.cn:8443/p")).toBe("https://x.gov.cn:8443/p");
    expect(canonicalUrl("../../t1.html", "http://x.gov.cn/a/b/c/index.html")).toBe(
      "http://x.gov.cn/a/t1.html",
    );
  });
  it("keeps query order, strips session ids, rejects non-http links", () => {
    expect(canonicalUrl("http://x.gov.cn/list.jsp?b=2&a=1")).toBe("http://x.gov.cn/list.jsp?b=2&a=1");
    expect(canonicalUrl("http://x.gov.cn/a.jsp;jsessionid=ABC123?b=2&JSESSIONID=9&a=1")).toBe(
      "http://x.gov.cn/a.jsp?b=2&a=1",
    );
    expect(canonicalUrl("javascript:void(0)", "http://x.gov.cn/")).toBeNull();
    expect(canonicalUrl("mailto:a@b.cn")).toBeNull();
  });
  it("is idempotent", () => {
    fc.assert(
      fc.property(fc.webUrl({ withFragments: true, withQueryParameters: true }), (u) => {
        const once = canonicalUrl(u);
        expect(once === null ? null : canonicalUrl(once)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });
});

describe("hosts", () => {
  it("allows *.gov.cn and listed hosts only", () => {
    expect(isAllowedHost("mzj.wuhan.gov.cn", [])).toBe(true);
    expect(isAllowedHost("www.example.com", [])).toBe(false);
    expect(isAllowedHost("files.example.com", ["*.example.com"])).toBe(true);
    expect(isAllowedHost("evilgov.cn", [])).toBe(false);
  });
  it("groups hosts by registrable domain", () => {
    expect(registrableDomain("mzj.wuhan.gov.cn")).toBe("wuhan.gov.cn");
    expect(registrableDomain("www.wuhan.gov.cn")).toBe("wuhan.gov.cn");
    expect(registrableDomain("farm-trs.gov.cn")).toBe("farm-trs.gov.cn");
    expect(registrableDomain("a.b.example.com")).toBe("example.com");
  });
});

describe("robots.txt", () => {
  const text = `# comment
User-agent: *
Disallow: /private/
Allow: /private/open/
Disallow: /*.pdf$
Crawl-delay: 2

User-agent: Nianbao
User-agent: otherbot
Disallow: /only-for-us/
Crawl-delay: 45
`;
  it("picks the group naming our token, else *", () => {
    const ours = parseRobots(text, "nianbao");
    expect(isAllowedByRobots(ours, "/only-for-us/x")).toBe(false);
    expect(isAllowedByRobots(ours, "/private/x")).toBe(true); // the * group does not apply to us
    expect(ours.crawlDelayMs).toBe(45_000);
    const star = parseRobots(text, "somebot");
    expect(isAllowedByRobots(star, "/private/x")).toBe(false);
    expect(isAllowedByRobots(star, "/private/open/x")).toBe(true); // longest match wins
    expect(isAllowedByRobots(star, "/doc/a.pdf")).toBe(false);
    expect(isAllowedByRobots(star, "/doc/a.pdf?x=1")).toBe(true); // $ anchors the end
    expect(star.crawlDelayMs).toBe(2000);
  });
  it("allow wins a tie; an empty Disallow allows all; robots.txt itself is always allowed", () => {
    const tie = parseRobots("User-agent: *\nDisallow: /a\nAllow: /a\n", "nianbao");
    expect(isAllowedByRobots(tie, "/a/b")).toBe(true);
    expect(isAllowedByRobots(parseRobots("User-agent: *\nDisallow:\n", "nianbao"), "/x")).toBe(true);
    expect(isAllowedByRobots(parseRobots("User-agent: *\nDisallow: /\n", "nianbao"), "/robots.txt")).toBe(
      true,
    );
  });
});

describe("report titles", () => {
  it("needs the phrase and a year", () => {
    expect(isReportTitle("示例县人民政府2023年政府信息公开工作年度报告")).toBe(true);
    expect(isReportTitle("示例镇2023年政务公开工作年度报告")).toBe(true);
    expect(isReportTitle("示例市2022年度政府信息公开年报")).toBe(true);
    expect(isReportTitle("示例县人民政府二〇二〇年政府信息公开工作年报")).toBe(true);
    expect(isReportTitle("政府信息公开工作年度报告")).toBe(false); // no year
    expect(isReportTitle("示例市2023年国民经济和社会发展统计公报")).toBe(false);
    expect(titleYear("二〇二〇年政府信息公开工作年报")).toBe(2020);
  });

  // Link texts as portals print them: a space between a name ending in a digit and the year, full-width
  // digits and spaces, 年度 or 年, 工作年报, 信息公开年报, the year after the phrase.
  it.each([
    ["某某局 2024年政府信息公开工作年度报告", 2024],
    ["站点1 2024年政府信息公开工作年度报告", 2024],
    ["第3中学 2023年度政务公开工作年度报告", 2023],
    ["某某县人民政府２０２３年政府信息公开工作年度报告", 2023],
    ["某某县人民政府　２０２２年度政府信息公开工作年度报告", 2022],
    ["某某市 2021 年政府信息公开工作年度报告", 2021],
    ["某某区2023年度政府信息公开工作年报", 2023],
    ["某某局2022年政府信息公开工作年报", 2022],
    ["某某局2023年度信息公开年报", 2023],
    ["某某局2023年信息公开工作年度报告", 2023],
    ["某某市人民政府办公室2023年度政府信息公开工作报告", 2023],
    ["政府信息公开工作年度报告（2024年）", 2024],
    ["政府信息公开工作年度报告(２０２４)", 2024],
    ["某某镇二0二三年政府信息公开工作年度报告", 2023],
    ["某某局二〇二三年度政务公开 工作年度报告", 2023],
    ["某政发〔2024〕3号 某某局2023年政府信息公开工作年度报告", 2023],
  ])("recognises %s as the %i report", (title, year) => {
    expect(isReportTitle(title)).toBe(true);
    expect(titleYear(title)).toBe(year);
  });

  it.each([
    "某某局2024年工作总结",
    "某某公司2023年度环境信息公开年度报告",
    "政府信息公开年度报告",
    "站点12024年政府信息公开工作年度报告", // a digit fused to the year: no year can be read
    "关于印发2024年政务公开工作要点的通知",
  ])("does not take %s for a report", (title) => {
    expect(isReportTitle(title)).toBe(false);
  });
});

describe("retry policy", () => {
  it("retries only network-like statuses", () => {
    expect([408, 429, 500, 503, 521].map(isRetryableStatus)).toEqual([true, true, true, true, true]);
    expect([200, 304, 403, 404, 410, 412].map(isRetryableStatus)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
  it("reads Retry-After as seconds or a date; backoff is full jitter under the cap", () => {
    expect(retryAfterMs("3")).toBe(3000);
    expect(retryAfterMs(new Date(Date.now() + 10_000).toUTCString())).toBeGreaterThan(8000);
    expect(retryAfterMs("soon")).toBeNull();
    expect(backoffMs(DEFAULT_RETRY_POLICY, 2, () => 0.999)).toBe(3996);
    expect(backoffMs(DEFAULT_RETRY_POLICY, 20, () => 0.5)).toBe(15_000);
    expect(backoffMs(DEFAULT_RETRY_POLICY, 3, () => 0)).toBe(0);
  });
});
