// Canonical form of a URL for the frontier: one row per page however a portal spells its links.
// Lowercase scheme/host, no default port or fragment, dot segments resolved, query order kept, jsessionid gone.

const SESSION_PARAMS = new Set(["jsessionid", "phpsessid", "aspsessionid", "sid_session"]);

/** Resolves `href` against `base` and canonicalises; null for non-http(s) links (javascript:, mailto:, #). */
export function canonicalUrl(href: string, base?: string): string | null {
  let u: URL;
  try {
    u = base ? new URL(href.trim(), base) : new URL(href.trim());
  } catch {
    return null;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return null;
  // WHATWG URL already lowercases scheme and host, drops default ports and resolves ./ and ../.
  u.hash = "";
  // ";jsessionid=…" path parameters (Java portals append them to every link).
  u.pathname = u.pathname.replace(/;jsessionid=[^/?#]*/gi, "");
  if (u.search) {
    // Only session parameters go; the rest keep their order (these CMSs read positions).
    const kept = u.search
      .slice(1)
      .split("&")
      .filter((pair) => pair !== "" && !SESSION_PARAMS.has(pair.split("=")[0]!.toLowerCase()));
    u.search = kept.length ? `?${kept.join("&")}` : "";
  }
  return u.href;
}
