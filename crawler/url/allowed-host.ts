// Which hosts a site may be fetched from (*.gov.cn plus the site's own list), and each host's
// registrable domain, the unit of the "at most 2 in flight per domain" rule.

const SECOND_LEVEL_CN = new Set(["gov.cn", "com.cn", "net.cn", "org.cn", "edu.cn", "ac.cn", "mil.cn"]);

export function isAllowedHost(hostname: string, allowedHosts: readonly string[]): boolean {
  const h = hostname.toLowerCase();
  if (h === "gov.cn" || h.endsWith(".gov.cn")) return true;
  return allowedHosts.some((a) => {
    const x = a.toLowerCase();
    return x.startsWith("*.") ? h.endsWith(x.slice(1)) || h === x.slice(2) : h === x;
  });
}

/** "www.shaanxi.gov.cn" → "shaanxi.gov.cn"; IPs and single labels are their own domain. */
export function registrableDomain(hostname: string): string {
  const h = hostname.toLowerCase();
  if (/^[\d.]+$/.test(h) || h.includes(":")) return h;
  const labels = h.split(".");
  if (labels.length <= 2) return h;
  const lastTwo = labels.slice(-2).join(".");
  return SECOND_LEVEL_CN.has(lastTwo) ? labels.slice(-3).join(".") : lastTwo;
}
