// Turns SQLite failures (locked, read-only, full, not a database) into NianbaoErrors that say which
// file and what to do. Every store entry point passes its errors through here.
import { closeSync, existsSync, openSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { NianbaoError } from "../core/errors.ts";

function sqliteCode(err: unknown): string | null {
  if (
    err &&
    typeof err === "object" &&
    "code" in err &&
    typeof (err as { code: unknown }).code === "string"
  ) {
    const code = (err as { code: string }).code;
    return code.startsWith("SQLITE_") ? code : null;
  }
  return null;
}

/** Whether a file can be created beside `path`: tried, since permission bits do not show a read-only mount. */
function dirWritable(path: string): boolean {
  const probe = join(dirname(path), `.nianbao-write-probe-${process.pid}`);
  try {
    closeSync(openSync(probe, "wx"));
    unlinkSync(probe);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === "EEXIST";
  }
}

/** The NianbaoError for a SQLite failure on `path`, or the error unchanged when it is not one we know. */
export function toStoreError(err: unknown, path: string): unknown {
  if (err instanceof NianbaoError) return err;
  const code = sqliteCode(err);
  if (!code) {
    const errno = (err as { code?: string } | null)?.code;
    if (errno === "ENOSPC") return diskFull(path);
    if (errno === "EROFS" || errno === "EACCES" || errno === "EPERM") return readOnly(path);
    return err;
  }
  const detail = (err as Error).message;
  if (
    code === "SQLITE_BUSY" ||
    code.startsWith("SQLITE_BUSY_") ||
    code === "SQLITE_LOCKED" ||
    code.startsWith("SQLITE_LOCKED_")
  ) {
    return new NianbaoError(
      "database_locked",
      `${path} is locked by another process (${detail})`,
      "wait for the other nianbao command (a crawl or import) to finish, or use another --db file",
    );
  }
  if (code === "SQLITE_READONLY" || code.startsWith("SQLITE_READONLY_")) return readOnly(path);
  if (code === "SQLITE_FULL" || (code === "SQLITE_IOERR_WRITE" && /space|full/i.test(detail)))
    return diskFull(path);
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT" || code.startsWith("SQLITE_CORRUPT_")) {
    return new NianbaoError(
      "not_a_database",
      `${path} is not a nianbao database (${detail})`,
      "pass the right file with --db, or a new file name to start a fresh database",
    );
  }
  if (code === "SQLITE_CANTOPEN" || code.startsWith("SQLITE_CANTOPEN_")) {
    if (!existsSync(dirname(path))) {
      return new NianbaoError(
        "input_missing",
        `cannot create ${path}: the folder does not exist`,
        "create the folder first or pass another --db path",
      );
    }
    if (!dirWritable(path)) return readOnly(path);
    return new NianbaoError(
      "input_unreadable",
      `cannot open ${path} (${detail})`,
      "check the path and its permissions, or pass another --db file",
    );
  }
  if (code.startsWith("SQLITE_IOERR")) {
    if (!dirWritable(path)) return readOnly(path);
    return new NianbaoError(
      "input_unreadable",
      `I/O error on ${path} (${detail})`,
      "check the disk; the database is unchanged since the last finished file",
    );
  }
  return err;
}

function readOnly(path: string): NianbaoError {
  return new NianbaoError(
    "database_readonly",
    `cannot write to ${path}: the file or its folder is read-only`,
    "pass a --db path in a writable folder (nianbao also needs to create the -wal and -shm files beside it)",
  );
}

function diskFull(path: string): NianbaoError {
  return new NianbaoError(
    "disk_full",
    `the disk holding ${path} is full; the last file was not stored (the database is unchanged since the file before)`,
    "free some space or pass a --db path on another disk, then run the same command again",
  );
}

/** Runs `fn`, mapping any SQLite failure on `path` to a NianbaoError. */
export function withStoreErrors<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toStoreError(err, path);
  }
}
