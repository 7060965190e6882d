// Finds the issuing body where a page names it only in its text: the report's own title quoted in a
// sentence, 现公布/由…编制 in the preface, the subject of the opening sentence, or the contact line.
// Each pattern is a sentence shape the national template's preface and overview use.
import { asAgency, parentAgency } from "./agency-names.ts";
import { fromFirstPlace } from "./place-names.ts";
import { qualifyShortName, shortNameInText, townAfterCounty } from "./qualify-name.ts";

export interface AgencyFromText {
  agency: string;
  basis: "read" | "inferred";
  detail: string;
}

const NAME = "[\\u4e00-\\u9fa5（）()]{3,40}?";
const YEAR = "\\d{4}\\s*年度?";
const REPORT = "(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)";

/** Preface shapes that state who reports, strongest first. */
const PREFACE: { re: RegExp; detail: string }[] = [
  // 现公布吉林省政务服务和数字化建设管理局2024年政府信息公开工作年度报告 / 特向社会公开某某街道办事处2022年度…
  {
    re: new RegExp(`(?:现|特)(?:向社会)?(?:公布|公开|发布|编制)(?:了)?(${NAME})${YEAR}${REPORT}`),
    detail: "the preface publishes the report under its name (现公布…年度报告)",
  },
  // 现向社会公布2010年度云南省民政厅政府信息公开年度报告: the year before the name.
  {
    re: new RegExp(`(?:现|特)(?:向社会)?(?:公布|公开|发布)(?:了)?${YEAR}(${NAME})${REPORT}`),
    detail: "the preface publishes the report under its name (现公布…年度报告)",
  },
  // 本年度报告由杭州市余杭区教育局根据《…》…: who compiled it, before what it follows.
  {
    re: new RegExp(`^本(?:年度)?报告由(${NAME})(?:根据|依据|按照|结合)`),
    detail: "the preface says who compiled the report (由…编制)",
  },
  // 由上海市杨浦区人民政府办公室编制 / 吉林市卫生健康委编制了…
  {
    re: new RegExp(
      `由(${NAME})(?:结合[^。，,]{0,12})?(?:负责)?(?:(?:综合|汇总)[^。]{0,90}?)?(?:编制|编写|汇总编制)|由(${NAME})(?:根据|依据|按照)[^。]{0,90}?编制`,
    ),
    detail: "the preface says who compiled the report (由…编制)",
  },
  // 海口市人民政府编制了2018年政府信息公开工作年度报告: the compiler as the subject of 编制.
  {
    // 广西壮族自治区大数据发展局（中国-东盟信息港建设办公室）编制了《…》: a second name in brackets.
    re: new RegExp(
      `(?:^|[,，。；;])(${NAME})(?:[（(][^）)]{1,40}[）)])?编制了?(?:《[\\u4e00-\\u9fa5]{0,20}?)?${YEAR}${REPORT}`,
    ),
    detail: "the preface says who compiled the report (…编制了…年度报告)",
  },
  // 2011年度湖南省参事室信息公开工作情况编制…: the year's work reported under its name.
  {
    re: new RegExp(`(?:^|[》、，,]|和)${YEAR}(${NAME})(?:政府信息公开|政务公开|信息公开)工作情况`),
    detail: "the preface reports the year's work under its name (…年度某某信息公开工作情况)",
  },
  // 现将我局2020年度政府信息公开工作情况报告如下 has no name; 现将信访局2021年度… has one.
  {
    re: new RegExp(`现将(${NAME})${YEAR}(?:政府信息公开|政务公开|信息公开)`),
    detail: "the preface reports the year's work under its name (现将…年度…)",
  },
];

/** 《双塔区人民政府2022年政府信息公开工作年度报告》 quoted in the preface: the title the page leaves out. */
const QUOTED_TITLE = new RegExp(`《(${NAME})${YEAR}${REPORT}》`);

/** What follows the subject of the overview's first sentence (2019年，云南省民政厅紧紧围绕…). */
const AFTER_SUBJECT =
  "(?:在|开展|坚持|认真|深入|紧紧|紧扣|严格|持续|进一步|全面|按照|围绕|以|聚焦|积极|不断|高度|扎实|始终|继续|切实|共|主动|全年|政府信息公开|政务公开|信息公开|立足|根据|依据|贯彻|着力|大力|强化|加强|推进|结合|对照|依法|注重|着眼|牢固|把|将|通过|落实|重视|扎实|精心|突出|不折不扣)";
// Marks a page export leaves before the line (??, bullets, spaces) are not part of the sentence.
// 2022年，在区委区政府的正确领导下，某某管理委员会认真贯彻…: the circumstance before the subject.
const UNDER = "(?:在[^，,。]{2,24}(?:领导|指导|关心|支持|部署)下\\s*[,，]\\s*)?";
const OPENING_SUBJECT = new RegExp(
  `^(?:[^\\u4e00-\\u9fa5\\d]*|.{0,8}?总体情况\\s+)${YEAR}\\s*[,，]?\\s*${UNDER}(${NAME})${AFTER_SUBJECT}`,
);

