// `npm run bench:crawl-vs-crawlee`: nianbao and Crawlee side by side on the shared loopback farm
// (../shared/crawl-bench), alternating run by run, and the figures written into bench/results.md.
// The farm folder is read-only where it is shared: it is copied to bench/.crawl-bench/ (git-ignored)
// and Crawlee installed there from npm (its package-lock pins 3.18.1). Each run is bounded (TIMEOUT).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const ROOT = join(import.meta.dirname, "..");
const WORK = join(ROOT, "bench", ".crawl-bench");
const RESULTS = join(ROOT, "bench", "results.md");
const START = "<!-- crawl-vs-crawlee: start -->";
const END = "<!-- crawl-vs-crawlee: end -->";

interface Case {
  about: string;
  env: Record<string, string>;
  /** The "done when" share of the bound for nianbao. */
  target: number;
  /** Crawlee runs alongside (the latency and 1,000-host cases measure nianbao against its bound only). */
  crawlee: boolean;
}

const CASES: Record<string, Case> = {
  h200: {
    about: "200 hosts × 26 pages, 1 s delay",
    env: { H: "200", P: "5", R: "4", D: "1000" },
    target: 0.95,
    crawlee: true,
  },
  h50: {
    about: "50 hosts × 26 pages, 1 s delay",
    env: { H: "50", P: "5", R: "4", D: "1000" },
    target: 0.95,
    crawlee: true,
  },
  lat300: {
    about: "200 hosts × 26 pages, 1 s delay, 300 ms server latency",
    env: { H: "200", P: "5", R: "4", D: "1000", LATENCY: "300" },
    target: 0.9,
    crawlee: false,
  },
  h1000: {
    about: "1,000 hosts × 7 pages, 5 s delay",
    env: { H: "1000", P: "2", R: "2", D: "5000" },
    target: 0.9,
    crawlee: false,
  },
  check: {
    about: "20 hosts × 7 pages, Crawl-delay: 3, each host's 3rd page answered 429 + Retry-After: 10",
    env: { H: "20", P: "2", R: "2", D: "1000", CRAWL_DELAY: "3", THROTTLE_NTH: "3", RETRY_AFTER: "10" },
    target: 0,
    crawlee: true,
  },
};

const { values } = parseArgs({
  options: {
    cases: { type: "string", default: "h200" },
    reps: { type: "string", default: "1" },
    source: { type: "string", default: join(ROOT, "..", "shared", "crawl-bench") },
    "timeout-s": { type: "string", default: "300" },
    "no-write": { type: "boolean" },
    /** Summarise the runs saved under bench/.crawl-bench/out/vs-<stamp> again instead of running. */
    from: { type: "string" },
  },
});
const caseNames = values.cases.split(",").map((c) => c.trim());
for (const c of caseNames) if (!CASES[c]) usage(`unknown case "${c}" (${Object.keys(CASES).join(", ")})`);
const reps = Number(values.reps);
if (!Number.isInteger(reps) || reps < 1 || reps > 10) usage(`--reps needs 1–10, not "${values.reps}"`);

function usage(message: string): never {
  process.stderr.write(`bench:crawl-vs-crawlee: ${message}\n`);
  process.exit(2);
}

/** The shared farm, copied (it is read-only where it is shared) and Crawlee installed from npm. */
function prepare(source: string): void {
  if (!existsSync(join(source, "bench.sh"))) usage(`no crawl farm at ${source} (pass --source DIR)`);
  for (const f of readdirSync(source))
    if (f !== "node_modules" && f !== "out") cpSync(join(source, f), join(WORK, f), { recursive: true });
  if (existsSync(join(WORK, "node_modules", "crawlee"))) return;
  const npm = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], {
    cwd: WORK,
    stdio: "inherit",
    timeout: 600_000,
  });
  if (npm.status !== 0) usage(`npm ci in ${WORK} failed (Crawlee comes from the npm registry)`);
}

interface RunResult {
  crawler: "nianbao" | "crawlee";
  caseName: string;
  rep: number;
  r: Record<string, unknown> & {
    pages: number;
    pagesPerS: number;
    politeBoundPps: number;
    wallS: number;
    cpuMsPerPage: number | null;
    peakRssMb: number | null;
    farmHtml200: number;
    farmHtmlUnique: number;
    minSameHostGapMs_all: number | null;
    minSameHostGapMs_html: number | null;
    sameHostGapsBelowD_all: number;
    sameHostGapsBelowD_html: number;
    maxSameHostInFlight: number;
    maxGlobalInFlight: number;
    htmlGapMs_p50: number | null;
    hostSpanS_max: number | null;
    minGapAfter429Ms: number | null;
    responses429: number;
    machine: { busyCoresMean: number; farmCpuS: number; windowS: number; loadavgStart: string } | null;
    cpuS: number | null;
  };
}

