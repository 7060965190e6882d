// Reads one saved page or attachment (PDF, Word, WPS, OFD, spreadsheet) and extracts it, turning every
// failure into data: the CPU-heavy half of an import, run in worker threads (plain data crosses threads).
import { stat } from "node:fs/promises";
import { NianbaoError } from "../core/errors.ts";
import { MAX_ATTACHMENT_BYTES } from "../core/size-caps.ts";
import { extractReport, type ReportRecord } from "../extract/index.ts";
import { extractAttachmentBytes } from "./attachment-bytes.ts";
import { loadPage } from "./extract-file.ts";
import { readUserFile } from "./read-user-file.ts";

export type PreparedPage =
  | {
      ok: true;
      bytes: Uint8Array;
      contentType: string | null;
      encoding: string | null;
      record: ReportRecord;
      fetchedAt: string;
    }
  | { ok: false; code: string; message: string };

async function prepareAttachment(file: string, fetchedAt: string): Promise<PreparedPage> {
  let bytes: Uint8Array;
  try {
    // The crawl's attachment cap: an attachment it would accept is accepted here too.
    bytes = new Uint8Array(
      await readUserFile(file, { maxBytes: MAX_ATTACHMENT_BYTES, hint: "pass the attachment itself" }),
    );
  } catch (err) {
    if (err instanceof NianbaoError) return { ok: false, code: err.code, message: err.message };
    throw err;
  }
  try {
    const { record, contentType } = await extractAttachmentBytes(bytes, file);
    return { ok: true, bytes, contentType, encoding: null, record, fetchedAt };
  } catch (err) {
    return { ok: false, code: "unsupported_format", message: `${file}: ${(err as Error).message}` };
  }
}

export async function preparePage(file: string): Promise<PreparedPage> {
  let page: Awaited<ReturnType<typeof loadPage>>;
  let fetchedAt: string | undefined;
  try {
    fetchedAt = (await stat(file)).mtime.toISOString();
    page = await loadPage(file);
  } catch (err) {
    if (err instanceof NianbaoError && err.code === "input_binary") {
      return prepareAttachment(file, fetchedAt ?? new Date().toISOString());
    }
    if (err instanceof NianbaoError) return { ok: false, code: err.code, message: err.message };
    const code = (err as { code?: string }).code === "ENOENT" ? "input_missing" : "input_unreadable";
    return { ok: false, code, message: `${file}: ${(err as Error).message}` };
  }
  try {
    const record = extractReport({
      content: page.text,
      fileName: file,
      contentType: page.contentType ?? undefined,
    });
    return {
      ok: true,
      bytes: page.bytes,
      contentType: page.contentType,
      encoding: page.encoding,
      record,
      fetchedAt: fetchedAt as string,
    };
  } catch (err) {
    // An extractor bug on one page must not stop an archive import: list it and go on.
    return {
      ok: false,
      code: "extraction_error",
      message: `${file}: the extractor failed: ${(err as Error).message}`,
    };
  }
}
