// Property tests of the body decoder on random bytes and charset labels (real, misspelt and bogus): it
// never throws, reports what it did truthfully, and valid UTF-8 comes back exactly as it was written.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBody } from "../../crawler/decode/decode-body.ts";

const RUNS = Number(process.env.NIANBAO_FUZZ_RUNS ?? 200);

const GBK_PAGE = new Uint8Array(readFileSync("fixtures/pages/changyuan-finance-2023.gbk.html"));
const SOURCES = ["bom", "header", "meta", "utf8-strict", "fallback"];

const realLabels = [
  "utf-8",
  "UTF-8",
  "utf8",
  "unicode-1-1-utf-8",
  "gbk",
  "GBK",
  "gb2312",
  "GB_2312-80",
  "x-gbk",
  "cp936",
  "csgb2312",
  "euc-cn",
  "gb18030",
  "big5",
  "shift_jis",
  "euc-jp",
  "euc-kr",
  "iso-8859-1",
  "latin1",
  "windows-1252",
  "koi8-r",
  "utf-16",
  "utf-16le",
  "utf-16be",
  "unicode",
  "iso-2022-jp",
  "iso-2022-kr",
  "replacement",
  "hz-gb-2312",
  "x-user-defined",
  "macintosh",
  "windows-874",
];
const bogusLabels = [
  "",
  " ",
  "bogus",
  "utf-9",
  "gbk2312",
  " utf-8 ",
  "'gbk'",
  '"utf-8"',
  "UTF-8;",
  "utf_8",
  "none",
  "\u0000",
];
const label = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...realLabels) },
  { weight: 2, arbitrary: fc.constantFrom(...bogusLabels) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const contentType = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.constant("text/html"),
  label.map((l) => `text/html; charset=${l}`),
  label.map((l) => `text/html;charset="${l}"`),
  label.map((l) => `charset=${l}`),
  fc.string({ maxLength: 30 }),
);
const metaTag = (l: string) =>
  fc.constantFrom(
    `<meta charset="${l}">`,
    `<meta charset=${l}>`,
    `<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=${l}">`,
  );
const bom = fc.constantFrom([], [], [], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff], [0xef, 0xbb]);

/** Bytes: random, slices of a real GBK page, or valid UTF-8, each maybe after a BOM or a <meta>. */
const bytes = fc
  .tuple(
    bom,
    fc.option(label.chain(metaTag), { nil: "" }),
    fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc
        .tuple(fc.nat(GBK_PAGE.length), fc.nat(2000))
        .map(([start, len]) => GBK_PAGE.subarray(start, start + len)),
      fc.string({ unit: "binary", maxLength: 100 }).map((s) => new TextEncoder().encode(s)),
    ),
  )
  .map(([b, meta, body]) => Uint8Array.from([...b, ...new TextEncoder().encode(meta), ...body]));

function replacements(text: string): number {
  return [...text].filter((c) => c === "\uFFFD").length;
}

/** Report-like text: Chinese, ASCII markup, any code point, and the U+FFFD that mangled portals already hold. */
const text = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "政府信息公开",
        "年度报告",
        "（一）",
        "　",
        "<p>",
        "</td>",
        "\r\n",
        "锟斤拷",
        "\uFFFD",
        "\uFFFD\uFFFD",
        "é",
        "𠀀",
      ),
      fc.string({ unit: "binary", maxLength: 8 }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => new TextDecoder().decode(new TextEncoder().encode(parts.join("")))) // lone surrogates → U+FFFD
  .filter((s) => !s.startsWith("\uFEFF"));
/** Labels that do not overrule UTF-8 bytes: absent, bogus, UTF-8, or a GB label on bytes that are valid UTF-8. */
const utf8FriendlyType = fc.constantFrom(
  null,
  undefined,
  "text/html",
  "text/html; charset=utf-8",
  "text/html; charset=UTF8",
  "text/html; charset=gbk",
  "text/html; charset=gb2312",
  "text/plain; charset=GB18030",
  "text/html; charset=bogus",
  "text/html; charset=",
);
const utf8FriendlyMeta = fc
  .constantFrom("", "utf-8", "gbk", "gb2312", "bogus", "utf-16", "utf-16le", "unicode")
  .chain((l) => (l ? metaTag(l) : fc.constant("")));

describe("body decoder properties", () => {
  it("never throws on random bytes and labels, and says truthfully what it did", () => {
    fc.assert(
      fc.property(bytes, contentType, (b, ct) => {
        const d = decodeBody(b, ct);
        expect(typeof d.text).toBe("string");
        expect(new TextDecoder(d.encoding).encoding).toBe(d.encoding);
        expect(SOURCES).toContain(d.source);
        expect(d.replacementCount).toBe(replacements(d.text));
        // What it says it used is what it used (a BOM is the bytes' own word and is dropped).
        const bomLength = d.source === "bom" ? (d.encoding === "utf-8" ? 3 : 2) : 0;
        expect(d.text).toBe(new TextDecoder(d.encoding).decode(b.subarray(bomLength)));
      }),
      { numRuns: RUNS },
    );
  });

  it("valid UTF-8 comes back exactly, whatever non-binding label or meta it carries", () => {
    fc.assert(
      fc.property(text, utf8FriendlyType, utf8FriendlyMeta, (s, ct, meta) => {
        const page = meta + s;
        const d = decodeBody(new TextEncoder().encode(page), ct);
        expect(d.text).toBe(page);
        // Pure ASCII reads the same in GB18030; anything beyond it must have been read as UTF-8.
        if (/[^\x00-\x7f]/.test(page)) expect(d.encoding).toBe("utf-8");
        else expect(["utf-8", "gb18030"]).toContain(d.encoding);
        expect(d.replacementCount).toBe(replacements(page));
      }),
      { numRuns: RUNS },
    );
  });

  it("UTF-8 after a BOM comes back exactly, whatever the header says", () => {
    fc.assert(
      fc.property(text, contentType, (s, ct) => {
        const d = decodeBody(Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(s)]), ct);
        expect(d.text).toBe(s);
        expect(d.source).toBe("bom");
      }),
      { numRuns: RUNS },
    );
  });

  it("a UTF-8 page holding old mojibake (U+FFFD, 锟斤拷) under a utf-8 label stays UTF-8", () => {
    const page = `<p>报告\uFFFD\uFFFD\uFFFD锟斤拷内容</p>`;
    const d = decodeBody(new TextEncoder().encode(page), "text/html; charset=utf-8");
    expect(d).toEqual({ text: page, encoding: "utf-8", source: "header", replacementCount: 3 });
  });

  it("a real GBK page without any label is read as GB18030 without a replacement character", () => {
    const d = decodeBody(GBK_PAGE, null);
    expect(d.encoding).toBe("gb18030");
    expect(d.replacementCount).toBe(0);
    expect(d.text).toContain("政府信息公开");
  });
});
