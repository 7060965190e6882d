// The raw archive: every HTTP exchange (fetches), each distinct body once (bodies, gzip by sha256),
// and crawl runs with their summary. The crawler and `import` write here; `reextract` reads back.
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import type { StoreDb } from "./open-store.ts";
import { statement } from "./statement-cache.ts";

export interface FetchInput {
  url: string;
  finalUrl?: string | null;
  status?: number | null;
  headers?: Record<string, string>;
  contentType?: string | null;
  /** Encoding the body was decoded with (e.g. gb18030), for the archive. */
  encoding?: string | null;
  /** The body; null for exchanges without one (304, errors). */
  body?: Uint8Array | null;
  /** sha256Hex(body) and gzipBody(body), when already computed (an import does both in its workers). */
  bodySha256?: string;
  bodyGzip?: Uint8Array;
  /** ISO 8601; defaults to now. */
  fetchedAt?: string;
  runId?: number | null;
  siteSlug?: string | null;
  /** ok | not_modified | http_error | network_error | blocked | imported | … (the crawler's words). */
  outcome: string;
  reason?: string | null;
}

export interface SavedFetch {
  fetchId: number;
  sha256: string | null;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The stored form of a body (bodies.compression = 'gzip'). */
export function gzipBody(body: Uint8Array): Uint8Array {
  return gzipSync(body, { level: 6 });
}

/** Stores the body once per sha256; returns its hash. */
export function saveBody(
  db: StoreDb,
  body: Uint8Array,
  sha256 = sha256Hex(body),
  gzipped?: Uint8Array,
): string {
  const exists = statement(db, "SELECT 1 FROM bodies WHERE sha256 = ?").get(sha256);
  if (!exists) {
    const packed = gzipped ?? gzipBody(body);
    statement(db, "INSERT INTO bodies (sha256, size_bytes, compression, data) VALUES (?, ?, 'gzip', ?)").run(
      sha256,
      body.length,
      packed,
    );
  }
  return sha256;
}

/** Records one exchange (and its body, deduplicated by sha256); returns the new fetch id. */
export function saveFetch(db: StoreDb, f: FetchInput): SavedFetch {
  return db
    .transaction((): SavedFetch => {
      const sha256 = f.body ? saveBody(db, f.body, f.bodySha256, f.bodyGzip) : null;
      const info = statement(
        db,
        `INSERT INTO fetches (url, final_url, status, headers_json, content_type, encoding, sha256, fetched_at, run_id, site_slug, outcome, reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        f.url,
        f.finalUrl ?? null,
        f.status ?? null,
        JSON.stringify(f.headers ?? {}),
        f.contentType ?? null,
        f.encoding ?? null,
        sha256,
        f.fetchedAt ?? new Date().toISOString(),
        f.runId ?? null,
        f.siteSlug ?? null,
        f.outcome,
        f.reason ?? null,
      );
      return { fetchId: Number(info.lastInsertRowid), sha256 };
    })
    .immediate();
}

/** The stored body bytes, or null when no body has that hash. */
export function getBody(db: StoreDb, sha256: string): Uint8Array | null {
  const row = statement(db, "SELECT compression, data FROM bodies WHERE sha256 = ?").get(sha256) as
    | { compression: string; data: Buffer }
    | undefined;
  if (!row) return null;
  return row.compression === "gzip" ? new Uint8Array(gunzipSync(row.data)) : new Uint8Array(row.data);
}

export interface LatestFetch {
  fetchId: number;
  etag: string | null;
  last_modified: string | null;
  sha256: string | null;
  status: number | null;
  fetched_at: string;
  final_url: string | null;
  content_type: string | null;
  /** The crawl run that made the fetch (null for an import). */
  run_id: number | null;
}

/** What a conditional GET needs: the validators and body hash of the last fetch of `url` that had a body. */
export function latestFetchFor(db: StoreDb, url: string): LatestFetch | null {
  const row = statement(
    db,
    "SELECT id, headers_json, sha256, status, fetched_at, final_url, content_type, run_id FROM fetches WHERE url = ? AND sha256 IS NOT NULL ORDER BY id DESC LIMIT 1",
  ).get(url) as
    | {
        id: number;
        headers_json: string;
        sha256: string | null;
        status: number | null;
        fetched_at: string;
        final_url: string | null;
        content_type: string | null;
        run_id: number | null;
      }
    | undefined;
  if (!row) return null;
  let headers: Record<string, string> = {};
  try {
    headers = JSON.parse(row.headers_json) as Record<string, string>;
  } catch {
    // An unreadable header blob only costs the conditional GET.
  }
  const header = (name: string) =>
    Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1] ?? null;
  return {
    fetchId: row.id,
    etag: header("etag"),
    last_modified: header("last-modified"),
    sha256: row.sha256,
    status: row.status,
    fetched_at: row.fetched_at,
    final_url: row.final_url,
    content_type: row.content_type,
    run_id: row.run_id,
  };
}

/**
 * Re-labels an archived exchange once the pipeline knows more (a page whose extraction ran over its
 * budget is `extract_timeout`): reextract picks such fetches up again.
 */
export function markFetchOutcome(db: StoreDb, fetchId: number, outcome: string, reason: string): void {
  statement(db, "UPDATE fetches SET outcome = ?, reason = ? WHERE id = ?").run(outcome, reason, fetchId);
}

/** Starts a crawl run; returns its id. */
export function startRun(db: StoreDb, options: unknown = {}, startedAt = new Date().toISOString()): number {
  const info = statement(db, "INSERT INTO crawl_runs (started_at, options_json) VALUES (?, ?)").run(
    startedAt,
    JSON.stringify(options),
  );
  return Number(info.lastInsertRowid);
}

/** Closes a crawl run with its summary (per-site counts, failures by reason…), stored as JSON. */
export function finishRun(
  db: StoreDb,
  runId: number,
  summary: unknown,
  finishedAt = new Date().toISOString(),
): void {
  statement(db, "UPDATE crawl_runs SET finished_at = ?, summary_json = ? WHERE id = ?").run(
    finishedAt,
    JSON.stringify(summary),
    runId,
  );
}
