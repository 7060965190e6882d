// What an agency's name looks like: how it ends (局, 厅, 人民政府, 街道办事处 …), and what a bare
// place name (北京市朝阳区) means when a report is titled with it: that place's government.

import { fromFirstPlace } from "./place-names.ts";

/** Endings of the name of a government body. */
export const AGENCY_SUFFIX =
  /(人民政府办公室|人民政府办公厅|人民政府|政府办公室|政府办公厅|政府办|政府|委员会|管理委员会|管委会|办公室|办公厅|办事处|局|厅|委|署|院|中心|处|所|站|队|馆|办|会|街道|街|参事室|研究室)$/;

/** Endings of a place: a report titled with the place alone (福州市2016年…) is its government's. */
export const PLACE_SUFFIX = /(省|自治区|市|自治州|州|盟|地区|县|自治县|区|旗|新区|镇|乡|苏木)$/;

/** Zones run by a 管委会, not a 人民政府: their name is printed alone and kept so. */
const ZONE_SUFFIX = /(实验区|试验区|开发区|高新区|新区|经济区|园区|示范区|合作区|功能区|保税区|管理区|片区)$/;

/**
 * A name that opens with a place (科左后旗…, 新宾满族自治县…): up to six characters, then the place's
 * ending. 市场/市级/区域/县级 are words, not places.
 */
const STARTS_WITH_PLACE =
  /^[\u4e00-\u9fa5]{1,6}?(?:旗|盟|县(?!级)|自治州|省(?!级|直|属)|市(?![场级直属民])|区(?![域级直属]))/;

/** Words a place or body name never starts with: collective or self references (全市, 我局, 各级). */
const NOT_A_NAME_START = /^(全|我|本|各|该|上述|有关|相关|其他|其中|共|主动|依申请|政府信息|政务|信息)/;

/**
 * A preposition or verb (在国务院…, 收到政府…, 按照…) starts a clause, not a name — unless a place
 * opens the name (从化区…, 向阳区…: places that begin with such a character).
 */
const CLAUSE_START =
  /^(在|对(?!外)|按|经(?!济|开)|向|从|为|以|据|因|随着|面对|围绕|收到|受理|办理|通过|根据|依据|结合|坚持|进一步|深入|认真|全面|严格|持续)/;

/**
 * 对坊乡, 向阳镇人民政府: a whole name that is two or three characters and 乡/镇, opened by a clause
 * word. Townships are in no division list, so fromFirstPlace cannot vouch for them; 对全镇, 在城镇
 * (a clause word before 全, 城, 本…) stay clauses.
 */
function township(name: string): boolean {
  if (!/^[\u4e00-\u9fa5]{2,3}(?:乡|镇)(?:人民政府)?$/.test(name)) return false;
  const rest = name.slice(1); // after the one-character clause word
  return !NOT_A_NAME_START.test(rest) && !/^(?:城|乡|镇|村|农)/.test(rest);
}

/**
 * A printed name, checked: Chinese, 3–40 characters, ending like a body or a place, not a self reference.
 * A place alone becomes its government (X区 → X区人民政府); 街道 names stay as printed.
 */
export function asAgency(raw: string): { name: string; fromPlace: boolean } | null {
  const name = raw
    .replace(/\s+/g, "")
    .replace(/["“”'‘’「」《》〈〉]/g, "")
    // 【图文】, 每日一报|, 标题: tags and field names portals print before a title are not the name.
    .replace(/^.*[】|\]｜]/, "")
    .replace(/^(?:标题|题目|名称)[:：]?/, "")
    .replace(/^(?:关于|由|现将|现公布|特公布|的)/, "")
    .replace(/(?:向社会公布|向社会公开|公布|发布)$/, "");
  if (name.length < 3 || name.length > 40 || !/^[\u4e00-\u9fa5]/.test(name)) return null;
  if (!/^[\u4e00-\u9fa5（）()·]+$/.test(name) || NOT_A_NAME_START.test(name)) return null;
  if (CLAUSE_START.test(name) && fromFirstPlace(name, 0) === null && !township(name)) return null;
  // 特向社会公布我旗…: a preface's words, not a name (a name never speaks of itself as 我旗).
  if (/[我本](?:局|委|厅|办|署|旗|县|区|市|镇|乡|街道|单位|机关)|向社会|公布|印发/.test(name)) return null;
  // 市民政局, 区政府办公室: an abbreviation that names no place identifies no one.
  // (市中区民政局 names a place: 市中区.)
  if (/^(省|市|区|县|州|镇|乡)/.test(name) && !/^.[\u4e00-\u9fa5]{0,3}?(省|市|区|县|州|镇|乡|旗)/.test(name))
    return null;
  // 局办公室, 委办, 政府办公室, 党政综合办: a unit of an unnamed body.
  // A place whose name begins with one of those characters (科尔沁右翼前旗) is a place, not a unit.
  const place = name.replace(AGENCY_SUFFIX, "");
  // 科左后旗卫生健康委员会: a place opens the name, so its first character (科) is not a unit's.
  const placeNamed = (place.length >= 4 && PLACE_SUFFIX.test(place)) || STARTS_WITH_PLACE.test(name);
  if (/^度/.test(name)) return null; // the tail of 年度 cut from a year before the name
  if (!placeNamed && /^(局|厅|委|办|处|室|科|股|部门|单位|机关|政府|人民政府|党政|综合)/.test(name))
    return null;
  // 某某市人民政府门户网站: a portal's name (a 来源 field) ends like a 站 but is no body.
  if (/(网站|门户网|网)$/.test(name)) return null;
  // 某县政府 is a government; a bare 政府 after no place (收到政府…) is a clause cut short.
  if (/(?<!人民)政府$/.test(name) && !PLACE_SUFFIX.test(name.replace(/政府$/, ""))) return null;
  if (AGENCY_SUFFIX.test(name) || ZONE_SUFFIX.test(name)) return { name, fromPlace: false };
  // 大同市气象部门: a body that calls itself a 部门 names its place; 职能部门 alone names no one.
  if (/部门$/.test(name) && STARTS_WITH_PLACE.test(name) && name.length >= 6)
    return { name, fromPlace: false };
  if (PLACE_SUFFIX.test(name) && name.length >= 3) return { name: `${name}人民政府`, fromPlace: true };
  return null;
}

/**
 * The office inside a department that compiled its report (某某局办公室, 某某委信息公开领导小组办公室,
 * 某某镇人民政府党政办公室) is named in prefaces and contact lines; the report is the department's.
 * A government's own office (某某区人民政府办公室) is an agency in its own right and stays.
 */
const SUB_UNIT =
  /(?:(?:政府信息公开|信息公开|政务公开)(?:工作)?(?:领导小组)?办公室|领导小组办公室|党政(?:综合)?办(?:公室)?|综合督考办公室|综合(?:处|科|股)|政务公开(?:工作)?办|办公室)$/;

export function parentAgency(name: string): string {
  const m = SUB_UNIT.exec(name);
  if (!m) return name;
  const parent = name.slice(0, m.index);
  if (/人民政府$|政府$/.test(parent) && /^办公室$/.test(m[0])) return name;
  const ok = asAgency(parent);
  return ok && !ok.fromPlace && /(局|厅|委员会|委|署|人民政府|政府|办公室|中心)$/.test(parent)
    ? parent
    : name;
}
