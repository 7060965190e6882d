// Where a place's name starts inside running text: 请联系吉林市人民政府… → 吉林市…. A sentence gives no
// boundary before a name, so the known divisions (GB/T 2260) mark where one begins.
import { regionIndex } from "../../core/region-divisions.ts";

let names: { set: Set<string>; lengths: number[] } | undefined;

function placeNames() {
  if (!names) {
    // Two-character names (和县, 城区, 矿区) are also everyday words inside sentences: left out.
    const set = new Set([...regionIndex().byName.keys()].filter((n) => n.length >= 3));
    const lengths = [...new Set([...set].map((n) => n.length))].sort((a, b) => b - a);
    names = { set, lengths };
  }
  return names;
}

/** The text from the first known place name within its first `within` characters, or null. */
export function fromFirstPlace(text: string, within = 8): string | null {
  const { set, lengths } = placeNames();
  for (let i = 0; i <= Math.min(within, text.length - 2); i++) {
    for (const len of lengths) if (set.has(text.slice(i, i + len))) return text.slice(i);
  }
  return null;
}

/** Is this a known division's printed name (北京市, 东城区, 乌拉特前旗)? */
export function isPlaceName(name: string): boolean {
  return placeNames().set.has(name);
}
