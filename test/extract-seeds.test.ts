// The five seed pages against the spec's expected values (../shared/spec/seeds-expected.json):
// every value exact, nothing missing, the forbidden keys absent, the flags and metadata right.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFile } from "../pipeline/extract-file.ts";
import { compareRecord, expectedSchema } from "./support/expected-record.ts";

const SHARED = join(import.meta.dirname, "..", "..", "shared");
const expected = JSON.parse(readFileSync(join(SHARED, "spec", "seeds-expected.json"), "utf8")) as Record<
  string,
  unknown
>;

describe("seeds", () => {
  for (const [name, raw] of Object.entries(expected)) {
    it(`${name} matches the spec exactly`, async () => {
      const { record } = await extractFile(join(SHARED, "seeds", name));
      const cmp = compareRecord(record, expectedSchema.parse(raw));
      expect(cmp.wrong).toEqual([]);
      expect(cmp.missing).toEqual([]);
      expect(cmp.meta).toEqual([]);
    });
  }

  it("004: ragged Table 2/3 rows keep their raw cells but no keys", async () => {
    const { record } = await extractFile(join(SHARED, "seeds", "004_9f09e102a19e83ee.txt"));
    const t2 = record.cells.filter((c) => c.table === 2);
    expect(t2.length).toBeGreaterThanOrEqual(23);
    expect(t2.every((c) => c.key === null && c.raw === "0")).toBe(true);
    const t3 = record.cells.filter((c) => c.table === 3);
    expect(t3.map((c) => c.raw)).toEqual(["0", "0", "0"]);
    // Provenance: the licensing decisions come from one cell, with its row and column labels.
    const cell = record.cells.find((c) => c.key === "proactive.licensing.decisions");
    expect(cell).toMatchObject({
      table: 1,
      row_label: "行政许可",
      col_label: "处理决定数量",
      raw: "17",
      value: 17,
    });
    // The prose count keeps its sentence.
    const fact = record.facts.find((f) => f.key === "proactive.items_published");
    expect(fact?.sentence).toContain("全年公开各类信息607条");
    expect(record.text.slice(fact!.offset, fact!.offset + 10)).toBe(fact!.sentence.slice(0, 10));
  });

  it("001: the approximate 1500余条 is kept as approximate, never as the value", async () => {
    const { record } = await extractFile(join(SHARED, "seeds", "001_ed069e08a3961e4f.txt"));
    expect(record.values["proactive.items_published"]).toBe(253);
    expect(Object.values(record.values)).not.toContain(1500);
  });

  it("002: spam is flagged and appears in no heading and not in the text", async () => {
    const { record } = await extractFile(join(SHARED, "seeds", "002_566312c14260f1c5.txt"));
    expect(record.flags).toContainEqual({ id: "spam_injected", detail: "beplay体育全站下载" });
    expect(record.text).not.toMatch(/beplay/i);
    expect(record.headings.some((h) => /beplay/i.test(h.title))).toBe(false);
    expect(record.agency).toBeNull();
    expect(record.metadata_notes.agency?.basis).toBe("absent");
  });

  it("003: the agency is marked as inferred, and the page is not an annual report", async () => {
    const { record } = await extractFile(join(SHARED, "seeds", "003_bf79b25df0a37390.txt"));
    expect(record.agency).toBe("临沧市民政局");
    expect(record.metadata_notes.agency?.basis).toBe("inferred");
    expect(record.is_annual_report).toBe(false);
    expect(record.metadata_notes.is_annual_report?.detail).toMatch(/自查/);
  });

  it("000: the heading outline is read in page order with levels", async () => {
    const { record } = await extractFile(join(SHARED, "seeds", "000_79210d5000610149.txt"));
    expect(record.headings.slice(0, 3)).toEqual([
      expect.objectContaining({ level: 1, label: "一、", title: "加强政务网站建设和管理" }),
      expect.objectContaining({ level: 1, label: "二、", title: "2017年市信息公开主要内容、数据" }),
      expect.objectContaining({ level: 1, label: "三、", title: "加强组织领导,着力规范政务公开工作" }),
    ]);
    expect(record.text).not.toContain("您访问的链接即将离开");
  });
});
