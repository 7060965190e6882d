// Public face of the store: open a database, archive fetches, save extractions, query them.
// The crawler and the pipeline import from here; nothing in store/ fetches or extracts.

export { type AgencyMatch, linkReportAgency, resolveAgency, sameAgency } from "./agencies/agency-links.ts";
export { type AgencyIdentity, agencyIdentity } from "./agencies/agency-name.ts";
export { csvField, dataPackage, formulaSafe, mergeDataPackage, toCsv } from "./csv-export.ts";
export { datasetteMetadata } from "./datasette-metadata.ts";
export { DISCLOSURE_COLUMNS } from "./disclosure-columns.ts";
export {
  type FetchInput,
  finishRun,
  getBody,
  type LatestFetch,
  latestFetchFor,
  markFetchOutcome,
  type SavedFetch,
  saveBody,
  saveFetch,
  sha256Hex,
  startRun,
} from "./fetch-archive.ts";
export { type OpenStoreOptions, openStore, type Store, type StoreDb } from "./open-store.ts";
export {
  type ReportDetail,
  type ReportSourceRow,
  reportDetail,
  reportIdFor,
  type ValueProvenance,
} from "./report-detail.ts";
export type { ReportFilter } from "./report-filter.ts";
export * from "./report-queries.ts";
export {
  reportOfPage,
  reportSite,
  reportSourceVersions,
  type SourceCheckRow,
  type SourceChoiceRows,
  type SourceVersion,
  type StoredSource,
  saveSourceChoice,
  secondSourcePages,
  sourceOfUrl,
  withStoredRecord,
} from "./report-sources.ts";
export {
  judgeWithdrawals,
  siteSourceChanges,
  type WithdrawalCounts,
  type WithdrawalJudgement,
} from "./report-withdrawals.ts";
export {
  inferSourceFormat,
  recordSha256,
  reportKey,
  type SavedReport,
  type SaveReportInput,
  type SaveStatus,
  saveReport,
  splitSections,
} from "./report-writer.ts";
export {
  SCHEMA_VERSION,
  SOURCE_BASES,
  SOURCE_FORMATS,
  type SourceBasis,
  type SourceFormat,
} from "./schema-migrations.ts";
export { type HealthSite, type SiteHealth, siteHealth } from "./site-health.ts";
export { type SiteEntry, saveSites, storedSiteEntries } from "./sites-table.ts";
export { toStoreError, withStoreErrors } from "./store-errors.ts";
export {
  type AgencyFilter,
  type AgencyListRow,
  agencyFacets,
  listAgencies,
  type PrintedCell,
  valuesWithPrefix,
  versionBody,
  versionCells,
} from "./workbench-queries.ts";
