// Property tests of URL canonicalisation and the host allowlist on adversarial links: idempotent, only
// http(s), the host never changes (so the allowlist judges the link it was given), offsite hosts never pass.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { attachmentLinks } from "../../crawler/discover/attachment-links.ts";
import { isAllowedHost } from "../../crawler/url/allowed-host.ts";
import { canonicalUrl } from "../../crawler/url/canonical-url.ts";

const RUNS = Number(process.env.NIANBAO_FUZZ_RUNS ?? 200);

const scheme = fc.constantFrom(
  "http://",
  "https://",
  "HTTP://",
  "HtTpS://",
  "//",
  "",
  "http:",
  "https:/",
  "ftp://",
  "file://",
  "file:///",
  "javascript:",
  "mailto:",
  "data:text/html,",
  "ws://",
  "blob:http://",
  "view-source:http://",
);
const userinfo = fc.constantFrom("", "", "", "user@", "u:p@", "a%40b@", "www.gov.cn@", "x.gov.cn:pw@", "@");
const host = fc.constantFrom(
  "www.gov.cn",
  "WWW.Shaanxi.GOV.cn",
  "gov.cn",
  "xxgk.henan.gov.cn",
  "x.gov.cn.evil.com",
  "evilgov.cn",
  "gov.cn.evil.com",
  "evil.com",
  "evil.com\\@x.gov.cn",
  "x.gov.cn%2F@evil.com",
  "127.0.0.1",
  "0x7f.1",
  "[::1]",
  "政府.gov.cn",
  "xn--fiqs8s.gov.cn",
  "example.org",
  "mirror.example.org",
  "EXAMPLE.ORG",
  "x.gov.cn.",
  "a..gov.cn",
  "%77ww.gov.cn",
  "x.gov.cn\t",
  "ｇｏｖ.cn",
);
const port = fc.constantFrom("", "", "", ":80", ":443", ":8080", ":", ":0080", ":65536");
const segment = fc.constantFrom(
  "a",
  "b",
  ".",
  "..",
  "%2e",
  "%2E%2e",
  "index.html",
  ";jsessionid=ABC",
  "a;jsessionid=1",
  "a;JSESSIONID=9F",
  "x;jsessionid=",
  "空格 x",
  "%41",
  "%zz",
  "",
  "b c",
  "~",
  "\\",
  "..\\..",
  "a?b",
  "%2F",
  "@",
  ":",
  "tab\tx",
  "nl\nx",
);
const pair = fc.constantFrom(
  "a=1",
  "JSESSIONID=x",
  "phpsessid=1",
  "PhpSessId",
  "",
  "b",
  "c=%20",
  "x= y",
  "q=中文",
  "sid_session=3",
  "a=1=2",
  "%26=%3D",
  "jsessionid",
  "e=#",
  "f='\"<>",
  "&",
);
const query = fc.option(
  fc.array(pair, { maxLength: 6 }).map((p) => `?${p.join("&")}`),
  { nil: "" },
);
const fragment = fc.constantFrom("", "", "#", "#top", "#a?b=1", "#/x/../y");
const space = fc.constantFrom("", "", " ", "\t", "\n", " \r\n");

/** Absolute and relative links built from the pieces portals (and attackers) use. */
const href = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(space, scheme, userinfo, host, port, fc.array(segment, { maxLength: 8 }), query, fragment, space)
      .map(([s1, sc, ui, h, p, segs, q, f, s2]) => `${s1}${sc}${ui}${h}${p}/${segs.join("/")}${q}${f}${s2}`),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom("", "/", "./", "../", "../../", "?", "#"),
        fc.array(segment, { maxLength: 8 }),
        query,
        fragment,
      )
      .map(([lead, segs, q, f]) => `${lead}${segs.join("/")}${q}${f}`),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
);
const base = fc.constantFrom(
  undefined,
  "http://www.gov.cn/zwgk/",
  "https://xxgk.henan.gov.cn/a/b/index.html?x=1#f",
  "http://mirror.example.org:8080/list/",
  "http://127.0.0.1:3000/gkml/index_2.html",
);

