// Phrasings of the prose counts met on real report pages (recorded in the corpus manifest), in
// sentences of our own: each must give its number, and none may be taken for another key.
import { describe, expect, it } from "vitest";
import { readProseFacts, splitSentences } from "../extract/prose/prose-facts.ts";

const read = (text: string) =>
  Object.fromEntries(
    readProseFacts(splitSentences(text))
      .facts.filter((f) => !f.approx)
      .map((f) => [f.key, f.value]),
  );

describe("applications received, however the sentence puts it", () => {
  it.each([
    ["本年度，县统计局收到和处理政府信息公开申请数量为0。", 0],
    ["2022年度，区司法局收到依申请公开12项，均按期答复。", 12],
    ["本年受理群众依申请公开信息3件，均属非本机关政府信息。", 3],
    ["全年共受理依申请公开政府信息件58件，已办结55件，转下年办理3件。", 58],
    ["上年结转政府信息公开申请2件，本年新收47件，办理45件。", 47],
    ["本年度收到申请政府信息公开请求4件。", 4],
    ["2023年我委共收到依申请公开办件0条。", 0],
  ])("%s → %d", (sentence, n) => {
    expect(read(sentence)["applications.received"]).toBe(n);
  });

  it("does not count applications handled as received", () => {
    expect(read("本年办结政府信息公开申请45件。")["applications.received"]).toBeUndefined();
  });
});

describe("items published, with the publisher or a list between verb and count", () => {
  it.each([
    ["2024年，通过门户网站主动公开规划计划、财政资金信息、人事任免、工作动态等内容217条。", 217],
    ["全年依托门户网站主动公开镇政府（含党政办）各类信息1342条，其中政策文件12条。", 1342],
    ["2022年，我局通过区政府网站公开386条政府信息，其中工作动态150条。", 386],
    ["本年度主动公开信息数9条。", 9],
    [
      "主动公开本年度印发的规范性文件及其解读材料、专项资金分配结果、价格监测分析报告、来信办理情况等政府信息共88条。",
      88,
    ],
  ])("%s → %d", (sentence, n) => {
    expect(read(sentence)["proactive.items_published"]).toBe(n);
  });

  it("does not take one kind of document for all items", () => {
    expect(read("本年主动公开规范性文件12件。")["proactive.items_published"]).toBeUndefined();
  });
});
