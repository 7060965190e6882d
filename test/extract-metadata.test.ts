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
