// Finds the report's title: a 标题 field, the ArticleTitle meta tag, a title line near the top (also when
// the page prints it over two lines, or glued to the first sentence), or the page's <title>.
import type { MetaNote } from "./meta-note.ts";

export interface TitleInput {
  fieldLines: string[];
  bodyLines: string[];
  meta: Record<string, string>;
  field: (lines: string[], names: string) => string | null;
}

const TITLE_WORDS = /(年度报告|年报|工作报告|情况报告|自查报告|报告)$/;
/** A report title at the start of a line: everything up to 年度报告 / 工作报告 / 年报. */
const TITLE_AT_START =
  /^(.{0,50}?(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)(?:[（(][^）)]{1,12}[）)])?)/;
/** A line that can only be the first half of a title split over two lines: a name, no punctuation. */
/** Lines of a list page: a report title, then a date (道里区财政局2021年…年度报告 2022-01-20). */
export function countReportTitleLines(lines: string[]): number {
  const seen = new Set<string>();
  for (const l of lines) {
    const t = l.trim();
    if (t.length > 90) continue;
    const m = TITLE_AT_START.exec(t);
    if (m && /\d{4}\s*年/.test(m[1]!) && /^\s*[(（[]?\d{4}[-/.年]\d{1,2}/.test(t.slice(m[0].length)))
      seen.add(m[1]!);
  }
  return seen.size;
}

const TITLE_HEAD = /^[\u4e00-\u9fa5（）()]{3,30}$/;

/** 关于…的通知, also with its issuer before 关于 (某某市人民政府办公厅关于…的通知). */
const NOTICE_TITLE =
  /^(?:[\u4e00-\u9fa5（）()]{3,40}?)?关于[^。，,；]{4,90}(通知|意见|方案|办法|规定|公告|通报|函)$/;
/** 信息名称 / 标题 printed before the title on its line, with only a space between. */
const TITLE_FIELD_NAME = /^(?:信息名称|标题|名称)[:：\s]+/;

const notMenu = (l: string) => !/^\s*[•·▪●◆■◇○►>*]/.test(l);

/** Cuts what portals print after a title on its line ("/全文", a date, the first sentence). */
function titleOf(line: string): string | null {
  const t = line.trim().replace(/["“”]/g, "");
  const m = TITLE_AT_START.exec(t);
  if (!m) return null;
  const title = m[1]!.trim();
  if (title.length < 8 || /[。，,；;:：]/.test(title)) return null;
  // 关于做好2022年政府信息公开工作年度报告编制发布工作的通知: the words run on, so this is not a title;
  // only a space, a date or the report's first sentence may follow a title on its line.
  // A page export may also print the title twice on one line, the heading then the article's own
  // (北京市2018年…年度报告北京市2018年…年度报告 2018年，…): the repeat is the title, not run-on words.
  const rest = t.slice(m[0].length);
  if (
    /^[\u4e00-\u9fa5]/.test(rest) &&
    !/^(本年度报告|本报告|根据|依据|按照)/.test(rest) &&
    !rest.startsWith(title)
  )
    return null;
  if (/^关于(做好|印发|开展|报送|转发)/.test(title)) return null;
  return title;
}

export function findTitle(input: TitleInput): { title: string | null; note: MetaNote } {
  // 信息名称 is a metadata-table label, which a saved page may print among its first body lines.
  const fromField =
    input.field(input.fieldLines, "标题|信息名称|名称") ??
    input.field(input.bodyLines.slice(0, 10), "信息名称");
  if (fromField)
    return { title: fromField.replace(/\s*\|.*$/, ""), note: { basis: "read", detail: "标题 field" } };
  const metaTitle = input.meta.ArticleTitle ?? input.meta.articletitle;
  if (metaTitle && TITLE_WORDS.test(metaTitle.trim()))
    return { title: metaTitle.trim(), note: { basis: "read", detail: "ArticleTitle meta tag" } };
  // A line opening with a bullet is a menu item of the portal ("• 政府信息公开年度报告"), not the title;
  // menus are left out before counting the opening lines, so a long menu does not push the title out.
  const candidates = [...input.fieldLines.filter(notMenu), ...input.bodyLines.filter(notMenu).slice(0, 12)];
  // A title line names the year; a line without one (政府信息公开年报, a menu or category name) is a
  // title only when no line with a year is. Field lines and breadcrumbs are never titles.
  const notice = candidates
    .map((l) => l.trim().replace(TITLE_FIELD_NAME, ""))
    .find((l) => NOTICE_TITLE.test(l));
  for (const needYear of [true, false]) {
    for (let i = 0; i < candidates.length; i++) {
      const t = candidates[i]!.trim();
      if (t.length < 8 || t.length > 80 || !TITLE_WORDS.test(t) || /[。，,；:：|]|->|>|»|›/.test(t)) continue;
      if (needYear && !/\d{4}\s*年/.test(t)) continue;
      // 左贡县人民政府2021年度 / 信息公开年度报告: a title broken after its year.
      const prev = candidates[i - 1]?.trim();
      if (prev && /^(?:政府)?信息公开|^政务公开/.test(t) && /\d{4}\s*年度?$/.test(prev) && prev.length <= 40)
        return { title: prev + t, note: { basis: "read", detail: "title printed over two lines" } };
      // 某某县民政局 / 2021年政府信息公开工作年度报告: the name on the line above belongs to the title.
      const above = candidates[i - 1]?.trim();
      // Only a title that names no one after its year: above 2021年度某某镇政府信息公开… is the portal.
      if (
        above &&
        /^\d{4}\s*年度?\s*(?:政府信息公开|政务公开|信息公开)/.test(t) &&
        TITLE_HEAD.test(above) &&
        /(局|厅|委|办|府|会|室|处|中心|街道|镇|乡)$/.test(above)
      )
        return { title: above + t, note: { basis: "read", detail: "title printed over two lines" } };
      return { title: t, note: { basis: "read", detail: "title line" } };
    }
    if (needYear) {
      for (const l of candidates) {
        const t = titleOf(l);
        if (t && /\d{4}\s*年/.test(t))
          return { title: t, note: { basis: "read", detail: "title at the start of a line" } };
      }
      // A notice about the reports (某某办公厅关于做好…年度报告编制发布工作的通知) is titled too, and
      // its title, not a phrase quoted in its text, says what it is.
      if (notice) return { title: notice, note: { basis: "read", detail: "title line (a notice)" } };
    }
  }
  for (const l of candidates) {
    const t = titleOf(l);
    if (t) return { title: t, note: { basis: "read", detail: "title at the start of a line" } };
  }
  const html = input.meta.title;
  if (html) {
    const t = html.split(/[_|｜-]/)[0]!.trim();
    if (TITLE_WORDS.test(t)) return { title: t, note: { basis: "read", detail: "<title>" } };
  }
  return {
    title: null,
    note: { basis: "absent", detail: "no title line, 标题 field or report-like <title> on the page" },
  };
}
