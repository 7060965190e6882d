// Reads title, agency, report year, publication date and document number, each with where it came
// from; a field that cannot be read is null with the reason, and an inferred one says so.
import { matchForm } from "../text/normalize.ts";
import { agencyFromText } from "./agency-in-text.ts";
import { AGENCY_SUFFIX, asAgency, parentAgency } from "./agency-names.ts";
import type { MetaNote } from "./meta-note.ts";
import { field } from "./page-fields.ts";
import { qualifyShortName, shortName } from "./qualify-name.ts";
import { countReportTitleLines, findTitle } from "./report-title.ts";
import { reportYearFrom } from "./report-year.ts";

export type { MetaNote } from "./meta-note.ts";

export interface ReportMetadata {
  title: string | null;
  agency: string | null;
  report_year: number | null;
  published_at: string | null;
  doc_number: string | null;
  is_annual_report: boolean;
  notes: Record<string, MetaNote>;
}

export interface MetadataInput {
  /** Metadata-block lines (索引号…, 发布时间…) and page lines outside the body. */
  fieldLines: string[];
  /** Body lines in order (tables excluded). */
  bodyLines: string[];
  meta: Record<string, string>;
}

const ANNUAL =
  /(政府信息公开|政务公开|信息公开).{0,10}(年度报告|年报)|年度(政府信息公开|政务公开|信息公开).{0,6}报告|\d{4}年度?.{0,30}(政府信息公开|政务公开)(工作)?报告/;
/** The preface the national template opens with: 本(年度)报告根据《条例》…编制 / 编制本报告 / 全文包括… */
const TEMPLATE_PREFACE =
  /(本(?:年度)?报告|本年报)(?:是)?(?:根据|依据|依照|按照).{0,120}(?:编制|制定|要求)|(?:编制|制作)(?:了)?本(?:年度)?报告|现发布《[^》]{0,40}(?:年度|年报)|全文包括.{0,30}(?:总体情况|概述)|本报告由.{0,10}(?:总体情况|概述)/;
const NOT_ANNUAL =
  /(自查|自检|督查|落实情况|工作要点|实施方案|通知|意见|办法|规定|总结|考核|评估|通报|图解|解读|新闻|发布会|(?<!向社会)(?:发布|公布|印发)(?:了)?\d{4}年)/;
