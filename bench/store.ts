// Store bench: import throughput for generated reports (extraction included) and size per report,
// then the time to read v_disclosure_counts over 50,000 reports. Targets: ≥300 reports/s, < 1 s.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { extractReport } from "../extract/index.ts";
import { importPages } from "../pipeline/import-pages.ts";
import { DISCLOSURE_COLUMNS, openStore, type StoreDb } from "../store/index.ts";
import { benchResult, type Figure } from "./bench-result.ts";
import { generatedReportPage } from "./generated-report.ts";
import { mainThreadCpuSeconds, processCpuSeconds } from "./thread-cpu.ts";

const { values } = parseArgs({
  options: {
    reports: { type: "string", default: "5000" },
    "view-reports": { type: "string", default: "50000" },
    keep: { type: "boolean" },
    workers: { type: "string" },
  },
});
const importCount = Number(values.reports);
const viewCount = Number(values["view-reports"]);

const dir = mkdtempSync(join(tmpdir(), "nianbao-bench-store-"));
const pagesDir = join(dir, "pages");
mkdirSync(pagesDir);
for (let i = 0; i < importCount; i++) {
  const p = generatedReportPage(i);
  writeFileSync(join(pagesDir, p.name), p.text);
}

function fileBytes(path: string): number {
  let total = 0;
  for (const suffix of ["", "-wal"]) {
    try {
      total += statSync(path + suffix).size;
    } catch {
      // No WAL after a checkpoint.
    }
  }
  return total;
}

// 1. Extraction alone, for the breakdown.
let t = performance.now();
const sample = Math.min(importCount, 500);
for (let i = 0; i < sample; i++) {
  const p = generatedReportPage(i);
  extractReport({ content: p.text, fileName: p.name });
}
const extractMs = (performance.now() - t) / sample;

// 2. Import: read, hash, compress, extract, store — one transaction per file.
const dbPath = join(dir, "bench.sqlite");
const store = openStore(dbPath);
t = performance.now();
const mainCpu0 = mainThreadCpuSeconds();
const cpu0 = processCpuSeconds();
const summary = await importPages(store, [pagesDir], {
  workers: values.workers === undefined ? undefined : Number(values.workers),
});
const importSeconds = (performance.now() - t) / 1000;
const mainCpuMs = mainCpu0 === null ? null : ((mainThreadCpuSeconds() as number) - mainCpu0) * 1000;
const cpuMs = (processCpuSeconds() - cpu0) * 1000;
store.db.pragma("wal_checkpoint(TRUNCATE)");
const bytes = fileBytes(dbPath);
const perSecond = summary.new / importSeconds;
console.log(
  `import: ${summary.new} reports in ${importSeconds.toFixed(1)} s = ${perSecond.toFixed(0)} reports/s (target ≥300; extraction alone ${extractMs.toFixed(2)} ms/report = ${(1000 / extractMs).toFixed(0)}/s)`,
);
const perReport = (ms: number) => ms / Math.max(1, summary.new);
const figures: Figure[] = [
  {
    name: `import, ${summary.new} generated reports, extraction included`,
    value: perSecond,
    unit: "reports/s",
    target: { op: ">=", value: 300 },
  },
  { name: "extraction alone (one thread)", value: 1000 / extractMs, unit: "reports/s" },
];
if (mainCpuMs !== null)
  figures.push({
    name: "import: CPU of the writing thread",
    value: perReport(mainCpuMs),
    unit: "ms/report",
    note: `its ceiling ${(1000 / perReport(mainCpuMs)).toFixed(0)} reports/s`,
  });
figures.push({ name: "import: CPU of all threads", value: perReport(cpuMs), unit: "ms/report" });
console.log(
  `        CPU ${perReport(cpuMs).toFixed(2)} ms/report over all threads` +
    (mainCpuMs === null
      ? ""
      : `, ${perReport(mainCpuMs).toFixed(2)} ms/report on the writing thread (its ceiling: ${(1000 / perReport(mainCpuMs)).toFixed(0)} reports/s)`),
);
console.log(
  `size:   ${(bytes / 1e6).toFixed(1)} MB = ${(bytes / summary.new / 1024).toFixed(1)} KB per report (bodies gzip, sections, cells, values, FTS)`,
);
figures.push({ name: "database size per report", value: bytes / summary.new / 1024, unit: "KB" });

