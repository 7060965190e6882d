// Recognises anti-bot shells (瑞数 Ruishu, 加速乐 Jiasule, 云锁 Yunsuo, 安全狗 Safedog…): they are detected
// and reported, never solved. The signatures are data so new shields are one line each. A page with a
// report's structure is never a shell, whatever words it uses (a report may say 部署了网站防火墙).

export interface Challenge {
  vendor: string;
  reason: string;
}

/**
 * `status`: the signature holds only with that status (412 + $_ts is a shell whatever the page says);
 * without one, the signature is words a real page could contain and is judged only on pages without
 * report structure.
 */
const SIGNATURES: { vendor: string; status?: number; pattern: RegExp }[] = [
  { vendor: "ruishu", status: 412, pattern: /\$_ts\s*[=.]/ },
  { vendor: "ruishu", pattern: /\$_ts\s*=\s*window\[['"]\$_ts['"]\]/ },
  { vendor: "jiasule", status: 521, pattern: /__jsl_clearance|document\.cookie\s*=/ },
  { vendor: "jiasule", pattern: /__jsl_clearance/ },
  { vendor: "yunsuo", pattern: /yunsuo_session_verify|security_verify_data/ },
  { vendor: "safedog", pattern: /safedog|WAF\/2\.0|网站防火墙/ },
  { vendor: "waf", pattern: /您的访问被阻断|访问被拒绝.{0,20}(安全|防护)|请开启JavaScript并刷新该页/ },
];

const REPORT_TITLE = /(政府信息公开|政务公开).{0,6}(工作)?(年度报告|年报)/;
/** "一、总体情况", "（二）主动公开": numbered section headings at the start of a line or element. */
const HEADING = /(?:^|[\n>])\s*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])/g;
const STATISTICS_TABLE = /<table[\s\S]{0,20000}?(主动公开|依申请|行政复议|行政诉讼|收到申请)/i;
const STATISTICS_ROWS = /(本年新收|本年新制作|行政复议|行政诉讼|申请人情况).{0,200}(\d+[\s|]+){3}/;

/**
 * A report's structure: at least two of a report title, numbered headings, a statistics table. An
 * anti-bot shell has none of them.
 */
export function hasReportStructure(text: string): boolean {
  const title = REPORT_TITLE.test(text);
  const headings = (text.match(HEADING) ?? []).length >= 2;
  const tables = STATISTICS_TABLE.test(text) || STATISTICS_ROWS.test(text);
  return Number(title) + Number(headings) + Number(tables) >= 2;
}

/** Looks only at small bodies: a real page mentioning a vendor name in passing is not a shell. */
export function detectChallenge(status: number, text: string): Challenge | null {
  if (text.length > 64 * 1024) return null;
  let structured: boolean | null = null;
  for (const s of SIGNATURES) {
    if (s.status !== undefined && s.status !== status) continue;
    if (!s.pattern.test(text)) continue;
    if (s.status === undefined) {
      structured ??= hasReportStructure(text);
      if (structured) continue;
    }
    return { vendor: s.vendor, reason: `challenge:${s.vendor} (HTTP ${status})` };
  }
  return null;
}
