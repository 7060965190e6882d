// Metadata readers on the lines real pages give them: a portal menu printed above the title (as in a
// PDF printed from the page) names no agency; a title without a year still gives the agency it names.
import { describe, expect, it } from "vitest";
import { agencyFromTitle, readMetadata } from "../extract/metadata/report-metadata.ts";

describe("agencyFromTitle", () => {
  it.each([
    ["莒南县人力资源和社会保障局2023年政府信息公开工作年度报告", "莒南县人力资源和社会保障局"],
    ["2019年天水市民政局政府信息公开工作年度报告", "天水市民政局"],
    ["宁国市民政局政府信息公开工作年度报告", "宁国市民政局"],
    ["1. 临沧市民政局2022年政府信息公开工作年度报告", "临沧市民政局"],
  ])("%s → %s", (title, agency) => {
    expect(agencyFromTitle(title)).toBe(agency);
  });

  it.each(["• 政府信息公开年度报告", "政府信息公开年度报告", "本机关政府信息公开年度报告"])(
    "%s names no agency",
    (title) => {
      expect(agencyFromTitle(title)).toBeNull();
    },
  );
});

describe("readMetadata", () => {
  it("skips the portal menu and finds the title below it", () => {
    const menu = ["•首页", "•政务动态", "•政府信息公开", "•政务服务", "•互动交流", "•走进本地"];
    const meta = readMetadata({
      fieldLines: [],
      bodyLines: [
        "欢迎访问莒南县人民政府门户网站！",
        "搜索",
        ...menu,
        "政府信息公开",
        "•政府信息公开指南",
        "•政府信息公开制度",
        "•法定主动公开内容",
        "•政府信息公开年度报告",
        "•依申请公开",
        "莒南县人力资源和社会保障局2023年政府信息公开工作年度报告",
        "一、总体情况",
      ],
      meta: {},
    });
    expect(meta.title).toBe("莒南县人力资源和社会保障局2023年政府信息公开工作年度报告");
    expect(meta.agency).toBe("莒南县人力资源和社会保障局");
    expect(meta.report_year).toBe(2023);
  });
});

describe("an office inside the department named in a sentence or contact line", () => {
  it.each([
    ["如对本报告有疑问，请与宜阳县统计局办公室联系（电话：0379-1234567）。", "宜阳县统计局"],
    ["本报告由临湘市卫生健康委员会信息公开领导小组办公室编制。", "临湘市卫生健康委员会"],
  ])("%s → the department", (line, agency) => {
    const meta = readMetadata({
      fieldLines: [],
      bodyLines: ["政府信息公开工作年度报告", "一、总体情况", "2023年，我局认真贯彻落实《条例》。", line],
      meta: {},
    });
    expect(meta.agency).toBe(agency);
  });

  it("keeps a government's own office, which is an agency in its own right", () => {
    const meta = readMetadata({
      fieldLines: [],
      bodyLines: [
        "政府信息公开工作年度报告",
        "一、总体情况",
        "如对本报告有疑问，请与宜阳县人民政府办公室联系。",
      ],
      meta: {},
    });
    expect(meta.agency).toBe("宜阳县人民政府办公室");
  });
});

