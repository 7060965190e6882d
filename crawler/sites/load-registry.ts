// Reads and validates a sites registry file; every problem is reported with its place in the file.
// Pure with respect to the process: takes the file text, returns sites or a NianbaoError.
import { NianbaoError } from "../../core/errors.ts";
import { ruleProblems } from "./registry-rules.ts";
import { type CrawlSettings, type Site, sitesFileSchema } from "./site-schema.ts";

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

export function validateRegistry(
  text: string,
  fileName: string,
): { sites: Site[]; crawl: CrawlSettings; problems: RegistryProblem[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split("\n").length : null;
    return {
      sites: [],
      crawl: {},
      problems: [{ path: line ? `line ${line}` : "(file)", message: `not valid JSON: ${msg}` }],
    };
  }
  const parsed = sitesFileSchema.safeParse(json);
  const schemaProblems: RegistryProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        path:
          issue.path.reduce<string>(
            (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
            "",
          ) || "(root)",
        message: issue.message,
      }));
  // Where both speak about the same value, the rule's specific message (file://, missing expect,
  // duplicate slug, off-list host) replaces the schema's generic one.
  const rules = ruleProblems(json);
  const covered = new Set(rules.map((p) => p.path));
  const problems = withSiteNames([...rules, ...schemaProblems.filter((p) => !covered.has(p.path))], json);
  problems.sort((a, b) => comparePaths(a.path, b.path));
  void fileName;
  const ok = parsed.success && !problems.length;
  return { sites: ok ? parsed.data.sites : [], crawl: ok ? parsed.data.crawl : {}, problems };
}

/** sites[2] before sites[10]: indexes compared as numbers. */
function comparePaths(a: string, b: string): number {
  const key = (p: string) => p.replace(/\[(\d+)\]/g, (_, n: string) => `[${n.padStart(6, "0")}]`);
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

export function loadRegistry(text: string, fileName: string): Site[] {
  return loadRegistryFile(text, fileName).sites;
}

/** The sites and the registry's crawl-wide settings, or a NianbaoError listing every problem. */
export function loadRegistryFile(text: string, fileName: string): { sites: Site[]; crawl: CrawlSettings } {
  const { sites, crawl, problems } = validateRegistry(text, fileName);
  if (problems.length) {
    const list = problems.map((p) => `  ${fileName}: ${p.path}: ${p.message}`).join("\n");
    throw new NianbaoError(
      "registry_invalid",
      `${problems.length} problem(s) in the sites registry:\n${list}`,
      `fix ${fileName} and run \`nianbao sites validate ${fileName}\``,
    );
  }
  return { sites, crawl };
}
