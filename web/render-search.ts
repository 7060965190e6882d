// Full-text search page: each hit's snippet with the words highlighted, linked to its report.
import { searchText } from "../store/index.ts";
import type { StoreDb } from "../store/open-store.ts";
import { esc, page } from "./html-page.ts";

function highlight(snippet: string, words: string[]): string {
  let out = esc(snippet);
  for (const w of words) {
    const e = esc(w);
    if (e) out = out.split(e).join(`<mark>${e}</mark>`);
  }
  return out;
}

export function searchPage(db: StoreDb, q: string): string {
  const words = q.split(/\s+/).filter(Boolean);
  if (!words.length) return page("Search", "<p>Type words to search for, e.g. 行政复议.</p>");
  const hits = searchText(db, words, 100);
  const items = hits
    .map(
      (h) =>
        `<li class="hit"><a href="/report/${h.report_id}">${esc(h.agency ?? "(agency unknown)")} ${esc(h.report_year ?? "?")}</a> · ${esc(`${h.section_label}${h.section_title}` || "(opening text)")}<br><span class="snippet">${highlight(h.snippet, words)}</span></li>`,
    )
    .join("");
  return page(
    `Search: ${q}`,
    `<p>${hits.length} section(s)${hits.length === 100 ? " (first 100)" : ""}.</p><ol>${items}</ol>`,
  );
}
