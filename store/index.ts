// Public face of the store: open a database, archive fetches, save extractions, query them.
// The crawler and the pipeline import from here; nothing in store/ fetches or extracts.
export { openStore, type OpenStoreOptions, type Store, type StoreDb } from "./open-store.ts";
export { toStoreError, withStoreErrors } from "./store-errors.ts";
export { SCHEMA_VERSION } from "./schema-migrations.ts";
export { finishRun, getBody, latestFetchFor, saveBody, saveFetch, sha256Hex, startRun, type FetchInput, type LatestFetch, type SavedFetch } from "./fetch-archive.ts";
export { recordSha256, reportKey, saveReport, splitSections, type SavedReport, type SaveReportInput, type SaveStatus } from "./report-writer.ts";
export { saveSites, type SiteEntry } from "./sites-table.ts";
export * from "./report-queries.ts";
export { csvField, dataPackage, formulaSafe, toCsv } from "./csv-export.ts";
export { DISCLOSURE_COLUMNS } from "./disclosure-columns.ts";
