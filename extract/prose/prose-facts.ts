// Reads the numbers that reports state in sentences (the only numbers of pre-2019 reports): items
// published, applications received, fees, review and litigation counts, staff. Each keeps its sentence.
import { CHINESE_DIGIT } from "../../core/chinese-digits.ts";
import type { Fact } from "../schema.ts";

interface FactPattern {
  key: string;
  re: RegExp;
  /** Group holding the number; absent for a negation meaning 0. */
  group?: number;
  /** Lower wins when one key matches several sentences. */
  priority: number;
}

const NUM = "(\\d+(?:\\.\\d+)?|[零一二两三四五六七八九十百千]+)\\s*(余|多|左右)?";
const APPROX_BEFORE = /(近|约|逾|超过|将近|大约)$/;

const PATTERNS: FactPattern[] = [
  {
    key: "proactive.items_published",
    re: new RegExp(
      `主动公开(?:政府|各类|政务)?(?:信息|政策类信息|文件)(?:共|共计|累计|合计)?\\s*${NUM}\\s*[件条篇]`,
    ),
    group: 1,
    priority: 1,
  },
  {
    key: "proactive.items_published",
    re: new RegExp(`(?:共|累计)?主动公开[^。；，,]{0,12}?(?:共|共计|累计)?\\s*${NUM}\\s*[件条篇]`),
    group: 1,
    priority: 2,
  },
  {
    key: "proactive.items_published",
    re: new RegExp(
      `(?:全年|年内|本年度?)[^。；，,]{0,16}?公开(?:发布)?(?:各类|政府|政务)?信息(?:共|共计|累计)?\\s*${NUM}\\s*[件条篇]`,
    ),
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
    re: new RegExp(
      `(?:收到|受理)(?:了)?(?:各类)?(?:政府信息公开|信息公开|依申请公开)(?:政府信息)?(?:的)?(?:申请)?(?:共|共计)?\\s*${NUM}\\s*件`,
    ),
    group: 1,
    priority: 2,
  },
  {
    key: "applications.received",
    re: new RegExp(`(?:收到|受理)(?:了)?\\s*${NUM}\\s*件(?:依申请公开|政府信息公开申请|信息公开申请)`),
    group: 1,
    priority: 2,
  },
  {
    key: "applications.received",
    re: new RegExp(
      `收到(?:(?!复议|诉讼)[^。；，,]){0,24}?(?:政府信息公开|信息公开|依申请公开)申请(?:共|共计)?\\s*${NUM}\\s*件`,
    ),
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
    re: /(?:没有|未|并未)收到(?:(?!诉讼|公开行政复议)[^。；]){0,24}?公开(?:(?!诉讼|公开行政复议)[^。；]){0,12}?申请/,
    priority: 1,
  },
  {
    key: "fees.collected_yuan",
    re: /(?:未|没有)(?:向申请人)?收取(?:任何)?(?:信息处理费|费用)|本年度?无收费|无收取信息处理费/,
    priority: 1,
  },
  {
    key: "fees.collected_yuan",
    re: /(?:无|未|没有)(?:收取)?(?:任何)?[^。；，,]{0,8}?(?:收费|费用)(?:及减免)?情况|未收取任何费用|未收取(?:信息公开)?费用|无信息公开收费|没有收取(?:任何)?费用/,
    priority: 1,
  },
  {
    key: "fees.collected_yuan",
    re: new RegExp(`收取(?:[^。；，,]{0,8})?费用\\s*${NUM}\\s*元`),
    group: 1,
    priority: 2,
  },
  {
    key: "staff.count",
    re: new RegExp(`(?:专职|兼职)(?:信息)?(?:公开)?工作人员\\s*${NUM}\\s*(?:人|名)`),
    group: 1,
    priority: 1,
  },
  {
    key: "staff.count",
    re: new RegExp(`(?:信息)?公开工作人员\\s*${NUM}\\s*(?:人|名)`),
    group: 1,
    priority: 2,
  },
];

