// `import` of a report page beside its attachments: one report with several sources, the page (as
// complete as the PDF and DOCX printed from it) kept primary and current, one passing agreement check
// per second source, as a crawl files them (test/attachments-store covers a disagreeing source).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importPages } from "../pipeline/import-pages.ts";
import { openStore, type Store } from "../store/index.ts";

const FIXTURES = resolve(import.meta.dirname, "../fixtures");
const PAGE = join(FIXTURES, "pages/junan-hrss-2023.html");
const PDF = join(FIXTURES, "attachments/junan-hrss-2023.pdf");
const DOCX = join(FIXTURES, "attachments/junan-hrss-2023.docx");

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-import-sources-"));
  store = openStore(join(dir, "sources.sqlite"));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const sources = () =>
  store.db
    .prepare("SELECT report_id, role, source_format FROM v_report_sources ORDER BY role, source_format")
    .all() as { report_id: number; role: string; source_format: string }[];

describe("import of a page and its attachments", () => {
  it("files them under one report with the page primary and every value agreeing", async () => {
    const summary = await importPages(store, [PAGE, PDF, DOCX]);
    expect(summary.failed).toEqual([]);
    expect([summary.new, summary.changed]).toEqual([1, 2]);
    const rows = sources();
    expect(new Set(rows.map((r) => r.report_id)).size).toBe(1);
    expect(rows.map((r) => [r.role, r.source_format])).toEqual([
      ["primary", "html"],
      ["second", "docx"],
      ["second", "pdf"],
    ]);
    const current = store.db
      .prepare("SELECT v.source_format FROM reports r JOIN report_versions v ON v.id = r.current_version_id")
      .pluck()
      .all();
    expect(current).toEqual(["html"]);
    const checks = store.db.prepare("SELECT ok, detail FROM source_checks ORDER BY detail").all() as {
      ok: number;
      detail: string;
    }[];
    expect(checks).toHaveLength(2);
    expect(checks.every((c) => c.ok === 1 && /^all \d+ shared values agree/.test(c.detail))).toBe(true);
  });

  it("importing them again adds nothing", async () => {
    await importPages(store, [PAGE, PDF, DOCX]);
    const count = () =>
      store.db
        .prepare(
          "SELECT (SELECT COUNT(*) FROM report_versions) || '/' || (SELECT COUNT(*) FROM report_sources) || '/' || (SELECT COUNT(*) FROM source_checks)",
        )
        .pluck()
        .get();
    const before = count();
    const again = await importPages(store, [PAGE, PDF, DOCX]);
    expect(again.unchanged).toBe(3);
    expect(count()).toBe(before);
  });
});