describe("agency named only in the body", () => {
  const agencyOf = (bodyLines: string[]) => readMetadata({ fieldLines: [], bodyLines, meta: {} }).agency;

  it("a place name that begins like an office word (科, 处) is still a place", () => {
    expect(agencyOf(["科尔沁左翼中旗2024年政府信息公开工作年度报告", "一、总体情况"])).toBe(
      "科尔沁左翼中旗人民政府",
    );
  });

  it("the compiler as the subject of 编制了", () => {
    expect(
      agencyOf([
        "根据《中华人民共和国政府信息公开条例》，三亚市人民政府编制了2019年政府信息公开工作年度报告。",
        "一、总体情况",
      ]),
    ).toBe("三亚市人民政府");
  });

  it("特编制…年度报告 and a long 由…综合…编制 name the compiler", () => {
    expect(
      agencyOf([
        "根据《中华人民共和国政府信息公开条例》要求，特编制韶关市人民政府外事办公室2023年政府信息公开工作年度报告。",
      ]),
    ).toBe("韶关市人民政府外事办公室");
    expect(
      agencyOf([
        "本报告根据《条例》要求，由赤峰市人民政府办公室综合分析全市各旗县区、各部门2012年度政府信息公开工作情况编制。",
      ]),
    ).toBe("赤峰市人民政府办公室");
  });

  it("2015年某区教育委员会开展…: the subject before 开展", () => {
    expect(agencyOf(["2015年海淀区教育委员会开展政府信息公开工作，加大力度。"])).toBe("海淀区教育委员会");
  });

  it("the overview's first sentence after marks an export left before it", () => {
    expect(
      agencyOf(["一、总体情况", "??2024年，吉林省人民政府办公厅坚持以人民为中心，做好政府信息公开工作。"]),
    ).toBe("吉林省人民政府办公厅");
  });
});

describe("an annual report with no title, below a saved page's field lines", () => {
  it("is known by the template's preface sentence", () => {
    const fields = [
      "- 索引号",
      "- 11410400/2023-00012",
      "- 发布日期",
      "- 2023-01-30",
      "- 主题分类",
      "- 其他",
    ];
    const meta = readMetadata({
      fieldLines: [],
      bodyLines: [
        ...fields,
        ...fields,
        "本年度报告根据《中华人民共和国政府信息公开条例》编制。本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。",
        "一、总体情况",
      ],
      meta: {},
    });
    expect(meta.is_annual_report).toBe(true);
    expect(meta.report_year).toBe(2022);
  });
});

describe("agency from the long tail of real page shapes", () => {
  const read = (bodyLines: string[], fieldLines: string[] = []) =>
    readMetadata({ fieldLines, bodyLines, meta: {} });
  const agencyOf = (bodyLines: string[]) => read(bodyLines).agency;

  it("a banner-style place name that opens with 科 is a place, not a unit", () => {
    expect(agencyOf(["科右中旗林业和草原局2022年政府信息公开工作年度报告", "一、总体情况"])).toBe(
      "科右中旗林业和草原局",
    );
  });

  it("a street office titled by its street (某某街) and a 部门 named with its place", () => {
    expect(agencyOf(["长乐街2023年政府信息公开工作年度报告", "一、总体情况"])).toBe("长乐街");
    expect(agencyOf(["朔州市地震部门2021年政府信息公开工作年度报告", "一、总体情况"])).toBe("朔州市地震部门");
    expect(agencyOf(["职能部门2021年政府信息公开工作年度报告", "一、总体情况"])).toBeNull();
  });

  it("a title printed twice on one line, then the first sentence", () => {
    const t = "南宁市2017年政府信息公开工作年度报告";
    const meta = read([`${t}${t} 2017年，全市认真贯彻落实《条例》。`]);
    expect(meta.title).toBe(t);
    expect(meta.agency).toBe("南宁市人民政府");
    expect(meta.notes.agency?.basis).toBe("inferred");
  });

  it("a place-only title gives its government, marked inferred", () => {
    const meta = read(["甘肃省2015年政府信息公开工作年度报告", "一、概述"]);
    expect(meta.agency).toBe("甘肃省人民政府");
    expect(meta.notes.agency?.basis).toBe("inferred");
  });

  it("the body that set up its disclosure leading group, matching how the text speaks of itself", () => {
    expect(
      agencyOf([
        "政府信息公开工作年度报告",
        "一、总体情况",
        "2020年，我局调整了洛宁县农业农村局政务公开领导小组，明确专人负责。",
      ]),
    ).toBe("洛宁县农业农村局");
    // 我局 in the text, but the group named is the county's: some other body, not the report's.
    expect(
      agencyOf([
        "政府信息公开工作年度报告",
        "一、总体情况",
        "2020年，我局按照洛宁县政务公开领导小组的部署开展工作。",
      ]),
    ).toBeNull();
  });

  it("我委 and one full name of that kind after a comma, marked inferred", () => {
    const meta = read([
      "政府信息公开工作年度报告",
      "一、总体情况",
      "2021年，我委认真落实《条例》要求，广元市利州区卫生健康委员会将公开工作纳入年度考核。",
    ]);
    expect(meta.agency).toBe("广元市利州区卫生健康委员会");
    expect(meta.notes.agency?.basis).toBe("inferred");
  });

  it("a contact sentence with 与…联系 and no 请, the office's body taken", () => {
    expect(
      agencyOf([
        "政府信息公开工作年度报告",
        "如对本报告有疑问可与鹤壁市淇滨区统计局办公室联系。",
        "一、总体情况",
      ]),
    ).toBe("鹤壁市淇滨区统计局");
  });

  it("the year's work under its name in the preface, after the laws it follows", () => {
    expect(
      agencyOf([
        "依据《中华人民共和国政府信息公开条例》和2012年度江西省地方志办公室信息公开工作情况编制本报告。",
        "一、基本情况",
      ]),
    ).toBe("江西省地方志办公室");
  });

  it("the overview's subject when the page prints its text on one line", () => {
    expect(
      agencyOf([
        "本报告包括总体情况、主动公开政府信息情况等。 一、总体情况 2022年，郧西县人民政府坚持以人民为中心。",
      ]),
    ).toBe("郧西县人民政府");
  });
});

