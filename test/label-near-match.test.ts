// Misprinted row labels (a character dropped, swapped or mistyped) are read as the one template row
// they are near, and only then: a label near two rows, or too short to tell, stays unmatched.
import { describe, expect, it } from "vitest";
import { editDistance, labelMatches, nearTable1Row, nearTable2Label } from "../extract/tables/label-match.ts";
import { TABLE2_GROUPS } from "../extract/templates/report-templates.ts";
import { matchForm } from "../extract/text/normalize.ts";

describe("editDistance", () => {
  it.each([
    ["行政许可", "行政许可", 0],
    ["行政许诃", "行政许可", 1],
    ["其他对外管理服事项", "其他对外管理服务事项", 1],
    ["行政处罚", "行政许可", 2],
  ])("%s ~ %s = %d", (a, b, d) => {
    expect(editDistance(a, b, 5)).toBe(d);
  });
});

describe("near labels", () => {
  it("a Table 1 row one character off", () => {
    expect(nearTable1Row("其他对外管理服事项")?.row.key).toBe("other_services");
    expect(nearTable1Row("行政事业性收贵")?.row.key).toBe("fees");
  });

  it("a short label near two rows is left alone (行政许罚: 许可 or 处罚?)", () => {
    expect(nearTable1Row("行政许罚")).toBeNull();
  });

  it("a Table 2 item of the open group, a character dropped", () => {
    const denied = TABLE2_GROUPS.find((g) => g.key === "applications.results.denied")!;
    expect(nearTable2Label("4.保护第三方合法权", denied)?.key).toBe(
      "applications.results.denied.third_party_rights",
    );
    expect(nearTable2Label("上年结转政府信息公开申数量", null)?.key).toBe("applications.carried_over");
  });

  it("a label far from every row stays unmatched", () => {
    expect(nearTable2Label("申请人情况说明", null)).toBeNull();
  });
});

describe("a misprinted row in a page's table", () => {
  it("is read as its row and flagged", async () => {
    const { extractReport } = await import("../extract/index.ts");
    const html = `<html><head><title>乐平县统计局2022年政府信息公开工作年度报告</title></head><body>
<h1>乐平县统计局2022年政府信息公开工作年度报告</h1><p>二、主动公开政府信息情况</p><table>
<tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>行政规范性文件</td><td>2</td><td>1</td><td>9</td></tr>
<tr><td colspan="4">第二十条第（五）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政许诃</td><td colspan="3">37</td></tr>
<tr><td>行政许罚</td><td colspan="3">5</td></tr></table></body></html>`;
    const r = extractReport({ content: html, fileName: "near.html" });
    expect(r.values["proactive.licensing.decisions"]).toBe(37);
    expect(r.flags.some((f) => f.id === "label_near_match" && f.detail.includes("行政许诃"))).toBe(true);
    // 行政许罚 is as near 行政许可 as 行政处罚: no value, the row flagged unmatched.
    expect(r.values["proactive.penalties.decisions"]).toBeUndefined();
    expect(r.flags.some((f) => f.id === "table1_unmatched_row" && f.detail.includes("行政许罚"))).toBe(true);
  });
});

describe("printed variants of a column label", () => {
  it("本年增\\减 (a backslash for the slash) is the form's 本年增/减", () => {
    expect(labelMatches(matchForm("本年增\\减"), ["本年增/减", "本年增减"])).toBe(true);
    expect(labelMatches(matchForm("本年增＼减"), ["本年增/减"])).toBe(true);
  });
});
