// Property tests of the nesting cap on random tag soup: pages under the cap pass byte for byte, capped
// pages lose only tags (never text), the parsed depth stays near the cap, and extraction never throws.

import { type AnyNode, isTag } from "domhandler";
import fc from "fast-check";
import { parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { capNesting } from "../../core/cap-nesting.ts";
import { extractReport } from "../../extract/extract-report.ts";

const RUNS = Number(process.env.NIANBAO_FUZZ_RUNS ?? 200);

const names = ["div", "span", "b", "font", "table", "tr", "td", "p", "li", "section", "DIV", "Span"];
const token = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom(...names), fc.constantFrom("", ' class="zw"', " x=1", "/"))
      .map(([n, a]) => `<${n}${a}>`),
  },
  { weight: 4, arbitrary: fc.constantFrom(...names).map((n) => `</${n}>`) },
  { weight: 3, arbitrary: fc.constantFrom("政府信息公开", "17", " ", "一、总体情况", "a<b", "&lt;", "x") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "<br>",
      "<img src=x>",
      "<!-- <div> -->",
      "<script>'<div>'</script>",
      "<style>p{}</style>",
      "</p>",
    ),
  },
);
const soup = fc.array(token, { maxLength: 200 }).map((t) => t.join(""));

const textOf = (html: string) => html.replace(/<!--[\s\S]*?-->|<script>[\s\S]*?<\/script>|<[^>]*>/g, "");

const VOID = new Set(["br", "img", "hr", "input", "meta", "link"]);

/** Element nesting depth (void elements hold nothing and do not count). */
function depth(root: AnyNode): number {
  let max = 0;
  const stack: [AnyNode, number][] = [[root, 0]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    max = Math.max(max, d);
    if ("children" in n)
      for (const c of n.children) stack.push([c, isTag(c) && !VOID.has(c.name) ? d + 1 : d]);
  }
  return max;
}

describe("nesting cap properties", () => {
  it("a well-formed page nested no deeper than the cap comes back byte for byte", () => {
    const { node } = fc.letrec<{ node: string }>((tie) => ({
      node: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.constantFrom("政府信息公开", "17", "<br>", "<!-- <div><div> -->", ""),
        fc
          .tuple(
            fc.constantFrom("div", "span", "b", "table", "font"),
            fc.array(tie("node"), { maxLength: 4 }),
          )
          .map(([n, kids]) => `<${n}>${kids.join("")}</${n}>`),
      ),
    }));
    fc.assert(
      fc.property(fc.array(node, { minLength: 1, maxLength: 60 }), (parts) => {
        const html = parts.join("");
        const nesting = depth(parseDocument(html));
        // Wide pages with thousands of tags but little depth pass too: the count alone never caps.
        expect(capNesting(html.repeat(3), Math.max(nesting, 1))).toBe(html.repeat(3));
      }),
      { numRuns: RUNS },
    );
  });

  it("a capped page loses only tags, never text, and parses no deeper than the cap allows", () => {
    let capped = 0;
    fc.assert(
      fc.property(soup, fc.integer({ min: 1, max: 8 }), (html, max) => {
        const out = capNesting(html, max);
        if (out !== html) capped++;
        expect(textOf(out)).toBe(textOf(html));
        expect(out.length).toBeLessThanOrEqual(html.length);
        // Only table structure and optional-end tags (p, li, td, tr…) may nest past the cap.
        const kept = (html.match(/<(table|tr|td|p|li)\b/gi) ?? []).length;
        const parsed = depth(parseDocument(out, { lowerCaseTags: true }));
        // (+1: a script or style element holds only text.)
        expect(parsed).toBeLessThanOrEqual(max + kept + 1);
      }),
      { numRuns: RUNS },
    );
    expect(capped).toBeGreaterThan(RUNS / 20);
  });

  it("the extractor never throws on tag soup, capped or not", () => {
    fc.assert(
      fc.property(soup, (html) => {
        const rec = extractReport({ content: `<html><body>${html}</body></html>`, fileName: "soup.html" });
        expect(typeof rec.text).toBe("string");
      }),
      { numRuns: RUNS },
    );
  });
});