describe("a short name qualified by the place the page prints", () => {
  const read = (bodyLines: string[], fieldLines: string[] = []) =>
    readMetadata({ fieldLines, bodyLines, meta: {} });

  it("省某某厅 in the title, the full name printed once in the text", () => {
    const meta = read([
      "省林业和草原厅2020年度政府信息公开工作报告",
      "一、总体情况",
      "2020年，省林业和草原厅贯彻落实《吉林省林业和草原厅政务公开工作规则》，做好公开工作。",
    ]);
    expect(meta.agency).toBe("吉林省林业和草原厅");
    expect(meta.notes.agency?.basis).toBe("read");
  });

  it("a bare 某某局 title, its county's full name in the body", () => {
    const meta = read([
      "统计局2020年政府信息公开年度工作报告",
      "一、总体情况",
      "2020年，蒲城县统计局认真贯彻落实《条例》。",
    ]);
    expect(meta.agency).toBe("蒲城县统计局");
  });

  it("市某某局 in the 发布机构 field and one city on the page: inferred", () => {
    const meta = read(
      ["关于印发芜湖市政务公开工作制度的通知", "各县区人民政府，市政府各部门："],
      ["发布机构：市水务局 发布日期：2016-03-01"],
    );
    expect(meta.agency).toBe("芜湖市水务局");
    expect(meta.notes.agency?.basis).toBe("inferred");
  });

  it("two cities on the page leave the short name unqualified", () => {
    const meta = read(
      ["关于印发芜湖市政务公开工作制度的通知", "参照马鞍山市的做法，各县区人民政府、市政府各部门："],
      ["发布机构：市水务局 发布日期：2016-03-01"],
    );
    expect(meta.agency).toBeNull();
  });

  it("我旗 throughout and one banner named: its government, inferred", () => {
    const meta = read([
      "根据《条例》，特向社会公布我旗2022年度信息公开年度报告。",
      "一、总体情况",
      "2022年，我旗持续推进政务公开，在达尔罕茂明安联合旗政府网站公开信息。",
    ]);
    expect(meta.agency).toBe("达尔罕茂明安联合旗人民政府");
    expect(meta.notes.agency?.basis).toBe("inferred");
  });

  it("a notice's issuer before 关于, also behind a 信息名称 label", () => {
    const notice = read([
      "宜春市人民政府办公室关于做好2020年政府信息公开工作年度报告编制发布工作的通知",
      "各县（市、区）人民政府：",
    ]);
    expect(notice.title).toMatch(/^宜春市人民政府办公室关于/);
    expect(notice.agency).toBe("宜春市人民政府办公室");
    expect(notice.is_annual_report).toBe(false);
    const labelled = read([
      "当前位置：政务公开 > 政府文件",
      "信息名称 区政府办公室关于做好2018年政府信息公开年度报告编制发布工作的通知",
      "欢迎访问扬州市江都区人民政府网站",
    ]);
    expect(labelled.agency).toBe("扬州市江都区人民政府办公室");
  });
});

