// The decoder as a property: report text in GBK or UTF-8, declared in the header, in a meta tag,
// wrongly, or not at all, always decodes to the original characters, and says which encoding it used.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBody } from "../crawler/decode/decode-body.ts";
import { encodeGbk } from "../fixtures/farm/server/gbk-encode.ts";

const WORDS = [
  "政府信息公开",
  "工作年度报告",
  "主动公开",
  "依申请公开",
  "行政复议",
  "行政诉讼",
  "收到申请",
  "予以公开",
  "不予公开",
  "本机关",
  "统计数据",
  "（一）",
  "2023年",
  "第12条",
  "：",
  "。",
  " ",
];
const text = fc.array(fc.constantFrom(...WORDS), { minLength: 6, maxLength: 60 }).map((w) => w.join(""));
const page = (body: string, meta = "") =>
  `<html><head>${meta}<title>年报</title></head><body><p>${body}</p></body></html>`;
const runs = Number(process.env.NIANBAO_FUZZ_RUNS ?? 200);

describe("decodeBody", () => {
  it("GBK bytes decode right with a header, a meta tag, a wrong header, or nothing", () => {
    fc.assert(
      fc.property(text, (t) => {
        const bare = decodeBody(encodeGbk(page(t)), "text/html");
        expect([bare.text.includes(t), bare.encoding, bare.source]).toEqual([true, "gb18030", "fallback"]);
        const header = decodeBody(encodeGbk(page(t)), "text/html; charset=GBK");
        expect([header.text.includes(t), header.encoding, header.source]).toEqual([
          true,
          "gb18030",
          "header",
        ]);
        const meta = decodeBody(
          encodeGbk(page(t, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')),
          null,
        );
        expect([meta.text.includes(t), meta.encoding, meta.source]).toEqual([true, "gb18030", "meta"]);
        const lying = decodeBody(encodeGbk(page(t)), "text/html; charset=utf-8");
        expect([lying.text.includes(t), lying.encoding]).toEqual([true, "gb18030"]);
      }),
      { numRuns: runs },
    );
  });

  it("UTF-8 decodes right bare, with a BOM, and behind a GBK label", () => {
    fc.assert(
      fc.property(text, (t) => {
        const bytes = Buffer.from(page(t), "utf8");
        const bare = decodeBody(bytes, null);
        expect([bare.text.includes(t), bare.encoding, bare.source]).toEqual([true, "utf-8", "utf8-strict"]);
        const bom = decodeBody(
          Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]),
          "text/html; charset=gbk",
        );
        expect([bom.text.includes(t), bom.source]).toEqual([true, "bom"]);
        const lying = decodeBody(bytes, "text/html; charset=gb2312");
        expect([lying.text.includes(t), lying.encoding]).toEqual([true, "utf-8"]);
      }),
      { numRuns: runs },
    );
  });

  it("reads gbk, gb2312 and x-gbk labels as gb18030 (its superset: 〇 and € decode too)", () => {
    const bytes = new Uint8Array([0xa9, 0x96, 0x80]); // 〇 in GBK's extension area, € at 0x80
    for (const label of ["gbk", "GB2312", "x-gbk", "gb18030"]) {
      expect(decodeBody(bytes, `text/html; charset=${label}`).text).toBe("〇€");
    }
  });
});
