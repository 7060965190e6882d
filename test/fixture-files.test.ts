// Checks the extractor fixtures themselves (fixtures/pages): every page has an expected file, every
// expected file parses with known keys, its numbers obey the spec's identities and are printed on its page.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { allTableKeys, PROSE_KEYS } from "../extract/templates/report-templates.ts";

const DIR = join(import.meta.dirname, "..", "fixtures", "pages");
const EXPECTED_SUFFIX = ".expected.json";

const CHECK_IDS = [
  "applications.balance",
  "applications.row_totals",
  "applications.results_sum",
  "review.total",
  "litigation.direct.total",
  "litigation.after_review.total",
] as const;
const FLAG_IDS = [
  "table2_ragged",
  "table3_ragged",
  "spam_injected",
  "amount_converted",
  "traditional_folded",
  "pinyin_removed",
] as const;
const APPLICANTS = ["natural_person", "business", "research", "nonprofit", "legal_services", "other_org"];
const COLUMNS = [...APPLICANTS, "total"];

// Strict: a misspelt field name must fail here rather than be silently ignored by the comparison.
const expectedFileSchema = z
  .object({
    agency: z.string().min(1).nullable().optional(),
    report_year: z.number().int().min(2000).max(2030).nullable().optional(),
    template: z.enum(["2021", "2019", "pre2019", "unknown"]).optional(),
    published_at: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable()
      .optional(),
    doc_number: z.string().min(1).nullable().optional(),
    is_annual_report: z.boolean().optional(),
    values: z.record(z.string(), z.number().finite()),
    absent_prefixes: z.array(z.string().min(3)).optional(),
    flags: z.array(z.enum(FLAG_IDS)).optional(),
    failed_checks: z.array(z.enum(CHECK_IDS)).optional(),
  })
  .strict();
type ExpectedFile = z.infer<typeof expectedFileSchema>;

interface Fixture {
  stem: string;
  pageFile: string;
  expected: ExpectedFile;
  text: string;
}

const files = readdirSync(DIR).sort();
const pageFiles = files.filter((f) => !f.endsWith(".json") && f !== "README.md");
const expectedFiles = files.filter((f) => f.endsWith(EXPECTED_SUFFIX));
const stemOf = (pageFile: string) => pageFile.replace(/(\.gbk)?\.(html|txt)$/, "");

function decode(pageFile: string): string {
  const bytes = readFileSync(join(DIR, pageFile));
  return new TextDecoder(pageFile.endsWith(".gbk.html") ? "gbk" : "utf-8", { fatal: true }).decode(bytes);
}

