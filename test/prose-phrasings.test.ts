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

describe("more received-application phrasings: units, table words, zero statements", () => {
  it.each([
    ["2021年，全街共受理政府信息公开申请总数3件。", 3],
    ["2020年，本局共收到5份政府信息公开申请，均为自然人申请。", 5],
    ["本年度收到政府信息公开的申请0份。", 0],
    ["全年共收到公民、法人和其他组织提出的公开政府信息的申请4条。", 4],
    ["2023年收到2个依申请公开事项，已全部答复。", 2],
    ["全年新收政府信息公开申请数量1件，上年结转政府信息公开申请数量0件。", 1],
    ["2024年度我乡受理依申请公开信息申请0条。", 0],
    ["本年度，某某海事局未共收到依申请公开申请。", 0],
    ["2021年度未发生有关本系统政府信息公开事务的申请。", 0],
  ])("%s → %d", (sentence, n) => {
    expect(read(sentence)["applications.received"]).toBe(n);
  });

  it("a zero about reviews of applications is not a zero of applications", () => {
    expect(
      read("全年未发生因依申请公开引发的行政复议或行政诉讼案件。")["applications.received"],
    ).toBeUndefined();
  });
});

describe("items published: totals, running totals, channels and shares", () => {
  it.each([
    ["区政府网站全年更新各类政府信息512条，着力做好重点领域公开。", 512],
    ["截至2022年12月31日总共发布各类重大民生信息41条。", 41],
    ["2023年通过政府信息公开网站发布及公开的信息全年共计307条。", 307],
    [
      "2025年，某区文化旅游局主动公开政务信息、文件、重要通知公告、工作动态64项，其中通过区政府网公开9项。",
      64,
    ],
    ["2020年，我办通过市政府网站发布公文共计12件。", 12],
    ["2019年，通过省政府门户网站等渠道主动公开省政府及省政府办公厅政府信息511件，其中发布规章8部。", 511],
    ["2016年新增主动公开政府信息37条，其中，概况信息6条，占16%。", 37],
    ["截至目前共发布418条信息，2019年公开政府信息44条，其中概况信息2篇。", 44],
    ["2024年度我镇共制作信息9条，其中主动公开信息数9条。", 9],
    ["2021年我局累计主动公开信息共58条。", 58],
  ])("%s → %d", (sentence, n) => {
    expect(read(sentence)["proactive.items_published"]).toBe(n);
  });

  it.each([
    "《条例》颁布实施以来，累计主动公开政府信息1203344条。",
    "累计发布信息322条，阅读总量达120余万。",
    "区政府网站全年更新各类政府信息512条，区政府微博发布信息208条。",
    "全年共发布各类新闻信息904条、各类政务信息1.2万余条。",
  ])("%s gives no total", (sentence) => {
    expect(read(sentence)["proactive.items_published"]).toBeUndefined();
  });

  it("the 主动公开 total over a new-media channel's count in another sentence", () => {
    expect(
      read("本年度市教育局网站同步主动公开信息905条；官方微博发布信息2210条。")["proactive.items_published"],
    ).toBe(905);
  });

  it("two channels with no 主动公开 statement stay a conflict", () => {
    const r = readProseFacts(
      splitSentences("通过局门户网站公开信息733条。微信公众号等新媒体平台发布信息2011条。"),
    );
    expect(r.conflicts.join()).toMatch(/733 vs 2011/);
  });
});

describe("reviews and lawsuits stated beside other facts", () => {
  it.each([
    ["全年收到政府信息公开申请6件，上年无结转，办结6件，行政复议1件，均依法答复。", 1, undefined],
    ["行政复议2件，结果维持，未发生政府信息公开行政诉讼情况。", 2, 0],
    ["产生行政复议案件4件和行政诉讼案件2件，其中行政复议结果维持3件，尚未审结1件。", 4, 2],
    ["受理答复政府信息公开申请28件，其中，行政复议1件、行政诉讼0件。", 1, 0],
    ["因政府信息公开被申请行政复议、行政诉讼数量为0件。", 0, 0],
    ["不存在因政府信息公开引起的行政诉讼。", undefined, 0],
  ])("%s → review %s, litigation %s", (sentence, review, litigation) => {
    const r = read(sentence);
    expect(r["review.count"]).toBe(review);
    expect(r["litigation.count"]).toBe(litigation);
  });
});

describe("staff in the words reports use", () => {
  it.each([
    ["成立了领导小组，并有1名兼职负责政府信息公开工作。", { "staff.part_time": 1, "staff.count": 1 }],
    ["配备2名专职信息员，明确分级职责。", { "staff.full_time": 2, "staff.count": 2 }],
    ["明确1名工作人员专职负责政府信息公开工作。", { "staff.full_time": 1, "staff.count": 1 }],
    ["同时，明确1位同志为信息员，具体负责日常工作。", { "staff.count": 1 }],
  ])("%s", (sentence, want) => {
    const r = read(sentence);
    for (const [k, v] of Object.entries(want)) expect(r[k]).toBe(v);
  });

  it("one in each office is not a staff count", () => {
    expect(read("要求各处室指定一名兼职信息员，负责信息报送。")["staff.count"]).toBeUndefined();
  });
});

describe("a mirror in Taiwan vocabulary (资讯 for 信息)", () => {
  it("reads the count and keeps the sentence as printed", () => {
    const r = readProseFacts(splitSentences("本年度收到政府资讯公开申请4件。"));
    const f = r.facts.find((x) => x.key === "applications.received");
    expect(f?.value).toBe(4);
    expect(f?.sentence).toBe("本年度收到政府资讯公开申请4件。");
  });
});

