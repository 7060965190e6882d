// Reads the numbers that reports state in sentences (the only numbers of pre-2019 reports): items
// published, applications received, fees, review and litigation counts, staff. Each keeps its sentence.
// A stated total wins over its breakdown (其中…, a numbered list of channels), a running total
// (累计…已达) is not the year's count, and applications handled (办理/办结) are not applications received.
import { CHINESE_DIGIT } from "../../core/chinese-digits.ts";
import type { Fact } from "../schema.ts";
import { readStaff } from "./staff-facts.ts";

interface FactPattern {
  key: string;
  re: RegExp;
  /** Group holding the number; absent for a negation meaning 0. */
  group?: number;
  /** Lower wins when one key matches several sentences. */
  priority: number;
}

export const NUM = "(\\d+(?:\\.\\d+)?|[零一二两三四五六七八九十百千]+)\\s*(余|多|左右)?";
const APPROX_BEFORE = /(近|约|逾|超过|将近|大约)$/;
/** Words before a number that make it a running total since the system began, not the year's. */
// 年初至今 is the year so far, not a running total.
const RUNNING_TOTAL = /(已达|历年|(?<!年初|年初以来)至今|以来累计|累计已|截至目前|截止目前)/;
/**
 * 累计 with no year before it in its sentence (累计发布信息416条, 《条例》实施以来累计…) sums past
 * years; 2021年我局累计主动公开… / 全年累计… is the year's own total.
 */
const SUMMED = /累计/;
const YEAR_SAID = /\d{4}\s*年|全年|本年|今年|年度|年内|当年/;
/** Object of 公开/发布 that is one kind of document, not 信息 as a whole. */
const NOT_ITEMS = "(?!规章|规范性文件|行政规范性|文件|任免|预算|决算|通知|公告|解读|政策解读|建议|提案)";

// 更新: a website's count of what it put up (网站全年更新各类政府信息967条).
const ITEMS_VERB =
  "(?<!依申请|不予|申请|部分)(?:主动公开|主动发布|对外公开|公开发布|公开|发布|公布|更新)(?:了)?";
const ITEMS_OBJ = "(?:各类|各项|相关|有关)?(?:主动公开)?(?:政府|政务|公开|政策类|动态)?(?:信息|资讯)";
const ITEMS_COUNT = `(?:总数|总量|数)?(?:为|达)?(?:共|共计|合计|总计|计)?(?:有)?\\s*${NUM}\\s*(?:条|件|篇|项)`;

const APP_VERB = "(?:收到|受理|接收|接到|接受(?:办理)?|受理答复)(?:了)?";
const APP_OBJ =
  "(?:各类)?(?:依申请|政府信息依申请|申请)?(?:政府信息公开|信息公开|依申请公开|公开)(?:政府信息)?(?:的)?(?:申请|(?:办理)?事项|信息)?";

