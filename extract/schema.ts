// The record every extraction produces: the contract between extract/, store/ and cli/.
// Parsed with zod wherever a record crosses a boundary (stored JSON, expected fixture files).
import { z } from "zod";

export const EXTRACTOR_VERSION = "0.3.0";

export const templateIds = ["2021", "2019", "pre2019", "unknown"] as const;
export type TemplateId = (typeof templateIds)[number];

export const headingSchema = z.object({
  level: z.number().int().min(1).max(3),
  label: z.string(),
  title: z.string(),
  /** Character offset of the heading in the record's `text`: the section runs to the next heading. */
  offset: z.number().int().min(0),
});
export type Heading = z.infer<typeof headingSchema>;

/** One table cell as read. `key` is set only when the cell was placed with certainty. */
export const cellSchema = z.object({
  /** 1 = 主动公开, 2 = 依申请公开, 3 = 复议诉讼, 0 = a table that is none of the template's. */
  table: z.number().int().min(0).max(3),
  /** Index of the table on the page (0-based, in page order) — provenance. */
  table_index: z.number().int().min(0),
  /** Row and column of the cell within its table (0-based, after rowspan/colspan expansion). */
  row: z.number().int().min(0),
  col: z.number().int().min(0),
  row_label: z.string(),
  col_label: z.string(),
  raw: z.string(),
  value: z.number().nullable(),
  key: z.string().nullable(),
});
export type Cell = z.infer<typeof cellSchema>;

/** A number stated in prose, with the sentence it came from. */
export const factSchema = z.object({
  key: z.string(),
  value: z.number(),
  approx: z.boolean(),
  sentence: z.string(),
  /** Character offset of the sentence in the cleaned report text — provenance. */
  offset: z.number().int().min(0),
});
export type Fact = z.infer<typeof factSchema>;

export const checkSchema = z.object({ id: z.string(), ok: z.boolean(), detail: z.string() });
export type Check = z.infer<typeof checkSchema>;

export const flagSchema = z.object({ id: z.string(), detail: z.string() });
export type Flag = z.infer<typeof flagSchema>;

/** How a metadata field was obtained: read from the page, inferred from context, or absent. */
export const metaBasisSchema = z.enum(["read", "inferred", "absent"]);

export const reportRecordSchema = z.object({
  extractor_version: z.string(),
  title: z.string().nullable(),
  agency: z.string().nullable(),
  report_year: z.number().int().nullable(),
  published_at: z.string().nullable(),
  doc_number: z.string().nullable(),
  is_annual_report: z.boolean(),
  /**
   * The page's own address as the page states it (<meta name="Url">, a canonical link, og:url): a
   * saved page keeps where it was published beside the file it was read from. Null when not stated.
   */
  page_url: z.string().nullable().optional(),
  template: z.enum(templateIds),
  /** Per metadata field: where it came from, or why it is null. */
  metadata_notes: z.record(z.string(), z.object({ basis: metaBasisSchema, detail: z.string() })),
  headings: z.array(headingSchema),
  /** Exact values only, table and prose keys together; provenance is in `cells` and `facts`. */
  values: z.record(z.string(), z.number()),
  cells: z.array(cellSchema),
  facts: z.array(factSchema),
  checks: z.array(checkSchema),
  flags: z.array(flagSchema),
  /** The cleaned report text (chrome and spam removed), for full-text search and sections. */
  text: z.string(),
});
export type ReportRecord = z.infer<typeof reportRecordSchema>;

/** What the caller may tell the extractor about the input; extract stays pure (no I/O). */
export interface ExtractInput {
  /** Decoded page content: HTML or plain text. */
  content: string;
  /** Helps choose HTML vs text; never read from disk. */
  fileName?: string;
  contentType?: string;
}
