// What converting one attachment yields: its format, the report as HTML (tables as real <table>
// markup) or plain text, the page count, and flags; or a typed failure that says why.
import { NianbaoError } from "../../core/errors.ts";

/** Formats recognised from magic bytes (never from the file name). */
export const attachmentFormats = [
  "pdf",
  "docx",
  "doc",
  "wps",
  "xls",
  "xlsx",
  "et",
  "odt",
  "ofd",
  "rtf",
  "html",
  "text",
  "zip",
  "ole",
  "image",
  "unknown",
] as const;
export type AttachmentFormat = (typeof attachmentFormats)[number];

export interface AttachmentFlag {
  id: string;
  detail: string;
}

export interface AttachmentResult {
  format: AttachmentFormat;
  /** HTML for the extractor: prose as <p>, tables as <table><tr><td> with rowspan/colspan. */
  html: string | null;
  /** Plain text when no structure could be recovered (or alongside html, for search). */
  text: string | null;
  /** Page count when the format has pages (PDF, OFD); null otherwise. */
  pages: number | null;
  flags: AttachmentFlag[];
}

/** Why an attachment could not be read. Stable ids: tests and the store key on them. */
export type AttachmentFailure =
  | "encrypted"
  | "corrupt"
  | "too_many_pages"
  | "time_budget_exceeded"
  | "too_large"
  | "zip_bomb"
  | "unsupported_format"
  | "needs_libreoffice"
  | "empty";

export class AttachmentError extends NianbaoError {
  readonly reason: AttachmentFailure;
  readonly format: AttachmentFormat;

  constructor(reason: AttachmentFailure, format: AttachmentFormat, message: string, hint: string) {
    super(reason === "unsupported_format" ? "unsupported_format" : "attachment_failed", message, hint);
    this.name = "AttachmentError";
    this.reason = reason;
    this.format = format;
  }
}

/** Limits every converter honours; the defaults keep one file within 10 s and a few hundred MB. */
export interface AttachmentLimits {
  maxInputBytes: number;
  maxPages: number;
  /** Total uncompressed bytes a ZIP-based document may expand to. */
  maxUnzippedBytes: number;
  /** Largest uncompressed/compressed ratio allowed for a big ZIP entry. */
  maxZipRatio: number;
}

export const DEFAULT_LIMITS: AttachmentLimits = {
  maxInputBytes: 100 * 1024 * 1024,
  maxPages: 200,
  maxUnzippedBytes: 200 * 1024 * 1024,
  maxZipRatio: 200,
};
