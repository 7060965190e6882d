// Reads and validates a sites registry file; every problem is reported with its place in the file.
// Pure with respect to the process: takes the file text, returns sites or a NianbaoError.
import { NianbaoError } from "../../core/errors.ts";
import { type Site, sitesFileSchema } from "./site-schema.ts";

export interface RegistryProblem {
  /** JSON path of the offending value, e.g. sites[3].start_urls[0]. */
  path: string;
  message: string;
}

export function validateRegistry(text: string, fileName: string): { sites: Site[]; problems: RegistryProblem[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split("\n").length : null;
    return { sites: [], problems: [{ path: line ? `line ${line}` : "(file)", message: `not valid JSON: ${msg}` }] };
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
    return { sites: [], problems };
  }
  const seen = new Set<string>();
  parsed.data.sites.forEach((s, i) => {
    if (seen.has(s.slug)) problems.push({ path: `sites[${i}].slug`, message: `duplicate slug "${s.slug}"` });
    seen.add(s.slug);
  });
  void fileName;
  return { sites: parsed.data.sites, problems };
}

export function loadRegistry(text: string, fileName: string): Site[] {
  const { sites, problems } = validateRegistry(text, fileName);
  if (problems.length) {
    const list = problems.map((p) => `  ${fileName}: ${p.path}: ${p.message}`).join("\n");
    throw new NianbaoError("registry_invalid", `${problems.length} problem(s) in the sites registry:\n${list}`, `fix ${fileName} and run \`nianbao sites validate ${fileName}\``);
  }
  return sites;
}
