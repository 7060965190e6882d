// The crawl's network boundary: the origins (scheme, host, port) one site's requests may go to. Every
// request — page, robots.txt, each redirect hop, attachment, browser subrequest — is checked here first.
import { isAllowedHost } from "./allowed-host.ts";

const DEFAULT_PORT: Record<string, string> = { "http:": "80", "https:": "443" };
/** "host:8080", "*.host:8080", "[::1]:8080": an entry that allows that one port. */
const WITH_PORT = /^(\[[^\]]+\]|[^:[\]]+):(\d+)$/;

function splitEntry(entry: string): { host: string; port: string | null } {
  const m = WITH_PORT.exec(entry.trim().toLowerCase());
  return m ? { host: m[1]!, port: String(Number(m[2])) } : { host: entry.trim().toLowerCase(), port: null };
}

function hostMatches(hostname: string, pattern: string): boolean {
  return pattern.startsWith("*.")
    ? hostname.endsWith(pattern.slice(1)) || hostname === pattern.slice(2)
    : hostname === pattern;
}

/**
 * The allow list of a site: its `allowed_hosts` plus the host:port of each start URL on a non-default
 * port (the registry names that origin, so it is allowed; nothing else on another port is).
 */
export function siteAllowList(allowedHosts: readonly string[], startUrls: readonly string[]): string[] {
  const out = [...allowedHosts];
  for (const s of startUrls) {
    try {
      const u = new URL(s);
      if (u.port) out.push(`${u.hostname}:${u.port}`);
    } catch {
      // The registry schema refuses unparsable start URLs; nothing to add.
    }
  }
  return out;
}

/**
 * http(s) only; on the scheme's default port the host must be *.gov.cn or listed (as before); on any
 * other port only a listed `host:port` entry lets it through (a redirect to the same host on another
 * port is another server).
 */
export function isAllowedOrigin(url: string | URL, allowList: readonly string[]): boolean {
  let u: URL;
  try {
    u = typeof url === "string" ? new URL(url) : url;
  } catch {
    return false;
  }
  const defaultPort = DEFAULT_PORT[u.protocol];
  if (!defaultPort) return false;
  const entries = allowList.map(splitEntry);
  if (u.port === "" || u.port === defaultPort) {
    return isAllowedHost(
      u.hostname,
      entries.filter((e) => e.port === null).map((e) => e.host),
    );
  }
  const host = u.hostname.toLowerCase();
  return entries.some((e) => e.port === u.port && hostMatches(host, e.host));
}
