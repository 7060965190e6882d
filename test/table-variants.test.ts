// Structural table variants from the study corpus, one fixture page each (fixtures/pages, invented
// words and numbers): the values each variant's rule makes certain are read, and nothing else.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractReport } from "../extract/index.ts";

const PAGES = join(import.meta.dirname, "..", "fixtures", "pages");

function extract(file: string) {
  return extractReport({ content: readFileSync(join(PAGES, file), "utf8"), fileName: file });
}

describe("table variants", () => {
  it("reads 规范性档案 (a Taiwan-vocabulary mirror's 文件 → 檔案) as the 规范性文件 row", () => {
    const rec = extract("ganzhou-ecology-environment-2020.txt");
    expect(rec.values["proactive.normative_documents.issued"]).toBe(4);
    expect(rec.values["proactive.normative_documents.published_new"]).toBe(4);
    expect(rec.values["proactive.normative_documents.published_total"]).toBe(27);
    // 其他主动公开档案 is no row of the form, even with 规范性文件 inside its explanation.
    expect(rec.flags.some((f) => f.id === "table1_unmatched_row")).toBe(true);
  });

  it("reads a page that opens with Table 2's last row alone, when it prints all seven numbers", () => {
    const rec = extract("yanshan-statistics-2022.txt");
    expect(rec.values["applications.carried_forward.natural_person"]).toBe(1);
    expect(rec.values["applications.carried_forward.total"]).toBe(1);
    expect(rec.values["applications.carried_forward.other_org"]).toBe(0);
  });

  it("leaves a lone Table 2 row with fewer than seven numbers unread", () => {
    const content = "第3页\n四、结转下年度继续办理 1 0 1\n五、存在的主要问题及改进情况\n宣传不够。\n";
    const rec = extractReport({ content, fileName: "page.txt" });
    expect(Object.keys(rec.values).filter((k) => k.startsWith("applications.carried_forward"))).toEqual([]);
  });

  it("places Table 1 columns under header labels printed with characters dropped", () => {
    const rec = extract("lintan-xincheng-town-2022.txt");
    expect(rec.values["proactive.normative_documents.issued"]).toBe(2);
    expect(rec.values["proactive.normative_documents.repealed"]).toBe(1);
    expect(rec.values["proactive.normative_documents.in_force"]).toBe(9);
    expect(rec.values["proactive.regulations.issued"]).toBe(0);
  });

  it("does not place a header label that could be either of two columns", () => {
    // 本年件数 keeps characters of both 本年制发件数 and 本年废止件数.
    const cells = [
      "信息内容",
      "本年件数",
      "本年件数",
      "现行有效件数",
      "规章",
      "0",
      "0",
      "0",
      "行政规范性文件",
      "2",
      "1",
      "9",
    ];
    const content = `二、主动公开政府信息情况\n第二十条第（一）项\n${cells.join("\n")}\n三、收到和处理政府信息公开申请情况\n`;
    const rec = extractReport({ content, fileName: "page.txt" });
    expect(Object.keys(rec.values).filter((k) => k.startsWith("proactive.normative_documents"))).toEqual([]);
    expect(rec.flags.some((f) => f.id === "table1_ragged")).toBe(true);
  });

  it("under a header whose column order cannot be followed, reads only a row with one number in every column", () => {
    const rec = extract("daxin-leiping-town-2020.txt");
    for (const col of ["issued", "published_new", "published_total"])
      expect(rec.values[`proactive.regulations.${col}`]).toBe(0);
    expect(Object.keys(rec.values).filter((k) => k.startsWith("proactive.normative_documents"))).toEqual([]);
    expect(rec.values["proactive.licensing.decisions"]).toBe(21);
  });

  it("reads the last row of a text cut short before the next item's label, not its ordinal", () => {
    const rec = extract("daying-penglai-town-2020.txt");
    for (const col of ["natural_person", "other_org", "total"])
      expect(rec.values[`applications.results.denied.state_secret.${col}`]).toBe(0);
    expect(rec.flags.some((f) => f.id === "table2_ragged")).toBe(false);
  });

  it("keeps a last row ragged when its extra cell is not the next item's ordinal", () => {
    const page = readFileSync(join(PAGES, "daying-penglai-town-2020.txt"), "utf8").replace(/2\n$/, "5\n");
    const rec = extractReport({ content: page, fileName: "page.txt" });
    expect(Object.keys(rec.values).filter((k) => k.includes(".state_secret."))).toEqual([]);
    expect(rec.flags.some((f) => f.id === "table2_ragged")).toBe(true);
  });

  it("keeps a row ragged when its extra cell is followed by more text", () => {
    const page = readFileSync(join(PAGES, "daying-penglai-town-2020.txt"), "utf8").replace(
      /2\n$/,
      "2\n\n四、存在的主要问题及改进情况。公开栏目更新不及时。\n",
    );
    const rec = extractReport({ content: page, fileName: "page.txt" });
    expect(Object.keys(rec.values).filter((k) => k.includes(".state_secret."))).toEqual([]);
  });
});

describe("a browser print's page break inside a pipe table", () => {
  it("the page address and print stamp between rows neither end the table nor become cells", () => {
    const page = readFileSync(join(PAGES, "yanling-natural-resources-2023.txt"), "utf8");
    const lines = page.split("\n");
    const at = lines.findIndex((l) => l.trim().startsWith("（四）无法提供"));
    expect(at).toBeGreaterThan(0);
    lines.splice(
      at,
      0,
      "2024/3/5 15:12 某某县自然资源局2023年政府信息公开工作年度报告",
      "https://www.example.gov.cn/zwgk/ndbg/bmndbg/content_20240123_4417.html　　2/3",
    );
    const whole = extractReport({ content: page, fileName: "a.txt" }).values;
    const broken = extractReport({ content: lines.join("\n"), fileName: "b.txt" }).values;
    expect(Object.keys(whole).length).toBeGreaterThan(150);
    expect(broken).toEqual(whole);
  });
});

describe("a bordered pipe row with a blank cell", () => {
  const page = (row: string) =>
    [
      "某某镇2022年政府信息公开工作年度报告",
      "二、主动公开政府信息情况",
      "| 第二十条第（一）项 | | | |",
      "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
      row,
      "| 行政规范性文件 | 2 | 0 | 6 |",
    ].join("\n");

  it("two numbers fix their columns; the blank is an empty cell, not a ragged row", () => {
    const r = extractReport({ content: page("| 规章 | 0 | 0 | |"), fileName: "b.txt" });
    expect(r.values["proactive.regulations.issued"]).toBe(0);
    expect(r.values["proactive.regulations.repealed"]).toBe(0);
    expect(r.values["proactive.regulations.in_force"]).toBeUndefined();
    expect(r.values["proactive.normative_documents.in_force"]).toBe(6);
  });

  it("one number before blanks may span them: left out and flagged", () => {
    const r = extractReport({ content: page("| 规章 | 3 | | |"), fileName: "c.txt" });
    expect(r.values["proactive.regulations.issued"]).toBeUndefined();
    expect(r.flags.some((f) => f.id === "table1_ragged" && f.detail.includes("regulations"))).toBe(true);
  });
});
