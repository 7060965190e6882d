// Reads one attachment (bytes as fetched) into a report record: converts it to HTML (pdfjs, mammoth,
// word-extractor, or LibreOffice for the rest) under a time budget, then runs the extractor on it.

import {
  AttachmentError,
  type AttachmentFlag,
  type AttachmentFormat,
  type AttachmentLimits,
  type AttachmentResult,
} from "../extract/attachments/attachment-result.ts";
import { convertAttachment, fromConvertedHtml } from "../extract/attachments/convert-attachment.ts";
import { extractReport } from "../extract/index.ts";
import type { ReportRecord } from "../extract/schema.ts";
import { convertWithLibreOffice, findSoffice } from "./convert-libreoffice.ts";

export interface AttachmentInput {
  bytes: Uint8Array;
  /** Where the file came from (URL or path), for messages only: never used to type the file. */
  source?: string;
  /** The report page that linked to this attachment. */
  linkedFrom?: string | null;
}

export interface AttachmentOptions {
  timeoutMs?: number;
  limits?: Partial<AttachmentLimits>;
  /** Path of soffice; default: looked up in the usual places. `false` disables LibreOffice. */
  soffice?: string | false;
}

/** One attachment read as a report version: what the store keeps beside the record. */
export interface AttachmentVersion {
  format: AttachmentFormat;
  /** Which reader produced the HTML. */
  converter: "pdfjs" | "mammoth" | "word-extractor" | "ofd" | "libreoffice" | "none";
  pages: number | null;
  linkedFrom: string | null;
  source: string | null;
  /** The HTML the extractor read (kept for re-extraction and provenance). */
  html: string | null;
  record: ReportRecord;
}

const CONVERTER: Partial<Record<AttachmentFormat, AttachmentVersion["converter"]>> = {
  pdf: "pdfjs",
  docx: "mammoth",
  doc: "word-extractor",
  ofd: "ofd",
};

/** JS readers that fail on a file hand it to LibreOffice, except for refusals no converter should retry. */
const RETRY_WITH_LIBREOFFICE = new Set(["needs_libreoffice", "corrupt", "empty"]);

export async function extractAttachment(
  input: AttachmentInput,
  options: AttachmentOptions = {},
): Promise<AttachmentVersion> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const signal = AbortSignal.timeout(timeoutMs);
  const started = performance.now();
  let result: AttachmentResult;
  let converter: AttachmentVersion["converter"];
  try {
    result = await convertAttachment(input.bytes, { limits: options.limits, signal });
    converter = result.html || result.text ? (CONVERTER[result.format] ?? "none") : "none";
  } catch (err) {
    if (!(err instanceof AttachmentError) || !RETRY_WITH_LIBREOFFICE.has(err.reason) || err.format === "pdf")
      throw err;
    const soffice = options.soffice === false ? null : (options.soffice ?? (await findSoffice()));
    if (!soffice) {
      if (err.reason !== "needs_libreoffice") throw err;
      throw new AttachmentError(
        "unsupported_format",
        err.format,
        `${err.message}, and LibreOffice is not installed`,
        "install libreoffice-core and libreoffice-writer (and libreoffice-calc for spreadsheets)",
      );
    }
    const left = Math.max(1000, timeoutMs - (performance.now() - started));
    const html = await convertWithLibreOffice(input.bytes, err.format, left);
    result = fromConvertedHtml(
      html,
      err.format,
      err.reason === "needs_libreoffice"
        ? "read through LibreOffice"
        : `JS reader failed (${err.message}); read through LibreOffice`,
    );
    converter = "libreoffice";
  }
  const content = result.html ?? result.text ?? "";
  const record = extractReport({
    content,
    fileName: result.html ? "attachment.html" : "attachment.txt",
    contentType: result.html ? "text/html" : "text/plain",
  });
  const flags: AttachmentFlag[] = [
    {
      id: `attachment_${result.format}`,
      detail: `read from a ${result.format.toUpperCase()} attachment${input.linkedFrom ? ` linked from ${input.linkedFrom}` : ""}`,
    },
    ...result.flags,
  ];
  record.flags = [...record.flags, ...flags.filter((f) => !record.flags.some((g) => g.id === f.id))];
  return {
    format: result.format,
    converter,
    pages: result.pages,
    linkedFrom: input.linkedFrom ?? null,
    source: input.source ?? null,
    html: result.html,
    record,
  };
}