// 3. Grow to `viewCount` reports by copying the imported ones under new keys (what the view reads:
//    reports, versions, values, checks, flags), then time a full read of v_disclosure_counts.
const countCols = DISCLOSURE_COLUMNS.filter((c) => c.perVersion)
  .map((c) => c.name)
  .join(", ");

function grow(db: StoreDb, target: number): void {
  const have = () => db.prepare("SELECT COUNT(*) FROM reports").pluck().get() as number;
  const baseVersions = db.prepare("SELECT id FROM report_versions ORDER BY id").pluck().all() as number[];
  const copy = db.transaction((round: number, limit: number) => {
    const ids = baseVersions.slice(0, limit);
    for (const vid of ids) {
      const v = db.prepare("SELECT * FROM report_versions WHERE id = ?").get(vid) as Record<string, unknown>;
      const rid = db
        .prepare(
          "INSERT INTO reports (report_key, agency, report_year, source_url, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .run(
          `copy${round}:${vid}`,
          v.agency,
          (v.report_year as number) - round,
          `copy${round}:${v.source_url}`,
          v.created_at,
        ).lastInsertRowid;
      const nv = db
        .prepare(
          `INSERT INTO report_versions (report_id, fetch_id, body_sha256, source_url, extractor_version, record_sha256, created_at, title, agency, report_year, published_at, doc_number, is_annual_report, template, metadata_notes_json, text_chars)
           SELECT ?, fetch_id, body_sha256, ?, extractor_version, record_sha256, created_at, title, agency, report_year - ?, published_at, doc_number, is_annual_report, template, metadata_notes_json, text_chars FROM report_versions WHERE id = ?`,
        )
        .run(rid, `copy${round}:${v.source_url}`, round, vid).lastInsertRowid;
      db.prepare(
        "INSERT INTO report_values (version_id, key, value, source) SELECT ?, key, value, source FROM report_values WHERE version_id = ?",
      ).run(nv, vid);
      db.prepare(
        "INSERT INTO checks (version_id, position, check_id, ok, detail) SELECT ?, position, check_id, ok, detail FROM checks WHERE version_id = ?",
      ).run(nv, vid);
      db.prepare(
        "INSERT INTO flags (version_id, position, flag_id, detail) SELECT ?, position, flag_id, detail FROM flags WHERE version_id = ?",
      ).run(nv, vid);
      db.prepare(
        `INSERT INTO report_version_counts (version_id, ${countCols}) SELECT ?, ${countCols} FROM report_version_counts WHERE version_id = ?`,
      ).run(nv, vid);
      db.prepare("UPDATE reports SET current_version_id = ? WHERE id = ?").run(nv, rid);
    }
  });
  for (let round = 1; have() < target; round++) copy(round, Math.min(baseVersions.length, target - have()));
}

if (viewCount > 0) {
  t = performance.now();
  grow(store.db, viewCount);
  store.db.exec("ANALYZE");
  const reports = store.db.prepare("SELECT COUNT(*) FROM reports").pluck().get() as number;
  const values = store.db.prepare("SELECT COUNT(*) FROM report_values").pluck().get() as number;
  console.log(
    `grown to ${reports} reports, ${values} values in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  const best = (read: () => number) => {
    const runs: number[] = [];
    let rows = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      rows = read();
      runs.push(performance.now() - t0);
    }
    return { rows, best: Math.min(...runs), runs: runs.map((r) => r.toFixed(0)).join(", ") };
  };
  const view = "SELECT * FROM v_disclosure_counts";
  const raw = best(() => store.db.prepare(view).raw().all().length);
  const objects = best(() => store.db.prepare(view).all().length);
  figures.push({
    name: `v_disclosure_counts, ${raw.rows} reports, full read`,
    value: raw.best,
    unit: "ms",
    target: { op: "<", value: 1000 },
  });
  console.log(
    `v_disclosure_counts: ${raw.rows} rows in ${raw.best.toFixed(0)} ms as arrays (runs ${raw.runs} ms; target < 1000 ms)`,
  );
  console.log(
    `                     ${objects.rows} rows in ${objects.best.toFixed(0)} ms as JS objects (runs ${objects.runs} ms)`,
  );
}

store.close();
benchResult("store", figures);
if (values.keep) console.log(`kept ${dbPath}`);
else rmSync(dir, { recursive: true, force: true });