const PATTERNS: FactPattern[] = [
  {
    key: "proactive.items_published",
    re: new RegExp(`主动公开(?:政府|各类|政务)?(?:信息|政策类信息)${ITEMS_COUNT}`),
    group: 1,
    priority: 1,
  },
  {
    // 通过门户网站发布各类信息1812条 / 公开机构设置、…、工作动态等政府信息106条
    key: "proactive.items_published",
    re: new RegExp(`${ITEMS_VERB}${NOT_ITEMS}(?:[^。；]{0,60}?等)?${ITEMS_OBJ}${ITEMS_COUNT}`),
    group: 1,
    priority: 1,
  },
  {
    // 主动公开政策文件、公告类信息、…等内容139条: a list closed by 等内容 is the whole of what was published.
    key: "proactive.items_published",
    re: new RegExp(`主动公开${NOT_ITEMS}[^。；]{0,60}?等内容${ITEMS_COUNT}`),
    group: 1,
    priority: 2,
  },
  {
    // 主动公开区政府（含区政府办公室）各类信息6452条: the publisher named between the verb and 各类信息.
    key: "proactive.items_published",
    re: new RegExp(`${ITEMS_VERB}[^。；，,]{1,20}?各类(?:政府|政务)?信息${ITEMS_COUNT}`),
    group: 1,
    priority: 2,
  },
  {
    // 通过政府网站公开1193条政府信息 / 发布132条各类政府信息: the count before its object.
    key: "proactive.items_published",
    re: new RegExp(`${ITEMS_VERB}\\s*${NUM}\\s*条(?:各类)?(?:政府|政务)信息`),
    group: 1,
    priority: 3,
  },
  {
    // 政务信息公开总计1534条
    key: "proactive.items_published",
    re: new RegExp(`(?:政府|政务)?信息(?:主动)?公开(?:共|共计|总计|合计)\\s*${NUM}\\s*(?:条|件)`),
    group: 1,
    priority: 1,
  },
  {
    key: "proactive.items_published",
    re: new RegExp(
      `(?:共|累计)?主动公开${NOT_ITEMS}[^。；，,]{0,12}?(?:共|共计|累计)?\\s*${NUM}\\s*[件条篇]`,
    ),
    group: 1,
    priority: 2,
  },
  {
    // 2022年,全镇政府信息公开566条: the year's or the whole place's 政府信息公开 with its count, no 共.
    key: "proactive.items_published",
    re: new RegExp(
      `(?:全年|全[镇乡区县市旗]|本年度?|\\d{4}\\s*年度?)[，,]?\\s*(?:全[镇乡区县市旗])?(?:共)?(?:政府|政务)信息(?:主动)?公开(?:共|共计|总计|合计)?\\s*${NUM}\\s*(?:条|件)`,
    ),
    group: 1,
    priority: 1,
  },
  {
    // 全年共发布212条，其中…
    key: "proactive.items_published",
    re: new RegExp(`(?:全年|本年度?|\\d{4}\\s*年)(?:共|共计)?(?:主动)?(?:公开|发布)\\s*${NUM}\\s*条`),
    group: 1,
    priority: 2,
  },
  {
    // 总共发布各类重大民生信息78条: "in all … every kind of", before a qualifier, still names the whole.
    key: "proactive.items_published",
    re: new RegExp(`(?:总共|共计|总计)${ITEMS_VERB}各类[\\u4e00-\\u9fa5]{1,6}?信息${ITEMS_COUNT}`),
    group: 1,
    priority: 2,
  },
  {
    // 主动公开省政府及省政府办公厅政府信息759件: the publishers, bodies joined by 及, before the object.
    key: "proactive.items_published",
    re: new RegExp(
      `主动公开(?:[\\u4e00-\\u9fa5]{1,12}?(?:政府|办公厅|办公室|局|委)(?:及|和|、)?){1,3}(?:政府|政务)信息${ITEMS_COUNT}`,
    ),
    group: 1,
    priority: 2,
  },
  {
    // 通过网站发布及公开的信息全年共计538条: two verbs joined before their object.
    key: "proactive.items_published",
    re: new RegExp(`(?:发布|公开)(?:及|和|与)(?:公开|发布)的?信息(?:全年)?${ITEMS_COUNT}`),
    group: 1,
    priority: 1,
  },
  {
    // 主动公开政务信息、文件、重要通知公告、教育动态81项: a list that opens with 信息 is all of it.
    key: "proactive.items_published",
    re: new RegExp(`主动公开(?:政务|政府)信息、[^。；，,]{2,40}?${NUM}\\s*(?:条|件|项)`),
    group: 1,
    priority: 2,
  },
  {
    // 通过政务信息公开网站发布公文共计19件: an office whose published items are its documents.
    key: "proactive.items_published",
    re: new RegExp(`发布公文(?:共计|共|合计)?\\s*${NUM}\\s*件`),
    group: 1,
    priority: 3,
  },
  {
    key: "proactive.items_published",
    re: new RegExp(`^公开信息\\s*${NUM}\\s*[件条篇]`),
    group: 1,
    priority: 4,
  },
  {
    key: "applications.received",
    // 受理政府信息公开申请总数1件 / 收到…申请0份 / 申请2条: the unit varies, the count does not.
    re: new RegExp(
      `${APP_VERB}${APP_OBJ}(?:总数|数量)?(?:为)?(?:共|共计)?\\s*${NUM}\\s*(?:件|起|个|份|条|宗)`,
    ),
    group: 1,
    priority: 2,
  },
  {
    // 全年共收到90件申请 / 收到3件依申请公开 / 收到12起政府信息依申请公开
    key: "applications.received",
    re: new RegExp(
      `${APP_VERB}\\s*${NUM}\\s*(?:件|份|个|起)(?:政府信息公开|信息公开|依申请公开|政府信息)?(?:的)?(?:申请|依申请公开(?:事项)?|政府信息公开申请|信息公开申请)`,
    ),
    group: 1,
    priority: 2,
  },
  {
    // 受理公民、法人和其他组织提出的政府信息公开申请55件
    key: "applications.received",
    re: new RegExp(
      `${APP_VERB}(?:(?!复议|诉讼|办结|答复)[^。；，,]){0,30}?(?:政府信息公开|信息公开|依申请公开|公开政府信息)(?:的)?申请(?:共|共计)?\\s*${NUM}\\s*(?:件|起|条)`,
    ),
    group: 1,
    priority: 2,
  },
  {
    // 共收到申请政府信息公开26件 / 收到申请公开21条 / 全年共收到申请9695件
    key: "applications.received",
    re: new RegExp(`收到申请(?:政府信息公开|公开)?(?:请求)?\\s*${NUM}\\s*(?:件|条)`),
    group: 1,
    priority: 3,
  },
  {
    // 受理公众依申请公开信息1件 / 收到依申请公开6项 / 收到依申请公开办件0条 / 受理依申请公开政府信息件307件 /
    // 收到依申请公开信件2件:
    // the verb of receiving with 依申请公开 as its object; the count is the applications whatever the unit.
    key: "applications.received",
    re: new RegExp(
      `${APP_VERB}(?:公众|群众|公民|社会公众)?(?:提出的)?依申请公开(?:政府信息|信息|办件|信件|来件)?(?:申请)?件?(?:共|共计)?\\s*${NUM}\\s*(?:件|项|条)`,
    ),
    group: 1,
    priority: 2,
  },
  {
    // 收到和处理政府信息公开申请数量为0: the count stated as a quantity, with or without a unit.
    key: "applications.received",
    re: new RegExp(
      `收到(?:和处理)?(?:政府信息公开|信息公开)申请(?:的)?(?:数量|总数|数)(?:为|是|共)\\s*${NUM}(?![\\d.])`,
    ),
    group: 1,
    priority: 2,
  },
  {
    // 上年结转政府信息公开申请7件，本年新收421件: 新收 is the year's received applications (Table 3's 本年新收).
    key: "applications.received",
    re: new RegExp(`(?:政府信息公开|信息公开)申请[^。；]{0,16}?本年(?:度)?新收(?:申请)?\\s*${NUM}\\s*件`),
    group: 1,
    priority: 2,
  },
  {
    // 全年新收政府信息公开申请数量0件: prose in the words of Table 3's row (本年新收).
    key: "applications.received",
    re: new RegExp(`新收(?:政府信息公开|信息公开)申请(?:数量|数)?(?:为)?\\s*${NUM}\\s*件`),
    group: 1,
    priority: 2,
  },
  {
    key: "applications.received",
    re: new RegExp(`依申请公开(?:政府信息)?(?:申请)?(?:共|共计)?\\s*${NUM}\\s*件`),
    group: 1,
    priority: 3,
  },
  // "没有收到…申请" about disclosure applications — not about review or lawsuits (公开行政复议, 诉讼).
  {
    key: "applications.received",
    // 没有收到…的公开和行政复议申请 names both; 未收到依申请公开行政复议…案件 is about review only.
    // 未共收到 (a mirror's odd wording); 未发生…的申请.
    re: /(?:没有|未|并未|尚未)共?(?:收到|接收到|接到|受理|有|发生)(?:(?!诉讼|复议)[^。；]){0,24}?(?:公开(?:(?!诉讼|公开行政复议)[^。；]){0,12}?申请|依申请|申请公开|信息申请)(?![^。；，]{0,12}(?:复议|诉讼))/,
    priority: 1,
  },
  {
    key: "applications.received",
    // 本年度无受理政府信息公开申请情况
    // 2021年度无依申请公开件 / 无依申请公开情况: the clause ends there (无依申请公开的收费 is about fees).
    re: /无依申请公开(?:的)?(?:政府)?信息|无(?:政府信息公开|依申请公开)申请|无依申请公开(?:办)?(?:件|情况|事项)(?=$|[，,。；;])|无受理(?:的)?(?:政府信息公开|信息公开|依申请公开)(?:的)?申请/,
    priority: 1,
  },
  {
    key: "fees.collected_yuan",
    re: /(?:未|没有)[^。；，]{0,20}?收取[^。；]{0,16}?(?:信息处理费|费用)|本年度?无收费|无收取信息处理费/,
    priority: 1,
  },
  {
    key: "fees.collected_yuan",
    re: /(?:无|未|没有|未涉及)(?:收取)?(?:任何)?[^。；，,]{0,8}?(?:收费|费用)(?:及减免)?(?:情况|事项)|未收取任何费用|未收取(?:信息公开)?费用|无(?:政府)?信息公开收费|没有收取(?:任何)?费用|不收取任何费用|(?:均|并)?未收费/,
    priority: 1,
  },
  {
    key: "fees.collected_yuan",
    re: new RegExp(`收取(?:[^。；，,]{0,8})?费用\\s*${NUM}\\s*元`),
    group: 1,
    priority: 2,
  },
];

