// The sites registry's schema: one entry per portal, the only place sites live.
// Parsed once at the edge (`nianbao sites validate`, crawl start); inside, entries are trusted.
import { z } from "zod";

export const paginationStyles = [
  "trs_create_page_html", // TRS createPageHTML(n, i, "index", "html"): index.html, index_1.html … (0-based)
  "trs_page_div", // TRS page_div links: index_2.html … from a div.page
  "hanweb_dataproxy", // Hanweb /module/web/jpage/dataproxy.jsp XML (records in <recordset>)
  "gkmlpt_json", // Guangdong gkmlpt /gkmlpt/api/all/<catId>?page=N JSON
  "jhtml", // index.jhtml, index_2.jhtml … (1-based)
  "next_link", // a generic 下一页 link
  "none", // one list page only
] as const;

/** The highest global cap one may ask for: sockets and buffers one process should hold at once. */
export const MAX_CONCURRENCY = 1024;
/** The most requests to one registrable domain at once one may ask for. */
export const MAX_PER_DOMAIN = 16;

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), { message: "only http(s) URLs are allowed" });

export const siteSchema = z
  .object({
    slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "kebab-case ascii, e.g. tianshui-minzheng"),
    name: z.string().min(2),
    agency: z.string().min(2),
    province: z.string().min(2),
    level: z.enum(["province", "city", "county"]),
    start_urls: z.array(httpUrl).min(1),
    /** Hosts allowed besides *.gov.cn (final URLs must be on one of them). */
    allowed_hosts: z.array(z.string()).default([]),
    pagination: z
      .object({
        style: z.enum(paginationStyles),
        /** Style parameters: e.g. hanweb {columnid, unitid, perpage}, gkmlpt {catId}. */
        params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
        max_pages: z.number().int().positive().default(20),
      })
      .strict(),
    render: z.boolean().default(false),
    legacy_tls: z.boolean().default(false),
    charset: z.string().optional(),
    rate: z
      .object({
        delay_ms: z.number().int().min(0).optional(),
        concurrency: z.number().int().min(1).max(4).optional(),
        /** In flight to this site's registrable domain at once (default 2, or the registry's crawl.per_domain). */
        per_domain: z.number().int().min(1).max(MAX_PER_DOMAIN).optional(),
      })
      .strict()
      .default({}),
    expect: z
      .object({ min_reports: z.number().int().min(0), min_year: z.number().int().optional() })
      .strict(),
    notes: z.string().optional(),
  })
  .strict();

export type Site = z.infer<typeof siteSchema>;

/** The crawl-wide settings a registry may carry; the command line overrides them. */
export const crawlSettingsSchema = z
  .object({
    /** Requests in flight overall (default: one per host with work, 8 … 256). */
    concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).optional(),
    /** Requests in flight per registrable domain unless a site's rate.per_domain says otherwise (default 2). */
    per_domain: z.number().int().min(1).max(MAX_PER_DOMAIN).optional(),
  })
  .strict();
export type CrawlSettings = z.infer<typeof crawlSettingsSchema>;

export const sitesFileSchema = z
  .object({ crawl: crawlSettingsSchema.default({}), sites: z.array(siteSchema) })
  .strict();
export type SitesFile = z.infer<typeof sitesFileSchema>;
