// Compares an extracted record with an expected file (the seeds-expected.json entry shape): wrong
// values and forbidden keys are failures; missing values are listed separately, never hidden.
import { z } from "zod";
import type { ReportRecord } from "../../extract/schema.ts";

export const expectedSchema = z
  .object({
    title: z.string().optional(),
    agency: z.string().nullable().optional(),
    report_year: z.number().nullable().optional(),
    template: z.string().optional(),
    published_at: z.string().nullable().optional(),
    doc_number: z.string().nullable().optional(),
    is_annual_report: z.boolean().optional(),
    values: z.record(z.string(), z.number()).default({}),
    absent_prefixes: z.array(z.string()).default([]),
    flags: z.array(z.string()).default([]),
    failed_checks: z.array(z.string()).default([]),
    notes: z.string().optional(),
  })
  .passthrough();
export type Expected = z.infer<typeof expectedSchema>;

export interface Comparison {
  right: number;
  wrong: string[];
  missing: string[];
  meta: string[];
}

const META = [
  "agency",
  "report_year",
  "template",
  "published_at",
  "doc_number",
  "is_annual_report",
  "title",
] as const;

export function compareRecord(rec: ReportRecord, exp: Expected): Comparison {
  const out: Comparison = { right: 0, wrong: [], missing: [], meta: [] };
  for (const [k, v] of Object.entries(exp.values)) {
    const got = rec.values[k];
    if (got === undefined) out.missing.push(`${k} (want ${v})`);
    else if (Math.abs(got - v) < 1e-6) out.right++;
    else out.wrong.push(`${k} = ${got}, want ${v}`);
  }
  for (const pre of exp.absent_prefixes) {
    for (const k of Object.keys(rec.values))
      if (k.startsWith(pre)) out.wrong.push(`${k} = ${rec.values[k]} should not be extracted`);
  }
  const ids = new Set(rec.flags.map((f) => f.id));
  for (const f of exp.flags) if (!ids.has(f)) out.meta.push(`flag ${f} missing`);
  for (const c of exp.failed_checks) {
    const check = rec.checks.find((x) => x.id === c);
    if (!check) out.meta.push(`check ${c} not run`);
    else if (check.ok) out.meta.push(`check ${c} passed, expected to fail`);
  }
  for (const m of META) {
    if (m in exp && String((exp as Record<string, unknown>)[m]) !== String(rec[m])) {
      out.meta.push(
        `${m} = ${JSON.stringify(rec[m])}, want ${JSON.stringify((exp as Record<string, unknown>)[m])}`,
      );
    }
  }
  return out;
}
