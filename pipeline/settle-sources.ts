// A report's page and its attachments as sources of one report: files an attachment under its linking
// page, picks the primary with choose-source, keeps the others as second and checks where they disagree.
import {
  chooseSource,
  type SourceCandidate,
  tableCompleteness,
} from "../extract/attachments/choose-source.ts";
import type { ReportRecord } from "../extract/schema.ts";
import {
  reportOfPage,
  reportSourceVersions,
  type SourceCheckRow,
  type StoreDb,
  type StoredSource,
  saveSourceChoice,
  withStoredRecord,
} from "../store/index.ts";

const PAGE_FORMATS = new Set(["html", "txt"]);

/**
 * An attachment linked from a report page is another source of that page's report when it is a report
 * of the same year (or names none): a spreadsheet of the tables, or a PDF whose agency line was misread,
 * is filed under the page's agency and year, and what the attachment itself said stays in its notes.
 */
export function fileUnderLinkingPage(
  db: StoreDb,
  record: ReportRecord,
  linkedFrom: string | null,
): ReportRecord {
  if (!linkedFrom) return record;
  const hasTables = record.cells.some((c) => c.key !== null && c.value !== null);
  if (!record.is_annual_report && !hasTables) return record;
  const page = reportOfPage(db, linkedFrom);
  if (!page?.agency || page.reportYear === null) return record;
  if (record.report_year !== null && record.report_year !== page.reportYear) return record;
  if (record.is_annual_report && record.agency === page.agency && record.report_year === page.reportYear)
    return record;
  const from = `the report page that links to this attachment (${linkedFrom})`;
  const notes = { ...record.metadata_notes };
  if (record.agency !== page.agency)
    notes.agency = {
      basis: "inferred",
      detail: record.agency
        ? `from ${from}; the attachment itself reads "${record.agency}"`
        : `from ${from}; the attachment does not name it`,
    };
  if (record.report_year === null)
    notes.report_year = { basis: "inferred", detail: `from ${from}; the attachment does not name it` };
  if (!record.is_annual_report)
    notes.is_annual_report = {
      basis: "inferred",
      detail: `from ${from}; the attachment holds the report's tables without its title`,
    };
  return {
    ...record,
    is_annual_report: true,
    agency: page.agency,
    report_year: page.reportYear,
    metadata_notes: notes,
  };
}

export interface SettledSources {
  primaryVersionId: number;
  secondVersionIds: number[];
  /** Values the sources disagree on (failed `sources.agree` checks). */
  disagreements: number;
}

/** Where a value was read in one source: the table cell as printed, or the sentence. */
function provenance(s: StoredSource, key: string): string {
  const cell = s.record.cells.find((c) => c.key === key);
  const fact = cell ? undefined : s.record.facts.find((f) => f.key === key && !f.approx);
  const where = cell
    ? `table ${cell.table} row "${cell.row_label}" column "${cell.col_label}" printed "${cell.raw}"`
    : fact
      ? `sentence "${fact.sentence}"`
      : "value";
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
  for (const { other, shared, differing } of choice.comparisons) {
    const second = byCandidate.get(other)!;
    for (const d of differing) {
      checks.push({
        checkId,
        ok: false,
        key: d.key,
        primaryVersionId: primary.versionId,
        primaryValue: d.primary,
        secondVersionId: second.versionId,
        secondValue: d.other,
        detail: `${d.key}: ${d.primary} (primary: ${provenance(primary, d.key)}) vs ${d.other} (second source: ${provenance(second, d.key)})`,
      });
    }
    if (differing.length === 0) {
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
