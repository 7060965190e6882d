// The crawler's only window onto storage: what it saves and asks about fetches and runs.
// The pipeline implements it with the store; the crawler never imports store/ or extract/.

import type { CrawlRunSummary } from "./crawl-summary.ts";
import type { FileType } from "./fetch/magic-type.ts";
import type { FetchKind, FetchOutcomeKind, Validators } from "./fetch/page-fetcher.ts";

export interface FetchRecord {
  runId: number;
  /** Null for a host's robots.txt, which no one site owns. */
  siteSlug: string | null;
  url: string;
  finalUrl: string;
  kind: FetchKind | "robots";
  /** The link text that led here (report title for report pages). */
  linkTitle: string | null;
  /** For an attachment: the final URL of the report page that linked to it. */
  linkedFrom: string | null;
  status: number | null;
  headers: Record<string, string>;
  body: Buffer | null;
  sha256: string | null;
  contentType: string | null;
  encoding: string | null;
  fileType: FileType | null;
  outcome: FetchOutcomeKind;
  reason: string | null;
  fetchedAt: string;
  ms: number;
  attempts: number;
  redirects: string[];
  /** Set when the page was rendered in the browser (the DOM after scripts, not the raw bytes). */
  rendered: boolean;
}

export interface PreviousBody {
  body: Uint8Array;
  contentType: string | null;
  /** Where the body came from after redirects: relative links resolve against it. */
  finalUrl: string;
}

export type ContentChange = "new" | "changed" | "unchanged";

export interface SavedFetchResult {
  fetchId: number;
  change: ContentChange | null;
  /** Set when the page was stored but not extracted in its budget: the frontier and summary say so. */
  extractOutcome?: typeof EXTRACT_TIMEOUT;
}

/** A fetched page whose extraction ran over its time budget (kept for `nianbao reextract`). */
export const EXTRACT_TIMEOUT = "extract_timeout";

type MaybePromise<T> = T | Promise<T>;

export interface ArchivePort {
  /** A new crawl run; the id is the run's id everywhere (frontier, fetches, crawl_runs). */
  startRun(info: { startedAt: string; options: Record<string, unknown> }): MaybePromise<number>;
  finishRun(runId: number, summary: CrawlRunSummary): MaybePromise<void>;
  /** Stores the exchange (and its body, once per sha256); says whether the content is new for this URL. */
  saveFetch(record: FetchRecord): MaybePromise<SavedFetchResult>;
  /** ETag / Last-Modified of the last good fetch of this URL, for a conditional GET. */
  previousValidators(url: string): MaybePromise<Validators | null>;
  /**
   * The archived body of the last good fetch of this URL: a list page answered 304 is read from it
   * (its links are still needed). Without it, list pages are always fetched whole.
   */
  previousBody?(url: string): MaybePromise<PreviousBody | null>;
  /** True when an earlier run fetched this URL successfully (the incremental stop's notion of "known"). */
  seenBefore(url: string, runId: number): MaybePromise<boolean>;
}
