// Decides whether a link title names an annual report on Open Government Information, and its year:
// (政府信息公开|政务公开).{0,6}(工作)?(年度报告|年报) plus a year in Arabic or Chinese numerals.
import { CHINESE_DIGIT } from "../../core/chinese-digits.ts";

const REPORT_TITLE = /(政府信息公开|政务公开).{0,6}(工作)?(年度报告|年报)/;
const ARABIC_YEAR = /(?<!\d)(19[89]\d|20\d\d)(?!\d)/;
const CHINESE_YEAR = /[一二][〇零○一二三四五六七八九]{3}/;
const DIGITS = CHINESE_DIGIT;

/** The report year named in a title (the year reported on, as written), or null. */
export function titleYear(title: string): number | null {
  const a = ARABIC_YEAR.exec(title);
  if (a) return Number(a[1]);
  const c = CHINESE_YEAR.exec(title);
  if (!c) return null;
  const y = [...c[0]].reduce((acc, ch) => acc * 10 + (DIGITS[ch] ?? 0), 0);
  return y >= 1980 && y <= 2099 ? y : null;
}

export function isReportTitle(title: string): boolean {
  const t = title.replace(/\s+/g, "");
  return REPORT_TITLE.test(t) && titleYear(t) !== null;
}
