// The registry rules the schema cannot express, checked on the raw JSON so they are reported even
// when the schema rejects the file: unique slugs, http(s) URLs on an allowed host, an `expect` per site.
import { isAllowedHost } from "../url/allowed-host.ts";
import type { RegistryProblem } from "./load-registry.ts";

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Problems with one URL-valued field: scheme, parse, host. `null` when it is fine. */
function urlProblem(value: string, allowed: readonly string[]): string | null {
  if (/^file:/i.test(value)) return `file:// URLs are not allowed ("${value}")`;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return `not a URL ("${value}")`;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return `only http(s) URLs are allowed ("${value}")`;
  // The crawler's own rule (a listed host is exact, "*.x" takes its subdomains): validate must not
  // pass what a crawl skips.
  if (!isAllowedHost(u.hostname, allowed))
    return `host ${u.hostname} is neither *.gov.cn nor in allowed_hosts`;
  return null;
}

/**
 * The checks the schema cannot express, run on the raw JSON so they are reported even when the
 * schema rejects the file (an operator fixing one problem should not discover the next one later).
 */
export function ruleProblems(json: unknown): RegistryProblem[] {
  const problems: RegistryProblem[] = [];
  const sites = (json as { sites?: unknown })?.sites;
  if (!Array.isArray(sites)) return problems;
  const slugs = new Map<string, number>();
  sites.forEach((raw, i) => {
    if (!raw || typeof raw !== "object") return;
    const s = raw as Record<string, unknown>;
    const allowed = Array.isArray(s.allowed_hosts)
      ? s.allowed_hosts.filter((h): h is string => typeof h === "string")
      : [];
    if (typeof s.slug === "string") {
      const first = slugs.get(s.slug);
      if (first !== undefined)
        problems.push({
          path: `sites[${i}].slug`,
          message: `duplicate slug "${s.slug}" (first at sites[${first}])`,
        });
      else slugs.set(s.slug, i);
    }
    if (Array.isArray(s.start_urls)) {
      s.start_urls.forEach((u, j) => {
        if (typeof u !== "string") return;
        const p = urlProblem(u, allowed);
        if (p) problems.push({ path: `sites[${i}].start_urls[${j}]`, message: p });
      });
    }
    const params = (s.pagination as { params?: unknown } | undefined)?.params;
    if (params && typeof params === "object") {
      for (const [k, v] of Object.entries(params)) {
        if (typeof v !== "string" || !(URL_LIKE.test(v) || /^file:/i.test(v))) continue;
        const p = urlProblem(v, allowed);
        if (p) problems.push({ path: `sites[${i}].pagination.params.${k}`, message: p });
      }
    }
    if (s.expect === undefined)
      problems.push({
        path: `sites[${i}].expect`,
        message: 'missing expect (e.g. {"min_reports": 3}): health checks need it',
      });
  });
  return problems;
}
