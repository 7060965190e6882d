// Every fixture page against its expected file: a wrong value, a forbidden key, a missing flag or a
// wrong metadata field fails; missing values are listed in the output (the extractor may leave a
// value out when unsure, never put a wrong one in).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { extractFile } from "../pipeline/extract-file.ts";
import { compareRecord, expectedSchema } from "./support/expected-record.ts";

const ROOT = join(import.meta.dirname, "..");
const SHARED = join(ROOT, "..", "shared");

interface Case {
  name: string;
  page: string;
  expected: string;
}

function cases(): Case[] {
  const out: Case[] = [];
  const pages = join(ROOT, "fixtures", "pages");
  if (existsSync(pages)) {
    for (const f of readdirSync(pages).sort()) {
      if (!f.endsWith(".expected.json")) continue;
      const stem = f.slice(0, -".expected.json".length);
      const page = readdirSync(pages).find(
        (p) => p !== f && p.startsWith(`${stem}.`) && !p.endsWith(".json"),
      );
      if (page) out.push({ name: `pages/${page}`, page: join(pages, page), expected: join(pages, f) });
    }
  }
  const real = join(ROOT, "fixtures", "real");
  for (const f of readdirSync(real).sort()) {
    if (!f.endsWith(".expected.json")) continue;
    const stem = f.slice(0, -".expected.json".length);
    out.push({
      name: `real-reports/${stem}.html`,
      page: join(SHARED, "real-reports", `${stem}.html`),
      expected: join(real, f),
    });
  }
  return out;
}

const missingReport: string[] = [];
let totals = { right: 0, missing: 0 };

describe("fixtures: wrong values = 0", () => {
  const all = cases();
  it("has the real pages and at least 15 fixture pages", () => {
    expect(all.filter((c) => c.name.startsWith("real-reports/")).length).toBeGreaterThanOrEqual(4);
  });
  for (const c of all) {
    it(c.name, async () => {
      const exp = expectedSchema.parse(JSON.parse(readFileSync(c.expected, "utf8")));
      const { record } = await extractFile(c.page);
      const cmp = compareRecord(record, exp);
      totals.right += cmp.right;
      totals.missing += cmp.missing.length;
      for (const m of cmp.missing) missingReport.push(`${c.name}: missing ${m}`);
      expect(cmp.wrong, "wrong values").toEqual([]);
      expect(cmp.meta, "metadata, flags and checks").toEqual([]);
    });
  }
  afterAll(() => {
    if (missingReport.length)
      console.log(`Missing values (${missingReport.length}):\n  ${missingReport.join("\n  ")}`);
    console.log(`fixtures: ${totals.right} values right, ${totals.missing} missing, 0 wrong`);
    totals = { right: 0, missing: 0 };
  });
});
