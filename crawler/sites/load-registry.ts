// Reads and validates a sites registry file; every problem is reported with its place in the file.
// Pure with respect to the process: takes the file text, returns sites or a NianbaoError.
import { NianbaoError } from "../../core/errors.ts";
import { isAllowedHost } from "../url/allowed-host.ts";
import { type Site, sitesFileSchema } from "./site-schema.ts";

export interface RegistryProblem {
  /** JSON path of the offending value, e.g. sites[3].start_urls[0]. */
  path: string;
  message: string;
}

/**
 * Names the site each problem is in (` (site "slug")`) when the raw entry has a slug: an index alone
 * sends the operator counting entries in a file of hundreds.
 */
export function withSiteNames(problems: RegistryProblem[], json: unknown): RegistryProblem[] {
  const sites = (json as { sites?: unknown } | null)?.sites;
  if (!Array.isArray(sites)) return problems;
  return problems.map((p) => {
    const i = /^sites\[(\d+)\]/.exec(p.path)?.[1];
    const slug = i === undefined ? undefined : (sites[Number(i)] as { slug?: unknown } | null)?.slug;
    if (typeof slug !== "string" || p.message.endsWith(`(site "${slug}")`)) return p;
    return { ...p, message: `${p.message} (site "${slug}")` };
  });
}

/**
 * http(s) start URLs whose host the crawler would skip as offsite, found on the raw JSON so they are
 * listed even when the schema refuses something else in the file.
 */
function offListStartUrls(json: unknown): RegistryProblem[] {
  const sites = (json as { sites?: unknown } | null)?.sites;
  if (!Array.isArray(sites)) return [];
  const problems: RegistryProblem[] = [];
  sites.forEach((raw, i) => {
    const s = (raw ?? {}) as { start_urls?: unknown; allowed_hosts?: unknown };
    const allowed = Array.isArray(s.allowed_hosts)
      ? s.allowed_hosts.filter((h) => typeof h === "string")
      : [];
    if (!Array.isArray(s.start_urls)) return;
    s.start_urls.forEach((u, j) => {
      if (typeof u !== "string" || !/^https?:\/\//i.test(u) || !URL.canParse(u)) return;
      const host = new URL(u).hostname;
      if (!isAllowedHost(host, allowed))
        problems.push({
          path: `sites[${i}].start_urls[${j}]`,
          message: `host ${host} is neither *.gov.cn nor in allowed_hosts`,
        });
    });
  });
  return problems;
}

export function validateRegistry(
  text: string,
  fileName: string,
): { sites: Site[]; problems: RegistryProblem[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split("\n").length : null;
    return {
      sites: [],
      problems: [{ path: line ? `line ${line}` : "(file)", message: `not valid JSON: ${msg}` }],
    };
  }
  const parsed = sitesFileSchema.safeParse(json);
  const problems: RegistryProblem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.reduce<string>(
        (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
        "",
      );
      problems.push({ path: path || "(root)", message: issue.message });
    }
    problems.push(...offListStartUrls(json).filter((p) => !problems.some((q) => q.path === p.path)));
    return { sites: [], problems: withSiteNames(problems, json) };
  }
  const seen = new Set<string>();
  parsed.data.sites.forEach((s, i) => {
    if (seen.has(s.slug)) problems.push({ path: `sites[${i}].slug`, message: `duplicate slug "${s.slug}"` });
    seen.add(s.slug);
  });
  problems.push(...offListStartUrls(json));
  void fileName;
  return { sites: parsed.data.sites, problems: withSiteNames(problems, json) };
}

export function loadRegistry(text: string, fileName: string): Site[] {
  const { sites, problems } = validateRegistry(text, fileName);
  if (problems.length) {
    const list = problems.map((p) => `  ${fileName}: ${p.path}: ${p.message}`).join("\n");
    throw new NianbaoError(
      "registry_invalid",
      `${problems.length} problem(s) in the sites registry:\n${list}`,
      `fix ${fileName} and run \`nianbao sites validate ${fileName}\``,
    );
  }
  return sites;
}
