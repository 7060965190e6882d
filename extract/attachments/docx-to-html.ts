// DOCX → report HTML with mammoth, which keeps Word tables as <table> with colspan/rowspan;
// the zip is checked against bombs before mammoth unzips it.
import mammoth from "mammoth";
import { AttachmentError, type AttachmentLimits, type AttachmentResult } from "./attachment-result.ts";
import { pageHtml } from "./html-markup.ts";
import { guardZip } from "./zip-bomb-guard.ts";

export async function docxToHtml(bytes: Uint8Array, limits: AttachmentLimits): Promise<AttachmentResult> {
  guardZip(bytes, "docx", limits);
  let html: string;
  const flags: AttachmentResult["flags"] = [];
  try {
    // Images are dropped: the report's numbers are in text and tables, and data URIs bloat the page.
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      { convertImage: mammoth.images.imgElement(async () => ({ src: "" })) },
    );
    html = result.value;
    const errors = result.messages.filter((m) => m.type === "error");
    if (errors.length)
      flags.push({
        id: "docx_messages",
        detail: errors
          .map((m) => m.message)
          .slice(0, 3)
          .join("; "),
      });
  } catch (err) {
    throw new AttachmentError(
      "corrupt",
      "docx",
      `the DOCX file cannot be read: ${(err as Error).message}`,
      "open it in Word or WPS to check it; fetch it again if it is truncated",
    );
  }
  if (!html.replace(/<[^>]*>/g, "").trim()) {
    throw new AttachmentError(
      "empty",
      "docx",
      "the DOCX file holds no text",
      "check that the attachment is the report",
    );
  }
  return { format: "docx", html: pageHtml(null, "docx", html), text: null, pages: null, flags };
}
