// Decides whether a link title names an annual report on Open Government Information, and its year:
// (政府信息公开|政务公开|信息公开).{0,6}(工作)?(年度报告|年报) (or 年度…信息公开工作报告) plus a year.
import { CHINESE_DIGIT } from "../../core/chinese-digits.ts";

// 信息公开 alone is how some portals shorten it (2023年度信息公开年报); 环境信息公开 is a company's
// environmental disclosure, a different report.
const REPORT_TITLE =
  /(政府信息公开|政务公开|(?<!环境)信息公开).{0,6}(工作)?(年度报告|年报)|年度(政府信息公开|政务公开|信息公开)(工作)?报告/;
// A year the title says it reports on (2023年, 2023年度, 2023 年) wins over a bare number (a doc
// number 〔2024〕 or a date in the link text).
const ARABIC_YEAR_NAMED = /(?<!\d)(19[89]\d|20\d\d)\s*年/;
const ARABIC_YEAR = /(?<!\d)(19[89]\d|20\d\d)(?!\d)/;
// Portals mix an Arabic zero into Chinese years (二0二三年).
const CHINESE_YEAR = /[一二][〇零○0一二三四五六七八九]{3}/;
const DIGITS: Readonly<Record<string, number>> = { ...CHINESE_DIGIT, "0": 0 };

/**
 * Full-width digits, letters and spaces as plain ones (NFKC: ２０２３ → 2023, the ideographic space
 * → a space), runs of whitespace as one space. Spaces are kept: they part a name's digit from the
 * year (站点1 2024年), which stripping would fuse into 12024.
 */
function normaliseTitle(title: string): string {
  return title.normalize("NFKC").replace(/\s+/g, " ").trim();
}

/** The report year named in a title (the year reported on, as written), or null. */
export function titleYear(title: string): number | null {
  const t = normaliseTitle(title);
  const a = ARABIC_YEAR_NAMED.exec(t) ?? ARABIC_YEAR.exec(t);
  if (a) return Number(a[1]);
  const c = CHINESE_YEAR.exec(t.replace(/\s+/g, ""));
  if (!c) return null;
  const y = [...c[0]].reduce((acc, ch) => acc * 10 + (DIGITS[ch] ?? 0), 0);
  return y >= 1980 && y <= 2099 ? y : null;
}

export function isReportTitle(title: string): boolean {
  // The phrase is matched without spaces (政府信息 公开 as some link texts wrap it); the year with them.
  return REPORT_TITLE.test(normaliseTitle(title).replace(/\s+/g, "")) && titleYear(title) !== null;
}
