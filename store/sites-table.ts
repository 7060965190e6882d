// The sites registry as last loaded, so crawled pages can be grouped by site and province.
// Replaced wholesale on each load: the registry file is the source of truth, this is its copy.
import type { StoreDb } from "./open-store.ts";

/** The registry fields the store keeps in columns; the whole entry is kept as JSON beside them. */
export interface SiteEntry {
  slug: string;
  name: string;
  agency: string;
  province?: string;
  level?: string;
}

export function saveSites(
  db: StoreDb,
  sites: readonly SiteEntry[],
  loadedAt = new Date().toISOString(),
): void {
  db.transaction(() => {
    const upsert = db.prepare(
      `INSERT INTO sites (slug, name, agency, province, level, entry_json, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (slug) DO UPDATE SET name = excluded.name, agency = excluded.agency, province = excluded.province,
         level = excluded.level, entry_json = excluded.entry_json, loaded_at = excluded.loaded_at`,
    );
    for (const s of sites)
      upsert.run(s.slug, s.name, s.agency, s.province ?? null, s.level ?? null, JSON.stringify(s), loadedAt);
  }).immediate();
}

/** The registry entries as last loaded (each whole, as JSON parsed), in slug order. */
export function storedSiteEntries(db: StoreDb): unknown[] {
  return (db.prepare("SELECT entry_json FROM sites ORDER BY slug").pluck().all() as string[]).map((j) =>
    JSON.parse(j),
  );
}