/** The same sentence where a page prints its text on one line: 一、总体情况 2022年，襄州区人民政府坚持…. */
const SUBJECT_AFTER_HEADING = new RegExp(
  `(?:总体情况|基本情况|概述)\\s*${YEAR}\\s*[,，]?\\s*(${NAME})${AFTER_SUBJECT}`,
);

/** 请与某某办公室联系 / 联系单位：某某局: the office that answers for the report. */
const CONTACT = new RegExp(
  `(?:请与|请联系|联系单位[:：]|联系部门[:：]|(?:疑问|意见|建议|咨询)[^。]{0,8}?与)(${NAME})(?:联系|[（(,，。])`,
);

/**
 * How a report speaks of its own body (我局, 本委, 我街道): the kind of name that body has. A name
 * read from a sentence must be of that kind, or it is some other body the report mentions.
 */
interface SelfKind {
  ref: RegExp;
  /** The self reference as the notes print it (我局). */
  word: string;
  /** How a name of this kind ends (alternatives joined by |), and that ending as a test. */
  ending: string;
  endsLike: RegExp;
  /** A place's government (我县 → 某某县人民政府). */
  place: boolean;
}
const kind = (ref: RegExp, word: string, ending: string, place = false): SelfKind => ({
  ref,
  word,
  ending,
  endsLike: new RegExp(`(?:${ending})$`),
  place,
});
const SELF_KINDS: SelfKind[] = [
  kind(/[我本]局/, "我局", "局"),
  kind(/[我本]委(?!员)/, "我委", "委员会|委"),
  kind(/[我本]厅/, "我厅", "厅"),
  kind(/[我本]办(?!法|理|公|事|结)/, "我办", "办公室|办"),
  kind(/[我本]署/, "我署", "署"),
  kind(/[我本](?:县|区|市|旗|镇|乡|苏木)(?![直属级委])/, "我县/我区", "人民政府", true),
  kind(/[我本]街道/, "我街道", "街道办事处|街道"),
];

/** A bureau also says 我市 of its city; a government never says 我局 of itself: a body's kind wins. */
function selfKinds(text: string): SelfKind[] {
  const kinds = SELF_KINDS.filter((k) => k.ref.test(text));
  const bodies = kinds.filter((k) => !k.place);
  return bodies.length > 0 ? bodies : kinds;
}

/** Does the name fit how the report speaks of itself? With no self reference, any body's name fits. */
function fitsSelf(name: { name: string; fromPlace: boolean }, kinds: SelfKind[], text = ""): boolean {
  if (kinds.length === 0) return !name.fromPlace;
  return kinds.some((k) => {
    if (!k.endsLike.test(name.name) || (!k.place && name.fromPlace)) return false;
    if (!k.place) return true;
    // 我旗 speaks of a 旗: a place of another level (the region above it) is not this report's.
    const level = /(苏木|街道|[县区市旗镇乡])$/.exec(name.name.replace(/人民政府$/, ""))?.[1];
    return level !== undefined && new RegExp(`[我本]${level}`).test(text);
  });
}

