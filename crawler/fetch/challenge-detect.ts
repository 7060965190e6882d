// Recognises anti-bot shells (瑞数 Ruishu, 加速乐 Jiasule, 云锁 Yunsuo, 安全狗 Safedog…): they are detected
// and reported, never solved. The signatures are data so new shields are one line each.

export interface Challenge {
  vendor: string;
  reason: string;
}

const SIGNATURES: { vendor: string; status?: number; pattern: RegExp }[] = [
  { vendor: "ruishu", status: 412, pattern: /\$_ts\s*[=.]/ },
  { vendor: "ruishu", pattern: /\$_ts\s*=\s*window\[['"]\$_ts['"]\]/ },
  { vendor: "jiasule", status: 521, pattern: /__jsl_clearance|document\.cookie\s*=/ },
  { vendor: "jiasule", pattern: /__jsl_clearance/ },
  { vendor: "yunsuo", pattern: /yunsuo_session_verify|security_verify_data/ },
  { vendor: "safedog", pattern: /safedog|WAF\/2\.0|网站防火墙/ },
  { vendor: "waf", pattern: /您的访问被阻断|访问被拒绝.{0,20}(安全|防护)|请开启JavaScript并刷新该页/ },
];

/** Looks only at small bodies: a real page mentioning a vendor name in passing is not a shell. */
export function detectChallenge(status: number, text: string): Challenge | null {
  if (text.length > 64 * 1024) return null;
  for (const s of SIGNATURES) {
    if (s.status !== undefined && s.status !== status) continue;
    if (s.pattern.test(text)) return { vendor: s.vendor, reason: `challenge:${s.vendor} (HTTP ${status})` };
  }
  return null;
}
