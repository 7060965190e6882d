// When a report has both its page and an attachment (or several attachments), picks the primary with
// choose-source, keeps the others as second sources and records each value they disagree on as a check.
import {
  chooseSource,
  type SourceCandidate,
  tableCompleteness,
} from "../extract/attachments/choose-source.ts";
import {
  reportSourceVersions,
  type SourceCheckRow,
  type StoreDb,
  type StoredSource,
  saveSourceChoice,
  withStoredRecord,
} from "../store/index.ts";

const PAGE_FORMATS = new Set(["html", "txt"]);

export interface SettledSources {
  primaryVersionId: number;
  secondVersionIds: number[];
  /** Values the sources disagree on (failed `sources.agree` checks). */
  disagreements: number;
}

/** Where a value was read in one source: the table cell as printed, or the sentence. */
function provenance(s: StoredSource, key: string): string {
  const cell = s.record.cells.find((c) => c.key === key);
  const where = cell
    ? `table ${cell.table} row "${cell.row_label}" column "${cell.col_label}" printed "${cell.raw}"`
    : (() => {
        const fact = s.record.facts.find((f) => f.key === key && !f.approx);
        return fact ? `sentence "${fact.sentence}"` : "value";
      })();
  return `${where} in ${s.sourceFormat.toUpperCase()} ${s.sourceUrl}`;
}

/**
 * Compares the report's sources and stores the outcome. Does nothing unless the report has two or more
 * sources, one of them an attachment: pages alone keep the store's newest-version-wins rule.
 */
export function settleSources(db: StoreDb, reportId: number): SettledSources | null {
  const versions = reportSourceVersions(db, reportId);
  if (versions.length < 2 || versions.every((s) => PAGE_FORMATS.has(s.sourceFormat))) return null;
  const sources = versions.map((v) => withStoredRecord(db, v));
  const byCandidate = new Map<SourceCandidate, StoredSource>();
  const candidates = sources.map((s) => {
    const c: SourceCandidate = {
      kind: PAGE_FORMATS.has(s.sourceFormat) ? "page" : "attachment",
      format: s.sourceFormat,
      url: s.sourceUrl,
      linkedFrom: s.linkedFrom,
      record: s.record,
    };
    byCandidate.set(c, s);
    return c;
  });
  const choice = chooseSource(candidates);
  const primary = byCandidate.get(choice.primary)!;
  const seconds = choice.secondary.map((c) => byCandidate.get(c)!);
  const checks: SourceCheckRow[] = [];
  const checkId = choice.check?.id ?? "sources.agree";
  for (const second of seconds) {
    const a = primary.record.values;
    const b = second.record.values;
    let differ = 0;
    for (const key of Object.keys(a).sort()) {
      if (!(key in b) || Math.abs(a[key]! - b[key]!) <= 1e-9) continue;
      differ++;
      checks.push({
        checkId,
        ok: false,
        key,
        primaryVersionId: primary.versionId,
        primaryValue: a[key]!,
        secondVersionId: second.versionId,
        secondValue: b[key]!,
        detail: `${key}: ${a[key]} (primary: ${provenance(primary, key)}) vs ${b[key]} (second source: ${provenance(second, key)})`,
      });
    }
    if (differ === 0) {
      const shared = Object.keys(a).filter((k) => k in b).length;
      checks.push({
        checkId,
        ok: true,
        key: null,
        primaryVersionId: primary.versionId,
        primaryValue: null,
        secondVersionId: second.versionId,
        secondValue: null,
        detail: `all ${shared} shared values agree between the ${primary.sourceFormat.toUpperCase()} ${primary.sourceUrl} and the ${second.sourceFormat.toUpperCase()} ${second.sourceUrl}`,
      });
    }
  }
  saveSourceChoice(db, reportId, {
    primaryVersionId: primary.versionId,
    sources: [primary, ...seconds].map((s, i) => ({
      versionId: s.versionId,
      role: i === 0 ? "primary" : "second",
      completeness: tableCompleteness(s.record),
    })),
    reason: choice.reason,
    checks,
  });
  return {
    primaryVersionId: primary.versionId,
    secondVersionIds: seconds.map((s) => s.versionId),
    disagreements: checks.filter((c) => !c.ok).length,
  };
}