/** 成立了某某局政务公开领导小组: the body that set up its disclosure group names itself. */
const LEADING_GROUP = /(?:政府信息公开|信息公开|政务公开)(?:工作)?领导小组/g;
/** Where the name before the group starts: after punctuation, or after the verb that set it up. */
const NAME_CUT =
  /[，。；：、,;:\s（(“"]|请与|请联系|成立了?|调整了?|完善了?|补充了?|健全了?|设立了?|组建了?/g;

function agencyOfLeadingGroup(text: string, kinds: SelfKind[]): string | null {
  const names = new Set<string>();
  for (const m of text.matchAll(LEADING_GROUP)) {
    const from = Math.max(0, m.index - 40);
    const before = text.slice(from, m.index);
    let start = -1;
    for (const c of before.matchAll(NAME_CUT)) start = c.index + c[0].length;
    // No cut within 40 characters: only the text's own start bounds the name.
    if (start < 0 && from > 0) continue;
    // 《某某自治区政务公开领导小组关于印发…的通知》: a cited document's issuer, not this report's body.
    const opened = text.lastIndexOf("《", m.index);
    if (opened >= 0 && text.lastIndexOf("》", m.index) < opened) continue;
    const a = asAgency(before.slice(Math.max(start, 0)));
    if (a && fitsSelf(a, kinds, text)) names.add(a.name);
  }
  return names.size === 1 ? [...names][0]! : null;
}

/**
 * 我委 in the text and, once, a full name of that kind after a comma or at a sentence's start
 * (，北京市东城区发展和改革委员会严格落实…): the report's own name, stated by the page in passing.
 */
function agencyBySelfReference(text: string, kinds: SelfKind[]): string | null {
  const own = kinds.filter((k) => !k.place);
  if (own.length !== 1) return null;
  const re = new RegExp(
    `(?:^|[，。；：,;:\\s])([\\u4e00-\\u9fa5]{2,8}?(?:省|市|区|县|旗|州|盟)[\\u4e00-\\u9fa5]{2,20}?(?:${own[0]!.ending}))(?=[\\u4e00-\\u9fa5])`,
    "gm",
  );
  const names = new Set<string>();
  for (const m of text.matchAll(re)) {
    // A sentence marks no start before the name (，请联系吉林市…): a known place's name does.
    const named = fromFirstPlace(m[1]!);
    const a = named ? asAgency(named) : null;
    if (a && !a.fromPlace && a.name === named) names.add(a.name);
    if (names.size > 1) return null;
  }
  return names.size === 1 ? [...names][0]! : null;
}

export function agencyFromText(bodyLines: string[]): AgencyFromText | null {
  const opening = bodyLines.slice(0, 12).join("\n");
  const text = bodyLines.join("\n");
  const kinds = selfKinds(text);
  const speaksAsBody = kinds.some((k) => !k.place);
  for (const { re, detail } of PREFACE) {
    const m = re.exec(opening);
    const a = m ? asAgency((m[1] ?? m[2])!) : null;
    // 特公布2016年福清市政府信息公开…报告 on a page that says 我局 throughout: the place's report
    // series, published by one of its bureaus; the bureau is named elsewhere.
    if (a?.fromPlace && speaksAsBody) continue;
    if (a) return { agency: parentAgency(a.name), basis: "read", detail };
  }
  const quoted = QUOTED_TITLE.exec(opening);
  const q = quoted ? asAgency(quoted[1]!) : null;
  if (q)
    return q.fromPlace
      ? {
          agency: q.name,
          basis: "inferred",
          detail: "the report's title quoted in the preface names the place only",
        }
      : { agency: q.name, basis: "read", detail: "the report's title quoted in the preface" };
  for (const line of bodyLines.slice(0, 16)) {
    const m = OPENING_SUBJECT.exec(line.trim());
    const a = m ? asAgency(m[1]!) : null;
    if (a) {
      return {
        agency: a.name,
        basis: a.fromPlace ? "inferred" : "read",
        detail: a.fromPlace
          ? `the overview's first sentence names the place ${m![1]}: its government's report`
          : "subject of the overview's first sentence",
      };
    }
  }
  const heading = SUBJECT_AFTER_HEADING.exec(opening.slice(0, 4000));
  const h = heading ? asAgency(heading[1]!) : null;
  if (h && !h.fromPlace)
    return { agency: h.name, basis: "read", detail: "subject of the overview's first sentence" };
  const group = agencyOfLeadingGroup(text, kinds);
  if (group)
    return {
      agency: parentAgency(group),
      basis: "read",
      detail: "the body that set up the disclosure leading group (某某局政务公开领导小组)",
    };
  const fullOwnName = agencyBySelfReference(text, kinds);
  if (fullOwnName)
    return {
      agency: fullOwnName,
      basis: "inferred",
      detail: `the text speaks of itself as ${kinds.find((k) => !k.place)!.word} and names one body of that kind`,
    };
  const contact = CONTACT.exec(bodyLines.slice(0, 12).join(""));
  const c = contact ? asAgency(contact[1]!) : null;
  if (c && !c.fromPlace)
    return {
      agency: c.name,
      basis: "inferred",
      detail: "the office the preface names for questions (请与…联系)",
    };
  // 我局 throughout and one 区教育局 printed: qualified by the one 区 the page names.
  const ownKind = kinds.length === 1 && !kinds[0]!.place ? kinds[0]! : null;
  const shortOwn = ownKind ? shortNameInText(text, ownKind.ending) : null;
  const qualifiedOwn = shortOwn?.level ? qualifyShortName(shortOwn, text) : null;
  if (qualifiedOwn)
    return {
      agency: qualifiedOwn.agency,
      basis: "inferred",
      detail: `the text speaks of itself as ${ownKind!.word}; ${qualifiedOwn.detail}`,
    };
  // 我镇 throughout and one town printed after its county: the town's government.
  const townRef = kinds.length === 1 && kinds[0]!.place ? /[我本](镇|乡)(?![直属级委])/.exec(text) : null;
  const town = townRef ? townAfterCounty(text, townRef[1] as "镇" | "乡") : null;
  if (town)
    return {
      agency: `${town}人民政府`,
      basis: "inferred",
      detail: `the text speaks of itself as ${townRef![0]}; ${town} is the only ${townRef![1]} it names after its county`,
    };
  // 我旗 / 我县 throughout and one banner or county of that level named on the page: its government.
  const place = kinds.length === 1 && kinds[0]!.place ? /[我本](县|区|旗)/.exec(text) : null;
  const gov = place ? qualifyShortName({ level: place[1]!, body: "人民政府" }, text) : null;
  if (gov)
    return {
      agency: gov.agency,
      basis: "inferred",
      detail: `the text speaks of itself as ${place![0]}; ${gov.agency.replace(/人民政府$/, "")} is the only ${place![1]} it names`,
    };
  return null;
}
