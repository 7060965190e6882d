// `npm run bench:crawl-vs-crawlee`: nianbao and Crawlee side by side on the shared loopback farm
// (../shared/crawl-bench), alternating run by run, and the figures written into bench/results.md.
// The farm folder is read-only where it is shared: it is copied to bench/.crawl-bench/ (git-ignored)
// and Crawlee installed there from npm (its package-lock pins 3.18.1). Each run is bounded (TIMEOUT).
// nianbao runs twice per case: as the nightly job runs it, and with `--no-extract` (the crawl loop,
// archive and frontier writes alone), so the scheduler's own CPU and memory are seen apart from extraction.
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const ROOT = join(import.meta.dirname, "..");
const WORK = join(ROOT, "bench", ".crawl-bench");
/** A launcher that runs this checkout's `nianbao crawl` with `--no-extract` (bench.sh takes a checkout folder). */
const NO_EXTRACT_DIR = join(WORK, "nianbao-no-extract");
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
  h1000x12: {
    about: "1,000 hosts × 12 pages (12,000 pages), 5 s delay",
    env: { H: "1000", P: "1", R: "10", D: "5000" },
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
    /** Skip the `--no-extract` run of nianbao (the crawl loop alone). */
    "no-loop": { type: "boolean" },
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
  writeNoExtractLauncher();
  if (existsSync(join(WORK, "node_modules", "crawlee"))) return;
  const npm = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], {
    cwd: WORK,
    stdio: "inherit",
    timeout: 600_000,
  });
  if (npm.status !== 0) usage(`npm ci in ${WORK} failed (Crawlee comes from the npm registry)`);
}

/**
 * bench.sh runs `node $NIANBAO_DIR/bin/nianbao.js crawl …`: this folder's bin adds `--no-extract` and
 * starts the checkout's own launcher; package.json and node_modules are the checkout's.
 */
function writeNoExtractLauncher(): void {
  mkdirSync(join(NO_EXTRACT_DIR, "bin"), { recursive: true });
  for (const f of ["package.json", "node_modules"])
    if (!existsSync(join(NO_EXTRACT_DIR, f))) symlinkSync(join(ROOT, f), join(NO_EXTRACT_DIR, f));
  const real = pathToFileURL(join(ROOT, "bin", "nianbao.js")).href;
  writeFileSync(
    join(NO_EXTRACT_DIR, "bin", "nianbao.js"),
    `// Written by bench/crawl-vs-crawlee.ts: nianbao crawl with --no-extract.\n` +
      `process.argv.splice(3, 0, "--no-extract");\nawait import(${JSON.stringify(real)});\n`,
  );
}

type Crawler = "nianbao" | "nianbao-loop" | "crawlee";
const CRAWLERS: readonly Crawler[] = ["crawlee", "nianbao", "nianbao-loop"];
const LABEL: Record<Crawler, string> = {
  crawlee: "crawlee",
  nianbao: "nianbao",
  "nianbao-loop": "nianbao --no-extract",
};

/** What nianbao itself says (its log's summary line) and the RSS bench.sh sampled once a second. */
interface OwnFigures {
  /** CPU from the run's start to its summary (start-up excluded), per page. */
  runCpuMsPerPage: number | null;
  /** [seconds since start, MB]. */
  rss: [number, number][];
}

