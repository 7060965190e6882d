// The crawl frontier in the SQLite file: one row per canonical URL per run, with its state
// (queued → leased → done | failed | skipped), attempts, lease and reason. Every state change is a transaction.
import type { Database, Statement } from "better-sqlite3";

/** The crawler's own schema version, kept in crawler_meta (PRAGMA user_version belongs to the store). */
export const FRONTIER_SCHEMA_VERSION = 1;

export type ItemState = "queued" | "leased" | "done" | "failed" | "skipped";
export type ItemKind = "list" | "report" | "attachment";

export interface FrontierItem {
  id: number;
  run_id: number;
  site_slug: string;
  url: string;
  canonical_url: string;
  host: string;
  depth: number;
  kind: ItemKind;
  page_index: number;
  link_title: string | null;
  /** The page whose links led here (set for attachments: the report page that links to them). */
  parent_url: string | null;
  state: ItemState;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  reason: string | null;
  outcome: string | null;
  change: string | null;
  fetch_id: number | null;
  done_at: number | null;
}

export interface NewItem {
  siteSlug: string;
  url: string;
  canonicalUrl: string;
  depth: number;
  kind: ItemKind;
  pageIndex: number;
  linkTitle: string | null;
  parentUrl?: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS crawler_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS crawl_frontier (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL,
  site_slug TEXT NOT NULL,
  url TEXT NOT NULL,
  canonical_url TEXT NOT NULL,
  host TEXT NOT NULL,
  depth INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('list', 'report', 'attachment')),
  page_index INTEGER NOT NULL DEFAULT 0,
  link_title TEXT,
  parent_url TEXT,
  state TEXT NOT NULL CHECK (state IN ('queued', 'leased', 'done', 'failed', 'skipped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER,
  lease_owner TEXT,
  reason TEXT,
  outcome TEXT,
  change TEXT,
  fetch_id INTEGER,
  done_at INTEGER,
  UNIQUE (run_id, canonical_url)
);
CREATE INDEX IF NOT EXISTS crawl_frontier_by_state ON crawl_frontier(run_id, state, host, id);
CREATE INDEX IF NOT EXISTS crawl_frontier_by_order ON crawl_frontier(run_id, state, id);
CREATE TABLE IF NOT EXISTS crawl_frontier_runs (
  run_id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  state TEXT NOT NULL CHECK (state IN ('running', 'finished')),
  options_json TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS crawl_lock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pid INTEGER NOT NULL,
  hostname TEXT NOT NULL,
  run_id INTEGER,
  acquired_at TEXT NOT NULL
);
`;

export class FrontierStore {
  private readonly statements = new Map<string, Statement>();

  /** Prepared once per SQL text: preparing on every call cost more than running the query. */
  private stmt(sql: string): Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  constructor(readonly db: Database) {
    db.exec(SCHEMA);
    // Frontiers written before parent_url existed gain the column (NULL for their rows).
    const columns = db.prepare("SELECT name FROM pragma_table_info('crawl_frontier')").pluck().all();
    if (!columns.includes("parent_url")) db.exec("ALTER TABLE crawl_frontier ADD COLUMN parent_url TEXT");
    db.prepare("INSERT OR IGNORE INTO crawler_meta (key, value) VALUES ('frontier_schema_version', ?)").run(
      String(FRONTIER_SCHEMA_VERSION),
    );
  }

  unfinishedRun(): { run_id: number; started_at: string } | null {
    return (
      (this.stmt(
        "SELECT run_id, started_at FROM crawl_frontier_runs WHERE state = 'running' ORDER BY run_id DESC LIMIT 1",
      ).get() as { run_id: number; started_at: string } | undefined) ?? null
    );
  }

  beginRun(runId: number, startedAt: string, options: Record<string, unknown>): void {
    this.stmt(
      "INSERT INTO crawl_frontier_runs (run_id, started_at, state, options_json) VALUES (?, ?, 'running', ?)",
    ).run(runId, startedAt, JSON.stringify(options));
  }

  /**
   * Drops the frontier rows of finished runs but the last `keep`: the fetches table is the history;
   * the frontier only has to make a run resumable and explainable afterwards.
   */
  pruneFinishedRuns(keep: number): number {
    return this.db.transaction(() => {
      const old = this.stmt(
        "SELECT run_id FROM crawl_frontier_runs WHERE state = 'finished' ORDER BY run_id DESC LIMIT -1 OFFSET ?",
      ).all(keep) as { run_id: number }[];
      let removed = 0;
      for (const { run_id } of old) {
        removed += this.stmt("DELETE FROM crawl_frontier WHERE run_id = ?").run(run_id).changes;
        this.stmt("DELETE FROM crawl_frontier_runs WHERE run_id = ?").run(run_id);
      }
      return removed;
    })();
  }

  finishRun(runId: number): void {
    this.stmt("UPDATE crawl_frontier_runs SET state = 'finished', finished_at = ? WHERE run_id = ?").run(
      new Date().toISOString(),
      runId,
    );
  }

  /** Inserts items not yet in this run (by canonical URL); returns how many were new. */
  enqueue(runId: number, items: NewItem[]): number {
    const insert = this.stmt(
      `INSERT OR IGNORE INTO crawl_frontier (run_id, site_slug, url, canonical_url, host, depth, kind, page_index, link_title, parent_url, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued')`,
    );
    let n = 0;
    for (const it of items) {
      n += insert.run(
        runId,
        it.siteSlug,
        it.url,
        it.canonicalUrl,
        new URL(it.url).hostname,
        it.depth,
        it.kind,
        it.pageIndex,
        it.linkTitle,
        it.parentUrl ?? null,
      ).changes;
    }
    return n;
  }