/** Sentences about review/litigation that say none happened: 未发生/无因…而被提起的行政复议. */
const NONE_HAPPENED =
  /(?:未发生|没有发生|未出现|没有出现|未有|未引发|没有引发|无因|无[^。；]{0,16}(?:被提起|提起|引发|申请))[^。；]{0,30}/;
const COUNT_STATED = new RegExp(`(行政复议|行政诉讼|诉讼)[^。；，,]{0,6}?${NUM}\\s*(?:件|起|宗)`);

const CN_DIGIT = CHINESE_DIGIT;

function parseNumber(s: string): number | null {
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

/** All prose facts, best candidate per key first; approximate numbers are marked, never exact. */
export function readProseFacts(sentences: Sentence[]): { facts: Fact[]; conflicts: string[] } {
  const found = new Map<string, (Fact & { priority: number })[]>();
  const add = (f: Fact & { priority: number }) => {
    const list = found.get(f.key) ?? [];
    if (!list.some((x) => x.offset === f.offset && x.value === f.value)) list.push(f);
    found.set(f.key, list);
  };
  for (const s of sentences) {
    // A share of the whole (其中…, …占23%) is not the year's count.
    const partial = /^其中|占\s*\d+(?:\.\d+)?\s*%/.test(s.text);
    // Clauses: a number belongs to the clause it sits in (，splits 主动公开…；依申请公开… pairs).
    for (const p of PATTERNS) {
      const m = p.re.exec(s.text);
      if (!m || (partial && p.group)) continue;
      let value = 0;
      let approx = false;
      if (p.group) {
        const v = parseNumber(m[p.group]!);
        if (v === null) continue;
        value = v;
        approx =
          Boolean(m[p.group + 1]) || APPROX_BEFORE.test(s.text.slice(0, m.index + m[0].indexOf(m[p.group]!)));
      }
      add({ key: p.key, value, approx, sentence: s.text, offset: s.offset, priority: p.priority });
    }
    if (/行政复议|行政诉讼|诉讼/.test(s.text)) {
      const none = NONE_HAPPENED.exec(s.text);
      if (
        none &&
        /复议/.test(none[0]) &&
        !/收到[^。；]{0,20}复议/.test(s.text.slice(0, (none.index ?? 0) + 2))
      ) {
        add({
          key: "review.count",
          value: 0,
          approx: false,
          sentence: s.text,
          offset: s.offset,
          priority: 1,
        });
      }
      if (none && /诉讼/.test(none[0])) {
        add({
          key: "litigation.count",
          value: 0,
          approx: false,
          sentence: s.text,
          offset: s.offset,
          priority: 1,
        });
      }
      const stated = COUNT_STATED.exec(s.text);
      if (stated && !none) {
        const v = parseNumber(stated[2]!);
        const key = stated[1] === "行政复议" ? "review.count" : "litigation.count";
        if (v !== null)
          add({ key, value: v, approx: Boolean(stated[3]), sentence: s.text, offset: s.offset, priority: 2 });
      }
    }
  }
  const facts: Fact[] = [];
  const conflicts: string[] = [];
  for (const [key, list] of found) {
    list.sort((a, b) => a.priority - b.priority || a.offset - b.offset);
    const best = list[0]!;
    const sameRank = list.filter(
      (f) => f.priority === best.priority && !f.approx && f.value !== best.value && !best.approx,
    );
    if (sameRank.length) conflicts.push(`${key}: ${[best, ...sameRank].map((f) => f.value).join(" vs ")}`);
    // Weaker candidates (a lower-ranked sentence shape) are not reported: they are not the count.
    for (const f of list.filter((x) => x.priority === best.priority)) {
      const { priority, ...fact } = f;
      void priority;
      facts.push(fact);
    }
  }
  return { facts, conflicts };
}
