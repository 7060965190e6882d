// Finds the report's heading outline: 一、 (level 1), （一） (level 2), 1. / (1) (level 3), with the
// ordinal label and a title cut at the first full stop of a run-in heading.
import type { Heading } from "../schema.ts";

const PATTERNS: { level: 1 | 2 | 3; re: RegExp }[] = [
  { level: 1, re: /^([一二三四五六七八九十]{1,3})\s*[、.．]\s*/ },
  { level: 2, re: /^([（(]\s*[一二三四五六七八九十]{1,3}\s*[)）])\s*/ },
  { level: 3, re: /^(\d{1,2})\s*[.．、](?!\d)\s*/ },
  { level: 3, re: /^([（(]\s*\d{1,2}\s*[)）])\s*/ },
];

const MAX_TITLE = 48;

/** Reads one line as a heading, or null. Numbered paragraphs with long first sentences are not headings. */
export function readHeading(line: string): Omit<Heading, "offset"> | null {
  for (const { level, re } of PATTERNS) {
    const m = re.exec(line);
    if (!m) continue;
    let label = m[1]!.replace(/\s+/g, "");
    if (level === 1) label += line.charAt(m[0].trimEnd().length - 1) === "." ? "." : "、";
    if (level === 3 && /^\d/.test(label)) label += ".";
    const rest = line.slice(m[0].length).trim();
    const stop = rest.search(/[。；;!！?？]/);
    const title = (stop === -1 ? rest : rest.slice(0, stop)).replace(/[：:，,]$/, "").trim();
    if (!title || title.length > MAX_TITLE) return null;
    if (/^\d+(?:\.\d+)?\s*(?:万|亿|%|元|件|条|个|人|次)/.test(title)) return null; // "1.5万元": a number, not a heading
    return { level, label, title };
  }
  return null;
}
