// Decides which source of one report is primary when both the HTML page and its attachment hold it:
// the more complete statistics table wins, the other is kept as a second source, and any value the
// two disagree on is recorded as a failed `sources.agree` check. Pure.
import type { Check, ReportRecord } from "../schema.ts";

export interface SourceCandidate {
  kind: "page" | "attachment";
  /** "html", "pdf", "docx"… */
  format: string;
  url: string | null;
  /** For attachments: the page that linked to it. */
  linkedFrom: string | null;
  record: ReportRecord;
}

export interface SourceChoice {
  primary: SourceCandidate;
  /** The other sources, kept (never discarded), in input order. */
  secondary: SourceCandidate[];
  /** `sources.agree`, present when there was more than one source. */
  check: Check | null;
  /** Per second source, in `secondary` order: the keys both hold and the values they print differently. */
  comparisons: SourceComparison[];
  reason: string;
}

export interface SourceComparison {
  other: SourceCandidate;
  /** Keys both sources hold a value for. */
  shared: number;
  differing: { key: string; primary: number; other: number }[];
}

/** Keyed table values read with certainty: the measure of a table's completeness. */
export function tableCompleteness(record: ReportRecord): number {
  const keys = new Set<string>();
  for (const c of record.cells) if (c.key && c.value !== null) keys.add(c.key);
  return keys.size;
}

function label(c: SourceCandidate): string {
  return c.kind === "page" ? `page (${c.format})` : `attachment (${c.format})`;
}

export function chooseSource(candidates: SourceCandidate[]): SourceChoice {
  if (candidates.length === 0) throw new RangeError("chooseSource needs at least one source");
  const scored = candidates.map((c, i) => ({ c, i, score: tableCompleteness(c.record) }));
  // More table values wins; on a tie the page wins (it is what the portal shows), then input order.
  scored.sort(
    (a, b) =>
      b.score - a.score || (a.c.kind === "page" ? -1 : 0) - (b.c.kind === "page" ? -1 : 0) || a.i - b.i,
  );
  const best = scored[0]!;
  const rest = scored.slice(1).sort((a, b) => a.i - b.i);
  const primary = best.c;
  const secondary = rest.map((s) => s.c);
  const reason =
    rest.length === 0
      ? "only source"
      : `${label(primary)} has ${best.score} table values against ${rest.map((s) => `${s.score} in the ${label(s.c)}`).join(", ")}${rest.some((s) => s.score === best.score) ? " (tie: the page is preferred)" : ""}`;
  if (!secondary.length) return { primary, secondary, check: null, comparisons: [], reason };
  const differences: string[] = [];
  const onlyIn: string[] = [];
  const comparisons: SourceComparison[] = [];
  for (const other of secondary) {
    const a = primary.record.values;
    const b = other.record.values;
    const comparison: SourceComparison = { other, shared: 0, differing: [] };
    for (const key of Object.keys(a).sort()) {
      if (!(key in b)) continue;
      comparison.shared++;
      if (Math.abs(a[key]! - b[key]!) > 1e-9) {
        comparison.differing.push({ key, primary: a[key]!, other: b[key]! });
        differences.push(`${key}: ${label(primary)} ${a[key]}, ${label(other)} ${b[key]}`);
      }
    }
    comparisons.push(comparison);
    const missing = Object.keys(b).filter((k) => !(k in a)).length;
    const extra = Object.keys(a).filter((k) => !(k in b)).length;
    if (missing || extra)
      onlyIn.push(`${extra} keys only in the ${label(primary)}, ${missing} only in the ${label(other)}`);
  }
  const detail = differences.length
    ? `${differences.length} values differ: ${differences.join("; ")}${onlyIn.length ? ` (${onlyIn.join("; ")})` : ""}`
    : `all shared values agree${onlyIn.length ? ` (${onlyIn.join("; ")})` : ""}`;
  return {
    primary,
    secondary,
    check: { id: "sources.agree", ok: differences.length === 0, detail },
    comparisons,
    reason,
  };
}
