// SQLite failures of the frontier's own writes (disk full, locked, read-only) as NianbaoErrors, so a
// crawl stops with the same clear message the store gives instead of failing page after page.
import { NianbaoError } from "../../core/errors.ts";

export function frontierStorageError(err: unknown, dbPath: string): NianbaoError | null {
  if (err instanceof NianbaoError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return null;
  const detail = (err as Error).message;
  if (code === "SQLITE_FULL" || code === "ENOSPC") {
    return new NianbaoError(
      "disk_full",
      `no space left for ${dbPath} (${detail})`,
      "free disk space, then run the same crawl again: it resumes",
      1,
    );
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new NianbaoError(
      "database_locked",
      `${dbPath} is locked by another process (${detail})`,
      "wait for the other nianbao command to finish, then run the crawl again",
      1,
    );
  }
  if (code.startsWith("SQLITE_READONLY")) {
    return new NianbaoError(
      "database_readonly",
      `${dbPath} cannot be written (${detail})`,
      "check the file's permissions or use another --db",
      2,
    );
  }
  return null;
}
