// A prepared page made ready for the store off the main thread: body hash, gzip of the body and the
// record's hash, so the thread that writes SQLite does only the writing.
// From their own files, not store/index.ts: these need only node:crypto and node:zlib, so a worker
// thread never loads the SQLite binding.
import { gzipBody, sha256Hex } from "../store/fetch-archive.ts";
import { recordSha256 } from "../store/report-writer.ts";
import { type PreparedPage, preparePage } from "./prepare-page.ts";

export type PackedPage =
  | (Extract<PreparedPage, { ok: true }> & { sha256: string; gzip: Uint8Array; recordSha256: string })
  | Extract<PreparedPage, { ok: false }>;

export function packPage(page: PreparedPage): PackedPage {
  if (!page.ok) return page;
  return {
    ...page,
    sha256: sha256Hex(page.bytes),
    gzip: gzipBody(page.bytes),
    recordSha256: recordSha256(page.record),
  };
}

/** Reads, extracts and packs one file (in a worker thread, or on the main thread for small imports). */
export async function preparePackedPage(file: string): Promise<PackedPage> {
  return packPage(await preparePage(file));
}
