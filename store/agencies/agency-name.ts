// Reads a printed agency name (淮安市洪泽区人民政府, 洪泽区人民政府, 天水市民政局) as a region and a
// department, so the names one body prints over the years resolve to one canonical agency.

import { type Region, type RegionIndex, regionIndex } from "../../core/region-divisions.ts";
import { departmentOf } from "./department-types.ts";

export interface AgencyIdentity {
  /** What identifies the agency: region code and department, or the printed name when the region is unknown. */
  key: string;
  /** The fullest form of the name: city and county prefixes added (洪泽区人民政府 → 淮安市洪泽区人民政府). */
  canonicalName: string;
  region: Region | null;
  departmentType: string;
  departmentLabel: string;
  /** The name after the region (人民政府, 民政局); the whole name when no region was read. */
  remainder: string;
}

/** Brackets and what they hold (（管委会办公室）), spaces, and a trailing 的. */
export function normalizeAgencyName(printed: string): string {
  return printed
    .normalize("NFKC")
    .replace(/[(（][^()（）]*[)）]/g, "")
    .replace(/\s+/g, "")
    .trim();
}

/** The regions whose name starts `text` (inside `within` when given), at the longest name that fits. */
function regionsAt(
  idx: RegionIndex,
  text: string,
  within: Region | null,
): { regions: Region[]; length: number } {
  for (let length = Math.min(12, text.length); length >= 2; length--) {
    const regions = (idx.byName.get(text.slice(0, length)) ?? []).filter(
      (r) => !within || r.province?.code === within.code || r.city?.code === within.code,
    );
    if (regions.length) return { regions, length };
  }
  return { regions: [], length: 0 };
}

/** Reads the region prefixes (province, city, county) from the start of a name. */
function readRegion(name: string, provinceHint: string | null): { region: Region | null; rest: string } {
  const idx = regionIndex();
  let region: Region | null = null;
  let rest = name;
  for (let step = 0; step < 3; step++) {
    let { regions, length } = regionsAt(idx, rest, region);
    if (regions.length > 1 && provinceHint) {
      const inProvince = regions.filter((r) => (r.province ?? r).name.startsWith(provinceHint));
      if (inProvince.length) regions = inProvince;
    }
    // 鼓楼区 alone is four counties: no region is better than a wrong one.
    if (new Set(regions.map((r) => r.code)).size !== 1) break;
    region = regions[0] as Region;
    rest = rest.slice(length);
  }
  return { region, rest };
}

const MUNICIPALITIES = new Set(["北京市", "天津市", "上海市", "重庆市"]);

function fullRegionName(r: Region): string {
  // 淮安市洪泽区, 北京市东城区, 仙桃市, 天水市, 江苏省: a county after its city (or municipality), nothing before a city.
  if (r.level !== "county") return r.name;
  const parent = r.city?.name ?? (r.province && MUNICIPALITIES.has(r.province.name) ? r.province.name : "");
  return `${parent}${r.name}`;
}

/**
 * The identity of a printed name. `provinceHint` (the crawled site's province) settles a county
 * name several provinces have; without it such a name keeps its printed form as its identity.
 */
export function agencyIdentity(printed: string, provinceHint: string | null = null): AgencyIdentity {
  const name = normalizeAgencyName(printed) || printed.trim();
  const { region, rest } = readRegion(name, provinceHint);
  const department = departmentOf(rest);
  if (!region) {
    const dept = departmentOf(name);
    return {
      key: `name:${name}`,
      canonicalName: name,
      region: null,
      departmentType: dept.code,
      departmentLabel: dept.label,
      remainder: name,
    };
  }
  // Departments of one type in one region are one body (民政局 / 民政厅); an unknown type keeps its words.
  const key = `${region.code}:${department.code === "other" ? rest : department.code}`;
  return {
    key,
    canonicalName: `${fullRegionName(region)}${rest}`,
    region,
    departmentType: department.code,
    departmentLabel: department.label,
    remainder: rest,
  };
}
