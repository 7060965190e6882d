// `npm run bench`: runs every benchmark in its own child process (so each peak RSS is its own), prints
// their output and writes bench/results.local.md (untracked), or bench/results.md with --update.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type BenchResult, RESULT_PREFIX, targetRatio } from "./bench-result.ts";

const ROOT = join(import.meta.dirname, "..");

interface BenchSpec {
  name: string;
  script: string;
  args: string[];
  /** What it measures, for results.md. */
  about: string;
}

const BENCHES: BenchSpec[] = [
  {
    name: "startup",
    script: "bench/startup.ts",
    args: [],
    about: "`nianbao --help` and `--version` from the compiled dist/ (built first), median of 9 runs",
  },
  {
    name: "extract",
    script: "bench/extract.ts",
    args: ["2000"],
    about: "extraction of every fixture, seed and real page, repeated to 2,000 documents, one thread",
  },
  {
    name: "extract-linear",
    script: "bench/extract-linear.ts",
    args: [],
    about: "one report page grown to 1 MB and 8 MB by repeating a sentence: seconds per MB at each size",
  },
  {
    name: "store",
    script: "bench/store.ts",
    args: ["--reports", "5000", "--view-reports", "50000"],
    about:
      "`import` of 5,000 generated report pages (read, extract, hash, gzip, store) into a new file; then v_disclosure_counts over 50,000 reports",
  },
  {
    name: "crawl",
    script: "bench/crawl.ts",
    args: ["--hosts", "200", "--delay-ms", "200"],
    about:
      "crawl of 200 loopback hosts (farm in its own process), polite (200 ms per host) against the bound hosts × 1/delay, then politeness off",
  },
  {
    name: "attachments",
    script: "bench/attachments.ts",
    args: ["300"],
    about: "PDF conversion (real PDFs and fixtures) to ≥ 300 pages, DOCX/DOC, bad inputs",
  },
];

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    out: { type: "string" },
    // bench/results.md is the figures the README quotes: rewritten only when asked.
    update: { type: "boolean", default: false },
  },
});
values.out ??= join(ROOT, "bench", values.update ? "results.md" : "results.local.md");
const selected = values.only ? BENCHES.filter((b) => values.only?.split(",").includes(b.name)) : BENCHES;

interface Ran {
  spec: BenchSpec;
  seconds: number;
  output: string;
  result: BenchResult | null;
  exitCode: number | null;
}

function runBench(spec: BenchSpec): Promise<Ran> {
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, ["bin/run-ts.js", spec.script, ...spec.args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const take = (chunk: Buffer, to: NodeJS.WriteStream) => {
      const text = chunk.toString();
      output += text;
      // The result line is for this script; people read the rest.
      const shown = text
        .split("\n")
        .filter((l) => !l.startsWith(RESULT_PREFIX))
        .join("\n");
      to.write(shown);
    };
    child.stdout.on("data", (c: Buffer) => take(c, process.stdout));
    child.stderr.on("data", (c: Buffer) => take(c, process.stderr));
    child.on("close", (code) => {
      const line = output.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
      done({
        spec,
        seconds: (performance.now() - started) / 1000,
        output: output
          .split("\n")
          .filter((l) => !l.startsWith(RESULT_PREFIX))
          .join("\n")
          .trim(),
        result: line ? (JSON.parse(line.slice(RESULT_PREFIX.length)) as BenchResult) : null,
        exitCode: code,
      });
    });
  });
}

function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync("/etc/os-release", "utf8"));
    if (m?.[1]) return `${m[1]} (${os.type()} ${os.release()})`;
  } catch {
    // Not Linux: the kernel name is enough.
  }
  return `${os.type()} ${os.release()}`;
}

const fmt = (n: number): string =>
  Number.isInteger(n) || Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);

const started = new Date();
const loadAtStart = os.loadavg();
const machine = {
  cpu: os.cpus()[0]?.model.trim() ?? "unknown",
  cores: os.availableParallelism(),
  ramGb: os.totalmem() / 1024 ** 3,
  node: process.version,
  os: osName(),
};
console.log(
  `nianbao benchmarks on ${machine.cpu}, ${machine.cores} cores, ${machine.ramGb.toFixed(1)} GB, Node ${machine.node}; ` +
    `load average at start ${loadAtStart.map((l) => l.toFixed(2)).join(", ")}`,
);

