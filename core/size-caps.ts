// Size caps shared by the crawl and by `import`/`extract`, so that a report attachment the crawl accepts
// is never refused when it is imported from disk (and the reverse).

/** A page the crawl downloads (HTML, text, XML, JSON). */
export const MAX_CRAWL_PAGE_BYTES = 20 * 1024 * 1024;
/** A saved page read from disk: saved copies carry inline images and scripts a served page would link. */
export const MAX_FILE_PAGE_BYTES = 50 * 1024 * 1024;
/** A report attachment (PDF, Word, WPS, OFD, spreadsheet), downloaded or read from disk. */
export const MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;