interface RunResult {
  crawler: Crawler;
  own: OwnFigures;
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

function runOnce(crawler: Crawler, caseName: string, rep: number, stamp: string): RunResult | null {
  const out = join("out", `vs-${stamp}`, caseName, `${crawler}-${rep}`);
  const env = {
    ...process.env,
    ...CASES[caseName]!.env,
    REPORT_LIKE: "true",
    NIANBAO_DIR: crawler === "nianbao-loop" ? NO_EXTRACT_DIR : ROOT,
    CRAWLER: crawler === "crawlee" ? "crawlee" : "nianbao",
    OUT: out,
    TIMEOUT: values["timeout-s"],
    REPS: "1",
    // Crawlee as in the shared results: autoscaled from 1 up to 32 (its best configuration there).
    ...(crawler === "crawlee" ? { CONC: "32", MIN_CONC: "1" } : {}),
  };
  process.stderr.write(`\n== ${caseName} run ${rep}: ${LABEL[crawler]}\n`);
  const run = spawnSync("bash", ["bench.sh"], { cwd: WORK, env, stdio: ["ignore", "inherit", "inherit"] });
  if (run.status !== 0) {
    process.stderr.write(`bench.sh for ${crawler} ${caseName} exited ${run.status}\n`);
    return null;
  }
  return readRun(join(WORK, out), crawler, caseName, rep);
}

function readRun(dir: string, crawler: Crawler, caseName: string, rep: number): RunResult | null {
  const file = readdirSync(dir).find((f) => f.startsWith("result-") && f.endsWith(".json"));
  if (!file) return null;
  const r = JSON.parse(readFileSync(join(dir, file), "utf8"));
  return { crawler, caseName, rep, r, own: ownFigures(dir, r.pages) };
}

function ownFigures(dir: string, pages: number): OwnFigures {
  const files = readdirSync(dir);
  const rssFile = files.find((f) => f.startsWith("rss-") && f.endsWith(".txt"));
  const rss: [number, number][] = rssFile
    ? readFileSync(join(dir, rssFile), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split(" ").map(Number) as [number, number])
        .map(([s, kb]) => [s, kb / 1024])
    : [];
  let runCpuMs: number | null = null;
  const log = files.find((f) => f.startsWith("nianbao-") && f.endsWith(".log"));
  if (log)
    for (const line of readFileSync(join(dir, log), "utf8").split("\n"))
      if (line.includes('"event":"summary"')) runCpuMs = JSON.parse(line).this_process_cpu_ms ?? null;
  return { runCpuMsPerPage: runCpuMs !== null && pages ? runCpuMs / pages : null, rss };
}

/**
 * RSS at ten points of the run (MB), and the second half's peak less the first half's: a crawl that holds
 * on to what it fetched grows there; V8 letting garbage pile up before its first full collection does not.
 */
function rssOverTime(rss: [number, number][]): { samples: string; growthMb: number | null } {
  if (rss.length < 4) return { samples: "–", growthMb: null };
  const end = rss[rss.length - 1]![0];
  const points: string[] = [];
  for (let i = 1; i <= 10; i++) {
    const t = (end * i) / 10;
    const at = rss.reduce((best, x) => (Math.abs(x[0] - t) < Math.abs(best[0] - t) ? x : best));
    points.push(`${at[0].toFixed(0)} s ${at[1].toFixed(0)}`);
  }
  const first = rss.filter((x) => x[0] <= end / 2).map((x) => x[1]);
  const second = rss.filter((x) => x[0] > end / 2).map((x) => x[1]);
  const growthMb = first.length && second.length ? Math.max(...second) - Math.max(...first) : null;
  return { samples: points.join(", "), growthMb };
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
    `${LABEL[x.crawler]} ${x.rep}`,
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
    fmt(x.own.runCpuMsPerPage, 2),
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
      "Crawlee 3.18.1 (autoscaled 1–32) → nianbao (`nianbao crawl`, default politeness) → nianbao " +
      "`--no-extract` (the crawl loop, archive and frontier writes alone: no extraction thread, no reports " +
      "stored) within each case. CPU ms/page: the crawler process's user + system time from `time -v` over " +
      "the pages (start-up and the end-of-run summary included); run CPU: what the crawl's own summary line " +
      "says it used from the run's start to its end (start-up excluded; the extraction thread included). " +
      '"other load" = cores of 2 the rest of the machine kept busy during the run (crawler and farm excluded): above ' +
      "~0.3 the figures are depressed by other jobs, Crawlee's far more than nianbao's.",
    "",
    "| case | crawler / run | other load | wall s | pages/s | share of the bound (H × 1000 / max(D, Crawl-delay)) | pages / each once | min gap all / HTML ms | gaps < D all / HTML | HTML gap p50 ms | max in flight per host | 429 → next | CPU ms/page | run CPU ms/page | peak RSS MB |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...results.map((x) => `| ${row(x)} |`),
    "",
  ];
  for (const name of caseNames) {
    const c = CASES[name]!;
    const of = (who: string) => results.filter((x) => x.caseName === name && x.crawler === who);
    const nb = of("nianbao");
    const loop = of("nianbao-loop");
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
    const both = [...nb, ...loop];
    const polite = both.every((x) => x.r.maxSameHostInFlight <= 1 && x.r.farmHtml200 === x.r.farmHtmlUnique);
    parts.push(polite ? "1 in flight per host, every page once" : "POLITENESS OR DUPLICATE CHECK FAILED");
    // As the farm stamps arrivals: a farm starved of CPU stamps some requests late, which shortens the next gap.
    const under = both.reduce((a, x) => a + x.r.sameHostGapsBelowD_all, 0);
    const minGap = Math.min(...both.map((x) => x.r.minSameHostGapMs_all ?? Number.POSITIVE_INFINITY));
    parts.push(
      under
        ? `${under} gaps under D as the farm stamped them (min ${minGap.toFixed(1)} ms)`
        : "no gap under D",
    );
    for (const x of both) {
      const cpu = [x.r.cpuMsPerPage, x.own.runCpuMsPerPage].map((v) => fmt(v, 2)).join(" / ");
      parts.push(
        `${LABEL[x.crawler]} ${x.rep}: CPU ${cpu} ms/page (process / run), peak RSS ${fmt(x.r.peakRssMb, 0)} MB`,
      );
    }
    lines.push(`- ${parts.join("; ")}.`);
    for (const x of both) {
      const { samples, growthMb } = rssOverTime(x.own.rss);
      const growth =
        growthMb === null
          ? ""
          : ` (second half's peak less the first half's: ${growthMb >= 0 ? "+" : ""}${growthMb.toFixed(0)} MB)`;
      lines.push(
        `  - RSS over the run, ${LABEL[x.crawler]} ${x.rep} (s since start, MB): ${samples}${growth}.`,
      );
    }
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
      for (const crawler of CRAWLERS) {
        const runDir = join(dir, caseName, `${crawler}-${rep}`);
        if (!existsSync(runDir)) continue;
        const run = readRun(runDir, crawler, caseName, rep);
        if (run) out.push(run);
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
    if (!values["no-loop"]) {
      const l = runOnce("nianbao-loop", name, rep, stamp);
      if (l) results.push(l);
    }
  }
const text = section(results, startedAt);
process.stdout.write(`${text}\n`);
if (!values["no-write"]) writeResults(text);