describe("the year so far", () => {
  it("年初至今 counts the year, unlike 至今 alone", () => {
    expect(read("年初至今，我局共主动公开政府信息215条。")["proactive.items_published"]).toBe(215);
    expect(
      read("《条例》施行至今，我局共主动公开政府信息3150条。")["proactive.items_published"],
    ).toBeUndefined();
  });
});

describe("phrasings met in the held-out sample (sentences of our own)", () => {
  it.each([
    ["2023年，我委收到政府信息公开申请0宗，无信息公开类行政复议及诉讼案件。", 0, 0, 0],
    ["本年度无受理政府信息公开申请情况，无政府信息公开的行政复议案或行政诉讼案。", 0, 0, 0],
    [
      "2021年，我所未收到政府信息公开申请，未收到针对本单位政府信息公开事务的行政复议，未发生相关行政诉讼案件。",
      0,
      0,
      0,
    ],
  ])("%s", (sentence, received, review, litigation) => {
    const r = read(sentence);
    expect(r["applications.received"]).toBe(received);
    expect(r["review.count"]).toBe(review);
    expect(r["litigation.count"]).toBe(litigation);
  });

  it("未接收到依申请公开 and 不收取任何费用 are zeros", () => {
    expect(read("2023年某某街道办事处未接收到依申请公开。")["applications.received"]).toBe(0);
    expect(read("依申请公开政府信息不收取任何费用。")["fees.collected_yuan"]).toBe(0);
  });

  it("a stated staff total wins over its parts, which keep their keys", () => {
    const r = read("全市专（兼）职工作人员共420人，其中专职人员140人，兼职280人。");
    expect(r["staff.count"]).toBe(420);
    expect(r["staff.full_time"]).toBe(140);
    expect(r["staff.part_time"]).toBe(280);
  });

  it("a part after 其中 alone is not the staff count", () => {
    expect(read("落实工作责任，其中专职人员2名。")["staff.count"]).toBeUndefined();
  });

  it("安排工作人员3名 is the staff", () => {
    expect(read("办公室设在党政办，安排工作人员3名，负责信息发布。")["staff.count"]).toBe(3);
  });
});

describe("each negation reaches only its own clause", () => {
  it.each([
    ["本年度未收到政府信息公开申请，行政复议1件，行政诉讼0件。", 0, 1, 0],
    [
      "我镇未收到群众提出的政府信息公开申请，未发生因政府信息公开被申请行政复议、被提起行政诉讼情况。",
      0,
      0,
      0,
    ],
  ])("%s", (sentence, received, review, litigation) => {
    const r = read(sentence);
    expect(r["applications.received"]).toBe(received);
    expect(r["review.count"]).toBe(review);
    expect(r["litigation.count"]).toBe(litigation);
  });

  it("没有…收费及减免事项 is no fee", () => {
    expect(read("2020年度，我乡没有政府信息公开的收费及减免事项。")["fees.collected_yuan"]).toBe(0);
  });
});

describe("a place's whole count against the channels it lists", () => {
  it("全乡政府信息公开N条 is the total, and 二是… one of its parts", () => {
    const text =
      "2023年,全乡政府信息公开412条;一是通过县政府门户网站公开政务信息57条;二是通过微信公众号等发布信息203条;三是在市级媒体刊发信息31条。";
    expect(read(text)["proactive.items_published"]).toBe(412);
  });

  it("an enumerated item alone still gives its count (no total to beat it)", () => {
    expect(read("二是通过政府网站主动公开政府信息75条。")["proactive.items_published"]).toBe(75);
  });

  it("one new-media account's count is not the year's total", () => {
    const text = "加强新媒体建设,截止12月31日,某某县政务微信平台共发布信息5127条,关注人数达到2万人。";
    expect(read(text)["proactive.items_published"]).toBeUndefined();
  });

  it("a count over the website and new media together still is", () => {
    const text = "全年通过门户网站、微信公众号、微博等渠道公开各类信息964条,其中规范性文件8件。";
    expect(read(text)["proactive.items_published"]).toBe(964);
  });
});

describe("more ways of saying none, and counts before their object", () => {
  it.each([
    ["2022年度无依申请公开件。", "applications.received", 0],
    ["我社区2021年度无依申请公开情况。", "applications.received", 0],
    ["2015年,我办收到7起政府信息依申请公开,均在时限内答复。", "applications.received", 7],
    ["2024年我局共收到依申请公开信件3件,均为信函申请。", "applications.received", 3],
    ["全年未涉及政府信息公开的收费及减免情况。", "fees.collected_yuan", 0],
    ["本年度发生行政复议及行政诉讼0件。", "litigation.count", 0],
    ["本年度发生行政复议及行政诉讼0件。", "review.count", 0],
    ["全年共受理政府信息公开申请9件,未被行政复议或诉讼。", "review.count", 0],
    ["全年共受理政府信息公开申请9件,未被行政复议或诉讼。", "litigation.count", 0],
  ])("%s → %s %d", (sentence, key, n) => {
    expect(read(sentence)[key]).toBe(n);
  });

  it("one count for review and litigation together is neither's", () => {
    const r = read("本年度因政府信息公开被申请行政复议和行政诉讼4件。");
    expect(r["review.count"]).toBeUndefined();
    expect(r["litigation.count"]).toBeUndefined();
  });

  it("无依申请公开 before a fee is not an application count", () => {
    expect(read("无依申请公开的收费。")["applications.received"]).toBeUndefined();
  });
});

describe("主动 with an adverb before 公开", () => {
  it("主动及时公开 is the statutory count, so a WeChat account's count beside it ranks below", () => {
    const text =
      "全年通过某某市人民政府网站主动及时公开信息31条,其中政策文件4条。通过微信公众号公开政府信息88条。";
    expect(read(text)["proactive.items_published"]).toBe(31);
  });
});