const runs: Ran[] = [];
for (const spec of selected) {
  console.log(`\n== ${spec.name}: ${spec.about}`);
  const ran = await runBench(spec);
  runs.push(ran);
  if (ran.exitCode !== 0 || !ran.result)
    console.log(`!! ${spec.name} ended with exit code ${ran.exitCode} and no result line`);
}
const totalSeconds = runs.reduce((a, r) => a + r.seconds, 0);
const loadAtEnd = os.loadavg();

const rows: string[] = [];
for (const r of runs) {
  if (!r.result) {
    rows.push(`| ${r.spec.name} | failed (exit ${r.exitCode}) | | | | |`);
    continue;
  }
  r.result.figures.forEach((f, i) => {
    const ratio = targetRatio(f);
    const target = f.target ? `${f.target.op === ">=" ? "≥" : "<"} ${fmt(f.target.value)} ${f.unit}` : "";
    const ratioText = ratio === null ? "" : `${ratio.toFixed(2)}×${ratio >= 1 ? "" : " (below)"}`;
    rows.push(
      `| ${i === 0 ? r.spec.name : ""} | ${f.name}${f.note ? ` (${f.note})` : ""} | ${fmt(f.value)} ${f.unit} | ${target} | ${ratioText} | ${i === 0 ? `${r.result?.peakRssMb.toFixed(0)} MB` : ""} |`,
    );
  });
}

const md = `# Benchmark results

Written by \`npm run bench\` (bench/run-all.ts) on ${started.toISOString().slice(0, 16).replace("T", " ")} UTC;
the whole run took ${fmt(totalSeconds)} s. Each bench runs alone with \`node bin/run-ts.js bench/<name>.ts\`.

| Machine | |
|---|---|
| CPU | ${machine.cpu} |
| Cores | ${machine.cores} |
| RAM | ${machine.ramGb.toFixed(1)} GB |
| Node | ${machine.node} |
| OS | ${machine.os} |
| Load average (1, 5, 15 min) at start | ${loadAtStart.map((l) => l.toFixed(2)).join(", ")} |
| Load average at end | ${loadAtEnd.map((l) => l.toFixed(2)).join(", ")} |

${
  loadAtStart[0] !== undefined && loadAtStart[0] > machine.cores / 2
    ? `**Noisy figures:** the machine was shared while these ran (load average ${loadAtStart[0].toFixed(1)} on ${machine.cores} cores at the start), so the wall-clock figures are low and vary between runs; CPU per item (ms/report, ms/page) is the steadier figure.\n`
    : "The machine was mostly idle at the start; figures may still vary by ±10% between runs.\n"
}
| Bench | Figure | Value | Target | Ratio to target | Peak RSS |
|---|---|---|---|---|---|
${rows.join("\n")}

Ratio to target: value ÷ target for "at least" targets, target ÷ value for "below" ones; ≥ 1 meets it.
Peak RSS is the bench process's own (process.resourceUsage().maxRSS, all its threads); the crawl
bench's loopback farm runs in a separate process and is not counted.

## What each bench does

${runs.map((r) => `- **${r.spec.name}** (\`node bin/run-ts.js ${r.spec.script} ${r.spec.args.join(" ")}\`, ${fmt(r.seconds)} s): ${r.spec.about}.`).join("\n")}

## Output

${runs.map((r) => `### ${r.spec.name}\n\n\`\`\`\n${r.output}\n\`\`\``).join("\n\n")}
`;
// The side-by-side crawl section is written by bench/crawl-vs-crawlee.ts (minutes of farm runs):
// a rewrite of the file keeps it, and what follows it, as it was.
const SIDE_BY_SIDE = "<!-- crawl-vs-crawlee: start -->";
let kept = "";
try {
  const old = readFileSync(values.out as string, "utf8");
  const at = old.indexOf(SIDE_BY_SIDE);
  if (at >= 0) kept = old.slice(at);
} catch {
  // No earlier file: nothing to keep.
}
writeFileSync(values.out as string, kept ? `${md}\n${kept}` : md);
console.log(`\nall benchmarks in ${fmt(totalSeconds)} s; results written to ${values.out}`);
process.exitCode = runs.every((r) => r.exitCode === 0 && r.result) ? 0 : 1;
