// Finds a report page's attachments: links to pdf, doc, docx, wps, xls, xlsx, et, ofd files, or links a
// page labels 附件/下载. What they really are is decided later by magic bytes, not by this guess.
import { isAllowedHost } from "../url/allowed-host.ts";
import { htmlLinks } from "./list-links.ts";

const ATTACHMENT_EXT = /\.(pdf|docx?|wps|xlsx?|et|ofd)$/i;
const ATTACHMENT_WORDS = /附件|下载|全文/;

export function attachmentLinks(html: string, pageUrl: string, allowedHosts: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const link of htmlLinks(html, pageUrl)) {
    const u = new URL(link.url);
    const looksLikeFile =
      ATTACHMENT_EXT.test(u.pathname) ||
      (ATTACHMENT_WORDS.test(link.title) && !/\.s?html?$/i.test(u.pathname));
    if (!looksLikeFile || seen.has(link.url) || link.url === pageUrl) continue;
    if (!isAllowedHost(u.hostname, allowedHosts)) continue;
    seen.add(link.url);
    out.push(link.url);
  }
  return out;
}
