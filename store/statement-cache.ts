// Prepared statements kept per connection: saving a report runs a dozen statements hundreds of
// times per second, and compiling each one anew costs more than the insert itself.
import type { Statement } from "better-sqlite3";
import type { StoreDb } from "./open-store.ts";

const caches = new WeakMap<StoreDb, Map<string, Statement>>();

export function statement(db: StoreDb, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}
