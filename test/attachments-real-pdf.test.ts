// The real published PDFs (text PDFs whose tables exist only as positioned glyphs and rulings):
// the HTML built from them has the right table structure, and the extractor reads the right values.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pdfToHtml } from "../extract/attachments/pdf/pdf-to-html.ts";
import { extractAttachment } from "../pipeline/extract-attachment.ts";
import { compareRecord, expectedSchema } from "./support/expected-record.ts";
import { htmlTables } from "./support/html-tables.ts";

const ROOT = join(import.meta.dirname, "..");
const REAL = join(ROOT, "..", "shared", "real-reports");
const NAMES = ["hongze-district-2023", "hongze-district-2024", "huaian-city-2024"] as const;

const read = (name: string) => new Uint8Array(readFileSync(join(REAL, `${name}.pdf`)));

/** The data row whose label cells contain `label`: its cells after the label columns. */
function rowAfter(table: string[][], label: string): string[] | undefined {
  const row = table.find((r) => r.some((c) => c.includes(label)));
  if (!row) return undefined;
  const last = row
    .map((c, i) => (c.includes(label) ? i : -1))
    .filter((i) => i >= 0)
    .pop()!;
  return row.slice(last + 1).filter((c, i, all) => !(c === row[last] && i < all.length));
}

describe("real PDFs → HTML tables", () => {
  it("hongze-district-2023: Table 2 joins the page break, keeps the misprinted label and the group rowspans", async () => {
    const r = await pdfToHtml(read("hongze-district-2023"));
    expect(r.format).toBe("pdf");
    expect(r.pages).toBe(5);
    const tables = htmlTables(r.html!);
    const t2 = tables.find((t) =>
      t.some((row) => row.some((c) => c.includes("本年新收政府信息公开申请数量"))),
    )!;
    // 3 header rows + 2 top rows + 23 result rows ((一)(二), 8+3+5 parts, (六), (七)) + 结转: 1 table, not 2.
    expect(t2.length).toBe(3 + 2 + 2 + 16 + 2 + 1);
    expect(t2[2]).toEqual(
      expect.arrayContaining(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]),
    );
    expect(rowAfter(t2, "2.其他法律行政止公开")).toEqual(["0", "0", "0", "0", "0", "0", "0"]);
    expect(rowAfter(t2, "2.没有现成信息需要另行制作")).toEqual(["3", "0", "0", "0", "0", "0", "3"]);
    // The row after the page break still sits in the (四)无法提供 group (rowspan carried over).
    const unclear = t2.find((row) => row.some((c) => c.includes("补正后申请内容仍不明确")))!;
    expect(unclear).toContain("（四）无法提供");
    expect(rowAfter(t2, "（二）部分公开")).toEqual(["4", "0", "0", "0", "0", "0", "4"]);
    const t3 = tables.find((t) => t.some((row) => row.includes("复议后起诉")))!;
    expect(t3[t3.length - 1]).toEqual([
      "10",
      "1",
      "0",
      "0",
      "0",
      "0",
      "0",
      "0",
      "0",
      "0",
      "5",
      "0",
      "0",
      "0",
      "0",
    ]);
    expect(r.html).toContain("<p>一、总体情况</p>");
    expect(r.html).toContain("主动公开政府信息1136条");
  });

  it("huaian-city-2024: the (四)无法提供 label cut by the page break is rejoined; (六) has three parts", async () => {
    const r = await pdfToHtml(read("huaian-city-2024"));
    const t2 = htmlTables(r.html!).find((t) => t.some((row) => row.some((c) => c.includes("本年新收"))))!;
    expect(rowAfter(t2, "本年新收政府信息公开申请数量")).toEqual(["3001", "53", "0", "0", "61", "4", "3119"]);
    expect(rowAfter(t2, "3、其他")).toEqual(["108", "2", "0", "0", "0", "0", "110"]);
    const needs = t2.find((row) => row.some((c) => c.includes("没有现成信息需要另行制作")))!;
    expect(needs).toContain("（四）无法提供");
    expect(t2.filter((row) => row.some((c) => c.includes("（六）其他处理"))).length).toBe(3);
  });
});

describe("real PDFs → extracted values (wrong = 0)", () => {
  for (const name of NAMES) {
    it(name, async () => {
      const exp = expectedSchema.parse(
        JSON.parse(readFileSync(join(ROOT, "fixtures", "attachments", `${name}.expected.json`), "utf8")),
      );
      const v = await extractAttachment({ bytes: read(name), source: `${name}.pdf` }, { soffice: false });
      expect(v.format).toBe("pdf");
      expect(v.converter).toBe("pdfjs");
      const cmp = compareRecord(v.record, exp);
      if (cmp.missing.length) console.log(`${name}: missing ${cmp.missing.join(", ")}`);
      expect(cmp.wrong, "wrong values").toEqual([]);
      expect(cmp.meta, "metadata, flags and checks").toEqual([]);
      // Table values must be read from the table, not only from prose: at least all Table 2 keys.
      expect(cmp.missing.filter((m) => m.startsWith("applications.new_received"))).toEqual([]);
    });
  }
});

describe("PDF tables without rulings (positions only)", () => {
  it("junan-hrss-2023-borderless.pdf: rows and columns from glyph positions, never a wrong value", async () => {
    const dir = join(ROOT, "fixtures", "attachments");
    const exp = expectedSchema.parse(
      JSON.parse(readFileSync(join(dir, "junan-hrss-2023.expected.json"), "utf8")),
    );
    const v = await extractAttachment(
      { bytes: new Uint8Array(readFileSync(join(dir, "junan-hrss-2023-borderless.pdf"))) },
      { soffice: false },
    );
    const cmp = compareRecord(v.record, exp);
    expect(cmp.wrong, "wrong values").toEqual([]);
    // All but a value or two whose glyphs sit inside a wrapped label.
    expect(cmp.right).toBeGreaterThanOrEqual(185);
    const t2 = htmlTables(v.html!).find((t) => t.some((row) => row.some((c) => c.includes("本年新收"))))!;
    const needs = t2.find((row) => row.some((c) => c.includes("没有现成信息需要另行制作")))!;
    expect(needs).toContain("（四）无法提供");
    expect(needs.slice(-7)).toEqual(["0", "1", "0", "0", "0", "0", "1"]);
    const t1 = htmlTables(v.html!).find((t) => t.some((row) => row.includes("本年制发件数")))!;
    expect(t1.find((row) => row[0] === "行政规范性文件")).toEqual(["行政规范性文件", "3", "2", "14"]);
    for (const key of [
      "proactive.normative_documents.in_force",
      "proactive.licensing.decisions",
      "applications.new_received.total",
      "applications.carried_over.total",
    ]) {
      expect(v.record.values[key], key).toBe(exp.values[key]);
    }
  });
});
