// Which page of one agency's report for one year is in force when a site lists several.
import { describe, expect, it } from "vitest";
import { correctionMark, pageSuccession } from "../pipeline/page-succession.ts";

const page = (url: string, title: string | null, publishedAt: string | null, firstSeen: number) => ({
  url,
  title,
  publishedAt,
  firstSeen,
});

describe("pageSuccession", () => {
  it("a title marking a correction wins over a later-dated original", () => {
    const original = page("a", "某县民政局2023年政府信息公开工作年度报告", "2024-03-01", 1);
    const fixed = page("b", "某县民政局2023年政府信息公开工作年度报告（更正）", "2024-01-20", 2);
    const s = pageSuccession([original, fixed]);
    expect(s.current.url).toBe("b");
    expect(s.earlier).toEqual([
      { page: original, basis: "correction", reason: expect.stringContaining("更正") },
    ]);
  });

  it("without a mark, the later stated date wins whatever order the pages appeared in", () => {
    const later = page("a", "年度报告", "2024-02-10", 1);
    const earlier = page("b", "年度报告", "2024-01-15T00:00:00Z", 2);
    const s = pageSuccession([earlier, later]);
    expect(s.current.url).toBe("a");
    expect(s.earlier[0]).toMatchObject({ basis: "later_publication" });
    expect(s.earlier[0]!.reason).toContain("2024-02-10");
  });

  it("with no dates, the page that appeared later wins", () => {
    const s = pageSuccession([page("a", null, null, 5), page("b", null, null, 9), page("c", null, null, 7)]);
    expect(s.current.url).toBe("b");
    expect(s.earlier.map((e) => e.page.url)).toEqual(["c", "a"]);
  });

  it("reads the marks portals print, and not an ordinary title", () => {
    expect(correctionMark("2022年度报告（修订版）")).toBe("修订版");
    expect(correctionMark("2022年度报告勘误")).toBe("勘误");
    expect(correctionMark("2022年政府信息公开工作年度报告")).toBeNull();
    expect(correctionMark(null)).toBeNull();
  });
});
