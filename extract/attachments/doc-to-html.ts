// Legacy Word (.doc, and WPS files saved in the Word format) → report HTML with word-extractor:
// it gives text where table cells end in tabs, so runs of tabbed lines become table rows.
import WordExtractor from "word-extractor";
import { AttachmentError, type AttachmentResult } from "./attachment-result.ts";
import { escapeHtml, pageHtml, paragraphHtml } from "./html-markup.ts";

/** Lines with a tab are table rows (one cell per tab-separated field); the rest are paragraphs. */
export function tabbedTextToHtml(text: string): string {
  let body = "";
  let rows: string[][] = [];
  const flushRows = () => {
    if (!rows.length) return;
    const width = Math.max(...rows.map((r) => r.length));
    body += "<table border=\"1\">\n";
    for (const r of rows) {
      body += "<tr>" + r.map((c) => `<td>${escapeHtml(c.trim())}</td>`).join("");
      body += "<td></td>".repeat(width - r.length) + "</tr>\n";
    }
    body += "</table>\n";
    rows = [];
  };
  for (const line of text.split(/\r?\n/)) {
    if (line.includes("\t")) {
      // Word ends each cell with a mark (→ tab) and each row with one more: drop the trailing empties.
      const cells = line.replace(/\t+$/, "").split("\t");
      rows.push(cells);
      continue;
    }
    flushRows();
    if (line.trim()) body += paragraphHtml(line.trim());
  }
  flushRows();
  return body;
}

export async function docToHtml(bytes: Uint8Array): Promise<AttachmentResult> {
  let text: string;
  try {
    const doc = await new WordExtractor().extract(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    text = doc.getBody();
  } catch (err) {
    throw new AttachmentError("corrupt", "doc", `the DOC file cannot be read: ${(err as Error).message}`, "open it in Word or WPS to check it; LibreOffice may still convert it");
  }
  if (!text.trim()) throw new AttachmentError("empty", "doc", "the DOC file holds no text", "check that the attachment is the report");
  return { format: "doc", html: pageHtml(null, "doc", tabbedTextToHtml(text)), text, pages: null, flags: [] };
}
