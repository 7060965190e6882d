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
  reportSite,
  reportSourceVersions,
  type SourceCheckRow,
  type SourceChoiceRows,
  type SourceVersion,
  type StoreDb,
  type StoredSource,
  sameAgency,
  saveSourceChoice,
  withStoredRecord,
} from "../store/index.ts";
import { pageSuccession } from "./page-succession.ts";

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
  /** Pages (and their attachments) a correction or later publication replaced. */
  replaced: number;
  /** Copies from other sites than the report's own. */
  otherSite: number;
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

/** The values two sources print differently, and how many keys they share. */
function compareValues(primary: StoredSource, other: StoredSource) {
  const a = primary.record.values;
  const b = other.record.values;
  let shared = 0;
  const differing: { key: string; primary: number; other: number }[] = [];
  for (const key of Object.keys(a).sort()) {
    if (!(key in b)) continue;
    shared++;
    if (Math.abs(a[key]! - b[key]!) > 1e-9) differing.push({ key, primary: a[key]!, other: b[key]! });
  }
  return { shared, differing };
}

/** One row per differing value (check failed, or a correction's change: ok), or one row saying they agree. */
function comparisonRows(
  checkId: string,
  failOnDifference: boolean,
  primary: StoredSource,
  second: StoredSource,
  shared: number,
  differing: { key: string; primary: number; other: number }[],
  secondName: string,
): SourceCheckRow[] {
  const base = { checkId, primaryVersionId: primary.versionId, secondVersionId: second.versionId };
  if (differing.length === 0)
    return [
      {
        ...base,
        ok: true,
        key: null,
        primaryValue: null,
        secondValue: null,
        detail: `all ${shared} shared values agree between the ${primary.sourceFormat.toUpperCase()} ${primary.sourceUrl} and the ${second.sourceFormat.toUpperCase()} ${second.sourceUrl}`,
      },
    ];
  return differing.map((d) => ({
    ...base,
    ok: !failOnDifference,
    key: d.key,
    primaryValue: d.primary,
    secondValue: d.other,
    detail: `${d.key}: ${d.primary} (primary: ${provenance(primary, d.key)}) vs ${d.other} (${secondName}: ${provenance(second, d.key)})`,
  }));
}

/**
 * The report's own site: the registry site whose agency is the report's agency when one of the sites
 * that printed it is (a city portal that mirrors its counties' reports is not their own site), else the
 * site that printed it first. Null when no source was crawled from a site (imports).
 */
function ownSite(db: StoreDb, reportId: number): string | null {
  const { siteSlug, agency, siteAgencies } = reportSite(db, reportId);
  if (agency) {
    if (siteSlug && siteAgencies.has(siteSlug) && sameAgency(siteAgencies.get(siteSlug)!, agency, null))
      return siteSlug;
    for (const [slug, siteAgency] of siteAgencies) if (sameAgency(siteAgency, agency, null)) return slug;
  }
  return siteSlug;
}

/**
 * Compares the report's sources and stores which one is current, and why. Three rules, in order: a
 * source from another site than the report's own is a second source; of several pages on its own site,
 * a correction (or later publication) wins over the page it replaces; of that page and its attachments,
 * the more complete table wins. Does nothing while the report has one source.
 */
