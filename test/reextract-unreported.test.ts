// `reextract` over a crawl archived with --no-extract: report pages without a report row are
// extracted then, and the database ends with the same report values as a crawl that extracted at once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectingLogger, farmConnectTo } from "../fixtures/farm/server/farm-connect.ts";
import { type Farm, startFarm } from "../fixtures/farm/server/farm-server.ts";
import { farmSites } from "../fixtures/farm/server/farm-sites.ts";
import { crawlIntoStore } from "../pipeline/crawl.ts";
import { openDatabase } from "../pipeline/open-database.ts";
import { reextractAll } from "../pipeline/reextract.ts";

let farm: Farm;
let dir: string;

beforeAll(async () => {
  farm = await startFarm();
  dir = mkdtempSync(join(tmpdir(), "nianbao-reextract-"));
});
afterAll(async () => {
  await farm.close();
  rmSync(dir, { recursive: true, force: true });
});

async function crawl(name: string, extract: boolean): Promise<string> {
  const dbPath = join(dir, name);
  await crawlIntoStore({
    dbPath,
    sites: farmSites({
      delayMs: 0,
      only: [
        "farm-trs",
        "farm-pagediv",
        "farm-hanweb",
        "farm-gkmlpt",
        "farm-jhtml",
        "farm-next",
        "farm-none",
        "farm-gbk",
      ],
    }),
    logger: collectingLogger().logger,
    connectTo: farmConnectTo(farm.port),
    browser: null,
    extract,
  });
  return dbPath;
}

function reportValues(dbPath: string): string[] {
  const store = openDatabase(dbPath, { mustExist: true });
  try {
    return (
      store.db
        .prepare(
          `SELECT r.source_url, v.key, v.value FROM report_values v
           JOIN reports r ON r.current_version_id = v.version_id ORDER BY 1, 2`,
        )
        .all() as { source_url: string; key: string; value: number }[]
    ).map((r) => `${r.source_url} ${r.key}=${r.value}`);
  } finally {
    store.close();
  }
}

describe("reextract picks up pages archived without a report", () => {
  it("extracts report pages of a --no-extract crawl and matches a crawl that extracted at once", async () => {
    const extracted = await crawl("extracted.sqlite", true);
    const archived = await crawl("archived.sqlite", false);
    const expected = reportValues(extracted);
    expect(expected.length).toBeGreaterThan(10);
    expect(reportValues(archived)).toEqual([]);

    const store = openDatabase(archived, { mustExist: true });
    try {
      const first = await reextractAll(store);
      expect(first.changed).toBeGreaterThan(0);
      expect(first.changes.every((c) => c.status === "new")).toBe(true);
      // The farm's attachment stubs (a 0-page PDF, a DOC that is a PDF…) fail as they did at crawl time;
      // every HTML report page is extracted.
      expect(first.failed.filter((f) => !/\.(pdf|docx?|wps|ofd|xls)$/.test(f.sourceUrl))).toEqual([]);
      // A second pass finds every page stored and unchanged; the pages that are not reports stay counted.
      const second = await reextractAll(store);
      expect(second.changed).toBe(0);
      expect(second.unchanged).toBe(first.changed);
      expect(second.notReports).toBe(first.notReports);
    } finally {
      store.close();
    }
    expect(reportValues(archived)).toEqual(expected);
  });
});
