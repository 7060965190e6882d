// Reads one saved page (or fetches one URL), decodes it and runs the extractor: the `extract` command's work.
// Bad input (missing, binary, empty) becomes a NianbaoError that names the file and what to do.
import { stat } from "node:fs/promises";
import { NianbaoError } from "../core/errors.ts";
import { MAX_ATTACHMENT_BYTES, MAX_FILE_PAGE_BYTES } from "../core/size-caps.ts";
import { decodeBody } from "../crawler/decode/decode-body.ts";
import { sniffFormat } from "../extract/attachments/sniff-format.ts";
import { extractReport } from "../extract/index.ts";
import type { ReportRecord } from "../extract/schema.ts";
import { extractAttachmentBytes } from "./attachment-bytes.ts";
import { nonRegularKind, readUserFile } from "./read-user-file.ts";

export interface LoadedPage {
  /** Path or URL as given. */
  source: string;
  bytes: Uint8Array;
  contentType: string | null;
  text: string;
  encoding: string;
}

const FILE_HINT =
  "pass one saved page (.html or .txt), a report attachment or an http(s) URL; to store many pages use `nianbao import DIR`";

/** Attachment signatures: an oversize file with one of these is an attachment, read under its own cap. */
const ATTACHMENT_MAGIC: number[][] = [
  [0x25, 0x50, 0x44, 0x46],
  [0x50, 0x4b, 0x03, 0x04],
  [0xd0, 0xcf, 0x11, 0xe0],
];

/** A regular file only (a FIFO would hang, /dev/zero never ends), never read past its cap. */
async function readPageFile(source: string): Promise<Uint8Array> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(source);
  } catch {
    throw new NianbaoError(
      "input_missing",
      `no such file: ${source}`,
      "check the path; pass a saved page (.html, .txt) or an http(s) URL",
    );
  }
  if (st.isDirectory()) {
    throw new NianbaoError(
      "input_unreadable",
      `${source} is a directory`,
      "pass one saved page (.html or .txt); to store many pages use `nianbao import DIR`",
    );
  }
  const kind = nonRegularKind(st);
  if (kind) throw new NianbaoError("input_unreadable", `${source} is ${kind}, not a regular file`, FILE_HINT);
  if (st.size > MAX_FILE_PAGE_BYTES) {
    // Judged by the first bytes, without reading the rest: an attachment has a cap of its own.
    const head = (
      await readUserFile(source, { maxBytes: MAX_ATTACHMENT_BYTES, hint: FILE_HINT, headBytes: 8 })
    ).subarray(0, 8);
    const isAttachment = ATTACHMENT_MAGIC.some((sig) => sig.every((b, i) => head[i] === b));
    if (!isAttachment || st.size > MAX_ATTACHMENT_BYTES) {
      const limit = isAttachment ? MAX_ATTACHMENT_BYTES : MAX_FILE_PAGE_BYTES;
      throw new NianbaoError(
        "input_unreadable",
        `${source} is ${st.size} bytes, over the ${limit}-byte ${isAttachment ? "attachment" : "page"} limit`,
        "pass the report page itself, not an archive",
      );
    }
  }
  return readUserFile(source, { maxBytes: MAX_ATTACHMENT_BYTES, hint: FILE_HINT });
}

/** True when the bytes look like a binary file (PDF, Office, image…) rather than a page. */
export function looksBinary(bytes: Uint8Array): string | null {
  const head = bytes.subarray(0, 8);
  const magic: [number[], string][] = [
    [[0x25, 0x50, 0x44, 0x46], "PDF"],
    [[0x50, 0x4b, 0x03, 0x04], "ZIP/Office (docx, xlsx, wps…)"],
    [[0xd0, 0xcf, 0x11, 0xe0], "OLE (doc, xls, wps)"],
    [[0x89, 0x50, 0x4e, 0x47], "PNG image"],
    [[0xff, 0xd8, 0xff], "JPEG image"],
    [[0x1f, 0x8b], "gzip"],
  ];
  for (const [sig, name] of magic) if (sig.every((b, i) => head[i] === b)) return name;
  const sample = bytes.subarray(0, 4096);
  let nul = 0;
  for (const b of sample) if (b === 0) nul++;
  return nul > 0 && nul / Math.max(1, sample.length) > 0.01 ? "binary data (NUL bytes)" : null;
}