function runOnce(
  crawler: "nianbao" | "crawlee",
  caseName: string,
  rep: number,
  stamp: string,
): RunResult | null {
  const out = join("out", `vs-${stamp}`, caseName, `${crawler}-${rep}`);
  const env = {
    ...process.env,
    ...CASES[caseName]!.env,
    CRAWLER: crawler,
    REPORT_LIKE: "true",
    NIANBAO_DIR: ROOT,
    OUT: out,
    TIMEOUT: values["timeout-s"],
    REPS: "1",
    // Crawlee as in the shared results: autoscaled from 1 up to 32 (its best configuration there).
    ...(crawler === "crawlee" ? { CONC: "32", MIN_CONC: "1" } : {}),
  };
  process.stderr.write(`\n== ${caseName} run ${rep}: ${crawler}\n`);
  const run = spawnSync("bash", ["bench.sh"], { cwd: WORK, env, stdio: ["ignore", "inherit", "inherit"] });
  if (run.status !== 0) {
    process.stderr.write(`bench.sh for ${crawler} ${caseName} exited ${run.status}\n`);
    return null;
  }
  const dir = join(WORK, out);
  const file = readdirSync(dir).find((f) => f.startsWith("result-") && f.endsWith(".json"));
  if (!file) return null;
  return { crawler, caseName, rep, r: JSON.parse(readFileSync(join(dir, file), "utf8")) };
}

const fmt = (v: unknown, d = 1) => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(d) : "–");

/** Cores the rest of the machine kept busy during a run (crawler and farm excluded). */
function otherLoad(r: RunResult["r"]): number | null {
  const m = r.machine;
  if (!m || r.cpuS === null) return null;
  return m.busyCoresMean - (r.cpuS + m.farmCpuS) / m.windowS;
}

/**
 * The share of the politeness bound H × 1000 / D, D being the larger of the delay and robots.txt's
 * Crawl-delay (analyze.mjs divides by a global-cap bound when the farm adds latency; nianbao has no
 * fixed cap any more, so the politeness bound is the one to meet).
 */
function share(x: RunResult): number {
  const crawlDelayMs = Number(CASES[x.caseName]!.env.CRAWL_DELAY ?? 0) * 1000;
  const delayMs = Math.max(Number(CASES[x.caseName]!.env.D), crawlDelayMs);
  return x.r.pagesPerS / ((x.r.politeBoundPps * Number(CASES[x.caseName]!.env.D)) / delayMs);
}

function row(x: RunResult): string {
  const r = x.r;
  const ratio = share(x);
  const once = r.farmHtml200 === r.farmHtmlUnique ? "yes" : `no (${r.farmHtml200 - r.farmHtmlUnique} twice)`;
  return [
    x.caseName,
    `${x.crawler} ${x.rep}`,
    fmt(otherLoad(r), 2),
    fmt(r.wallS),
    fmt(r.pagesPerS),
    fmt(ratio, 3),
    `${r.pages} / ${once}`,
    `${fmt(r.minSameHostGapMs_all)} / ${fmt(r.minSameHostGapMs_html)}`,
    `${r.sameHostGapsBelowD_all} / ${r.sameHostGapsBelowD_html}`,
    fmt(r.htmlGapMs_p50, 0),
    `${r.maxSameHostInFlight} (${r.maxGlobalInFlight} overall)`,
    r.responses429 ? `${r.responses429}: next after ≥ ${fmt(r.minGapAfter429Ms, 0)} ms` : "–",
    fmt(r.cpuMsPerPage, 2),
    fmt(r.peakRssMb, 0),
  ].join(" | ");
}