/** Sentences about review/litigation that say none happened: 未发生/无因…而被提起的行政复议. */
const NONE_HAPPENED =
  /(?:无(?=[^。；，,]{0,12}(?:复议|诉讼))|不存在|未发生|没有发生|未出现|没有出现|未有|未引发|没有引发|未被|未收到|未接到|没有收到|没有|无因|无[^。；]{0,16}(?:被提起|提起|引发|申请))(?=([^。；，,]{0,30}))/g;
const BOTH_ZERO =
  /(?:行政)?复议(?:和|、|及|与|或)(?:行政)?诉讼(?:案件)?(?:的)?(?:数量|数)?(?:(?:为|均为|均是|是)\s*(?:0|零)(?:\s*(?:件|起))?|\s*(?:0|零)\s*(?:件|起))/;
const COUNT_STATED = new RegExp(`(行政复议|行政诉讼|诉讼)[^。；，,]{0,6}?${NUM}\\s*(?:件|起|宗)`, "g");

const CN_DIGIT = CHINESE_DIGIT;

export function parseNumber(s: string): number | null {
  if (/^\d/.test(s)) return Number(s);
  // Small Chinese numerals only (一件, 十二件); larger ones are written in digits in these reports.
  let total = 0;
  let cur = 0;
  for (const ch of s) {
    if (ch in CN_DIGIT) cur = CN_DIGIT[ch]!;
    else if (ch === "十") {
      total += (cur || 1) * 10;
      cur = 0;
    } else if (ch === "百") {
      total += (cur || 1) * 100;
      cur = 0;
    } else if (ch === "千") {
      total += (cur || 1) * 1000;
      cur = 0;
    } else return null;
  }
  return total + cur;
}

