// The year a report is about: from its title, else from the body — the statistics period (自2020年1月1日
// 至12月31日), the preface (现将我局2020年度…), the overview's opening (2022年，…) — by weighted votes.
import type { MetaNote } from "./meta-note.ts";

/** Body shapes that state the year reported on, with how much each counts. */
const BODY_SIGNALS: { re: RegExp; weight: number; what: string }[] = [
  // 统计期限自2021年1月1日起至2021年12月31日止 / 数据统计期限为2021年1月1日至12月31日
  {
    re: /(\d{4})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|—|-|～|~)\s*(?:\d{4}\s*年\s*)?12\s*月\s*31\s*日/g,
    // The period the numbers cover outweighs a preface that names another year (a report reusing
    // last year's preface with this year's statistics period).
    weight: 4,
    what: "the statistics period (1月1日至12月31日)",
  },
  { re: /(?:现将|现公布|特公布|编制了?|公布)[^。]{0,30}?(\d{4})\s*年度?/g, weight: 2, what: "the preface" },
  // 2009年年报根据《条例》编制: the report naming itself by its year.
  {
    re: /(\d{4})\s*年\s*(?:年报|年度报告)(?:根据|依据|按照|是|由)/g,
    weight: 3,
    what: "the report naming its year (…年年报根据…)",
  },
  {
    re: /(\d{4})\s*年度?\s*(?:的)?(?:政府信息(?:与政务)?公开|政务公开|信息公开)/g,
    weight: 1,
    what: '"…年…政府信息公开" in the text',
  },
  // 2021年城中区政务公开工作在…: the year's disclosure work of a body named between.
  {
    re: /(\d{4})\s*年度?\s*[\u4e00-\u9fa5]{2,12}?(?:政府信息公开|政务公开)工作/g,
    weight: 1,
    what: '"…年某某政务公开工作" in the text',
  },
  // 2019年度我局共收到…: the year told of the body itself.
  {
    re: /(\d{4})\s*年度?\s*[,，]?\s*(?:我|本)(?:局|委|办|厅|县|区|市|旗|镇|乡|街道|单位)/g,
    weight: 2,
    what: "the year of the body's own work (…年度我局…)",
  },
];
/**
 * The overview's first sentence: 2022年，某某局认真贯彻… / 2019年福禄镇政府严格按照… (the year, its
 * subject, then the verb of the year's work), also after a subsection heading on the same line.
 */
const OPENING =
  /^(?:[（(][一二三四五六七八九十][）)][^。]{0,12}。)?(\d{4})\s*年度?\s*(?:[,，以来]|[\u4e00-\u9fa5（）()]{2,30}?(?:认真|严格|坚持|开展|深入|紧紧|全面|按照|围绕|积极|进一步|持续|高度重视))/;

export function reportYearFrom(
  title: string | null,
  bodyLines: string[],
): { year: number | null; note: MetaNote } {
  if (title) {
    const m = /(\d{4})\s*(?:年|(?=政府信息公开|政务公开|信息公开))/.exec(title);
    if (m) return { year: Number(m[1]), note: { basis: "read", detail: "year in the title" } };
  }
  const body = bodyLines.join("\n");
  const votes = new Map<number, { n: number; what: string }>();
  const vote = (y: number, w: number, what: string) => {
    if (y < 2000 || y > 2100) return;
    const v = votes.get(y) ?? { n: 0, what };
    v.n += w;
    votes.set(y, v);
  };
  for (const s of BODY_SIGNALS) for (const m of body.matchAll(s.re)) vote(Number(m[1]), s.weight, s.what);
  const opening = bodyLines.slice(0, 16).find((l) => OPENING.test(l.trim()));
  if (opening) vote(Number(OPENING.exec(opening.trim())![1]), 2, "the overview's first sentence");
  if (votes.size === 0)
    return { year: null, note: { basis: "absent", detail: "no year found in the title or the text" } };
  const sorted = [...votes.entries()].sort((a, b) => b[1].n - a[1].n || b[0] - a[0]);
  const [top, second] = sorted;
  if (!second || top![1].n > second[1].n) {
    return { year: top![0], note: { basis: "read", detail: `body: ${top![1].what} (weight ${top![1].n})` } };
  }
  return {
    year: null,
    note: {
      basis: "absent",
      detail: `the text names several years equally: ${sorted.map((s) => s[0]).join(", ")}`,
    },
  };
}