  enqueueTx(runId: number, items: NewItem[]): number {
    return this.db.transaction(() => this.enqueue(runId, items))();
  }

  /** Leases left by a dead or interrupted process go back to the queue (we hold the run lock). */
  releaseAllLeases(runId: number): number {
    return this.stmt(
      "UPDATE crawl_frontier SET state = 'queued', lease_until = NULL, lease_owner = NULL WHERE run_id = ? AND state = 'leased'",
    ).run(runId).changes;
  }

  release(id: number): void {
    this.stmt(
      "UPDATE crawl_frontier SET state = 'queued', lease_until = NULL, lease_owner = NULL WHERE id = ? AND state = 'leased'",
    ).run(id);
  }

  /**
   * Leases up to `limit` ready items, the oldest per host, skipping hosts in `busyHosts`
   * (or taking several per host when `onePerHost` is false).
   */
  claim(
    runId: number,
    opts: {
      limit: number;
      busyHosts: ReadonlySet<string>;
      onePerHost: boolean;
      leaseMs: number;
      owner: string;
      /** Only these hosts (the ones that just became free): an index seek each instead of a scan. */
      hosts?: readonly string[];
    },
  ): FrontierItem[] {
    return this.db.transaction(() => {
      const now = Date.now();
      const rows = (
        opts.hosts
          ? opts.hosts.flatMap((h) => this.nextOf(runId, h) ?? [])
          : opts.onePerHost
            ? this.firstOfFreeHosts(runId, opts.busyHosts, opts.limit)
            : this.stmt(
                "SELECT * FROM crawl_frontier WHERE run_id = ? AND state = 'queued' ORDER BY id LIMIT ?",
              ).all(runId, opts.limit)
      ) as FrontierItem[];
      const picked = rows.filter((r) => !opts.busyHosts.has(r.host)).slice(0, opts.limit);
      for (const r of picked) this.lease(r, now + opts.leaseMs, opts.owner);
      return picked;
    })();
  }

  /**
   * The oldest queued item of each host not busy, oldest first. The hosts are read from the covering
   * index alone and whole rows only for those picked: with 1,000 hosts all waiting out their delay, a
   * scan every 250 ms that read each host's whole row only to drop it was most of the claim's cost.
   */
  private firstOfFreeHosts(runId: number, busyHosts: ReadonlySet<string>, limit: number): FrontierItem[] {
    const heads = this.stmt(
      `SELECT host, MIN(id) AS id FROM crawl_frontier WHERE run_id = ? AND state = 'queued'
       GROUP BY host ORDER BY id`,
    ).all(runId) as { host: string; id: number }[];
    const byId = this.stmt("SELECT * FROM crawl_frontier WHERE id = ?");
    const out: FrontierItem[] = [];
    for (const h of heads) {
      if (out.length >= limit) break;
      if (!busyHosts.has(h.host)) out.push(byId.get(h.id) as FrontierItem);
    }
    return out;
  }

  /** The oldest queued item of a host (an index seek). */
  private nextOf(runId: number, host: string): FrontierItem | undefined {
    return this.stmt(
      "SELECT * FROM crawl_frontier WHERE run_id = ? AND state = 'queued' AND host = ? ORDER BY id LIMIT 1",
    ).get(runId, host) as FrontierItem | undefined;
  }

  private lease(r: FrontierItem, until: number, owner: string): void {
    this.stmt(
      "UPDATE crawl_frontier SET state = 'leased', attempts = attempts + 1, lease_until = ?, lease_owner = ? WHERE id = ?",
    ).run(until, owner, r.id);
    r.state = "leased";
    r.attempts++;
  }

  /**
   * Records an item's end state and enqueues what it led to, atomically. With `leaseNext`, the same
   * transaction also leases the host's next queued item and returns it (one commit per page instead
   * of two: one for the end state, one for the claim).
   */
  complete(
    runId: number,
    id: number,
    end: {
      state: Exclude<ItemState, "queued" | "leased">;
      outcome: string;
      reason: string | null;
      fetchId: number | null;
      change: string | null;
    },
    children: NewItem[],
    leaseNext?: { host: string; leaseMs: number; owner: string },
  ): FrontierItem | null {
    return this.db.transaction(() => {
      const now = Date.now();
      this.stmt(
        `UPDATE crawl_frontier SET state = ?, outcome = ?, reason = ?, fetch_id = ?, change = ?, done_at = ?, lease_until = NULL, lease_owner = NULL
           WHERE id = ?`,
      ).run(end.state, end.outcome, end.reason, end.fetchId, end.change, now, id);
      this.enqueue(runId, children);
      if (!leaseNext) return null;
      const next = this.nextOf(runId, leaseNext.host);
      if (!next) return null;
      this.lease(next, now + leaseNext.leaseMs, leaseNext.owner);
      return next;
    })();
  }

  pendingCount(runId: number): number {
    return (
      this.stmt(
        "SELECT COUNT(*) AS n FROM crawl_frontier WHERE run_id = ? AND state IN ('queued', 'leased')",
      ).get(runId) as {
        n: number;
      }
    ).n;
  }

  items(runId: number): FrontierItem[] {
    return this.stmt("SELECT * FROM crawl_frontier WHERE run_id = ? ORDER BY id").all(
      runId,
    ) as FrontierItem[];
  }

  countsByState(runId: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.stmt(
      "SELECT state, COUNT(*) AS n FROM crawl_frontier WHERE run_id = ? GROUP BY state",
    ).all(runId) as {
      state: string;
      n: number;
    }[]) {
      out[r.state] = r.n;
    }
    return out;
  }
}