/** Independent reading of the allowlist rule: *.gov.cn by its last two labels, or a listed host. */
function offsite(hostname: string, allowed: readonly string[]): boolean {
  const labels = hostname.toLowerCase().split(".");
  if (labels.length >= 2 && labels.at(-1) === "cn" && labels.at(-2) === "gov") return false;
  return !allowed.some((a) =>
    a.startsWith("*.") ? hostname === a.slice(2) || hostname.endsWith(a.slice(1)) : hostname === a,
  );
}

const stats = { canonical: 0, rejected: 0, allowed: 0, offsite: 0, attachments: 0 };

describe("URL canonicalisation properties", () => {
  it("is idempotent, yields only http(s), drops fragments and session ids, and never moves the host", () => {
    fc.assert(
      fc.property(href, base, (h, b) => {
        const c = canonicalUrl(h, b);
        if (c === null) {
          stats.rejected++;
          return;
        }
        stats.canonical++;
        expect(c).toMatch(/^https?:\/\/[^/]/);
        expect(canonicalUrl(c)).toBe(c);
        expect(canonicalUrl(c, "http://other.gov.cn/")).toBe(c);
        const u = new URL(c);
        expect(u.protocol === "http:" || u.protocol === "https:").toBe(true);
        expect(u.hash).toBe("");
        expect(c.includes("#")).toBe(false);
        expect(u.pathname).not.toMatch(/;jsessionid=/i);
        for (const p of u.searchParams.keys())
          expect(["jsessionid", "phpsessid", "aspsessionid", "sid_session"]).not.toContain(p.toLowerCase());
        // The host the fetcher will connect to is the host the link named: the allowlist is not fooled.
        const original = new URL(h.trim(), b);
        expect(u.hostname).toBe(original.hostname);
        expect(u.port).toBe(original.port);
        expect(u.protocol).toBe(original.protocol);
        if (isAllowedHost(u.hostname, ["mirror.example.org"])) stats.allowed++;
        else stats.offsite++;
      }),
      { numRuns: RUNS },
    );
  });

  it("returns null for every non-http(s) absolute link", () => {
    const other = fc.tuple(
      fc.constantFrom(
        "ftp:",
        "file:",
        "javascript:",
        "mailto:",
        "data:",
        "ws:",
        "wss:",
        "blob:",
        "about:",
        "tel:",
        "gopher:",
        "chrome:",
      ),
      fc.constantFrom("", "//", "///"),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(other, base, ([s, slashes, rest], b) => {
        expect(canonicalUrl(`${s}${slashes}${rest}`, b)).toBeNull();
      }),
      { numRuns: RUNS },
    );
  });

  it("attachment links found on a page never name an offsite host", () => {
    const title = fc.constantFrom("附件", "下载", "全文", "年度报告", "");
    const ext = fc.constantFrom(".pdf", ".docx", ".doc", ".wps", ".xls", ".ofd", "", ".html");
    const allowed = fc.constantFrom<string[]>([], ["mirror.example.org"], ["*.example.org"], ["127.0.0.1"]);
    const page = fc
      .array(fc.tuple(href, ext, title), { maxLength: 12 })
      .map((links) =>
        links.map(([h, e, t]) => `<a href="${h.replace(/"/g, "&quot;")}${e}">${t}</a>`).join("\n"),
      );
    fc.assert(
      fc.property(
        page,
        base.filter((b) => b !== undefined),
        allowed,
        (html, b, hosts) => {
          for (const link of attachmentLinks(html, b as string, hosts)) {
            stats.attachments++;
            expect(link).toMatch(/^https?:\/\//);
            expect(offsite(new URL(link).hostname, hosts), link).toBe(false);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("the links are not vacuous: most canonicalise, some are refused, some hosts are offsite, pages yield attachments", () => {
    expect(stats.canonical).toBeGreaterThan(RUNS / 3);
    expect(stats.rejected).toBeGreaterThan(RUNS / 50);
    expect(stats.offsite).toBeGreaterThan(RUNS / 50);
    expect(stats.allowed).toBeGreaterThan(RUNS / 50);
    // The offsite check above held for links actually found, not for empty pages.
    expect(stats.attachments).toBeGreaterThan(RUNS / 4);
  });
});
