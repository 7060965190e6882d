// Entry point of attachment reading: bytes in → {format, html or text, pages, flags}. Pure (no file
// or process I/O); formats only LibreOffice reads come back as a `needs_libreoffice` failure.
import {
  AttachmentError,
  type AttachmentFormat,
  type AttachmentLimits,
  type AttachmentResult,
  DEFAULT_LIMITS,
} from "./attachment-result.ts";
import { docToHtml } from "./doc-to-html.ts";
import { docxToHtml } from "./docx-to-html.ts";
import { pageHtml } from "./html-markup.ts";
import { ofdToHtml } from "./ofd/ofd-to-html.ts";
import { pdfToHtml } from "./pdf/pdf-to-html.ts";
import { sniffFormat } from "./sniff-format.ts";
import { guardZip } from "./zip-bomb-guard.ts";

export interface ConvertOptions {
  limits?: Partial<AttachmentLimits>;
  /** The caller's time budget; conversion stops with `time_budget_exceeded` when it fires. */
  signal?: AbortSignal;
}

/** Formats the JS readers do not handle; the pipeline hands them to LibreOffice. */
export const LIBREOFFICE_FORMATS: ReadonlySet<AttachmentFormat> = new Set([
  "wps",
  "xls",
  "xlsx",
  "et",
  "odt",
  "rtf",
  "ole",
]);

function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return new TextDecoder("gb18030").decode(bytes);
  }
}

export async function convertAttachment(
  bytes: Uint8Array,
  options: ConvertOptions = {},
): Promise<AttachmentResult> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const sniffed = sniffFormat(bytes);
  if (bytes.length === 0)
    throw new AttachmentError(
      "empty",
      "unknown",
      "the attachment is empty (0 bytes)",
      "the download failed; fetch it again",
    );
  if (bytes.length > limits.maxInputBytes) {
    throw new AttachmentError(
      "too_large",
      sniffed.format,
      `the attachment is ${bytes.length} bytes, over the ${limits.maxInputBytes}-byte limit`,
      "reports are small; this is probably not one",
    );
  }
  switch (sniffed.format) {
    case "pdf":
      return pdfToHtml(bytes, { limits, signal: options.signal });
    case "docx":
      return docxToHtml(bytes, limits);
    case "doc":
      return docToHtml(bytes);
    case "html": {
      const html = decodeText(bytes);
      return { format: "html", html, text: null, pages: null, flags: [] };
    }
    case "text": {
      const text = decodeText(bytes);
      return { format: "text", html: null, text, pages: null, flags: [] };
    }
    case "ofd":
      try {
        return ofdToHtml(bytes, limits);
      } catch (err) {
        if (err instanceof AttachmentError) throw err;
        throw new AttachmentError(
          "corrupt",
          "ofd",
          `the OFD file cannot be read: ${(err as Error).message}`,
          "open it in an OFD reader to check it; fetch it again if it is truncated",
        );
      }
    case "image":
      throw new AttachmentError(
        "unsupported_format",
        "image",
        "the attachment is an image (a scan); OCR is not done",
        "find a text version (PDF with a text layer, DOC, or the HTML page)",
      );
    default:
      break;
  }
  if (LIBREOFFICE_FORMATS.has(sniffed.format)) {
    if (sniffed.format === "xlsx" || sniffed.format === "odt") guardZip(bytes, sniffed.format, limits);
    throw new AttachmentError(
      "needs_libreoffice",
      sniffed.format,
      `${sniffed.format.toUpperCase()} (${sniffed.evidence}) is read through LibreOffice`,
      "install LibreOffice (soffice) to read this format",
    );
  }
  throw new AttachmentError(
    "unsupported_format",
    sniffed.format,
    `not a report document format (${sniffed.evidence})`,
    "the link does not point at a PDF, Word, WPS, spreadsheet or OFD file",
  );
}

/** Wraps HTML that LibreOffice produced for a document into an attachment result. */
export function fromConvertedHtml(
  html: string,
  format: AttachmentFormat,
  flagDetail: string,
): AttachmentResult {
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
  if (!body.replace(/<[^>]*>/g, "").trim()) {
    throw new AttachmentError(
      "empty",
      format,
      `the ${format.toUpperCase()} file converted to an empty page`,
      "check that the attachment is the report",
    );
  }
  return {
    format,
    html: pageHtml(null, format, body),
    text: null,
    pages: null,
    flags: [{ id: "converted_by_libreoffice", detail: flagDetail }],
  };
}