/** Page text with tags removed (span joins kept tight: Word splits one number over several spans). */
function pageText(raw: string): string {
  return raw
    .replace(/<\/?span[^>]*>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/[０-９．]/g, (c) => (c === "．" ? "." : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

function load(pageFile: string): Fixture {
  const stem = stemOf(pageFile);
  const expected = expectedFileSchema.parse(
    JSON.parse(readFileSync(join(DIR, stem + EXPECTED_SUFFIX), "utf8")),
  );
  return { stem, pageFile, expected, text: pageText(decode(pageFile)) };
}

/** The spec's identities, computed on the expected values: ids of those that fail. */
function failingChecks(v: Record<string, number>): string[] {
  const fails: string[] = [];
  const get = (k: string): number => v[k] ?? 0;
  const balance = ["applications.new_received.total", "applications.carried_over.total"];
  const outcome = ["applications.results.total.total", "applications.carried_forward.total"];
  if ([...balance, ...outcome].every((k) => k in v)) {
    const lhs = balance.reduce((s, k) => s + get(k), 0);
    const rhs = outcome.reduce((s, k) => s + get(k), 0);
    if (lhs !== rhs) fails.push("applications.balance");
  }
  const rows = new Set(
    Object.keys(v)
      .filter((k) => k.startsWith("applications.") && COLUMNS.some((c) => k.endsWith(`.${c}`)))
      .map((k) => k.slice(0, k.lastIndexOf("."))),
  );
  for (const row of rows) {
    if (!COLUMNS.every((c) => `${row}.${c}` in v)) continue;
    const sum = APPLICANTS.reduce((s, c) => s + get(`${row}.${c}`), 0);
    if (sum !== get(`${row}.total`)) {
      fails.push("applications.row_totals");
      break;
    }
  }
  // Leaf result rows only: group subtotals (…denied.total.*) are not parts of the sum.
  const parts = [...rows].filter(
    (r) =>
      r.startsWith("applications.results.") && r !== "applications.results.total" && !r.endsWith(".total"),
  );
  for (const c of COLUMNS) {
    const total = v[`applications.results.total.${c}`];
    if (total === undefined) continue;
    if (parts.reduce((s, r) => s + (v[`${r}.${c}`] ?? 0), 0) !== total) {
      fails.push("applications.results_sum");
      break;
    }
  }
  for (const group of ["review", "litigation.direct", "litigation.after_review"]) {
    const keys = ["upheld", "corrected", "other", "pending"].map((p) => `${group}.${p}`);
    if (!keys.every((k) => k in v) || !(`${group}.total` in v)) continue;
    if (keys.reduce((s, k) => s + get(k), 0) !== get(`${group}.total`)) fails.push(`${group}.total`);
  }
  return fails;
}

describe("fixture pages", () => {
  it("has at least 20 pages, each with an expected file and each expected file with a page", () => {
    expect(pageFiles.length).toBeGreaterThanOrEqual(20);
    expect(pageFiles.map(stemOf).sort()).toEqual(
      expectedFiles.map((f) => f.slice(0, -EXPECTED_SUFFIX.length)).sort(),
    );
    for (const f of pageFiles) expect(f).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*(\.gbk)?\.(html|txt)$/);
  });

  it("lists every page in the README", () => {
    const readme = readFileSync(join(DIR, "README.md"), "utf8");
    for (const f of pageFiles) expect(readme, f).toContain(f);
  });

  it("covers the templates, layouts and flags the extractor must handle", () => {
    const all = pageFiles.map(load);
    const templates = new Set(all.map((f) => f.expected.template));
    for (const t of ["2021", "2019", "pre2019", "unknown"]) expect(templates).toContain(t);
    const flags = new Set(all.flatMap((f) => f.expected.flags ?? []));
    for (const flag of FLAG_IDS) expect(flags).toContain(flag);
    expect(all.some((f) => f.expected.is_annual_report === false)).toBe(true);
    expect(all.some((f) => (f.expected.failed_checks ?? []).length > 0)).toBe(true);
    expect(pageFiles.filter((f) => f.endsWith(".txt")).length).toBeGreaterThanOrEqual(5);
    expect(pageFiles.some((f) => f.endsWith(".gbk.html"))).toBe(true);
  });

  for (const pageFile of pageFiles) {
    describe(pageFile, () => {
      const known = new Set<string>([...allTableKeys(), ...PROSE_KEYS]);

      it("parses, with known keys only", () => {
        const { expected } = load(pageFile);
        for (const k of Object.keys(expected.values)) expect(known.has(k), `unknown key ${k}`).toBe(true);
        for (const p of expected.absent_prefixes ?? []) {
          expect(
            [...known].some((k) => k.startsWith(p)),
            `prefix ${p} matches no key`,
          ).toBe(true);
          const clash = Object.keys(expected.values).filter((k) => k.startsWith(p));
          expect(clash, `values under absent prefix ${p}`).toEqual([]);
        }
      });

      it("states the identity checks that fail, and only those", () => {
        const { expected } = load(pageFile);
        expect(failingChecks(expected.values).sort()).toEqual([...(expected.failed_checks ?? [])].sort());
      });

      it("prints every expected number on the page", () => {
        const { expected, text } = load(pageFile);
        const printed = new Set(text.match(/\d+(?:\.\d+)?/g) ?? []);
        const converted = (expected.flags ?? []).includes("amount_converted");
        for (const [k, v] of Object.entries(expected.values)) {
          // A prose negation (没有收到…, 未发生…) states 0 without a digit.
          if (v === 0 && (PROSE_KEYS as readonly string[]).includes(k)) continue;
          const shown =
            converted && k.endsWith(".amount_wan_yuan")
              ? [String(Math.round(v * 10000))]
              : [String(Math.abs(v)), Math.abs(v).toFixed(2)];
          expect(
            shown.some((s) => printed.has(s)),
            `${k} = ${v} not printed`,
          ).toBe(true);
        }
      });

      it("is encoded as its name says", () => {
        const bytes = readFileSync(join(DIR, pageFile));
        if (pageFile.endsWith(".gbk.html")) {
          expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
          expect(decode(pageFile)).toMatch(/charset=(gb2312|gbk|gb18030)/i);
        } else {
          expect(() => decode(pageFile)).not.toThrow();
        }
      });
    });
  }

  it("keeps injected spam out of everything but the spam-flagged pages", () => {
    for (const f of pageFiles.map(load)) {
      const spam = /beplay|体育投注/.test(f.text);
      expect(spam, f.pageFile).toBe((f.expected.flags ?? []).includes("spam_injected"));
    }
  });
});