export interface Sentence {
  text: string;
  offset: number;
}

export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  const re = /[^。；;！!？?\n]+[。；;！!？?]?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const t = m[0].trim();
    if (t) out.push({ text: t, offset: m.index + (m[0].length - m[0].trimStart().length) });
  }
  return out;
}

type Candidate = Fact & {
  priority: number;
  order: number;
  /** Items counted on one new-media channel (微博, 公众号, OA平台). */
  channel?: boolean;
  /** Items stated as 主动公开, the report's own term for the year's total. */
  statutory?: boolean;
  /** Items of one new-media account alone (政务微信平台…), not of the website or of channels together. */
  oneAccount?: boolean;
};

/** Channels a count is published through, and the new media among them. */
const CHANNEL = /网站|门户|平台|微博|微信|公众号|新媒体|客户端|头条|抖音/;
const NEW_MEDIA = /微博|微信|公众号|新媒体|客户端|头条|抖音|电子屏|OA|办公网络/;
/** After a channel's count, another channel's count in the same sentence. */
const CHANNELS_FOLLOW =
  /^\s*(?:余|多)?\s*[条件篇项][,，]\s*[^。；，,]{0,20}?(?:微博|微信|公众号|新媒体|客户端|头条|抖音)[^。；，,]{0,12}?\d+\s*[条件篇]/;
