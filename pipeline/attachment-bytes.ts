// Reads an attachment's bytes (PDF, Word, WPS, OFD, spreadsheet) into a record: shared by `import`
// (in its worker threads) and `extract FILE`. The readers are loaded on first use: pages never need them.
import type { ReportRecord } from "../extract/index.ts";

const ATTACHMENT_TYPES: Record<string, string> = {
  pdf: "application/pdf",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
};

/** Runs the attachment readers (pdfjs, mammoth, word-extractor, LibreOffice) on stored bytes; loaded on first use. */
export async function extractAttachmentBytes(
  bytes: Uint8Array,
  source: string,
): Promise<{ record: ReportRecord; contentType: string | null }> {
  const { extractAttachment } = await import("./extract-attachment.ts");
  // LibreOffice (when installed) reads what the JS readers cannot: WPS, ET, XLS, OFD the OFD reader fails on.
  const version = await extractAttachment({ bytes, source }, { timeoutMs: 60_000 });
  return { record: version.record, contentType: ATTACHMENT_TYPES[version.format] ?? null };
}