describe("which body a report is, where the page names several", () => {
  const read = (bodyLines: string[], fieldLines: string[] = []) =>
    readMetadata({ fieldLines, bodyLines, meta: {} });

  it("the portal's name above a title that names its own township", () => {
    const meta = read(["新昌县人民政府", "2022年度儒岙镇政府信息公开工作年度报告", "一、总体情况"]);
    expect(meta.title).toBe("2022年度儒岙镇政府信息公开工作年度报告");
    expect(meta.agency).toBe("儒岙镇人民政府");
  });

  it("a place-only title with its compiler named in the preface: the compiler", () => {
    const meta = read([
      "云南省2018年政府信息公开工作年度报告",
      "根据《条例》，云南省大数据中心（云南省政务服务中心）编制了《云南省2018年政府信息公开工作年度报告》。",
    ]);
    expect(meta.agency).toBe("云南省大数据中心");
    expect(meta.notes.agency?.basis).toBe("read");
  });

  it("a place-only title and a 来源 naming the place's disclosure office; other bodies leave the government", () => {
    const body = (source: string) =>
      read(["兴义市2021年政府信息公开工作年度报告", `来源：${source} 发布时间：2022-01-20`, "一、总体情况"]);
    expect(body("兴义市大数据发展管理局").agency).toBe("兴义市大数据发展管理局");
    expect(body("市政府办").agency).toBe("兴义市人民政府");
    // A bureau in the field is the portal column the report was filed under.
    expect(body("兴义市民政局").agency).toBe("兴义市人民政府");
  });

  it("特公布…某市政府信息公开…报告 on a page that says 我局: the bureau named in the text", () => {
    const meta = read([
      "根据《条例》，特公布2017年永安市政府信息公开工作年度报告。",
      "如对本报告有疑问，请与永安市林业局办公室联系。",
      "一、概述",
      "2017年，我局认真贯彻落实《条例》。",
    ]);
    expect(meta.agency).toBe("永安市林业局");
  });

  it("我局 and one 区某某局 printed, qualified by the one district named", () => {
    const meta = read([
      "本年度报告根据《条例》编制。",
      "一、总体情况",
      "2023年度区卫生健康局通过门户网站主动公开信息88条。我局规范莲都区人民政府网站卫生板块。",
    ]);
    expect(meta.agency).toBe("莲都区卫生健康局");
    expect(meta.notes.agency?.basis).toBe("inferred");
  });

  it("a 参事室 is a body", () => {
    expect(
      read(["依据《条例》和2013年度广东省人民政府参事室信息公开工作情况编制本报告。", "一、基本情况"]).agency,
    ).toBe("广东省人民政府参事室");
  });
});

describe("an annual report cut from its top (no title, no preface)", () => {
  const annual = (bodyLines: string[]) =>
    readMetadata({ fieldLines: [], bodyLines, meta: {} }).is_annual_report;

  it("opens with the overview heading and the year's counts", () => {
    expect(
      annual(["搜索", "一、总体情况", "（一）主动公开方面", "在网站上主动公开信息215条，及时更新机构职能。"]),
    ).toBe(true);
  });

  it("opens with the overview's first sentence", () => {
    expect(
      annual([
        "2016年东台市民政局开展政府信息公开工作，确保工作顺利进行。",
        "一、主动公开情况",
        "全年主动公开信息56条。",
      ]),
    ).toBe(true);
  });

  it("an overview heading with no disclosure counts is not enough", () => {
    expect(annual(["一、总体情况", "全区经济运行平稳，地区生产总值增长6%。"])).toBe(false);
  });
});