/** After a count, the next kind's count joined by 、 (新闻信息1247条、政务信息1.5万余条). */
const KINDS_FOLLOW =
  /^\s*(?:余|多)?\s*[条件篇项]、[^。；，,]{0,16}?\d+(?:\.\d+)?\s*(?:万)?(?:余|多)?\s*[条件篇]/;

/** 52条，占23%: a count followed by its share of a larger whole. */
const SHARE_AFTER = /^\s*(?:余|多)?\s*[条件篇项个]?\s*[,，、]?\s*占[^。；，,]{0,6}?\d+(?:\.\d+)?\s*%/;

/** A list item (1. / （1） / ① / 二是…) under a stated total is one of its parts. */
const LIST_ITEM = /^(?:\d{1,2}[.、．]|[(（]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨]|[一二三四五六七八九十]是)/;

function reviewAndLitigation(s: Sentence, add: (f: Omit<Candidate, "order">) => void) {
  // Every negation in the sentence: 未收到…申请，未收到…行政复议，未发生…行政诉讼 negates each in turn.
  // The words after each negation are looked at, not consumed: the next negation may stand in them.
  const nones = [...s.text.matchAll(NONE_HAPPENED)].map((m) => m[0] + (m[1] ?? ""));
  // 未收到…申请 earlier in the sentence is about applications; the negation must reach 复议/诉讼 itself.
  const noneAbout = (word: string) =>
    nones.some((t) => t.includes(word) && !/\d/.test(t.slice(0, t.indexOf(word))));
  if (noneAbout("复议") && !/收到[^。；]{0,20}复议[^。；]{0,6}\d/.test(s.text))
    add({ key: "review.count", value: 0, approx: false, sentence: s.text, offset: s.offset, priority: 1 });
  if (noneAbout("诉讼"))
    add({
      key: "litigation.count",
      value: 0,
      approx: false,
      sentence: s.text,
      offset: s.offset,
      priority: 1,
    });
  // 因…被申请行政复议、行政诉讼数量为0件: one zero stated for both.
  const bothZero = BOTH_ZERO.exec(s.text);
  if (bothZero) {
    for (const key of ["review.count", "litigation.count"])
      add({ key, value: 0, approx: false, sentence: s.text, offset: s.offset, priority: 1 });
    return;
  }
  // A negation about something else in the sentence (上年无结转, 未收到申请) leaves the counts stated;
  // one about 诉讼 only (行政复议1件，…，未发生…行政诉讼) leaves the review count.
  // 行政复议案件6件…，其中行政复议结果维持5件: after 其中, an outcome of the cases counted before it
  // (申请28件，其中，行政复议1件 counts the reviews for the first time: kept).
  const breakdownAt = s.text.indexOf("其中");
  const all = [...s.text.matchAll(COUNT_STATED)];
  for (const stated of all) {
    const word = stated[1] === "行政复议" ? "复议" : "诉讼";
    // 行政复议和行政诉讼10件: one count for the two together, neither's own.
    if (/复议|诉讼/.test(stated[0].slice((stated[1] ?? "").length))) continue;
    if (noneAbout(word)) continue;
    const countedBefore = all.some((o) => o.index < breakdownAt && o[1] === stated[1]);
    if (breakdownAt >= 0 && stated.index > breakdownAt && countedBefore) continue;
    const v = parseNumber(stated[2]!);
    const key = stated[1] === "行政复议" ? "review.count" : "litigation.count";
    if (v !== null)
      add({ key, value: v, approx: Boolean(stated[3]), sentence: s.text, offset: s.offset, priority: 2 });
  }
}