/** A notice's title: 关于…的通知 (意见, 方案, 办法 …). */
const NOTICE_TITLE_END = /关于.{4,}(?:通知|意见|方案|办法|规定|公告|通报|函)$/;
const DOC_NUMBER = /^[\u4e00-\u9fa5]{1,12}\s*[〔[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d{1,4}\s*号$/;
const DOC_NUMBER_IN = /[\u4e00-\u9fa5]{1,12}\s*[〔[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d{1,4}\s*号/;

/** The national template's six sections (国办公开办函〔2019〕60号, 〔2021〕30号), as headings. */
const TEMPLATE_SECTIONS = [
  /^[一二三四五六七八九十]、\s*(?:总体情况|概述)/,
  /^[一二三四五六七八九十]、\s*主动公开政府信息(?:的)?情况/,
  /^[一二三四五六七八九十]、\s*收到和处理政府信息公开申请(?:的)?情况/,
  /^[一二三四五六七八九十]、\s*(?:因)?政府信息公开(?:工作)?(?:被申请)?行政复议/,
  /^[一二三四五六七八九十]、\s*(?:政府信息公开工作)?存在的主要问题及改进情况/,
  /^[一二三四五六七八九十]、\s*其他需要报告的事项/,
];

/** The overview heading an annual report opens with (一、总体情况 / 一、概述 / 一、基本情况). */
const OVERVIEW_HEADING = /^[一1][、.．]\s*(?:总体情况|概述|基本情况|概况)\s*$/;
/** What the year's disclosure work is counted in: items published, applications, reviews. */
const DISCLOSURE_COUNTS =
  /公开[^。，,]{0,12}信息\s*\d+\s*条|(?:收到|受理)[^。]{0,20}申请|依申请公开|行政复议|主动公开/;
/** The overview's first sentence: 2014年西城区教育委员会开展政府信息公开工作… / 2020年，我局… */
const OVERVIEW_FIRST_SENTENCE =
  /^\d{4}\s*年度?\s*[，,]?\s*[\u4e00-\u9fa5（）()]{0,30}?(?:开展|推进|做好|落实|加强|深化)?[^。]{0,12}(?:政府信息公开|政务公开)工作/;

/**
 * A page cut from a report (no title, no preface: an excerpt, a mirror starting mid-way) still shows
 * the report's overview: its heading in the first lines with the year's counts below, or its first
 * sentence as the page's first line.
 */
function opensWithOverview(lines: string[]): string | null {
  const head = lines.slice(0, 15).map((l) => l.trim());
  const text = lines.slice(0, 60).join("\n").slice(0, 4000);
  if (head.some((l) => OVERVIEW_HEADING.test(l)) && DISCLOSURE_COUNTS.test(text))
    return "the page opens with the overview heading (一、总体情况) and the year's disclosure counts";
  const first = head.find((l) => l.length > 0);
  if (first && OVERVIEW_FIRST_SENTENCE.test(first) && DISCLOSURE_COUNTS.test(text))
    return "the page opens with the overview's first sentence (某年…开展政府信息公开工作)";
  return null;
}

function templateSections(lines: string[]): number {
  const found = new Set<number>();
  for (const l of lines.slice(0, 400)) {
    const t = l.trim();
    if (t.length > 40) continue;
    TEMPLATE_SECTIONS.forEach((re, i) => {
      if (re.test(t)) found.add(i);
    });
  }
  return found.size;
}

/** A byline that opens with the date ("2022-01-25 10:12:40 某某区人民政府办公室 字体：大 中 小"). */
function bylineDate(lines: string[]): string | null {
  const line = lines.find((l) => /^\s*\d{4}-\d{1,2}-\d{1,2}(?:\s|$)/.test(l));
  return line ? isoDate(line) : null;
}

/** A field may share its line with others ("时间:2018-03-28 10:54 来源:本网"): take the date only. */
function isoDate(s: string): string | null {
  let m = /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1990 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  m = null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** The agency named at the start of a title: 天水市民政局2019年… / 2019年天水市民政局政府信息公开… */
export function agencyFromTitle(title: string): string | null {
  return titleAgency(title)?.name ?? null;
}

/** The agency a title names, and whether it names only a place (福州市2016年… → 福州市人民政府). */
function titleAgency(title: string): { name: string; fromPlace: boolean } | null {
  const name = titleName(title);
  return name ? asAgency(name) : null;
}

/** The words a title prints where the agency goes, before any check that they name one. */
function titleName(title: string): string | null {
  // Bullets and numbering before a title (a menu item "• 政府信息公开年度报告") are not part of a name.
  const t = title
    .replace(/\s+/g, "")
    .replace(/["“”'‘’「」]/g, "")
    .replace(/^[^\u4e00-\u9fa5\d]+/, "")
    .replace(/^\d{1,3}\s*[-–—]\s*/, "")
    .replace(/^\d{1,2}[.、．)）]/, "");
  // 海南省旅游和文化广电体育厅2020政府信息公开…: some titles drop the 年 after the year.
  const byYear =
    /^(.{2,40}?)(?:关于)?\d{4}(?:年|(?=(?:年度|政府信息公开|政务公开|信息公开)))/.exec(t) ??
    /^\d{4}年度?(.{2,40}?)(?:政府信息公开|政务公开|信息公开)/.exec(t);
  // 海南省人民政府办公厅关于印发…的通知: a notice's issuer comes before its 关于.
  const notice = /^([\u4e00-\u9fa5（）()]{3,40}?)关于.{4,}(?:通知|意见|方案|办法|规定|公告|通报|函)$/.exec(t);
  if (notice && AGENCY_SUFFIX.test(notice[1]!)) return notice[1]!;
  const m = byYear ?? /^(.{2,40}?)(?:政府信息公开|政务公开|信息公开)/.exec(t);
  // A trailing note in brackets (平潭综合实验区（管委会办公室）) is not part of the name; one inside it is.
  // 湖南省人民|政府信息公开: the shortest split cuts 人民政府 in two; the name is 湖南省人民政府.
  const name = m?.[1]
    ?.replace(/[（(][^）)]*[）)]$/, "")
    .replace(/人民$/, "人民政府")
    .trim();
  if (!name || name.length < 3 || !/^[\u4e00-\u9fa5]/.test(name)) return null;
  // No year to anchor on: the shortest prefix before 信息公开 may cut 政府信息公开 in two
  // ("政府" + "信息公开"), so only a prefix that ends like an agency counts.
  if (!byYear && !AGENCY_SUFFIX.test(name)) return null;
  return name;
}

/**
 * The issuer field's body when it is the place's disclosure office (灵川县 → 灵川县政务服务管理办公室),
 * the body that compiles a place-wide report. Any other bureau in the field (临沧市民政局 above
 * 临沧市2025年…报告) is the portal column the report was filed under, not its author.
 */
const DISCLOSURE_OFFICE = /政务服务|政务公开|信息公开|大数据/;

function bodyOfPlace(issuer: string, place: string): string | null {
  // Only the disclosure office: the government's general office (市政府办) or any other bureau there
  // posted the place's report, and the place's government stays the agency.
  if (!DISCLOSURE_OFFICE.test(issuer)) return null;
  const a = asAgency(issuer);
  if (a && !a.fromPlace && a.name.startsWith(place) && a.name.length > place.length) return a.name;
  // 县政务服务中心: the office printed without its place, which the title gives.
  const level = /(自治区|省|市|县|区|旗)$/.exec(place)?.[1];
  const short = issuer.replace(/\s+/g, "");
  if (level && short.startsWith(level) && AGENCY_SUFFIX.test(short) && short.length > level.length + 2)
    return place + short.slice(level.length);
  return null;
}

/** 盐边县新九镇人民政府 on a line of its own above or below a title that names no one. */
function nameBesideTitle(title: string | null, lines: string[]): string | null {
  if (!title) return null;
  const at = lines.findIndex(
    (l) => l.trim() === title || (l.trim().length > 6 && title.startsWith(l.trim())),
  );
  if (at < 0) return null;
  // A breadcrumb printed one item a line (首页 / 政务公开 / 龙溪街道 / 年报) ends beside the title: its
  // items are the portal's sections, not a name printed for the report.
  const near = lines.slice(Math.max(0, at - 6), at + 3).map((l) => l.trim());
  if (near.some((l) => /^(?:首页|主页|网站首页)$|^(?:当前位置|您的位置|您现在的位置)/.test(l))) return null;
  for (const l of [lines[at - 1], lines[at + 1], lines[at - 2], lines[at + 2]]) {
    // A byline under the title: the publishing body, then the date (辽宁省人民政府办公厅 2016-04-15).
    const byline = /^([\u4e00-\u9fa5（）()]{4,30})\s+\d{4}-\d{1,2}-\d{1,2}(?:\s+[\d:]+)?$/.exec(
      l?.trim() ?? "",
    );
    const b = byline ? asAgency(byline[1]!) : null;
    if (b && !b.fromPlace && b.name === byline![1]) return b.name;
    const t = l?.trim();
    if (!t || t.length > 30 || /[，。,；:：|\d]/.test(t)) continue;
    const a = asAgency(t);
    if (a && !a.fromPlace && t === a.name) return a.name;
  }
  return null;
}

function agencyFromSignature(bodyLines: string[]): string | null {
  const tail = bodyLines.slice(-8);
  for (let i = tail.length - 1; i >= 0; i--) {
    const l = tail[i]!.trim();
    if (l.length >= 4 && l.length <= 30 && AGENCY_SUFFIX.test(l) && !/[，。,；:：]/.test(l) && !isoDate(l)) {
      const next = tail[i + 1];
      if (next !== undefined && isoDate(next) && next.trim().length <= 14) return l;
    }
  }
  return null;
}

/** Doc number prefix + body context: 临民字〔2018〕2号 with 临沧市 and 市民政局 in the text → 临沧市民政局. */
const DEPT_BY_CHAR: Record<string, string> = {
  民: "民政局",
  教: "教育局",
  财: "财政局",
  卫: "卫生健康委员会",
  审: "审计局",
  统: "统计局",
  司: "司法局",
};

function agencyInferred(docNumber: string | null, text: string): { agency: string; detail: string } | null {
  if (!docNumber) return null;
  const m = /^([\u4e00-\u9fa5])([\u4e00-\u9fa5])/.exec(docNumber);
  if (!m) return null;
  const dept = DEPT_BY_CHAR[m[2]!];
  if (!dept) return null;
  const cities = new Map<string, number>();
  for (const c of text.matchAll(
    new RegExp(`(${m[1]}[\\u4e00-\\u9fa5]{1,3}?)(市|县|区)(?=人民政府|${dept.slice(0, 2)})`, "g"),
  )) {
    const name = c[1]! + c[2]!;
    cities.set(name, (cities.get(name) ?? 0) + 1);
  }
  if (cities.size !== 1) return null;
  const [city] = [...cities.keys()];
  const level = city!.slice(-1);
  if (!text.includes(`${level}${dept}`) && !text.includes(`我局`)) return null;
  return {
    agency: `${city}${dept}`,
    detail: `not printed on the page: inferred from doc number ${docNumber}, the place name ${city} and ${text.includes(`${level}${dept}`) ? `"${level}${dept}"` : '"我局"'} in the text`,
  };
}

export function readMetadata(input: MetadataInput): ReportMetadata {
  const notes: Record<string, MetaNote> = {};
  const body = input.bodyLines.join("\n");
  const { title, note: titleNote } = findTitle({ ...input, field });
  notes.title = titleNote;

  // Publication date: 发布时间 field, meta tag, then the signature date at the end of the body.
  let published_at: string | null = null;
  // Fields print in the metadata block, or (no colon, or a pipe table) in the first lines of the body.
  const fieldLines = [...input.fieldLines, ...input.bodyLines.slice(0, 10)];
  const pub = field(fieldLines, "发布时间|发布日期|公开日期|发文日期|时间|日期|成文日期");
  const metaPub =
    input.meta.PubDate ??
    input.meta.pubdate ??
    input.meta.publishdate ??
    input.meta["article:published_time"];
  if (pub && isoDate(pub)) {
    published_at = isoDate(pub);
    notes.published_at = { basis: "read", detail: "发布时间 field" };
  } else if (metaPub && isoDate(metaPub)) {
    published_at = isoDate(metaPub);
    notes.published_at = { basis: "read", detail: "PubDate meta tag" };
  } else if (bylineDate(fieldLines.slice(0, 8))) {
    published_at = bylineDate(fieldLines.slice(0, 8));
    notes.published_at = { basis: "read", detail: "date in the byline under the title" };
  } else {
    const tail = input.bodyLines.slice(-8).reverse();
    const sig = tail.find(
      (l) => l.trim().length <= 14 && /^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$/.test(l.trim()),
    );
    if (sig) {
      published_at = isoDate(sig);
      notes.published_at = { basis: "read", detail: "date under the signature" };
    } else {
      notes.published_at = { basis: "absent", detail: "no 发布时间 field and no signature date" };
    }
  }

  // Document number: 发文字号 field, else a line that is only a document number near the top.
  let doc_number = field(fieldLines, "发文字号|文号");
  doc_number = doc_number ? (DOC_NUMBER_IN.exec(doc_number)?.[0]?.replace(/\s+/g, "") ?? null) : null;
  if (doc_number) notes.doc_number = { basis: "read", detail: "发文字号 field" };
  else {
    const line = input.bodyLines.slice(0, 6).find((l) => DOC_NUMBER.test(l.trim()));
    doc_number = line ? line.trim().replace(/\s+/g, "") : null;
    notes.doc_number = line
      ? { basis: "read", detail: "document number line at the top" }
      : { basis: "absent", detail: "no 发文字号 on the page" };
  }

  // Agency: title, issuer field, signature, then (marked inferred) doc number + body context.
  let agency: string | null = null;
  // A notice reposted by another body (发布机构 宁国市商务局 over 国务院办公厅…关于印发…的通知): the
  // page is the publisher's record, so the field names its agency, not the notice's issuer.
  const issuer = field(fieldLines, "发布机构|发文机关|发布单位|公开部门|来源|信息来源|文章来源|所属机构");
  const reposted =
    title !== null &&
    NOTICE_TITLE_END.test(title) &&
    issuer !== null &&
    (asAgency(issuer)?.fromPlace ?? true) === false &&
    !title.replace(/\s+/g, "").startsWith(issuer.replace(/\s+/g, ""));
  const titled = title && !reposted ? titleAgency(title) : null;
  const fromTitle = titled?.name ?? null;
  const signature = agencyFromSignature(input.bodyLines);
  const nameByTitle = fromTitle
    ? null
    : nameBesideTitle(title, [...input.fieldLines, ...input.bodyLines.slice(0, 14)]);
  const placeOnly = titled?.fromPlace === true;
  const fromText = fromTitle && !placeOnly ? null : agencyFromText(input.bodyLines);
  // 西藏自治区2014年…年度报告 with 发布机构 自治区人民政府办公厅: a body of the title's place publishes it.
  const placeBody = placeOnly && issuer ? bodyOfPlace(issuer, titleName(title!)!) : null;
  // A preface that names the body (现公布某某局…年度报告, 由某某局编制) outranks a portal's 来源 field,
  // and a title that names only the place.
  if (
    (!fromTitle || placeOnly) &&
    fromText?.basis === "read" &&
    /preface/.test(fromText.detail) &&
    (!placeOnly || /compile/.test(fromText.detail))
  ) {
    agency = fromText.agency;
    notes.agency = { basis: "read", detail: fromText.detail };
  } else if (placeBody) {
    agency = placeBody;
    notes.agency = {
      basis: "read",
      detail:
        "the title names the place only; the 发布机构/来源 field names its body that publishes the report",
    };
  } else if (fromTitle) {
    agency = fromTitle;
    // 四川省2014年…年度报告 prints the place, not the body: its government is the likely issuer.
    notes.agency = titled!.fromPlace
      ? { basis: "inferred", detail: `the title names the place only: its government's report` }
      : { basis: "read", detail: "named in the title" };
  } else if (issuer && asAgency(issuer) && !asAgency(issuer)!.fromPlace && issuer.length <= 30) {
    agency = parentAgency(asAgency(issuer)!.name);
    notes.agency = { basis: "read", detail: "发布机构/发文机关/来源 field" };
  } else if (nameByTitle) {
    agency = nameByTitle;
    notes.agency = { basis: "read", detail: "the name printed on its own line beside the title" };
  } else if (signature) {
    agency = parentAgency(signature);
    notes.agency = { basis: "read", detail: "signature above the date" };
  } else if (fromText) {
    agency = fromText.agency;
    notes.agency = { basis: fromText.basis, detail: fromText.detail };
  } else {
    const inferred = agencyInferred(doc_number, body);
    if (inferred) {
      agency = inferred.agency;
      notes.agency = { basis: "inferred", detail: inferred.detail };
    } else {
      const selfRef = /我局|本局|我委|我办/.test(body);
      notes.agency = {
        basis: "absent",
        detail: `no title, issuer field or signature names the agency${selfRef ? "; the text speaks of it only as 我局/本局" : ""}`,
      };
    }
  }

  // A short name (省交通运输厅, 区政府办公室, 公安局) in the title or 发布机构 field: the place the page
  // prints elsewhere qualifies it, when only one place fits.
  if (!agency || (fromTitle && shortName(fromTitle)?.level === null)) {
    const text = [...input.fieldLines, ...input.bodyLines].join("\n");
    for (const raw of [title ? titleName(title) : null, issuer]) {
      const short = raw ? shortName(raw) : null;
      const q = short ? qualifyShortName(short, text) : null;
      if (q) {
        agency = q.agency;
        notes.agency = { basis: q.basis, detail: q.detail };
        break;
      }
    }
  }

  // Sentences and contact lines name the office inside the department that handles disclosure
  // (某某局办公室, 某某委信息公开领导小组办公室): the report is the department's, whichever line named it.
  if (agency && !fromTitle) {
    const parent = parentAgency(agency);
    if (parent !== agency) {
      notes.agency = {
        ...notes.agency!,
        detail: `${notes.agency!.detail}; the office named (${agency}) is a unit of it`,
      };
      agency = parent;
    }
  }

  const { year: report_year, note: yearNote } = reportYearFrom(title, input.bodyLines);
  notes.report_year = yearNote;

  // Is it an annual report? Title first, then the opening of the body.
  let is_annual_report = false;
  // Both read the page's first lines only: cheap enough to read once before the checks below.
  const sections = templateSections(input.bodyLines);
  const overview = opensWithOverview(input.bodyLines);
  const opening = input.bodyLines.slice(0, 8).join("");
  const listed = countReportTitleLines(input.bodyLines.slice(0, 80));
  if (listed >= 3) {
    notes.is_annual_report = {
      basis: "read",
      detail: `a list page: ${listed} report titles with their dates, not a report`,
    };
  } else if (title && NOT_ANNUAL.test(title.replace(/工作年度报告|年度报告/g, ""))) {
    notes.is_annual_report = { basis: "read", detail: `the title names another kind of document: ${title}` };
  } else if (title && ANNUAL.test(matchForm(title))) {
    is_annual_report = true;
    notes.is_annual_report = {
      basis: "read",
      detail: "the title names an annual report on government information disclosure",
    };
  } else if (/自检自查|自查报告|开展了?自查|督查工作|落实情况报告/.test(body.slice(0, 600))) {
    notes.is_annual_report = {
      basis: "read",
      detail: "a self-inspection report (自查/督查 of the year's disclosure work), not the annual report",
    };
  } else if (
    /现将.{0,16}(政府信息公开|政务公开|信息公开)(工作)?(年度)?(情况|工作)?(报告|汇报)如下|年度报告|年报/.test(
      opening,
    ) ||
    // 2017年，我厅认真落实…政务公开…。现将有关情况报告如下: the year's disclosure work, reported.
    /^\d{4}\s*年度?[，,]?[^。]{0,200}(?:政府信息公开|政务公开)[^。]{0,200}。\s*现将(?:有关)?(?:工作)?情况报告如下/.test(
      opening,
    ) ||
    // The template's preface sentences (本报告根据…编制; 本报告中所列数据的统计期限自…), found below
    // the field lines and menus a saved page prints first.
    /本(?:年度)?(?:报告|年报)(?:根据|依据|按照|由|中所列数据|所列数据)|(?:所列|中的)数据的?统计期限(?:自|为)/.test(
      input.bodyLines.slice(0, 24).join(""),
    )
  ) {
    is_annual_report = true;
    notes.is_annual_report = {
      basis: "inferred",
      detail: "no title; the opening says it reports the year's 政府信息公开 work",
    };
  } else if (sections >= 2) {
    is_annual_report = true;
    notes.is_annual_report = {
      basis: "inferred",
      detail: `no title; the page has the annual report's sections (${sections} of the template's six)`,
    };
  } else if (overview) {
    is_annual_report = true;
    notes.is_annual_report = { basis: "inferred", detail: `no title; ${overview}` };
  } else if (TEMPLATE_PREFACE.test(opening)) {
    is_annual_report = true;
    notes.is_annual_report = {
      basis: "inferred",
      detail: "no title; the opening is the annual report's preface (本报告根据《条例》…编制)",
    };
  } else if (body.length < 200) {
    notes.is_annual_report = {
      basis: "absent",
      detail: `too little text to be a report (${body.length} characters)`,
    };
  } else {
    notes.is_annual_report = {
      basis: "absent",
      detail: "neither the title nor the opening names an annual report on government information disclosure",
    };
  }
  // A notice reports on no year; only a year its title names (关于做好2016年…年度报告编制发布工作的
  // 通知: the reports it is about) is kept. Years in its text are deadlines and citations. (A
  // self-inspection report, also not an annual report, does report on its year.)
  let year = report_year;
  if (
    !is_annual_report &&
    year !== null &&
    yearNote.detail !== "year in the title" &&
    title !== null &&
    NOTICE_TITLE_END.test(title)
  ) {
    year = null;
    notes.report_year = {
      basis: "absent",
      detail: `a notice; the year its text names (${report_year}) is a deadline or citation, not a year reported on`,
    };
  }
  return { title, agency, report_year: year, published_at, doc_number, is_annual_report, notes };
}
