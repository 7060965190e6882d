// Shared reading of an HTML list page: all links, the report links among them, and the list's directory.
// The adapters differ only in how they find the next page; this is the part they have in common.
import { htmlLinks, reportLinksOf } from "../discover/list-links.ts";
import type { ListLink } from "./pagination-adapter.ts";

export function readHtmlList(text: string, url: string): { links: ListLink[]; reportLinks: ListLink[] } {
  const links = htmlLinks(text, url);
  return { links, reportLinks: reportLinksOf(links) };
}

/** The URL of `name` in the same directory as `url` (index_3.html next to index.html). */
export function sibling(url: string, name: string): string {
  return new URL(name, url).href;
}

/** The list's base: a start URL ending in "/" means its index page. */
export function listDirectory(startUrl: string): string {
  return new URL(".", startUrl).href;
}