/** All prose facts, best candidate per key first; approximate numbers are marked, never exact. */
export function readProseFacts(sentences: Sentence[]): { facts: Fact[]; conflicts: string[] } {
  const found = new Map<string, Candidate[]>();
  // One set per page, not a scan of the list: a page repeating a sentence stays linear.
  const seen = new Set<string>();
  let order = 0;
  // The sentence each fact keeps is the page's own (资讯 as printed), not the folded form matched.
  let printed: { folded: string; raw: string } | null = null;
  const add = (input: Omit<Candidate, "order">) => {
    const f = printed && input.sentence === printed.folded ? { ...input, sentence: printed.raw } : input;
    const id = `${f.key}@${f.offset}=${f.value}`;
    if (seen.has(id)) return;
    seen.add(id);
    const list = found.get(f.key) ?? [];
    list.push({ ...f, order: order++ });
    found.set(f.key, list);
  };
  for (const raw of sentences) {
    // Mirrors in Taiwan vocabulary print 资讯 (資訊) for 信息; same length, so offsets hold.
    const s = raw.text.includes("资讯") ? { ...raw, text: raw.text.replace(/资讯/g, "信息") } : raw;
    printed = s === raw ? null : { folded: s.text, raw: raw.text };
    // A share of the whole (其中…, …52条，占23%) is not the year's count.
    const partial = /^其中/.test(s.text);
    const breakdownAt = s.text.indexOf("其中");
    // 共制作信息6条，其中主动公开信息数6条: what was made, then what of it was published — the count
    // after 其中 is the published total when nothing before 其中 was published.
    const madeThenPublished = breakdownAt > 0 && !/公开|发布|公布/.test(s.text.slice(0, breakdownAt));
    const listItem = LIST_ITEM.test(s.text);
    for (const p of PATTERNS) {
      const m = p.re.exec(s.text);
      if (!m || (partial && p.group)) continue;
      let value = 0;
      let approx = false;
      let priority = p.priority;
      let channel = false;
      let statutory = false;
      let oneAccount = false;
      if (p.group) {
        const numberAt = m.index + m[0].lastIndexOf(m[p.group]!);
        // After 其中 in its sentence, a number is a part of the total stated before it.
        if (
          breakdownAt >= 0 &&
          numberAt > breakdownAt &&
          !(madeThenPublished && p.key === "proactive.items_published" && /^主动公开/.test(m[0]))
        )
          continue;
        const before = s.text.slice(0, numberAt);
        // 区政府网站更新信息789条，微博发布信息319条 / 新闻信息1247条、政务信息1.5万余条: the first of a
        // list of channels or kinds, with no total stated (共计 before the first count states one).
        const clause = before.slice(before.search(/[^，,；]*$/));
        const after = s.text.slice(
          numberAt + m[p.group]!.length,
          breakdownAt > numberAt ? breakdownAt : undefined,
        );
        if (
          p.key === "proactive.items_published" &&
          !/(?:共|共计|合计|总计|总共)\s*$/.test(before) &&
          (KINDS_FOLLOW.test(after) || (CHANNEL.test(clause) && CHANNELS_FOLLOW.test(after)))
        )
          continue;
        if (SHARE_AFTER.test(s.text.slice(numberAt + m[p.group]!.length, numberAt + m[p.group]!.length + 10)))
          continue;
        // 网站公开52条，微博发布541条，…: a list of channel counts; only its first can be a total.
        // (A running total earlier in the sentence, 截至目前共发布592条信息, is no part of that list.)
        const listed = before.replace(/(?:截至目前|截止目前|累计|已达|历年)[^，,；]*[，,]/g, "");
        const publishedOfMade = madeThenPublished && numberAt > breakdownAt;
        if (p.key === "proactive.items_published" && !publishedOfMade && /\d\s*[条件篇项]/.test(listed))
          continue;
        if (RUNNING_TOTAL.test(before.slice(-24))) continue;
        if (SUMMED.test(before.slice(-24)) && !YEAR_SAID.test(before)) continue;
        const v = parseNumber(m[p.group]!);
        if (v === null) continue;
        value = v;
        approx = Boolean(m[p.group + 1]) || APPROX_BEFORE.test(before);
        if (listItem) priority += 2;
        if (p.key === "proactive.items_published") {
          channel = NEW_MEDIA.test(clause);
          oneAccount = channel && !/网站|门户|渠道|平台等|[及和、]/.test(clause);
          // 主动及时公开信息28条: the adverb between 主动 and 公开 keeps it the statutory term.
          statutory =
            m[0].includes("主动公开") ||
            /主动(?:及时|依法|全面)$/.test(s.text.slice(Math.max(0, m.index - 4), m.index));
        }
      }
      add({
        key: p.key,
        value,
        approx,
        sentence: s.text,
        offset: s.offset,
        priority,
        channel,
        statutory,
        oneAccount,
      });
    }
    if (/行政复议|行政诉讼|诉讼/.test(s.text)) reviewAndLitigation(s, add);
    for (const f of readStaff(s)) add(f);
  }
  return settle(found);
}

