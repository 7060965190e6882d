// Extraction throughput: every fixture page (seeds, fixture pages, real reports) repeated to at
// least 2,000 documents on one core; prints reports/s and heap/RSS before and after (memory flat?).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeBody } from "../crawler/decode/decode-body.ts";
import { extractReport } from "../extract/extract-report.ts";
import { benchResult } from "./bench-result.ts";

const ROOT = join(import.meta.dirname, "..");
const SHARED = join(ROOT, "..", "shared");
const target = Number(process.argv[2] ?? 2000);

function pagesIn(dir: string, re: RegExp): { name: string; content: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => re.test(f))
    .map((f) => ({ name: f, content: decodeBody(readFileSync(join(dir, f))).text }));
}

const docs = [
  ...pagesIn(join(SHARED, "seeds"), /\.txt$/),
  ...pagesIn(join(SHARED, "real-reports"), /\.html$/),
  ...pagesIn(join(ROOT, "fixtures", "pages"), /\.(html|txt)$/),
];
if (!docs.length) {
  console.error("bench/extract: no pages found (fixtures/pages, ../shared/seeds, ../shared/real-reports)");
  process.exit(2);
}
const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
// Warm up the JIT on every page once.
for (const d of docs) extractReport({ content: d.content, fileName: d.name });
globalThis.gc?.();
const before = process.memoryUsage();
let bytes = 0;
let values = 0;
const rounds = Math.ceil(target / docs.length);
const start = process.hrtime.bigint();
let n = 0;
const rssSamples: number[] = [];
for (let r = 0; r < rounds; r++) {
  for (const d of docs) {
    const rec = extractReport({ content: d.content, fileName: d.name });
    bytes += d.content.length;
    values += Object.keys(rec.values).length;
    n++;
  }
  if (r % Math.max(1, Math.floor(rounds / 10)) === 0) rssSamples.push(process.memoryUsage().rss);
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const after = process.memoryUsage();
console.log(
  `bench/extract: ${n} documents (${docs.length} distinct pages × ${rounds}) in ${seconds.toFixed(2)} s`,
);
console.log(
  `  ${(n / seconds).toFixed(0)} reports/s on one core (target ≥ 500), ${(bytes / 1024 / 1024 / seconds).toFixed(1)} MB/s of page text, ${(values / seconds).toFixed(0)} values/s`,
);
console.log(
  `  RSS ${mb(before.rss)} → ${mb(after.rss)} MB (samples: ${rssSamples.map(mb).join(", ")}), heap used ${mb(before.heapUsed)} → ${mb(after.heapUsed)} MB`,
);
console.log(`  ratio to target: ${(n / seconds / 500).toFixed(2)}×`);
benchResult("extract", [
  {
    name: `extraction, ${docs.length} distinct pages × ${rounds}, one thread`,
    value: n / seconds,
    unit: "reports/s",
    target: { op: ">=", value: 500 },
  },
  { name: "extraction: page text", value: bytes / 1024 / 1024 / seconds, unit: "MB/s" },
  {
    name: "extraction: heap growth over the run",
    value: (after.heapUsed - before.heapUsed) / 1024 / 1024,
    unit: "MB",
  },
]);
