// Types an attachment by its magic bytes and, for ZIP and OLE containers, by the names inside:
// the file name and the server's content type are never trusted (sites mislabel both).
import type { AttachmentFormat } from "./attachment-result.ts";
import { isOle, oleStreamNames } from "./ole-directory.ts";
import { listZip } from "./zip-directory.ts";

export interface SniffedFormat {
  format: AttachmentFormat;
  /** Why this format was chosen (for flags and error messages). */
  evidence: string;
}

function startsWith(bytes: Uint8Array, sig: number[], at = 0): boolean {
  return sig.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  let s = "";
  for (let i = from; i < Math.min(to, bytes.length); i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function sniffZip(bytes: Uint8Array): SniffedFormat {
  let names: string[];
  try {
    names = listZip(bytes).map((e) => e.name);
  } catch (err) {
    return { format: "zip", evidence: `zip signature, unreadable directory: ${(err as Error).message}` };
  }
  const has = (n: string) => names.some((x) => x.toLowerCase() === n.toLowerCase());
  if (has("word/document.xml")) return { format: "docx", evidence: "zip with word/document.xml" };
  if (has("xl/workbook.xml")) return { format: "xlsx", evidence: "zip with xl/workbook.xml" };
  if (has("OFD.xml")) return { format: "ofd", evidence: "zip with OFD.xml" };
  if (has("mimetype") && has("content.xml"))
    return { format: "odt", evidence: "zip with mimetype and content.xml" };
  return { format: "zip", evidence: `zip holding ${names.slice(0, 5).join(", ") || "nothing"}` };
}

export function sniffFormat(bytes: Uint8Array): SniffedFormat {
  if (bytes.length === 0) return { format: "unknown", evidence: "empty" };
  // PDF readers accept the header anywhere in the first kilobyte (some servers prepend junk).
  const head = ascii(bytes, 0, 1024);
  if (head.includes("%PDF-")) return { format: "pdf", evidence: "%PDF- header" };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    return sniffZip(bytes);
  }
  if (isOle(bytes)) {
    const streams = oleStreamNames(bytes);
    if (streams.has("WordDocument")) return { format: "doc", evidence: "OLE with a WordDocument stream" };
    if (streams.has("Workbook") || streams.has("Book"))
      return { format: "xls", evidence: "OLE with a Workbook stream" };
    return {
      format: "ole",
      evidence: `OLE holding ${[...streams].slice(0, 5).join(", ") || "no readable streams"}`,
    };
  }
  if (head.startsWith("{\\rtf")) return { format: "rtf", evidence: "{\\rtf header" };
  if (
    startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) ||
    startsWith(bytes, [0xff, 0xd8, 0xff]) ||
    head.startsWith("GIF8")
  ) {
    return { format: "image", evidence: "image signature" };
  }
  const sample = bytes.subarray(0, 4096);
  let nul = 0;
  for (const b of sample) if (b === 0) nul++;
  if (nul > 0) return { format: "unknown", evidence: "binary data with no known signature" };
  if (/<(!doctype html|html|head|body|table|div|p)[\s>]/i.test(head))
    return { format: "html", evidence: "HTML tags" };
  return { format: "text", evidence: "text without NUL bytes" };
}
