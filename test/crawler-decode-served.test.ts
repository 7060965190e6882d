// decodeServed: a site's registry charset stands in for the Content-Type its portal sends (the fetcher
// and the 304 list page read from the archive both go through it); without one the header is read.
import { expect, it } from "vitest";
import { decodeServed } from "../crawler/decode/decode-body.ts";
import { encodeGbk } from "../fixtures/farm/server/gbk-encode.ts";

const TEXT = "<html><body>郑州市民政局2023年政府信息公开工作年度报告</body></html>";

it("the registry's charset wins over a header that names another one", () => {
  const bytes = encodeGbk(TEXT);
  const d = decodeServed(bytes, "text/html; charset=big5", "gbk");
  expect([d.text, d.encoding, d.source]).toEqual([TEXT, "gb18030", "header"]);
  // Without the registry's word the portal's wrong header is what is read.
  expect(decodeServed(bytes, "text/html; charset=big5", undefined).encoding).toBe("big5");
});

it("without a registry charset the served Content-Type is read", () => {
  const d = decodeServed(Buffer.from(TEXT, "utf8"), "text/html; charset=utf-8", undefined);
  expect([d.text, d.encoding, d.source]).toEqual([TEXT, "utf-8", "header"]);
});
