// Which of several pages on one site printing the same agency's report for the same year is the one
// in force: a portal that corrects a report often publishes the corrected page at a new URL and
// leaves the original listed, so "the page saved last" would flip between them from run to run. Pure.

/** One page of the report, as stored. */
export interface PageSource {
  url: string;
  title: string | null;
  /** The date the page states (发布日期), ISO 8601 or YYYY-MM-DD; null when it states none. */
  publishedAt: string | null;
  /** Order of first appearance in the store (the first version id stored from this URL). */
  firstSeen: number;
}

export interface PageSuccession<P extends PageSource> {
  current: P;
  /** The other pages, each with why the current page wins over it. */
  earlier: { page: P; basis: "correction" | "later_publication"; reason: string }[];
}

/**
 * Words a title uses to say it replaces an earlier publication (更正 "corrected", 修订版 "revised
 * edition", 勘误 "erratum", 更新版 "updated edition"). A title only *about* a correction (关于更正…的
 * 说明) is a notice, which is never stored as an annual report, so it cannot reach this rule.
 */
const CORRECTION_MARK = /更正|修订版|修订稿|修正版|勘误|更新版|重新发布|（修订）|\(修订\)/;

export function correctionMark(title: string | null): string | null {
  return title ? (CORRECTION_MARK.exec(title)?.[0] ?? null) : null;
}

/** The stated date as YYYY-MM-DD, or null (only the day counts: pages state no time). */
function day(p: PageSource): string | null {
  const m = p.publishedAt ? /^(\d{4})-(\d{2})-(\d{2})/.exec(p.publishedAt) : null;
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/**
 * The page in force, and why it wins over each other one, in this order: a title that marks a
 * correction; a later stated publication date; the page that appeared later (a republication at a new
 * URL). The first appearance is unique per URL, so the order is total and stable from run to run.
 */
export function pageSuccession<P extends PageSource>(pages: readonly P[]): PageSuccession<P> {
  if (pages.length === 0) throw new RangeError("pageSuccession needs at least one page");
  const rank = (a: P, b: P): number => {
    const ma = correctionMark(a.title) ? 1 : 0;
    const mb = correctionMark(b.title) ? 1 : 0;
    if (ma !== mb) return mb - ma;
    const da = day(a);
    const db = day(b);
    if (da && db && da !== db) return da < db ? 1 : -1;
    return b.firstSeen - a.firstSeen;
  };
  const sorted = [...pages].sort(rank);
  const current = sorted[0]!;
  const earlier = sorted.slice(1).map((page) => {
    const mark = correctionMark(current.title);
    if (mark && !correctionMark(page.title))
      return {
        page,
        basis: "correction" as const,
        reason: `corrected by ${current.url}, whose title marks a correction ("${mark}")`,
      };
    const dc = day(current);
    const dp = day(page);
    if (dc && dp && dc !== dp)
      return {
        page,
        basis: "later_publication" as const,
        reason: `republished as ${current.url} on ${dc} (this page: ${dp})`,
      };
    return {
      page,
      basis: "later_publication" as const,
      reason: `republished as ${current.url}, which appeared after this page`,
    };
  });
  return { current, earlier };
}
