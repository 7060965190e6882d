// Types a fetched body by its first bytes, not its extension: portals name PDFs ".doc" and serve
// everything as application/octet-stream. OLE and ZIP containers are told apart by their part names.

export type FileType =
  | "html"
  | "pdf"
  | "doc"
  | "docx"
  | "wps"
  | "xls"
  | "xlsx"
  | "et"
  | "ofd"
  | "zip"
  | "xml"
  | "json"
  | "text"
  | "unknown";

function has(bytes: Uint8Array, needle: string, encoding: "latin1" | "utf16le" = "latin1"): boolean {
  return (
    Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 256 * 1024)).indexOf(
      Buffer.from(needle, encoding),
    ) !== -1
  );
}

/** `extensionHint` only separates look-alikes the bytes cannot (wps vs doc, et vs xls). */
export function magicType(bytes: Uint8Array, extensionHint = ""): FileType {
  const ext = extensionHint.toLowerCase().replace(/^\./, "");
  const b = bytes;
  if (b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46) return "pdf";
  if (b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) {
    if (has(b, "WordDocument", "utf16le")) return ext === "wps" ? "wps" : "doc";
    if (has(b, "Workbook", "utf16le") || has(b, "Book", "utf16le")) return ext === "et" ? "et" : "xls";
    if (ext === "wps" || ext === "et") return ext;
    return "doc";
  }
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) {
    if (has(b, "OFD.xml")) return "ofd";
    if (has(b, "word/")) return "docx";
    if (has(b, "xl/")) return "xlsx";
    return "zip";
  }
  // Text: skip a BOM and whitespace, then look at the first significant character.
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
  const head = Buffer.from(b.subarray(i, i + 512))
    .toString("latin1")
    .toLowerCase();
  if (head.startsWith("<?xml")) return /<html/.test(head) ? "html" : "xml";
  if (head.startsWith("<")) return "html";
  if (head.startsWith("{") || head.startsWith("[")) return "json";
  const sample = b.subarray(0, 4096);
  for (const x of sample) if (x === 0) return "unknown";
  return "text";
}

export const ATTACHMENT_TYPES: ReadonlySet<FileType> = new Set([
  "pdf",
  "doc",
  "docx",
  "wps",
  "xls",
  "xlsx",
  "et",
  "ofd",
]);
