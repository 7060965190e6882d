// Character-level normalisation shared by every reader: full-width forms to ASCII, odd spaces to
// plain ones, and a compact "match form" of labels so variants (（一）/(一), 本年 新收) compare equal.
import { CHINESE_DIGIT } from "../../core/chinese-digits.ts";

/** Full-width ASCII (U+FF01–FF5E) → ASCII, ideographic space → space, NBSP/zero-width removed. */
const NEEDS_HALF_WIDTH = /[\uff01-\uff5e\u3000\u00a0\u2002\u2003\u2009\u200b-\u200d\ufeff]/;

export function toHalfWidth(s: string): string {
  if (!NEEDS_HALF_WIDTH.test(s)) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000 || c === 0xa0 || c === 0x2002 || c === 0x2003 || c === 0x2009) out += " ";
    else if (c === 0x200b || c === 0x200c || c === 0x200d || c === 0xfeff) continue;
    else out += s[i];
  }
  return out;
}

/** Collapse runs of whitespace to one space and trim. */
export function squashSpaces(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

/**
 * The form labels are compared in: half-width, no whitespace, no quotes or brackets, "：" → ":".
 * Keeps Chinese ordinals (一、 （一）) readable for the ordinal parser, which runs on the raw label.
 */
export function matchForm(s: string): string {
  let f = MATCH_FORMS.get(s);
  if (f === undefined) {
    // 本年（2021）新收…: the year a portal writes into a row label is not part of the label.
    f = toHalfWidth(s)
      .replace(/[\s"'“”‘’「」『』《》〈〉]/g, "")
      .replace(/\(\d{4}年?度?\)/g, "")
      // Mirrors in Taiwan vocabulary print 资讯 (資訊) for 信息 in every label.
      .replace(/资讯/g, "信息")
      // …and 档案 (檔案) for 文件: 规范性档案 is the form's 规范性文件 (no form has a row of that name).
      .replace(/规范性档案/g, "规范性文件")
      // 本年增\减: a backslash typed for the form's slash.
      .replace(/增\\减/g, "增/减");
    // Labels and cells repeat across rows and pages: a bounded memo keeps matching cheap.
    if (MATCH_FORMS.size > 20_000) MATCH_FORMS.clear();
    MATCH_FORMS.set(s, f);
  }
  return f;
}

const MATCH_FORMS = new Map<string, string>();

const CN_DIGITS: Record<string, number> = { ...CHINESE_DIGIT, 十: 10 };

/** 一 → 1, 十二 → 12, 二十 → 20; null when not a Chinese numeral up to 99. */
export function chineseNumeral(s: string): number | null {
  if (!s || !/^[一二三四五六七八九十]+$/.test(s)) return null;
  if (s.length === 1) return CN_DIGITS[s] ?? null;
  const tenAt = s.indexOf("十");
  if (tenAt === -1) return null;
  const tens = tenAt === 0 ? 1 : (CN_DIGITS[s[0]!] ?? 0);
  const ones = tenAt === s.length - 1 ? 0 : (CN_DIGITS[s[s.length - 1]!] ?? 0);
  return tens * 10 + ones;
}
