// What the CLI needs from the crawler, named here so cli/ stands on the pipeline and never reaches
// into crawler internals: the registry loader and schema, the run summary's text, the lock's liveness test.
export { DEFAULT_USER_AGENT } from "../crawler/crawl-engine.ts";
export { type CrawlRunSummary, formatSummary } from "../crawler/crawl-summary.ts";
export { processIsAlive } from "../crawler/frontier/run-lock.ts";
export { AUTO_MIN_GLOBAL, DEFAULT_MAX_GLOBAL_CONCURRENCY } from "../crawler/politeness/host-gate.ts";
export {
  loadRegistry,
  loadRegistryFile,
  type RegistryProblem,
  validateRegistry,
} from "../crawler/sites/load-registry.ts";
export {
  type CrawlSettings,
  MAX_CONCURRENCY,
  MAX_PER_DOMAIN,
  type Site,
  siteSchema,
} from "../crawler/sites/site-schema.ts";
