// `import`: stores saved pages as if they had been fetched (body, fetch row), then extracts and saves
// the report. One transaction per file, so an interrupted import keeps every file that finished.
import { readdir, stat } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { NianbaoError } from "../core/errors.ts";
import { extractReport, type ReportRecord } from "../extract/index.ts";
import { latestFetchFor, type SavedReport, type SaveStatus, type Store, saveFetch, saveReport, sha256Hex, toStoreError } from "../store/index.ts";
import { type LoadedPage, loadPage } from "./extract-file.ts";

/** Extensions taken when a folder is imported; files named one by one are always tried. */
export const PAGE_EXTENSIONS = new Set([".html", ".htm", ".shtml", ".xhtml", ".txt"]);

export interface ImportedFile {
  file: string;
  status: SaveStatus | "failed";
  reportId?: number;
  /** For failed files: why (the page was unreadable, binary, empty…). */
  error?: { code: string; message: string };
}

export interface ImportSummary {
  files: number;
  new: number;
  changed: number;
  unchanged: number;
  failed: ImportedFile[];
  /** Files in the folders that are not pages (PDF, images…), left alone. */
  skipped: string[];
}

/** Expands folders (recursively, sorted) into page files; explicit files pass through. */
export async function listPageFiles(inputs: string[]): Promise<{ files: string[]; skipped: string[] }> {
  const files: string[] = [];
  const skipped: string[] = [];
  async function walk(dir: string): Promise<void> {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) (PAGE_EXTENSIONS.has(extname(e.name).toLowerCase()) ? files : skipped).push(p);
    }
  }
  for (const input of inputs) {
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(input);
    } catch {
      throw new NianbaoError("input_missing", `no such file or folder: ${input}`, "check the path; pass saved pages (.html, .txt) or folders holding them");
    }
    if (st.isDirectory()) await walk(input);
    else files.push(input);
  }
  return { files, skipped };
}

/** Stores one loaded page and its extraction in a single transaction. */
function storeOne(store: Store, file: string, page: LoadedPage, record: ReportRecord, fetchedAt: string): SavedReport {
  const url = pathToFileURL(resolve(file)).href;
  const { db } = store;
  return db.transaction(() => {
    const sha256 = sha256Hex(page.bytes);
    const last = latestFetchFor(db, url);
    // The same bytes from the same path were imported before: reuse that fetch, add nothing.
    const fetchId =
      last && last.sha256 === sha256
        ? last.fetchId
        : saveFetch(db, { url, status: 200, contentType: page.contentType, encoding: page.encoding, body: page.bytes, fetchedAt, outcome: "imported" }).fetchId;
    return saveReport(db, { record, sourceUrl: url, fetchId, bodySha256: sha256 });
  }).immediate();
}

export interface ImportOptions {
  /** Called after each file, stored or failed. */
  onFile?: (result: ImportedFile, index: number, total: number) => void;
  /** Stop between files (Ctrl-C): files already stored stay stored. */
  signal?: AbortSignal;
}

/**
 * Imports every page under `inputs`. A file that cannot be read is listed in `failed` and skipped;
 * a database failure (locked, read-only, disk full) stops the import with a NianbaoError.
 */
export async function importPages(store: Store, inputs: string[], opts: ImportOptions = {}): Promise<ImportSummary> {
  const { files, skipped } = await listPageFiles(inputs);
  const summary: ImportSummary = { files: files.length, new: 0, changed: 0, unchanged: 0, failed: [], skipped };
  for (const [i, file] of files.entries()) {
    if (opts.signal?.aborted) break;
    const failed = (code: string, message: string) => {
      const result: ImportedFile = { file, status: "failed", error: { code, message } };
      summary.failed.push(result);
      opts.onFile?.(result, i, files.length);
    };
    let page: LoadedPage;
    let record: ReportRecord;
    let fetchedAt: string;
    try {
      page = await loadPage(file);
      fetchedAt = (await stat(file)).mtime.toISOString();
    } catch (err) {
      if (err instanceof NianbaoError) failed(err.code, err.message);
      else failed("input_unreadable", `${file}: ${(err as Error).message}`);
      continue;
    }
    try {
      record = extractReport({ content: page.text, fileName: file, contentType: page.contentType ?? undefined });
    } catch (err) {
      // An extractor bug on one page must not stop an archive import: list it and go on.
      failed("extraction_error", `${file}: the extractor failed: ${(err as Error).message}`);
      continue;
    }
    let saved: SavedReport;
    try {
      saved = storeOne(store, file, page, record, fetchedAt);
    } catch (err) {
      throw toStoreError(err, store.path);
    }
    summary[saved.status]++;
    opts.onFile?.({ file, status: saved.status, reportId: saved.reportId }, i, files.length);
  }
  return summary;
}