describe("report year and kind in harder shapes", () => {
  const read = (bodyLines: string[], fieldLines: string[] = []) =>
    readMetadata({ fieldLines, bodyLines, meta: {} });

  it("the statistics period outweighs a preface reused from last year", () => {
    const meta = read([
      "根据《条例》，某某管理局编制了2022年政府信息公开工作年度报告。",
      "报告中所列数据的统计时限为2023年1月1日起至2023年12月31日止。",
      "一、总体情况",
    ]);
    expect(meta.report_year).toBe(2023);
  });

  it("the year of the body's own work (…年度我局…)", () => {
    const meta = read(["一、总体情况", "2019年度我局共收到依申请公开3件，均按时答复。"]);
    expect(meta.report_year).toBe(2019);
  });

  it("a notice keeps no year from its text, only from its title", () => {
    const untitledYear = read([
      "某某市人民政府办公厅关于做好政府信息公开工作年度报告有关工作的通知",
      "请于2019年12月30日前报送。",
    ]);
    expect(untitledYear.is_annual_report).toBe(false);
    expect(untitledYear.report_year).toBeNull();
    const titledYear = read(["某某市人民政府办公室关于做好2009年度政府信息公开工作年度报告有关事项的通知"]);
    expect(titledYear.report_year).toBe(2009);
  });

  it("a notice reposted by a bureau: the bureau that published the page", () => {
    const meta = read(
      ["各省、自治区、直辖市人民政府办公厅："],
      [
        "信息名称 | 国务院办公厅政府信息与政务公开办公室关于印发《政府信息公开工作年度报告格式》的通知 | 内容概述 |",
        "发布机构 | 绩溪县商务局 | 发文日期 | 2021-10-08 |",
      ],
    );
    expect(meta.agency).toBe("绩溪县商务局");
    expect(meta.is_annual_report).toBe(false);
  });

  it("…向社会公布某年度…年度报告 as the first line is the report itself", () => {
    const meta = read([
      "某某街道办事处向社会公布2022年度本级政府信息公开年度报告。本报告由总体情况等六个部分组成。",
      "一、总体情况",
    ]);
    expect(meta.is_annual_report).toBe(true);
  });

  it("2017年，我厅…政务公开…。现将有关情况报告如下 is the year's report", () => {
    const meta = read([
      "2017年，我厅认真落实全省政务公开工作实施细则，全面推进政务公开。现将有关情况报告如下。",
      "一、以政务公开助力改革",
    ]);
    expect(meta.is_annual_report).toBe(true);
    expect(meta.report_year).toBe(2017);
  });
});

describe("a breadcrumb printed one item a line", () => {
  it("gives no agency beside the title; the text's own name does", () => {
    const meta = readMetadata({
      fieldLines: [],
      bodyLines: [
        "首页",
        "政务公开",
        "镇街信息公开",
        "双凤街道",
        "政府信息公开年报",
        "2023年政府信息公开工作年度报告",
        "一、总体情况",
        "2023年，某某市某某区人民政府双凤街道办事处坚持以人民为中心，做好政府信息公开工作。",
      ],
      meta: {},
    });
    expect(meta.agency).toBe("某某市某某区人民政府双凤街道办事处");
  });
});

