// One crawl at a time per database: a lease row naming its holder, renewed by a heartbeat. A lease not
// renewed within its timeout is taken over by the next run, wherever the old one ran (another container,
// a PID since reused); a dead holder on this host is taken over at once (kill -9, then run again).
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Database } from "better-sqlite3";
import { NianbaoError } from "../../core/errors.ts";

/** How long a lease lasts without a heartbeat; the holder renews it every third of that. */
export const DEFAULT_LEASE_MS = 5 * 60_000;

export interface LockHolder {
  pid: number;
  hostname: string;
  run_id: number | null;
  acquired_at: string;
  /** Epoch ms; null for a lock written before leases (judged by its holder's pid only). */
  lease_until: number | null;
}

/** The lock this run replaced, and why it could. */
export interface LockTakeover extends LockHolder {
  reason: "lease_expired" | "holder_dead";
}

/** Signal 0 tests for existence without touching the process; EPERM still means it exists. */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface RunLockOptions {
  pid: number;
  isAlive?: (pid: number) => boolean;
  leaseMs?: number;
  hostname?: string;
  now?: () => number;
}

function ensureLeaseColumns(db: Database): void {
  const columns = db.prepare("SELECT name FROM pragma_table_info('crawl_lock')").pluck().all();
  if (!columns.includes("lease_until")) db.exec("ALTER TABLE crawl_lock ADD COLUMN lease_until INTEGER");
  if (!columns.includes("token")) db.exec("ALTER TABLE crawl_lock ADD COLUMN token TEXT");
}

export class RunLock {
  private readonly host: string;
  private readonly pid: number;
  private readonly leaseMs: number;
  private readonly now: () => number;
  private readonly isAlive: (pid: number) => boolean;
  /** Tells this holder from a later one with the same pid and host name (PID reuse, containers). */
  private readonly token = randomUUID();

  constructor(
    private readonly db: Database,
    opts: RunLockOptions,
  ) {
    this.pid = opts.pid;
    this.host = opts.hostname ?? hostname();
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.now = opts.now ?? Date.now;
    this.isAlive = opts.isAlive ?? processIsAlive;
    ensureLeaseColumns(db);
  }

  /** How often the holder should call renew(). */
  get heartbeatMs(): number {
    return Math.max(1, Math.floor(this.leaseMs / 3));
  }

  /** Why a holder's lock may be taken over, or null while it stands. */
  private replaceable(holder: LockHolder): LockTakeover["reason"] | null {
    const sameHost = holder.hostname === this.host;
    if (holder.lease_until !== null && holder.lease_until <= this.now()) return "lease_expired";
    // A pid is only meaningful on its own host; elsewhere the lease alone decides.
    if (sameHost && !this.isAlive(holder.pid)) return "holder_dead";
    return null;
  }

  /** Takes the lock or throws crawl_locked (exit 1); returns the holder it replaced, if any. */
  acquire(): LockTakeover | null {
    return this.db
      .transaction(() => {
        const holder = this.db
          .prepare("SELECT pid, hostname, run_id, acquired_at, lease_until FROM crawl_lock WHERE id = 1")
          .get() as LockHolder | undefined;
        const reason = holder ? this.replaceable(holder) : null;
        if (holder && !reason) {
          const until =
            holder.lease_until === null ? "" : `, lease until ${new Date(holder.lease_until).toISOString()}`;
          throw new NianbaoError(
            "crawl_locked",
            `another crawl (pid ${holder.pid} on ${holder.hostname}, since ${holder.acquired_at}${until}) is using this database`,
            "wait for it to finish, or stop it (Ctrl-C); a crawl that stopped renewing its lease is taken over once the lease runs out",
            1,
          );
        }
        this.db
          .prepare(
            "INSERT OR REPLACE INTO crawl_lock (id, pid, hostname, run_id, acquired_at, lease_until, token) VALUES (1, ?, ?, NULL, ?, ?, ?)",
          )
          .run(
            this.pid,
            this.host,
            new Date(this.now()).toISOString(),
            this.now() + this.leaseMs,
            this.token,
          );
        return holder && reason ? { ...holder, reason } : null;
      })
      .immediate();
  }

  /** The heartbeat: extends the lease; false when the lock is no longer ours (another run took it over). */
  renew(): boolean {
    return (
      this.db
        .prepare("UPDATE crawl_lock SET lease_until = ? WHERE id = 1 AND token = ?")
        .run(this.now() + this.leaseMs, this.token).changes === 1
    );
  }

  setRun(runId: number): void {
    this.db.prepare("UPDATE crawl_lock SET run_id = ? WHERE id = 1 AND token = ?").run(runId, this.token);
  }

  release(): void {
    this.db.prepare("DELETE FROM crawl_lock WHERE id = 1 AND token = ?").run(this.token);
  }
}
