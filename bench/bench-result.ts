// The one machine-readable line each bench prints last, so bench/run-all.ts can gather figures from
// child processes: the figures with their targets, and the process's peak RSS.

export interface Figure {
  /** What was measured, e.g. "import throughput". */
  name: string;
  value: number;
  unit: string;
  /** The figure the issue asks for: value must be at least (">=") or below ("<") it. */
  target?: { op: ">=" | "<"; value: number };
  note?: string;
}

export interface BenchResult {
  bench: string;
  figures: Figure[];
  /** Peak resident set size of the bench process (all threads), MB. */
  peakRssMb: number;
}

export const RESULT_PREFIX = "BENCH-RESULT ";

/** Prints the result line (after the human-readable output). */
export function benchResult(bench: string, figures: Figure[]): BenchResult {
  // resourceUsage().maxRSS is in kilobytes (getrusage ru_maxrss).
  const result: BenchResult = { bench, figures, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  console.log(`peak RSS ${result.peakRssMb.toFixed(0)} MB`);
  console.log(RESULT_PREFIX + JSON.stringify(result));
  return result;
}

/** value / target for ">=" targets, target / value for "<" ones: above 1 means the target is met. */
export function targetRatio(f: Figure): number | null {
  if (!f.target) return null;
  if (f.target.op === ">=") return f.value / f.target.value;
  return f.value === 0 ? Number.POSITIVE_INFINITY : f.target.value / f.value;
}