export function settleSources(db: StoreDb, reportId: number): SettledSources | null {
  const versions = reportSourceVersions(db, reportId);
  if (versions.length < 2) return null;
  const home = ownSite(db, reportId);
  const onHome = (v: SourceVersion) => home === null || v.siteSlug === null || v.siteSlug === home;
  const otherSite = versions.filter((v) => !onHome(v));
  const homeVersions = versions.filter(onHome);
  if (homeVersions.length === 0) return null;

  const pages = homeVersions.filter((v) => PAGE_FORMATS.has(v.sourceFormat));
  const succession =
    pages.length > 1
      ? pageSuccession(pages.map((v) => ({ ...v, url: v.sourceUrl, firstSeen: v.firstVersionId })))
      : null;
  const replacedUrls = new Set(succession?.earlier.map((e) => e.page.sourceUrl) ?? []);
  // An attachment goes with the page that links to it: a corrected page's attachment replaces the old one's.
  const replaced = homeVersions.filter(
    (v) => replacedUrls.has(v.sourceUrl) || (v.linkedFrom !== null && replacedUrls.has(v.linkedFrom)),
  );
  const inForce = homeVersions.filter((v) => !replaced.includes(v));
  if (inForce.length === 0) return null;

  const sources = new Map<number, StoredSource>();
  const stored = (v: SourceVersion) => {
    let x = sources.get(v.versionId);
    if (!x) {
      x = withStoredRecord(db, v);
      sources.set(v.versionId, x);
    }
    return x;
  };
  const byCandidate = new Map<SourceCandidate, StoredSource>();
  const candidates = inForce.map((v) => {
    const st = stored(v);
    const c: SourceCandidate = {
      kind: PAGE_FORMATS.has(st.sourceFormat) ? "page" : "attachment",
      format: st.sourceFormat,
      url: st.sourceUrl,
      linkedFrom: st.linkedFrom,
      record: st.record,
    };
    byCandidate.set(c, st);
    return c;
  });
  const choice = chooseSource(candidates);
  const primary = byCandidate.get(choice.primary)!;
  const seconds = choice.secondary.map((c) => byCandidate.get(c)!);
  const checks: SourceCheckRow[] = [];
  const checkId = choice.check?.id ?? "sources.agree";
  for (const { other, shared, differing } of choice.comparisons)
    checks.push(
      ...comparisonRows(checkId, true, primary, byCandidate.get(other)!, shared, differing, "second source"),
    );

  const rows: SourceChoiceRows["sources"] = [
    { versionId: primary.versionId, role: "primary", completeness: tableCompleteness(primary.record) },
    ...seconds.map((s) => ({
      versionId: s.versionId,
      role: "second" as const,
      completeness: tableCompleteness(s.record),
    })),
  ];
  const reasons = [choice.reason];
  for (const v of replaced) {
    const st = stored(v);
    const why =
      succession?.earlier.find((e) => e.page.sourceUrl === v.sourceUrl) ??
      succession?.earlier.find((e) => e.page.sourceUrl === v.linkedFrom);
    const reason = why
      ? v.sourceUrl === why.page.sourceUrl
        ? why.reason
        : `attachment of ${why.page.sourceUrl}: ${why.reason}`
      : "replaced";
    rows.push({
      versionId: v.versionId,
      role: "second",
      completeness: tableCompleteness(st.record),
      reason,
      basis: why?.basis ?? "later_publication",
    });
    const { shared, differing } = compareValues(primary, st);
    // A correction is expected to change numbers: its changes are recorded, not failed.
    checks.push(
      ...comparisonRows("sources.correction", false, primary, st, shared, differing, "replaced page"),
    );
  }
  if (replaced.length)
    reasons.push(
      `${replaced.length} replaced source(s) kept: ${rows
        .filter((r) => r.basis && r.basis !== "other_site")
        .map((r) => r.reason)
        .join("; ")}`,
    );
  for (const v of otherSite) {
    const st = stored(v);
    rows.push({
      versionId: v.versionId,
      role: "second",
      completeness: tableCompleteness(st.record),
      reason: `from another site (${v.siteSlug}) than the report's own (${home})`,
      basis: "other_site",
    });
    const { shared, differing } = compareValues(primary, st);
    checks.push(
      ...comparisonRows("sources.agree", true, primary, st, shared, differing, `copy on ${v.siteSlug}`),
    );
  }
  saveSourceChoice(db, reportId, {
    primaryVersionId: primary.versionId,
    sources: rows,
    reason: reasons.join("; "),
    checks,
    ...(home ? { siteSlug: home } : {}),
  });
  return {
    primaryVersionId: primary.versionId,
    secondVersionIds: rows.slice(1).map((r) => r.versionId),
    disagreements: checks.filter((c) => !c.ok).length,
    replaced: replaced.length,
    otherSite: otherSite.length,
  };
}
