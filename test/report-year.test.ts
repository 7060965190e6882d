// The year a report is about when its title does not say: sentence shapes read off real pages.
import { describe, expect, it } from "vitest";
import { reportYearFrom } from "../extract/metadata/report-year.ts";

describe("reportYearFrom the body", () => {
  it.each([
    [["2016年年报根据《中华人民共和国政府信息公开条例》编制，由概述等四部分组成。"], 2016],
    [["2018年东关镇政府严格按照《条例》的要求，及时公开政府信息。"], 2018],
    [
      ["2015年朝阳区卫生和计划生育委员会开展政府信息公开工作，着重推进。", "截至2016年3月，累计公开信息。"],
      2015,
    ],
    [
      ["一、总体情况", "(一)主动公开情况。2022年，白塔经济开发区认真贯彻落实《条例》，主动公开信息20条。"],
      2022,
    ],
  ])("%j → %d", (lines, year) => {
    expect(reportYearFrom(null, lines).year).toBe(year);
  });

  it("a title's year comes first", () => {
    expect(reportYearFrom("某县2021年政府信息公开工作年度报告", ["2022年，某县认真贯彻…"]).year).toBe(2021);
  });
});
