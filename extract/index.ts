// Public face of the extractor: one pure function, page text in, typed record out.
export { extractReport } from "./extract-report.ts";
export * from "./schema.ts";
