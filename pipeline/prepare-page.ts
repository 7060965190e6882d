// Reads one saved page and extracts it, turning every failure into data: the CPU-heavy half of an
// import, run in worker threads for large imports (plain data in and out, so it crosses threads).
import { stat } from "node:fs/promises";
import { NianbaoError } from "../core/errors.ts";
import { extractReport, type ReportRecord } from "../extract/index.ts";
import { loadPage } from "./extract-file.ts";

export type PreparedPage =
  | {
      ok: true;
      bytes: Uint8Array;
      contentType: string | null;
      encoding: string;
      record: ReportRecord;
      fetchedAt: string;
    }
  | { ok: false; code: string; message: string };

export async function preparePage(file: string): Promise<PreparedPage> {
  let page: Awaited<ReturnType<typeof loadPage>>;
  let fetchedAt: string;
  try {
    page = await loadPage(file);
    fetchedAt = (await stat(file)).mtime.toISOString();
  } catch (err) {
    if (err instanceof NianbaoError) return { ok: false, code: err.code, message: err.message };
    return { ok: false, code: "input_unreadable", message: `${file}: ${(err as Error).message}` };
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
      fetchedAt,
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
