// Opens (or creates) a nianbao SQLite file: refuses foreign or newer files, applies migrations,
// turns on WAL and foreign keys. Every other store module takes the handle this returns.
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import { NianbaoError } from "../core/errors.ts";
import { MIGRATIONS, NIANBAO_APPLICATION_ID, SCHEMA_VERSION } from "./schema-migrations.ts";
import { toStoreError } from "./store-errors.ts";

export type StoreDb = Database.Database;

export interface Store {
  db: StoreDb;
  /** The path as given, for messages. */
  path: string;
  close(): void;
}

export interface OpenStoreOptions {
  /** Open for reading only; the file must exist. */
  readonly?: boolean;
  /** Refuse to create a new file (reading commands). */
  mustExist?: boolean;
  /** How long a write waits for another process's lock before failing as "locked". */
  busyTimeoutMs?: number;
  /** Caps the file size in pages: lets tests simulate a full disk. */
  maxPageCount?: number;
}

const SQLITE_HEADER = "SQLite format 3\0";

function readHeader(path: string): string {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return buf.subarray(0, n).toString("latin1");
  } finally {
    closeSync(fd);
  }
}

function notNianbao(path: string, why: string): NianbaoError {
  return new NianbaoError(
    "not_a_database",
    `${path} is not a nianbao database: ${why}`,
    "pass the right file with --db, or a new file name to start a fresh database",
  );
}

/** Checks the file before SQLite touches it, so a foreign file is never modified. */
function checkFile(path: string, mustExist: boolean): void {
  if (!existsSync(path)) {
    if (mustExist) {
      throw new NianbaoError(
        "input_missing",
        `no database at ${path}`,
        "run `nianbao import <dir>` or `nianbao crawl` first, or pass --db FILE (or set NIANBAO_DB)",
      );
    }
    return;
  }
  const st = statSync(path);
  if (st.isDirectory()) throw notNianbao(path, "it is a folder");
  if (st.size === 0) return;
  if (st.size < 100 || readHeader(path) !== SQLITE_HEADER) throw notNianbao(path, "it is not an SQLite file");
}

function migrate(db: StoreDb, from: number): void {
  db.transaction(() => {
    for (let v = from; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] as string);
    db.pragma(`application_id = ${NIANBAO_APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

function identify(db: StoreDb, path: string): number {
  const appId = db.pragma("application_id", { simple: true }) as number;
  const version = db.pragma("user_version", { simple: true }) as number;
  if (appId !== NIANBAO_APPLICATION_ID) {
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name LIMIT 6")
      .pluck()
      .all() as string[];
    if (appId !== 0 || version !== 0 || tables.length > 0) {
      throw notNianbao(
        path,
        tables.length
          ? `it is another SQLite database (tables: ${tables.join(", ")})`
          : "it is another SQLite database",
      );
    }
    return 0;
  }
  if (version > SCHEMA_VERSION) {
    throw new NianbaoError(
      "database_too_new",
      `${path} was written by a newer nianbao (schema version ${version}; this one knows up to ${SCHEMA_VERSION})`,
      "upgrade nianbao (npm install -g nianbao@latest) to read it; this version will not touch the file",
    );
  }
  return version;
}

function connect(path: string, opts: OpenStoreOptions, readonly: boolean): StoreDb {
  const db = new Database(path, {
    readonly,
    fileMustExist: readonly || Boolean(opts.mustExist),
    timeout: opts.busyTimeoutMs ?? 5000,
  });
  try {
    const version = identify(db, path);
    if (!readonly) {
      if (db.pragma("journal_mode", { simple: true }) !== "wal") db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
    }
    db.pragma("foreign_keys = ON");
    if (opts.maxPageCount !== undefined) db.pragma(`max_page_count = ${opts.maxPageCount}`);
    if (version < SCHEMA_VERSION) {
      if (readonly) {
        db.close();
        return connect(path, opts, false);
      }
      migrate(db, version);
    }
    return db;
  } catch (err) {
    if (db.open) db.close();
    throw err;
  }
}

/** Opens the database at `path`, creating and migrating it unless told not to. */
export function openStore(path: string, opts: OpenStoreOptions = {}): Store {
  checkFile(path, Boolean(opts.mustExist || opts.readonly));
  let db: StoreDb;
  try {
    db = connect(path, opts, Boolean(opts.readonly));
  } catch (err) {
    throw toStoreError(err, path);
  }
  return {
    db,
    path,
    close() {
      if (db.open) db.close();
    },
  };
}
