// Extracts one report page into a ReportRecord. Pure: no I/O, no clock.
import { EXTRACTOR_VERSION, type ExtractInput, type ReportRecord } from "./schema.ts";

export function extractReport(input: ExtractInput): ReportRecord {
  return {
    extractor_version: EXTRACTOR_VERSION,
    title: null,
    agency: null,
    report_year: null,
    published_at: null,
    doc_number: null,
    is_annual_report: false,
    template: "unknown",
    metadata_notes: {},
    headings: [],
    values: {},
    cells: [],
    facts: [],
    checks: [],
    flags: [],
    text: input.content,
  };
}
