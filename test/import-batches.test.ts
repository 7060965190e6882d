// A large import writes the pages its workers have ready in one transaction, each file in a savepoint:
// every file is reported once, in order, only after its commit, and a second import adds nothing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { generatedReportPage } from "../bench/generated-report.ts";
import { importPages } from "../pipeline/import-pages.ts";
import { openStore } from "../store/index.ts";

const PAGES = 120;
let dir: string;
let pagesDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-import-batches-"));
  pagesDir = join(dir, "pages");
  mkdirSync(pagesDir);
  for (let i = 0; i < PAGES; i++) {
    const p = generatedReportPage(i);
    writeFileSync(join(pagesDir, p.name), p.text);
  }
  // One unreadable page among them: reported as failed in its place, the batch goes on.
  writeFileSync(join(pagesDir, "report-00050-empty.txt"), "");
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

it("reports each file once, in order, after its commit; re-importing adds nothing", async () => {
  const store = openStore(join(dir, "a.sqlite"));
  const seen: { index: number; status: string; inTransaction: boolean; stored: boolean }[] = [];
  const stored = store.db.prepare("SELECT 1 FROM reports WHERE source_url = ?").pluck();
  const first = await importPages(store, [pagesDir], {
    workers: 2,
    onFile: (r, index) => {
      seen.push({
        index,
        status: r.status,
        inTransaction: store.db.inTransaction,
        stored: stored.get(pathToFileURL(r.file).href) === 1,
      });
    },
  });
  expect(first.files).toBe(PAGES + 1);
  expect(first.new).toBe(PAGES);
  expect(first.failed.map((f) => f.file)).toEqual([join(pagesDir, "report-00050-empty.txt")]);
  expect(seen.map((s) => s.index)).toEqual([...Array(PAGES + 1).keys()]);
  expect(seen.filter((s) => s.inTransaction)).toEqual([]);
  expect(seen.filter((s) => s.status === "new" && !s.stored)).toEqual([]);
  expect(seen[50]?.status).toBe("failed"); // "report-00050-empty" sorts before "report-00050."

  const counts = () =>
    ["reports", "report_versions", "fetches", "bodies", "table_cells", "report_values"].map(
      (t) => store.db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number,
    );
  const before = counts();
  expect(before[0]).toBe(PAGES);
  const second = await importPages(store, [pagesDir], { workers: 2 });
  expect(second.unchanged).toBe(PAGES);
  expect(second.new + second.changed).toBe(0);
  expect(counts()).toEqual(before);
  expect(store.db.pragma("integrity_check", { simple: true })).toBe("ok");
  store.close();
});
