// `import`: stores saved pages as if they had been fetched (body, fetch row), then extracts and saves
// the report. One transaction per file, so an interrupted import keeps every file that finished.
import { readdir, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { NianbaoError } from "../core/errors.ts";
import {
  latestFetchFor,
  type SavedReport,
  type SaveStatus,
  type Store,
  saveFetch,
  saveReport,
  sha256Hex,
  toStoreError,
} from "../store/index.ts";
import { ExtractPool } from "./extract-pool.ts";
import { type PreparedPage, preparePage } from "./prepare-page.ts";

/** Extensions taken when a folder is imported (pages and report attachments); files named one by one are always tried. */
export const PAGE_EXTENSIONS = new Set([
  ".html",
  ".htm",
  ".shtml",
  ".xhtml",
  ".txt",
  ".pdf",
  ".doc",
  ".docx",
]);

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
  /** Files in the folders that are neither pages nor report attachments (images, notes…), left alone. */
  skipped: string[];
}

/** Expands folders (recursively, sorted) into page files; explicit files pass through. */
export async function listPageFiles(inputs: string[]): Promise<{ files: string[]; skipped: string[] }> {
  const files: string[] = [];
  const skipped: string[] = [];
  async function walk(dir: string): Promise<void> {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
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
      throw new NianbaoError(
        "input_missing",
        `no such file or folder: ${input}`,
        "check the path; pass saved pages (.html, .txt), report attachments (.pdf, .doc, .docx) or folders holding them",
      );
    }
    if (st.isDirectory()) await walk(input);
    else files.push(input);
  }
  return { files, skipped };
}

/** Stores one prepared page and its extraction in a single transaction. */
function storeOne(store: Store, file: string, page: Extract<PreparedPage, { ok: true }>): SavedReport {
  const url = pathToFileURL(resolve(file)).href;
  const { db } = store;
  return db
    .transaction(() => {
      const sha256 = sha256Hex(page.bytes);
      const last = latestFetchFor(db, url);
      // The same bytes from the same path were imported before: reuse that fetch, add nothing.
      const fetchId =
        last && last.sha256 === sha256
          ? last.fetchId
          : saveFetch(db, {
              url,
              status: 200,
              contentType: page.contentType,
              encoding: page.encoding,
              body: page.bytes,
              fetchedAt: page.fetchedAt,
              outcome: "imported",
            }).fetchId;
      return saveReport(db, { record: page.record, sourceUrl: url, fetchId, bodySha256: sha256 });
    })
    .immediate();
}

export interface ImportOptions {
  /** Called after each file, stored or failed. */
  onFile?: (result: ImportedFile, index: number, total: number) => void;
  /** Stop between files (Ctrl-C): files already stored stay stored. */
  signal?: AbortSignal;
  /**
   * Worker threads that read and extract pages while this thread writes. Default: one per core
   * but one (at most 4), and none for imports under 64 files, where starting workers costs more.
   */
  workers?: number;
}

function defaultWorkers(files: number): number {
  if (files < 64) return 0;
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * Imports every page under `inputs`, in order. A file that cannot be read is listed in `failed` and
 * skipped; a database failure (locked, read-only, disk full) stops the import with a NianbaoError.
 */
export async function importPages(
  store: Store,
  inputs: string[],
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const { files, skipped } = await listPageFiles(inputs);
  const summary: ImportSummary = {
    files: files.length,
    new: 0,
    changed: 0,
    unchanged: 0,
    failed: [],
    skipped,
  };
  const workers = opts.workers ?? defaultWorkers(files.length);
  // Checkpoint the WAL every ~32 MB rather than every 4 MB: each checkpoint waits for the disk, and a
  // bulk import would otherwise spend half its time there. Durability per file is unchanged.
  store.db.pragma("wal_autocheckpoint = 8192");
  store.db.pragma("journal_size_limit = 67108864");
  const pool = workers > 0 ? new ExtractPool(workers) : null;
  const prepare = (file: string) => (pool ? pool.prepare(file) : preparePage(file));
  // Pages are prepared ahead (a window per worker) but stored strictly in file order.
  const window = Math.max(1, workers * 4);
  const ahead: Promise<PreparedPage>[] = [];
  let queued = 0;
  const fill = () => {
    while (queued < files.length && ahead.length < window) ahead.push(prepare(files[queued++] as string));
  };
  try {
    for (const [i, file] of files.entries()) {
      if (opts.signal?.aborted) break;
      fill();
      const page = await (ahead.shift() as Promise<PreparedPage>);
      if (!page.ok) {
        const result: ImportedFile = {
          file,
          status: "failed",
          error: { code: page.code, message: page.message },
        };
        summary.failed.push(result);
        opts.onFile?.(result, i, files.length);
        continue;
      }
      let saved: SavedReport;
      try {
        saved = storeOne(store, file, page);
      } catch (err) {
        throw toStoreError(err, store.path);
      }
      summary[saved.status]++;
      opts.onFile?.({ file, status: saved.status, reportId: saved.reportId }, i, files.length);
    }
  } finally {
    await pool?.close();
  }
  return summary;
}
