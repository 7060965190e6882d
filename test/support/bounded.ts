// The time and memory bound of the hostile-input tests: the outcome is asserted by the test, the bound
// here (generous for a loaded 2-core CI machine, but real: a hang or a blow-up fails).
import { expect } from "vitest";

/** Runs `fn`, and checks it took under `ms` and the process never grew past `rssMB` resident. */
export async function bounded<T>(fn: () => T | Promise<T>, ms = 30_000, rssMB = 1_536): Promise<T> {
  const start = process.hrtime.bigint();
  const value = await fn();
  const took = Number(process.hrtime.bigint() - start) / 1e6;
  expect(took, `took ${took.toFixed(0)} ms`).toBeLessThan(ms);
  expect(process.resourceUsage().maxRSS / 1024, "peak RSS (MB)").toBeLessThan(rssMB);
  return value;
}
