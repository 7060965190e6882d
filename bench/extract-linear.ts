// Extraction time against page size: a real report page grown to 1 MB and to 8 MB (its prose
// repeated, the same sentence many times over, tables kept), each extracted in full. Seconds per MB
// should stay flat: the 8 MB page within 2× the 1 MB page's rate.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { extractReport } from "../extract/extract-report.ts";
import { benchResult } from "./bench-result.ts";

const ROOT = join(import.meta.dirname, "..");
const base = readFileSync(join(ROOT, "fixtures", "pages", "xunxian-civil-affairs-2016.html"), "utf8");
const sentence = "全年主动公开政府信息318条，收到政府信息公开申请3件，均已按时答复。";

/** The page with `mb` megabytes of report prose inserted before its closing body tag. */
function grown(mb: number): string {
  const paragraph = `<p>${sentence.repeat(20)}</p>\n`;
  const copies = Math.ceil((mb * 1024 * 1024) / paragraph.length);
  return base.replace("</body>", `${paragraph.repeat(copies)}</body>`);
}

function secondsPerMb(mb: number): number {
  const page = grown(mb);
  // The first run of a size warms the JIT and the regex caches; the second is measured.
  extractReport({ content: page, fileName: "warm.html" });
  const start = process.hrtime.bigint();
  extractReport({ content: page, fileName: "grown.html" });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const size = page.length / 1024 / 1024;
  console.log(
    `  ${size.toFixed(1)} M characters: ${seconds.toFixed(2)} s, ${(seconds / size).toFixed(3)} s per M`,
  );
  return seconds / size;
}

console.log("bench/extract-linear: one page grown by repeating a sentence of its prose");
const one = secondsPerMb(1);
const eight = secondsPerMb(8);
const ratio = eight / one;
console.log(`  8 MB / 1 MB seconds per MB: ${ratio.toFixed(2)} (target ≤ 2)`);
benchResult("extract-linear", [
  { name: "1 MB page", value: one, unit: "s/MB" },
  { name: "8 MB page", value: eight, unit: "s/MB" },
  { name: "8 MB / 1 MB rate", value: ratio, unit: "×", target: { op: "<", value: 2 } },
]);