function section(results: RunResult[], startedAt: Date): string {
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");
  const lines = [
    START,
    "## Crawl: nianbao and Crawlee side by side",
    "",
    `Written by \`npm run bench:crawl-vs-crawlee -- --cases ${caseNames.join(",")} --reps ${reps}\` (bench/crawl-vs-crawlee.ts) on ` +
      `${startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC` +
      (values.from
        ? ` from the runs saved in \`bench/.crawl-bench/${values.from}\` (folder named for their start, UTC). `
        : `; load average at the end ${load} on ${os.cpus().length} cores. `) +
      "The shared loopback farm (`../shared/crawl-bench`, `--report-like`), a fresh farm per run, runs alternating " +
      "Crawlee 3.18.1 (autoscaled 1–32) → nianbao (`nianbao crawl`, default politeness) within each case. " +
      '"other load" = cores of 2 the rest of the machine kept busy during the run (crawler and farm excluded): above ' +
      "~0.3 the figures are depressed by other jobs, Crawlee's far more than nianbao's.",
    "",
    "| case | crawler / run | other load | wall s | pages/s | share of the bound (H × 1000 / max(D, Crawl-delay)) | pages / each once | min gap all / HTML ms | gaps < D all / HTML | HTML gap p50 ms | max in flight per host | 429 → next | CPU ms/page | peak RSS MB |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...results.map((x) => `| ${row(x)} |`),
    "",
  ];
  for (const name of caseNames) {
    const c = CASES[name]!;
    const of = (who: string) => results.filter((x) => x.caseName === name && x.crawler === who);
    const nb = of("nianbao");
    const cr = of("crawlee");
    if (!nb.length) continue;
    const shares = nb.map(share);
    const parts = [
      `**${name}** (${c.about}): nianbao ${shares.map((s) => s.toFixed(3)).join(", ")} of the bound`,
    ];
    if (c.target)
      parts.push(`target ≥ ${c.target}: ${shares.every((s) => s >= c.target) ? "met" : "not met"}`);
    const crawlDelayMs = Number(c.env.CRAWL_DELAY ?? 0) * 1000;
    if (crawlDelayMs) {
      const held = (xs: RunResult[]) => xs.every((x) => (x.r.minSameHostGapMs_all ?? 0) >= crawlDelayMs);
      const retryAfterMs = Number(c.env.RETRY_AFTER) * 1000;
      const waited = (xs: RunResult[]) => xs.every((x) => (x.r.minGapAfter429Ms ?? 0) >= retryAfterMs);
      for (const [who, xs] of [
        ["nianbao", nb],
        ["Crawlee", cr],
      ] as const)
        if (xs.length)
          parts.push(
            `${who}: Crawl-delay ${held(xs) ? "held" : "not held"}, Retry-After ${waited(xs) ? "held" : "not held"}`,
          );
    } else if (cr.length) {
      const mean = (xs: RunResult[]) => xs.reduce((a, x) => a + x.r.pagesPerS, 0) / xs.length;
      parts.push(`nianbao ÷ Crawlee pages/s ${(mean(nb) / mean(cr)).toFixed(2)}×`);
    }
    const polite = nb.every((x) => x.r.maxSameHostInFlight <= 1 && x.r.farmHtml200 === x.r.farmHtmlUnique);
    parts.push(polite ? "1 in flight per host, every page once" : "POLITENESS OR DUPLICATE CHECK FAILED");
    // As the farm stamps arrivals: a farm starved of CPU stamps some requests late, which shortens the next gap.
    const under = nb.reduce((a, x) => a + x.r.sameHostGapsBelowD_all, 0);
    const minGap = Math.min(...nb.map((x) => x.r.minSameHostGapMs_all ?? Number.POSITIVE_INFINITY));
    parts.push(
      under
        ? `${under} gaps under D as the farm stamped them (min ${minGap.toFixed(1)} ms)`
        : "no gap under D",
    );
    lines.push(`- ${parts.join("; ")}.`);
  }
  lines.push("", END);
  return lines.join("\n");
}

function writeResults(text: string): void {
  const old = existsSync(RESULTS) ? readFileSync(RESULTS, "utf8") : "# Benchmark results\n";
  const a = old.indexOf(START);
  const b = old.indexOf(END);
  const next =
    a >= 0 && b > a
      ? `${old.slice(0, a)}${text}${old.slice(b + END.length)}`
      : `${old.trimEnd()}\n\n${text}\n`;
  writeFileSync(RESULTS, next);
}

/** The runs saved by an earlier invocation (its out/vs-<stamp> folder), in case and run order. */
function savedResults(dir: string): RunResult[] {
  const out: RunResult[] = [];
  for (const caseName of caseNames)
    for (let rep = 1; rep <= reps; rep++)
      for (const crawler of ["crawlee", "nianbao"] as const) {
        const runDir = join(dir, caseName, `${crawler}-${rep}`);
        if (!existsSync(runDir)) continue;
        const file = readdirSync(runDir).find((f) => f.startsWith("result-") && f.endsWith(".json"));
        if (file)
          out.push({ crawler, caseName, rep, r: JSON.parse(readFileSync(join(runDir, file), "utf8")) });
      }
  return out;
}

const startedAt = new Date();
const results: RunResult[] = values.from ? savedResults(resolve(WORK, values.from)) : [];
if (!values.from) prepare(resolve(values.source));
const stamp = startedAt.toISOString().replace(/[-:]/g, "").slice(0, 15);
for (const name of values.from ? [] : caseNames)
  for (let rep = 1; rep <= reps; rep++) {
    if (CASES[name]!.crawlee) {
      const c = runOnce("crawlee", name, rep, stamp);
      if (c) results.push(c);
    }
    const n = runOnce("nianbao", name, rep, stamp);
    if (n) results.push(n);
  }
const text = section(results, startedAt);
process.stdout.write(`${text}\n`);
if (!values["no-write"]) writeResults(text);
