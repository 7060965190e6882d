// `import`: stores saved pages as if they had been fetched (body, fetch row), then extracts and saves
// the report. Each file is atomic and reported only once committed, so a kill keeps every file reported.
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
  toStoreError,
} from "../store/index.ts";
import { ExtractPool } from "./extract-pool.ts";
import { type PackedPage, preparePackedPage } from "./packed-page.ts";
import { nonRegularKind } from "./read-user-file.ts";
import { settleSources } from "./settle-sources.ts";

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
  ".wps",
  ".ofd",
  ".xls",
  ".xlsx",
  ".et",
]);

export interface ImportedFile {
  file: string;
  status: SaveStatus | "failed";
  reportId?: number;
  /** Stored, but the extractor did not take it for an annual report (kept with is_annual_report = 0). */
  notAnnualReport?: boolean;
  /** For failed files: why (the page was unreadable, binary, empty…). */
  error?: { code: string; message: string };
}

export interface ImportSummary {
  files: number;
  new: number;
  changed: number;
  unchanged: number;
  /** Of the stored files, those the extractor did not take for an annual report. */
  notReports: number;
  failed: ImportedFile[];
  /** Entries in the folders left alone, each with why: neither a page nor an attachment, a symlink, a FIFO… */
  skipped: SkippedEntry[];
}

export interface SkippedEntry {
  file: string;
  reason: string;
}

/**
 * Expands folders (recursively, sorted) into page files; explicit files pass through. Inside a folder
 * only regular files are read: symlinks are not followed (they may point anywhere) and FIFOs or devices
 * would hang or never end; each is listed with its reason. A named input that is neither a file nor a
 * folder is refused outright.
 */
export async function listPageFiles(inputs: string[]): Promise<{ files: string[]; skipped: SkippedEntry[] }> {
  const files: string[] = [];
  const skipped: SkippedEntry[] = [];
  async function walk(dir: string): Promise<void> {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isSymbolicLink()) skipped.push({ file: p, reason: "a symbolic link (not followed)" });
      else if (!e.isFile())
        skipped.push({ file: p, reason: `${nonRegularKind(e) ?? "not a regular file"}, not a regular file` });
      else if (PAGE_EXTENSIONS.has(extname(e.name).toLowerCase())) files.push(p);
      else skipped.push({ file: p, reason: "neither a page nor a report attachment (by its extension)" });
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
    else if (st.isFile()) files.push(input);
    else
      throw new NianbaoError(
        "input_unreadable",
        `${input} is ${nonRegularKind(st)}, not a regular file`,
        "pass saved pages, report attachments or folders holding them",
      );
  }
  return { files, skipped };
}

/** Stores one prepared page and its extraction in a single transaction (a savepoint inside a batch). */
function storeOne(store: Store, file: string, page: Extract<PackedPage, { ok: true }>): SavedReport {
  const url = pathToFileURL(resolve(file)).href;
  const { db } = store;
  return db
    .transaction(() => {
      const sha256 = page.sha256;
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
              bodySha256: sha256,
              bodyGzip: page.gzip,
              fetchedAt: page.fetchedAt,
              outcome: "imported",
            }).fetchId;
      return saveReport(db, {
        record: page.record,
        sourceUrl: url,
        fetchId,
        bodySha256: sha256,
        recordSha256: page.recordSha256,
      });
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
   * but one (at least 2, at most 4), and none for imports under 64 files, where starting workers costs more.
   */
  workers?: number;
}

/** Most files in one transaction: bounds how long the write lock is held (~0.1 s) and how much a kill undoes. */
const MAX_BATCH = 64;

function defaultWorkers(files: number): number {
  if (files < 64) return 0;
  // Two at least: the writing thread waits on the workers part of the time, and on two cores a
  // second worker fills that gap (measured: ~15% more reports/s than one).
  return Math.max(2, Math.min(4, availableParallelism() - 1));
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
    notReports: 0,
    failed: [],
    skipped,
  };
  const workers = opts.workers ?? defaultWorkers(files.length);
  // Checkpoint the WAL every ~32 MB rather than every 4 MB: each checkpoint waits for the disk, and a
  // bulk import would otherwise spend half its time there. Durability per file is unchanged.
  store.db.pragma("wal_autocheckpoint = 8192");
  store.db.pragma("journal_size_limit = 67108864");
  const pool = workers > 0 ? new ExtractPool(workers) : null;
  const prepare = (file: string) => (pool ? pool.prepare(file) : preparePackedPage(file));
  // Pages are prepared ahead but stored strictly in file order. The window is wide enough that when
  // writing is the slower side, pages pile up and are written in batches.
  const window = workers > 0 ? Math.max(32, workers * 8) : 1;
  const ahead: { file: string; page: Promise<PackedPage>; ready?: PackedPage }[] = [];
  let queued = 0;
  const fill = () => {
    while (queued < files.length && ahead.length < window) {
      const file = files[queued++] as string;
      const entry: (typeof ahead)[number] = { file, page: prepare(file) };
      entry.page.then(
        (p) => {
          entry.ready = p;
        },
        () => {}, // A rejection surfaces where the page is awaited.
      );
      ahead.push(entry);
    }
  };
  let done = 0;
  const report = (result: ImportedFile) => {
    if (result.status === "failed") summary.failed.push(result);
    else summary[result.status]++;
    if (result.notAnnualReport) summary.notReports++;
    // (Counted outside the call: `?.` would skip the increment when there is no callback.)
    const index = done++;
    opts.onFile?.(result, index, files.length);
  };
  try {
    while (done < files.length && !opts.signal?.aborted) {
      fill();
      await (ahead[0] as (typeof ahead)[number]).page;
      // Every page already prepared goes into one transaction (each file in its own savepoint): a
      // commit per file cost as much as the file's inserts. Files are reported only after the commit,
      // so what was reported is on disk. When writing keeps up, batches are single files.
      const batch: { file: string; page: PackedPage }[] = [];
      while (batch.length < MAX_BATCH && ahead[0]?.ready && !(batch.length && opts.signal?.aborted)) {
        const { file, ready } = ahead.shift() as Required<(typeof ahead)[number]>;
        batch.push({ file, page: ready });
        fill();
      }
      const results: ImportedFile[] = [];
      let storeError: unknown = null;
      try {
        store.db
          .transaction(() => {
            for (const { file, page } of batch) {
              if (!page.ok) {
                results.push({ file, status: "failed", error: { code: page.code, message: page.message } });
                continue;
              }
              try {
                const saved = storeOne(store, file, page);
                // A page and its attachment imported together are one report with two sources: the more
                // complete is made primary and their disagreements recorded, as a crawl does. (One small
                // query when the report has a single source.)
                if (saved.status !== "unchanged") settleSources(store.db, saved.reportId);
                results.push({
                  file,
                  status: saved.status,
                  reportId: saved.reportId,
                  ...(page.record.is_annual_report ? {} : { notAnnualReport: true }),
                });
              } catch (err) {
                // Keep the files before this one: commit them, then stop with this error.
                storeError = err;
                return;
              }
            }
          })
          .immediate();
      } catch (err) {
        throw toStoreError(storeError ?? err, store.path);
      }
      for (const r of results) report(r);
      if (storeError) throw toStoreError(storeError, store.path);
    }
  } finally {
    await pool?.close();
  }
  return summary;
}
