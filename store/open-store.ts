// Opens (or creates) a nianbao SQLite file: refuses foreign or newer files, applies migrations,
// turns on WAL and foreign keys. Every other store module takes the handle this returns.
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { NianbaoError } from "../core/errors.ts";
import { MIGRATIONS, type Migration, NIANBAO_APPLICATION_ID, SCHEMA_VERSION } from "./schema-migrations.ts";
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
    // SQLite would fail with a bare "directory does not exist": say which folder, and what to do.
    const folder = dirname(path);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      throw new NianbaoError(
        "input_missing",
        `cannot create ${path}: the folder ${folder} does not exist`,
        "create the folder first (mkdir -p) or pass another --db path",
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
    for (let v = from; v < SCHEMA_VERSION; v++) {
      const step = MIGRATIONS[v] as Migration;
      if (typeof step === "string") db.exec(step);
      else step(db);
    }
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

/** Beyond this size a read-only-media copy in memory would be too costly; the user copies the file instead. */
const MAX_IN_MEMORY_COPY = 2 * 1024 ** 3;

/**
 * A WAL database on read-only media (a DVD, a read-only share, a snapshot) cannot be opened in place:
 * SQLite must create its -shm file beside it, and better-sqlite3 has no `immutable` URI. Nobody can
 * write such a file, so reading a copy in memory is exact, unless a -wal file holds changes not yet in
 * the main file: those would be lost, so that case is refused.
 */
function connectInMemoryCopy(path: string): StoreDb {
  const wal = `${path}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new NianbaoError(
      "database_readonly",
      `${path} is on read-only media and its ${wal} holds changes not yet written into it`,
      "copy the .sqlite file together with its -wal file to a writable folder and open the copy",
    );
  }
  if (statSync(path).size > MAX_IN_MEMORY_COPY) {
    throw new NianbaoError(
      "database_readonly",
      `${path} is on read-only media and too large to read from a copy in memory`,
      "copy it to a writable folder and open the copy",
    );
  }
  const bytes = readFileSync(path);
  // Header bytes 18–19 say "WAL"; the in-memory copy has no WAL, so mark it a rollback-journal file.
  bytes[18] = 1;
  bytes[19] = 1;
  const db = new Database(bytes, { readonly: true });
  try {
    if (identify(db, path) < SCHEMA_VERSION) {
      throw new NianbaoError(
        "database_readonly",
        `${path} is on read-only media and was written by an older nianbao; it must be upgraded before reading`,
        "copy it to a writable folder and open the copy (nianbao upgrades it on open)",
      );
    }
    db.pragma("foreign_keys = ON");
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function isWalFile(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(2);
    readSync(fd, buf, 0, 2, 18);
    return buf[0] === 2 && buf[1] === 2;
  } finally {
    closeSync(fd);
  }
}

/** Opens the database at `path`, creating and migrating it unless told not to. */
export function openStore(path: string, opts: OpenStoreOptions = {}): Store {
  checkFile(path, Boolean(opts.mustExist || opts.readonly));
  let db: StoreDb;
  try {
    db = connect(path, opts, Boolean(opts.readonly));
  } catch (err) {
    const mapped = toStoreError(err, path);
    if (
      !opts.readonly ||
      !(mapped instanceof NianbaoError) ||
      mapped.code !== "database_readonly" ||
      !isWalFile(path)
    )
      throw mapped;
    try {
      db = connectInMemoryCopy(path);
    } catch (err2) {
      throw toStoreError(err2, path);
    }
  }
  return {
    db,
    path,
    close() {
      if (db.open) db.close();
    },
  };
}