export async function loadPage(source: string, fetchTimeoutMs = 30_000): Promise<LoadedPage> {
  let bytes: Uint8Array;
  let contentType: string | null = null;
  if (/^https?:\/\//i.test(source)) {
    // Loaded on first use: import's workers read files only and need none of the crawler.
    const { fetchOnePage } = await import("./fetch-one-page.ts");
    const fetched = await fetchOnePage(source, { timeoutMs: fetchTimeoutMs });
    bytes = fetched.bytes;
    contentType = fetched.contentType;
  } else {
    bytes = await readPageFile(source);
  }
  if (bytes.length === 0) {
    throw new NianbaoError(
      "input_empty",
      `${source} is empty (0 bytes)`,
      "save the page again; the download may have failed",
    );
  }
  const binary = looksBinary(bytes);
  if (binary) {
    throw new NianbaoError(
      "input_binary",
      `${source} is ${binary}, not a web page or text`,
      "pass the HTML page, a text export or a report file (PDF, DOC, DOCX, WPS, OFD, XLS, XLSX, ET)",
    );
  }
  if (bytes.length > MAX_FILE_PAGE_BYTES) {
    // It grew past the page limit after it was measured.
    throw new NianbaoError(
      "input_unreadable",
      `${source} is over the ${MAX_FILE_PAGE_BYTES}-byte page limit`,
      "pass the report page itself, not an archive",
    );
  }
  const decoded = decodeBody(bytes, contentType);
  if (decoded.text.trim() === "") {
    throw new NianbaoError(
      "input_empty",
      `${source} holds only whitespace`,
      "save the page again; the download may have failed",
    );
  }
  return { source, bytes, contentType, text: decoded.text, encoding: decoded.encoding };
}

/**
 * One page or attachment in, its record out. A PDF, Word, WPS, OFD or spreadsheet file goes through
 * the attachment readers, as `import` does, so every format `import` takes prints the same record.
 */
export async function extractFile(source: string): Promise<{ page: LoadedPage; record: ReportRecord }> {
  let page: LoadedPage;
  try {
    page = await loadPage(source);
  } catch (err) {
    if (!(err instanceof NianbaoError) || err.code !== "input_binary" || /^https?:\/\//i.test(source))
      throw err;
    const bytes = new Uint8Array(await readPageFile(source));
    // Only a document format the attachment readers know goes to them; other binary stays refused.
    if (!ATTACHMENT_FORMATS.has(sniffFormat(bytes).format)) throw err;
    return extractAttachmentFile(source, bytes);
  }
  const record = extractReport({
    content: page.text,
    fileName: source,
    contentType: page.contentType ?? undefined,
  });
  return { page, record };
}

const ATTACHMENT_FORMATS = new Set(["pdf", "doc", "docx", "xls", "xlsx", "ofd", "odt", "ole", "rtf", "zip"]);

async function extractAttachmentFile(
  source: string,
  bytes: Uint8Array,
): Promise<{ page: LoadedPage; record: ReportRecord }> {
  try {
    const { record, contentType } = await extractAttachmentBytes(bytes, source);
    return { page: { source, bytes, contentType, text: record.text, encoding: "binary" }, record };
  } catch (err) {
    throw new NianbaoError(
      "input_unreadable",
      `${source} could not be read as an attachment: ${(err as Error).message}`,
      "pass a PDF, DOC, DOCX, WPS, OFD, XLS, XLSX or ET report, or the HTML page; WPS, ET and XLS need LibreOffice",
    );
  }
}
