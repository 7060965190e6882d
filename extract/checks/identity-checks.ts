// The arithmetic identities of the official forms, run over the keyed values. A failed check is data
// (many published reports are wrong), recorded with the numbers that disagree; nothing is corrected.
import type { Check } from "../schema.ts";
import { TABLE2_COLUMNS, TABLE2_GROUPS } from "../templates/report-templates.ts";

const APPLICANTS = TABLE2_COLUMNS.filter((c) => c.key !== "total").map((c) => c.key);
const COLUMNS = TABLE2_COLUMNS.map((c) => c.key);

function eq(a: number, b: number): boolean {
  return Math.abs(a - b) < 1e-9;
}

/** Each column's keys of the results rows, built once: the checks run on every report. */
const RESULT_KEYS = new Map(
  COLUMNS.map((col) => [
    col,
    {
      granted: `applications.results.granted.${col}`,
      partial: `applications.results.partially_granted.${col}`,
      groups: TABLE2_GROUPS.map((g) => ({
        items: g.items.map((i) => ({ part: `${g.key}.${i.key}`, key: `${g.key}.${i.key}.${col}` })),
        total: { part: `${g.key}.total`, key: `${g.key}.total.${col}` },
        single:
          g.keyWhenSingle === undefined
            ? undefined
            : { part: g.keyWhenSingle, key: `${g.keyWhenSingle}.${col}` },
        optional: g.key === "applications.results.other",
      })),
    },
  ]),
);

/** The results parts the 2019/2021 forms add up to (七)总计: items where printed, else the group row. */
function resultParts(values: Record<string, number>, col: string): { sum: number; parts: string[] } | null {
  const keys = RESULT_KEYS.get(col)!;
  const parts: string[] = [];
  let sum = 0;
  const take = (k: { part: string; key: string }) => {
    const v = values[k.key];
    if (v === undefined) return false;
    sum += v;
    parts.push(k.part);
    return true;
  };
  if (
    !take({ part: "applications.results.granted", key: keys.granted }) ||
    !take({ part: "applications.results.partially_granted", key: keys.partial })
  )
    return null;
  for (const g of keys.groups) {
    const printed = g.items.filter((k) => values[k.key] !== undefined);
    if (printed.length === g.items.length) g.items.forEach(take);
    else if (printed.length === 0 && (take(g.total) || (g.single !== undefined && take(g.single)))) continue;
    else if (printed.length === 0 && g.optional)
      continue; // some pages omit (六)
    else return null;
  }
  return { sum, parts };
}

export function runChecks(values: Record<string, number>, template: string): Check[] {
  const checks: Check[] = [];
  const v = (k: string) => values[k];
  // A page with no table values (prose only) has nothing to add up.
  let tabled = false;
  for (const k in values)
    if (
      k.startsWith("applications.") ||
      k.startsWith("review.") ||
      k.startsWith("litigation.") ||
      k.endsWith(".prev_year_items")
    ) {
      tabled = true;
      break;
    }
  if (!tabled) return checks;

  // applications.balance: new + carried over = results total + carried forward (per column).
  const bad: string[] = [];
  let balanceCols = 0;
  for (const col of COLUMNS) {
    const a = v(`applications.new_received.${col}`);
    const b = v(`applications.carried_over.${col}`);
    const c = v(`applications.results.total.${col}`);
    const d = v(`applications.carried_forward.${col}`);
    if (a === undefined || b === undefined || c === undefined || d === undefined) continue;
    balanceCols++;
    if (!eq(a + b, c + d)) bad.push(`${col}: ${a} + ${b} ≠ ${c} + ${d}`);
  }
  if (balanceCols) {
    checks.push({
      id: "applications.balance",
      ok: bad.length === 0,
      detail: bad.length ? bad.join("; ") : `${balanceCols} columns balance`,
    });
  }

  // applications.row_totals: the six applicant columns add up to 总计, for every row printed whole.
  const rowPrefixes = new Set<string>();
  for (const k of Object.keys(values)) {
    if (
      k.startsWith("applications.") &&
      k.endsWith(".total") &&
      !k.startsWith("applications.results.total.")
    ) {
      rowPrefixes.add(k.slice(0, -".total".length));
    }
  }
  rowPrefixes.add("applications.results.total");
  const rowBad: string[] = [];
  let rows = 0;
  for (const row of rowPrefixes) {
    const total = v(`${row}.total`);
    const parts = APPLICANTS.map((c) => v(`${row}.${c}`));
    if (total === undefined || parts.some((p) => p === undefined)) continue;
    rows++;
    const sum = parts.reduce<number>((s, p) => s + (p ?? 0), 0);
    if (!eq(sum, total)) rowBad.push(`${row}: applicants sum to ${sum}, total printed ${total}`);
  }
  if (rows)
    checks.push({
      id: "applications.row_totals",
      ok: rowBad.length === 0,
      detail: rowBad.length ? rowBad.join("; ") : `${rows} rows add up`,
    });

  // applications.results_sum: granted + partial + denied/unable/not_processed/other parts = (七)总计.
  const sumBad: string[] = [];
  let sumCols = 0;
  for (const col of COLUMNS) {
    const total = v(`applications.results.total.${col}`);
    const parts = resultParts(values, col);
    if (total === undefined || !parts) continue;
    sumCols++;
    if (!eq(parts.sum, total)) sumBad.push(`${col}: parts sum to ${parts.sum}, 总计 printed ${total}`);
  }
  if (sumCols)
    checks.push({
      id: "applications.results_sum",
      ok: sumBad.length === 0,
      detail: sumBad.length ? sumBad.join("; ") : `${sumCols} columns add up`,
    });

  // review / litigation: the four parts add up to 总计.
  for (const g of ["review", "litigation.direct", "litigation.after_review"]) {
    const parts = ["upheld", "corrected", "other", "pending"].map((p) => v(`${g}.${p}`));
    const total = v(`${g}.total`);
    if (total === undefined || parts.some((p) => p === undefined)) continue;
    const sum = parts.reduce<number>((s, p) => s + (p ?? 0), 0);
    checks.push({
      id: `${g}.total`,
      ok: eq(sum, total),
      detail: eq(sum, total) ? `${sum} = ${total}` : `parts sum to ${sum}, 总计 printed ${total}`,
    });
  }

  // proactive.change (2019): last year's items plus this year's change cannot leave a negative count.
  if (template === "2019") {
    const changeBad: string[] = [];
    let n = 0;
    for (const k of Object.keys(values)) {
      if (!k.endsWith(".prev_year_items")) continue;
      const row = k.slice(0, -".prev_year_items".length);
      const prev = values[k]!;
      const change = v(`${row}.change`);
      if (change === undefined) continue;
      n++;
      if (prev + change < 0)
        changeBad.push(`${row}: ${prev} ${change < 0 ? "−" : "+"} ${Math.abs(change)} < 0`);
    }
    if (n)
      checks.push({
        id: "proactive.change",
        ok: changeBad.length === 0,
        detail: changeBad.length ? changeBad.join("; ") : `${n} rows plausible`,
      });
  }
  return checks;
}
