// Attachment conversion speed: PDF pages/s and MB/s over the real PDFs and the PDF fixtures (repeated
// to at least N pages), DOCX/DOC files/s, and each bad input's time to fail and peak RSS (10 s / 500 MB).
// Run: node bin/run-ts.js bench/attachments.ts [minPages=300]
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AttachmentError } from "../extract/attachments/attachment-result.ts";
import { convertAttachment } from "../extract/attachments/convert-attachment.ts";
import { benchResult, type Figure } from "./bench-result.ts";

const ROOT = join(import.meta.dirname, "..");
const minPages = Number(process.argv[2] ?? 300);
const mb = (n: number) => n / 1024 / 1024;

function filesIn(dir: string, re: RegExp): { name: string; bytes: Uint8Array }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => re.test(f))
    .sort()
    .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(dir, f))) }));
}

const pdfs = [
  ...filesIn(join(ROOT, "..", "shared", "real-reports"), /\.pdf$/),
  ...filesIn(join(ROOT, "fixtures", "attachments"), /\.pdf$/),
];
if (!pdfs.length) {
  console.error("bench/attachments: no PDFs found (../shared/real-reports, fixtures/attachments)");
  process.exit(2);
}

let peakRss = 0;
let badOk = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

// Warm-up: one pass.
for (const f of pdfs) await convertAttachment(f.bytes);

// Bad inputs first, on a warm process: the RSS they add over the loaded readers is their own cost
// (loading pdfjs through tsx alone takes ~450 MB RSS; under plain node about 100 MB).
const baseline = process.memoryUsage().rss;
console.log(
  `Bad inputs (must fail within 10 s, adding under 500 MB; baseline RSS ${mb(baseline).toFixed(0)} MB):`,
);
const bad = filesIn(join(ROOT, "fixtures", "attachments", "bad"), /./);
const whole = pdfs[0]!.bytes;

bad.push({ name: "truncated.pdf (first 30%)", bytes: whole.subarray(0, Math.floor(whole.length * 0.3)) });
for (const f of bad) {
  peakRss = 0;
  const s = performance.now();
  let outcome: string;
  try {
    const r = await convertAttachment(f.bytes, { signal: AbortSignal.timeout(10_000) });
    outcome = `read as ${r.format}${r.flags.length ? ` [${r.flags.map((x) => x.id).join(", ")}]` : ""}`;
  } catch (err) {
    outcome = err instanceof AttachmentError ? `failed: ${err.reason}` : `CRASH: ${(err as Error).message}`;
  }
  const ms = performance.now() - s;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const added = Math.max(0, peakRss - baseline);
  const ok = ms < 10_000 && added < 500 * 1024 * 1024 && !outcome.startsWith("CRASH");
  if (ok) badOk++;
  console.log(
    `  ${ok ? "ok  " : "FAIL"} ${f.name}: ${outcome} in ${ms.toFixed(0)} ms, peak RSS ${mb(peakRss).toFixed(0)} MB (+${mb(added).toFixed(0)})`,
  );
}

let pages = 0;
let bytes = 0;
let files = 0;
const t0 = performance.now();
while (pages < minPages) {
  for (const f of pdfs) {
    const r = await convertAttachment(f.bytes);
    pages += r.pages ?? 0;
    bytes += f.bytes.length;
    files++;
  }
}
const secs = (performance.now() - t0) / 1000;
console.log(`PDF: ${files} files, ${pages} pages, ${mb(bytes).toFixed(1)} MB in ${secs.toFixed(2)} s`);
console.log(`PDF: ${(pages / secs).toFixed(1)} pages/s, ${(mb(bytes) / secs).toFixed(2)} MB/s`);
const figures: Figure[] = [
  { name: `PDF conversion, ${files} files, ${pages} pages`, value: pages / secs, unit: "pages/s" },
  { name: "PDF conversion", value: mb(bytes) / secs, unit: "MB/s" },
];

for (const ext of ["docx", "doc"]) {
  const docs = filesIn(join(ROOT, "fixtures", "attachments"), new RegExp(`\\.${ext}$`));
  if (!docs.length) continue;
  const s = performance.now();
  let n = 0;
  let b = 0;
  while (n < 40) {
    for (const d of docs) {
      await convertAttachment(d.bytes);
      n++;
      b += d.bytes.length;
    }
  }
  const sec = (performance.now() - s) / 1000;
  console.log(`${ext.toUpperCase()}: ${(n / sec).toFixed(1)} files/s, ${(mb(b) / sec).toFixed(2)} MB/s`);
  figures.push({ name: `${ext.toUpperCase()} conversion`, value: n / sec, unit: "files/s" });
}

clearInterval(sampler);
figures.push({
  name: "bad inputs failing within 10 s and 500 MB",
  value: badOk,
  unit: `of ${bad.length}`,
  target: { op: ">=", value: bad.length },
});
benchResult("attachments", figures);
