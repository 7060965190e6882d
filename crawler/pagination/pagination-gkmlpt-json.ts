// Guangdong's gkmlpt (政府信息公开目录) lists come from a JSON API, /gkmlpt/api/all/<catId>?page=N
// (1-based), answering {articles: [{title, url, …}], total}.
import { z } from "zod";
import { isReportTitle } from "../discover/report-link.ts";
import type { Site } from "../sites/site-schema.ts";
import { canonicalUrl } from "../url/canonical-url.ts";
import type { ListLink, PaginationAdapter } from "./pagination-adapter.ts";

const answerSchema = z.object({
  articles: z.array(z.object({ title: z.string(), url: z.string() }).passthrough()).default([]),
  total: z.coerce.number().default(0),
});

function pageUrl(site: Site, n: number): string {
  const p = site.pagination.params;
  const origin = new URL(site.start_urls[0]!).origin;
  return `${origin}/gkmlpt/api/all/${p.catId}?page=${n}${p.sid !== undefined ? `&sid=${p.sid}` : ""}`;
}

export const gkmlptJson: PaginationAdapter = {
  style: "gkmlpt_json",
  firstPages: (site) => [pageUrl(site, 1)],
  parseList(page, site) {
    let parsed: z.infer<typeof answerSchema>;
    try {
      parsed = answerSchema.parse(JSON.parse(page.text));
    } catch {
      return { reportLinks: [], nextPages: [] };
    }
    const reportLinks: ListLink[] = [];
    for (const a of parsed.articles) {
      const url = canonicalUrl(a.url, page.url);
      if (url && isReportTitle(a.title)) reportLinks.push({ url, title: a.title });
    }
    const n = Number(new URL(page.url).searchParams.get("page") ?? 1);
    // The page size is the registry's perpage, else what this page holds (a full page, unless it is the
    // last; then at most one extra request comes back empty and stops).
    const perPage = Number(site.pagination.params.perpage ?? parsed.articles.length);
    const more = parsed.articles.length > 0 && n * perPage < parsed.total;
    return { reportLinks, nextPages: more ? [pageUrl(site, n + 1)] : [] };
  },
};
