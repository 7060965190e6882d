// The library API: what `import … from "nianbao"` gives. The CLI (cli/) is a thin layer over these.
// Extraction is pure (page text in, record out); the store is one SQLite file; crawl fills it.

export { NianbaoError } from "./core/errors.ts";
export { packageInfo } from "./core/package-info.ts";
export { extractReport } from "./extract/index.ts";
export {
  type Cell,
  type Check,
  EXTRACTOR_VERSION,
  type ExtractInput,
  type Fact,
  type Flag,
  type Heading,
  type ReportRecord,
  reportRecordSchema,
  type TemplateId,
} from "./extract/schema.ts";
export { type CrawlIntoStoreOptions as CrawlOptions, crawlIntoStore as crawl } from "./pipeline/crawl.ts";
export { loadRegistry, type Site, validateRegistry } from "./pipeline/crawler-facade.ts";
export { extractFile } from "./pipeline/extract-file.ts";
export { importPages } from "./pipeline/import-pages.ts";
export { reextractAll } from "./pipeline/reextract.ts";
export {
  type AgencyComparison,
  agencyIdentity,
  compareAgency,
  listChecks,
  type OpenStoreOptions,
  openStore,
  type ReportDetail,
  type ReportFilter,
  reportDetail,
  reportIdFor,
  resolveAgency,
  type SearchHit,
  type Store,
  searchText,
  storeStats,
  viewRows,
} from "./store/index.ts";
