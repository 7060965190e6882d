// A report that names its body short (省交通运输厅, 区政府办公室 in a title or 发布机构 field; 公安局 alone)
// leaves the place out because the portal it sits on is that place's. The page usually prints the
// place elsewhere: the full name once in the body, or the place alone (婺城区人民政府网站). Only one
// such place qualifies the name; two leave it unnamed, since different districts' 区教育局 are
// different bodies and the report key (agency, year) must not merge them.
import { isPlaceName } from "./place-names.ts";

/** The level a short name keeps (省/市/区/县/旗) and the body's own words after it. */
export interface ShortName {
  level: string | null;
  body: string;
}

const BODY_END = /(局|厅|委员会|委|办公室|办|社|中心|署)$/;

/** 区教育局 → level 区, body 教育局; 公安局 → no level. A name that starts with a place is not short. */
export function shortName(raw: string): ShortName | null {
  const name = raw.replace(/\s+/g, "");
  if (!/^[\u4e00-\u9fa5]{3,20}$/.test(name) || !BODY_END.test(name)) return null;
  if (/^(我|本|各|全|该|上级|有关|相关|所属|直属)/.test(name)) return null;
  const m = /^([省市区县旗州])(?![场级直属委])(.+)$/.exec(name);
  if (m && m[2]!.length >= 2)
    return { level: m[1]!, body: m[2]!.replace(/^政府办(?:公室)?$/, "人民政府办公室") };
  for (let i = 3; i <= Math.min(12, name.length - 2); i++) if (isPlaceName(name.slice(0, i))) return null;
  return { level: null, body: name };
}

/** The longest known place name that ends where `end` is in `text`, with a larger place printed before it. */
function placeEndingAt(text: string, end: number): { inner: string; printed: string } | null {
  for (let len = Math.min(10, end); len >= 3; len--) {
    const inner = text.slice(end - len, end);
    if (!isPlaceName(inner)) continue;
    // 北京市东城区: the district printed with its city.
    for (let outer = Math.min(10, end - len); outer >= 3; outer--) {
      const before = text.slice(end - len - outer, end - len);
      if (isPlaceName(before)) return { inner, printed: before + inner };
    }
    return { inner, printed: inner };
  }
  return null;
}

const SCAN_LIMIT = 60_000;

export interface Qualified {
  agency: string;
  basis: "read" | "inferred";
  detail: string;
}

export function qualifyShortName(short: ShortName, text: string): Qualified | null {
  const scan = text.slice(0, SCAN_LIMIT);
  const levelOk = (p: string) => short.level === null || p.endsWith(short.level);
  // The full name printed somewhere: 辽宁省交通运输厅 inside a cited title, 白水县公安局 in the body.
  const full = new Map<string, string>();
  for (let i = scan.indexOf(short.body); i >= 0; i = scan.indexOf(short.body, i + 1)) {
    const p = placeEndingAt(scan, i);
    if (p && levelOk(p.inner)) {
      const prev = full.get(p.inner);
      if (!prev || p.printed.length > prev.length) full.set(p.inner, p.printed);
    }
    if (full.size > 1) return null;
  }
  if (full.size === 1) {
    const [place] = [...full.values()];
    return {
      agency: place + short.body,
      basis: "read",
      detail: `the page names itself short; ${place}${short.body} is printed in the text`,
    };
  }
  if (short.level === null) return null;
  // Only the place printed (婺城区人民政府网站): one place of that level on the page.
  const places = new Map<string, string>();
  for (let i = scan.indexOf(short.level); i >= 0; i = scan.indexOf(short.level, i + 1)) {
    const p = placeEndingAt(scan, i + 1);
    if (p && levelOk(p.inner)) {
      const prev = places.get(p.inner);
      if (!prev || p.printed.length > prev.length) places.set(p.inner, p.printed);
    }
    if (places.size > 1) return null;
  }
  if (places.size !== 1) return null;
  const [place] = [...places.values()];
  return {
    agency: place + short.body,
    basis: "inferred",
    detail: `the page names itself ${short.level}${short.body}; the only ${short.level} it names is ${place}`,
  };
}

/**
 * The one short name of the report's own kind printed in its text (区教育局 beside 我局), where no
 * place precedes it: how the body calls itself on a portal of its own place.
 */
export function shortNameInText(text: string, ending: string): ShortName | null {
  const scan = text.slice(0, SCAN_LIMIT);
  const re = new RegExp(
    `[省市区县]([\\u4e00-\\u9fa5]{2,8}?(?:${ending}))(?![\\u4e00-\\u9fa5]{0,2}(?:局|委|厅|办|室))`,
    "g",
  );
  const found = new Set<string>();
  for (const m of scan.matchAll(re)) {
    if (placeEndingAt(scan, m.index + 1)) continue; // 婺城区教育局: a full name, not a short one
    const before = scan[m.index - 1];
    if (before && /[\u4e00-\u9fa5]/.test(before) && !/[度年的在和与及由、]/.test(before)) continue;
    found.add(m[0]);
    if (found.size > 1) return null;
  }
  const [only] = [...found];
  return only ? shortName(only) : null;
}

/**
 * 我镇 throughout and one town printed after its county (《大竹县四合镇政府信息公开指南》): the town
 * named with its county. Towns are not in the divisions list, so the county before the name marks
 * where it starts; two different towns leave it unnamed.
 */
export function townAfterCounty(text: string, level: "镇" | "乡" | "街道"): string | null {
  const scan = text.slice(0, SCAN_LIMIT);
  const towns = new Set<string>();
  for (let i = scan.indexOf(level); i >= 0; i = scan.indexOf(level, i + 1)) {
    for (let len = 2; len <= 4; len++) {
      const start = i - len;
      if (start < 3) break;
      const county = placeEndingAt(scan, start);
      if (!county || !/[县区市旗]$/.test(county.inner)) continue;
      const name = scan.slice(start, i);
      if (!/^[\u4e00-\u9fa5]+$/.test(name)) break;
      towns.add(`${county.printed}${name}${level}`);
      break;
    }
    if (towns.size > 1) return null;
  }
  return towns.size === 1 ? [...towns][0]! : null;
}
