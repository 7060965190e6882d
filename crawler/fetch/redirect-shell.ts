// Finds the target of a redirect shell: a tiny page whose only job is a meta refresh or a
// location.replace / window.location assignment. Such pages are followed like HTTP redirects.

const META_REFRESH =
  /<meta[^>]+http-equiv\s*=\s*["']?refresh["']?[^>]*content\s*=\s*["']\s*\d*\s*[;,]?\s*url\s*=\s*['"]?([^"'>\s]+)/i;
const META_REFRESH_REVERSED =
  /<meta[^>]+content\s*=\s*["']\s*\d*\s*[;,]?\s*url\s*=\s*['"]?([^"'>\s]+)[^>]*http-equiv\s*=\s*["']?refresh/i;
const JS_REDIRECT =
  /(?:window\.|document\.|self\.|top\.)?location(?:\.href)?\s*(?:=|\.replace\(|\.assign\()\s*["']([^"']+)["']/i;

/** Visible text, roughly: what is left without tags, scripts and styles. */
function visibleTextLength(html: string): number {
  return html
    .replace(/<script[\s\S]*?<\/script>/gi, "")
    .replace(/<style[\s\S]*?<\/style>/gi, "")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;|\s+/g, "").length;
}

/** Returns the (unresolved) target, or null when the page has real content of its own. */
export function redirectShellTarget(html: string): string | null {
  if (html.length > 16 * 1024 || visibleTextLength(html) > 200) return null;
  const m = META_REFRESH.exec(html) ?? META_REFRESH_REVERSED.exec(html) ?? JS_REDIRECT.exec(html);
  return m?.[1] ?? null;
}