/**
 * One value per key from the best-ranked sentences. Equal-ranked sentences that disagree are a
 * conflict (none kept) — except a total stated first and followed by its parts: the first is the
 * largest, and the parts come after it, as reports write 共公布信息2599条 before the channels.
 */
function settle(found: Map<string, Candidate[]>): { facts: Fact[]; conflicts: string[] } {
  const facts: Fact[] = [];
  const conflicts: string[] = [];
  for (const [key, list] of found) {
    // 主动公开信息1351条 beside 官方微博发布信息3848条: where the page states what it 主动公开, a new-media
    // channel's count ranks below it (with no such statement, the two stay equal: a conflict).
    if (list.some((f) => f.statutory && !f.channel)) for (const f of list) if (f.channel) f.priority += 2;
    // 政务微信平台共发布信息6348条 alone: one new-media account's count is never the year's total.
    if (key === "proactive.items_published" && list.every((f) => f.oneAccount)) continue;
    list.sort((a, b) => a.priority - b.priority || a.order - b.order);
    const best = list[0]!;
    let top = list.filter((x) => x.priority === best.priority);
    const exact = top.filter((f) => !f.approx);
    const differs = exact.some((f) => f.value !== exact[0]!.value);
    if (
      differs &&
      key === "proactive.items_published" &&
      exact[0]!.value >= Math.max(...exact.map((f) => f.value))
    ) {
      top = top.filter((f) => f.approx || f.value === exact[0]!.value);
    } else if (differs) {
      conflicts.push(`${key}: ${[...new Set(exact.map((f) => f.value))].join(" vs ")}`);
    }
    for (const f of top) {
      const { priority, order, channel, statutory, oneAccount, ...fact } = f;
      void oneAccount;
      void priority;
      void order;
      void channel;
      void statutory;
      facts.push(fact);
    }
  }
  return { facts, conflicts };
}
