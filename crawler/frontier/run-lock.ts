// One crawl at a time per database: a lock row naming the holder's pid. A second crawl fails with a
// clear message while the holder lives; a dead holder's lock (kill -9) is taken over.
import { hostname } from "node:os";
import type { Database } from "better-sqlite3";
import { NianbaoError } from "../../core/errors.ts";

export interface LockHolder {
  pid: number;
  hostname: string;
  run_id: number | null;
  acquired_at: string;
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

export class RunLock {
  private readonly host = hostname();
  constructor(
    private readonly db: Database,
    private readonly pid: number,
    private readonly isAlive: (pid: number) => boolean = processIsAlive,
  ) {}

  /** Takes the lock or throws crawl_locked (exit 1); returns the dead holder it replaced, if any. */
  acquire(): LockHolder | null {
    return this.db
      .transaction(() => {
        const holder = this.db
          .prepare("SELECT pid, hostname, run_id, acquired_at FROM crawl_lock WHERE id = 1")
          .get() as LockHolder | undefined;
        if (holder && holder.pid !== this.pid) {
          // A holder on another machine cannot be probed: treat it as alive (the safe side).
          const alive = holder.hostname !== this.host || this.isAlive(holder.pid);
          if (alive) {
            throw new NianbaoError(
              "crawl_locked",
              `another crawl (pid ${holder.pid} on ${holder.hostname}, since ${holder.acquired_at}) is using this database`,
              "wait for it to finish, or stop it (Ctrl-C); a crashed crawl's lock is taken over automatically",
              1,
            );
          }
        }
        this.db
          .prepare(
            "INSERT OR REPLACE INTO crawl_lock (id, pid, hostname, run_id, acquired_at) VALUES (1, ?, ?, NULL, ?)",
          )
          .run(this.pid, this.host, new Date().toISOString());
        return holder && holder.pid !== this.pid ? holder : null;
      })
      .immediate();
  }

  setRun(runId: number): void {
    this.db.prepare("UPDATE crawl_lock SET run_id = ? WHERE id = 1 AND pid = ?").run(runId, this.pid);
  }

  release(): void {
    this.db.prepare("DELETE FROM crawl_lock WHERE id = 1 AND pid = ?").run(this.pid);
  }
}
