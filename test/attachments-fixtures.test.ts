// PDF, DOCX and DOC files built from report pages (both templates) give the same values as their
// HTML sources, key by key: wrong = 0 and nothing missing; the HTML tables keep their shape.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { convertAttachment } from "../extract/attachments/convert-attachment.ts";
import { extractAttachment } from "../pipeline/extract-attachment.ts";
import { compareRecord, expectedSchema } from "./support/expected-record.ts";
import { htmlTables } from "./support/html-tables.ts";

const DIR = join(import.meta.dirname, "..", "fixtures", "attachments");
const SLUGS = [
  "ningling-civil-affairs-2021",
  "qinyang-natural-resources-2022",
  "junan-hrss-2023",
  "hebi-civil-affairs-2019",
];
const FORMATS = [
  { ext: "pdf", converter: "pdfjs" },
  { ext: "docx", converter: "mammoth" },
  { ext: "doc", converter: "word-extractor" },
  { ext: "ofd", converter: "ofd" },
] as const;

const bytesOf = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));

describe("attachment fixtures give their source page's values", () => {
  for (const slug of SLUGS) {
    const exp = expectedSchema.parse(JSON.parse(readFileSync(join(DIR, `${slug}.expected.json`), "utf8")));
    // The metadata comes from the source page's expected file (the attachment's lists values only).
    const page = expectedSchema.parse(
      JSON.parse(readFileSync(join(DIR, "..", "pages", `${slug}.expected.json`), "utf8")),
    );
    for (const { ext, converter } of FORMATS) {
      it(`${slug}.${ext}`, async () => {
        const v = await extractAttachment(
          { bytes: bytesOf(`${slug}.${ext}`), linkedFrom: `https://example.invalid/${slug}.html` },
          { soffice: false },
        );
        expect(v.format).toBe(ext);
        expect(v.converter).toBe(converter);
        expect(v.linkedFrom).toBe(`https://example.invalid/${slug}.html`);
        expect(v.record.flags.map((f) => f.id)).toContain(`attachment_${ext}`);
        expect(v.record.template).toBe(exp.template);
        const cmp = compareRecord(v.record, exp);
        expect(cmp.wrong, "wrong values").toEqual([]);
        expect(cmp.missing, "missing values").toEqual([]);
        expect(cmp.right).toBe(Object.keys(exp.values).length);
        // The metadata the source page gives: read from the attachment's own text (its title, its
        // 发布时间 line), not from a portal menu printed above it.
        expect({
          agency: v.record.agency,
          report_year: v.record.report_year,
          published_at: v.record.published_at,
        }).toEqual({ agency: page.agency, report_year: page.report_year, published_at: page.published_at });
      });
    }
  }
});

describe("table structure of the converted HTML", () => {
  const applicationsTable = (html: string) =>
    htmlTables(html).find((t) =>
      t.some((row) => row.some((c) => c.includes("本年新收政府信息公开申请数量"))),
    )!;
  const numbersOf = (t: string[][], label: string) => {
    const row = t.find((r) => r.some((c) => c.includes(label)))!;
    return row.filter((c) => /^\d+$/.test(c));
  };

  for (const ext of ["pdf", "docx", "doc"]) {
    it(`ningling-civil-affairs-2021.${ext}: Table 2 rows carry 7 numbers under their group labels`, async () => {
      const r = await convertAttachment(bytesOf(`ningling-civil-affairs-2021.${ext}`));
      const t2 = applicationsTable(r.html!);
      expect(numbersOf(t2, "本年新收政府信息公开申请数量")).toEqual(["18", "4", "0", "1", "1", "1", "25"]);
      expect(numbersOf(t2, "（七）总计")).toEqual(["19", "3", "0", "1", "1", "1", "25"]);
      // An item row sits in its group: the group label is in the same (expanded) row.
      const stateSecret = t2.find((row) => row.some((c) => c.includes("属于国家秘密")))!;
      expect(stateSecret.some((c) => c.includes("不予公开"))).toBe(true);
      const total = t2.find((row) => row.some((c) => c.includes("（七）总计")))!;
      expect(total.length).toBe(t2.find((row) => row.some((c) => c.includes("属于国家秘密")))!.length);
    });
  }

  it("hebi-civil-affairs-2019.pdf: 2019 Table 1 keeps signed changes and the 万元 amount in their columns", async () => {
    const r = await convertAttachment(bytesOf("hebi-civil-affairs-2019.pdf"));
    const rows = htmlTables(r.html!).flat();
    expect(rows.find((row) => row[0] === "行政强制")).toEqual(expect.arrayContaining(["1", "减少1", "0"]));
    expect(rows.find((row) => row[0] === "政府集中采购")?.slice(1)).toEqual(
      expect.arrayContaining(["3", "5.02万元"]),
    );
  });
});
