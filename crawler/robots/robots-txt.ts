// robots.txt per RFC 9309: groups by user-agent, longest-match allow/disallow with * and $,
// allow wins ties; Crawl-delay (not in the RFC, widely used by these portals) read from the chosen group.

export interface RobotsRule {
  allow: boolean;
  pattern: string;
  regex: RegExp;
}

export interface RobotsPolicy {
  rules: RobotsRule[];
  crawlDelayMs: number | null;
  /** Set when the whole host is off limits for a reason other than the file's rules (5xx, timeout). */
  disallowAllReason?: string;
}

export const ALLOW_ALL: RobotsPolicy = { rules: [], crawlDelayMs: null };

export function disallowAll(reason: string): RobotsPolicy {
  return { rules: [], crawlDelayMs: null, disallowAllReason: reason };
}

function patternToRegex(pattern: string): RegExp {
  const anchored = pattern.endsWith("$");
  const body = (anchored ? pattern.slice(0, -1) : pattern)
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}${anchored ? "$" : ""}`);
}

/** Percent-encode what a robots path would (so 中文 paths compare with encoded URLs). */
function normalisePath(p: string): string {
  try {
    return encodeURI(decodeURI(p));
  } catch {
    return p;
  }
}

export function parseRobots(text: string, productToken: string): RobotsPolicy {
  const token = productToken.toLowerCase();
  type Group = { agents: string[]; rules: RobotsRule[]; delay: number | null };
  const groups: Group[] = [];
  let current: Group | null = null;
  let lastWasAgent = false;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.replace(/#.*$/, "").trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (key === "user-agent") {
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: [], delay: null };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!current) continue;
    if (key === "allow" || key === "disallow") {
      if (value === "") continue; // "Disallow:" with nothing means allow all
      const pattern = normalisePath(value);
      current.rules.push({ allow: key === "allow", pattern, regex: patternToRegex(pattern) });
    } else if (key === "crawl-delay") {
      const seconds = Number(value);
      if (Number.isFinite(seconds) && seconds >= 0) current.delay = seconds * 1000;
    }
  }
  // RFC 9309 §2.2.1: the groups naming our product token (merged), else the "*" groups.
  const ours = groups.filter((g) => g.agents.some((a) => a !== "*" && token.startsWith(a)));
  const chosen = ours.length ? ours : groups.filter((g) => g.agents.includes("*"));
  const delays = chosen.map((g) => g.delay).filter((d): d is number => d !== null);
  return { rules: chosen.flatMap((g) => g.rules), crawlDelayMs: delays.length ? Math.max(...delays) : null };
}

/** `path` is the URL's path and query. /robots.txt itself is always allowed. */
export function isAllowedByRobots(policy: RobotsPolicy, path: string): boolean {
  if (path === "/robots.txt") return true;
  if (policy.disallowAllReason) return false;
  let best: RobotsRule | null = null;
  for (const rule of policy.rules) {
    if (!rule.regex.test(path)) continue;
    if (
      !best ||
      rule.pattern.length > best.pattern.length ||
      (rule.pattern.length === best.pattern.length && rule.allow && !best.allow)
    ) {
      best = rule;
    }
  }
  return best ? best.allow : true;
}