describe("clauses that look like names (held-out sample shapes)", () => {
  const agencyOf = (bodyLines: string[]) => readMetadata({ fieldLines: [], bodyLines, meta: {} }).agency;

  it("a preposition or verb opening the overview's sentence is no subject", () => {
    expect(
      agencyOf(["一、总体情况", "2012年，在国务院全面加强透明政府建设的环境下，本市认真贯彻《条例》。"]),
    ).toBeNull();
    expect(agencyOf(["一、总体情况", "2023年，收到政府信息公开申请0件，坚持依法答复。"])).toBeNull();
  });

  it("the subject after 在…领导下", () => {
    expect(
      agencyOf([
        "一、总体情况",
        "2022年，在区委区政府的正确领导下，广州南沙经济技术开发区管理委员会认真贯彻执行《条例》。",
      ]),
    ).toBe("广州南沙经济技术开发区管理委员会");
  });

  it("a leading group inside a cited document's title is not the report's, nor a region above 我旗; the preface sentence is no title's name", () => {
    expect(
      agencyOf([
        "特向社会公布我旗2021年度信息公开年度报告。",
        "一、总体情况",
        "2021年，我旗围绕《内蒙古自治区政务公开领导小组关于印发2021年政务公开工作要点的通知》开展工作。",
      ]),
    ).toBeNull();
  });
});

describe("an article bar with each field in brackets", () => {
  it("【发布时间：…】 is the publication date, over the signature's", async () => {
    const { extractReport } = await import("../extract/index.ts");
    const page = [
      "某某区民政局2018年政府信息公开工作年度报告",
      "【发布时间：2019-04-02】　【浏览次数：】　【字体：大 中 小】　【打印】　【关闭】",
      "一、概述",
      "2018年，我局认真贯彻落实《条例》，没有收到政府信息公开申请。",
      "某某区民政局",
      "2019年3月28日",
    ].join("\n");
    const r = extractReport({ content: page, fileName: "bar.txt" });
    expect(r.published_at).toBe("2019-04-02");
  });
});

describe("a town named only after its county", () => {
  it("我镇 throughout and one 某县某镇 printed: that town's government, inferred", () => {
    const meta = readMetadata({
      fieldLines: [],
      bodyLines: [
        "一、总体情况",
        "2023年，我镇认真贯彻落实《条例》，修订了《宣汉县南坝镇政府信息公开指南》。",
        "二、主动公开政府信息情况",
      ],
      meta: {},
    });
    expect(meta.agency).toBe("宣汉县南坝镇人民政府");
    expect(meta.notes.agency?.basis).toBe("inferred");
  });
});

describe("names that open like a clause word", () => {
  it("经济技术开发区 and 对外 bodies are names; 经/对 as prepositions are not", () => {
    expect(agencyFromTitle("经济技术开发区管理委员会2021年政府信息公开工作年度报告")).toBe(
      "经济技术开发区管理委员会",
    );
    expect(agencyFromTitle("对外贸易经济合作局2021年政府信息公开工作年度报告")).toBe("对外贸易经济合作局");
  });
});

describe("a place whose name begins like a clause word", () => {
  it("从化区… and 向阳区… are names", () => {
    expect(agencyFromTitle("从化区住房和城乡建设局2022年政府信息公开工作年度报告")).toBe(
      "从化区住房和城乡建设局",
    );
    expect(agencyFromTitle("向阳区民政局2022年政府信息公开工作年度报告")).toBe("向阳区民政局");
  });
});

describe("a township whose name begins like a clause word", () => {
  it("对坊乡 and 在田镇人民政府 are names (townships are in no division list)", () => {
    expect(agencyFromTitle("对坊乡2023年政府信息公开工作年度报告")).toBe("对坊乡人民政府");
    expect(agencyFromTitle("在田镇人民政府2022年政府信息公开工作年度报告")).toBe("在田镇人民政府");
  });

  it("对全镇 / 在城镇 stay clauses", () => {
    expect(agencyFromTitle("对全镇2023年政府信息公开工作年度报告")).toBeNull();
    expect(agencyFromTitle("在城镇2023年政府信息公开工作年度报告")).toBeNull();
  });
});
