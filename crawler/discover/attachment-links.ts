// Finds a report page's attachments: links to pdf, doc, docx, wps, xls, xlsx, et, ofd files, or links a
// page labels 附件/下载. What they really are is decided later by magic bytes, not by this guess.
import { isAllowedOrigin } from "../url/allowed-origin.ts";
import { htmlLinks } from "./list-links.ts";

const ATTACHMENT_EXT = /\.(pdf|docx?|wps|xlsx?|et|ofd)$/i;
const ATTACHMENT_WORDS = /附件|下载|全文/;

/** `allowList` as `siteAllowList` builds it: a link on another origin is not an attachment of ours. */
export function attachmentLinks(html: string, pageUrl: string, allowList: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const link of htmlLinks(html, pageUrl)) {
    const u = new URL(link.url);
    const looksLikeFile =
      ATTACHMENT_EXT.test(u.pathname) ||
      (ATTACHMENT_WORDS.test(link.title) && !/\.s?html?$/i.test(u.pathname));
    if (!looksLikeFile || seen.has(link.url) || link.url === pageUrl) continue;
    if (!isAllowedOrigin(u, allowList)) continue;
    seen.add(link.url);
    out.push(link.url);
  }
  return out;
}
