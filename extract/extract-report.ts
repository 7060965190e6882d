// Extracts one report page into a ReportRecord: clean the page, read metadata, headings, tables and
// prose numbers, decide the template, run the identity checks. Pure: no I/O, no clock.
import { runChecks } from "./checks/identity-checks.ts";
import type { Document } from "./document.ts";
import { htmlToDocument, looksLikeHtml } from "./html/html-document.ts";
import { readMetadata } from "./metadata/report-metadata.ts";
import { isChromeLine, isMetaLine } from "./noise/page-chrome.ts";
import { stripSpam } from "./noise/spam.ts";
import { readHeading } from "./outline/headings.ts";
import { readProseFacts, splitSentences } from "./prose/prose-facts.ts";
import {
  EXTRACTOR_VERSION,
  type ExtractInput,
  type Flag,
  type Heading,
  type ReportRecord,
  type TemplateId,
} from "./schema.ts";
import { detectTableTemplate, readTables } from "./tables/table-reader.ts";
import { foldTraditional } from "./text/fold-traditional.ts";
import { textToDocument } from "./text/text-document.ts";

interface CleanPage {
  bodyLines: string[];
  fieldLines: string[];
  text: string;
  headings: Heading[];
  spam: string[];
}

/** Drops chrome, sets the metadata block aside, cuts spam out, and lays the body out as text. */
function cleanPage(doc: Document): CleanPage {
  const spam: string[] = [];
  const fieldLines: string[] = [];
  const bodyLines: string[] = [];
  const headings: Heading[] = [];
  const parts: string[] = [];
  let offset = 0;
  const despam = (line: string) => {
    const { text, hits } = stripSpam(line);
    spam.push(...hits);
    return text;
  };
  for (const l of doc.outerLines) {
    const t = despam(l);
    // A metadata line may share its line with chrome (发布日期：… 字号：大 中 小): it is still read.
    if (t && (isMetaLine(t) || !isChromeLine(t))) fieldLines.push(t);
  }
  for (const l of doc.lines) {
    if (typeof l !== "string") continue;
    const t = despam(l);
    if (!t) continue;
    // A metadata line may carry chrome glued to its end ("发布时间：2024-01-22 来源：… 字号：大 中 小",
    // one line in a PDF): it is still read for metadata, and kept out of the body either way.
    if (isMetaLine(t)) {
      fieldLines.push(t);
      continue;
    }
    if (isChromeLine(t)) continue;
    const h = readHeading(t);
    if (h) headings.push({ ...h, offset });
    bodyLines.push(t);
    parts.push(t);
    offset += t.length + 1;
  }
  return { bodyLines, fieldLines, text: parts.join("\n"), headings, spam };
}

/**
 * The template: the table labels first; with no template tables, the year decides for an annual
 * report (the national forms changed for the 2019 and the 2021 reports), and nothing for other pages.
 */
function decideTemplate(
  tableTemplate: "2019" | "2021" | null,
  year: number | null,
  isReport: boolean,
): TemplateId {
  if (tableTemplate) return tableTemplate;
  if (!isReport || year === null) return "unknown";
  if (year <= 2018) return "pre2019";
  return year <= 2020 ? "2019" : "2021";
}

/** The address a saved page names for itself; only http(s) addresses count (never javascript: or file:). */
function pageUrl(meta: Record<string, string>): string | null {
  for (const k of ["Url", "url", "link:canonical", "og:url"]) {
    const v = meta[k]?.trim();
    if (v && /^https?:\/\/[^\s"'<>]+$/i.test(v) && v.length <= 2000) return v;
  }
  return null;
}

export function extractReport(input: ExtractInput): ReportRecord {
  // NUL is never text: browsers drop it from page bodies (HTML spec), and one inside 政府\0信息 or 1\07
  // must not break a label or a number. Offsets in the record refer to its own text, so nothing shifts.
  const unNul = input.content.includes("\0") ? input.content.replaceAll("\0", "") : input.content;
  const fold = foldTraditional(unNul);
  const content = fold.text;
  const doc = looksLikeHtml(content, input.fileName, input.contentType)
    ? htmlToDocument(content)
    : textToDocument(content);
  const page = cleanPage(doc);
  const flags: Flag[] = [];
  for (const s of [...new Set(page.spam)]) flags.push({ id: "spam_injected", detail: s });
  if (fold.folded)
    flags.push({
      id: "traditional_folded",
      detail: `${fold.folded} Traditional characters: read in Simplified`,
    });
  if (fold.glosses) flags.push({ id: "pinyin_removed", detail: `${fold.glosses} pinyin glosses cut out` });

  const meta = readMetadata({ fieldLines: page.fieldLines, bodyLines: page.bodyLines, meta: doc.meta });
  const { template: tableTemplate, evidence } = detectTableTemplate(doc.tables);
  const tables = readTables(doc.tables, tableTemplate);
  flags.push(...tables.flags);

  const { facts, conflicts } = readProseFacts(splitSentences(page.text));
  for (const c of conflicts) flags.push({ id: "prose_conflict", detail: c });

  const values: Record<string, number> = { ...tables.values };
  const conflicted = new Set(conflicts.map((c) => c.split(":")[0]!));
  for (const f of facts) {
    if (f.approx || conflicted.has(f.key) || f.key in values) continue;
    values[f.key] = f.value;
  }

  const template = decideTemplate(tableTemplate, meta.report_year, meta.is_annual_report);
  meta.notes.template = {
    basis: tableTemplate ? "read" : template === "unknown" ? "absent" : "inferred",
    detail: tableTemplate
      ? evidence
      : template === "pre2019"
        ? "narrative report with no statistics tables, year ≤ 2018"
        : template === "unknown"
          ? meta.is_annual_report
            ? "no template tables and no report year that decides it"
            : "not an annual report"
          : `no template tables: the ${template} form is the one for ${meta.report_year} reports`,
  };

  return {
    extractor_version: EXTRACTOR_VERSION,
    title: meta.title,
    agency: meta.agency,
    report_year: meta.report_year,
    published_at: meta.published_at,
    doc_number: meta.doc_number,
    is_annual_report: meta.is_annual_report,
    page_url: pageUrl(doc.meta),
    template,
    metadata_notes: meta.notes,
    headings: page.headings,
    values,
    cells: tables.cells,
    facts,
    checks: runChecks(values, template),
    flags,
    text: page.text,
  };
}
