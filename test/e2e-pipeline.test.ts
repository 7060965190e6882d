// The whole pipeline on real parts: farm (demo portals) → crawler → extractor → SQLite → `nianbao export csv`,
// then the CSV files hold exactly the fixture pages' expected values; and `nianbao demo` twice (second all 304).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIO } from "../cli/command.ts";
import { main } from "../cli/main.ts";
import { demoReports, demoSites, FIXTURE_PAGES_DIR } from "../fixtures/farm/server/demo-hosts.ts";
import { collectingLogger, farmConnectTo } from "../fixtures/farm/server/farm-connect.ts";
import { type Farm, startFarm } from "../fixtures/farm/server/farm-server.ts";
import { crawlIntoStore } from "../pipeline/crawl.ts";
import { type Expected, expectedSchema } from "./support/expected-record.ts";

let farm: Farm;
let dir: string;
let dbPath: string;
let crawlExit: number;

/** RFC 4180 as `export csv` writes it: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += c;
  }
  const [header, ...rows] = records;
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ""])));
}

function cliIO(cwd: string) {
  const out = { stdout: "", stderr: "" };
  const io: CliIO = {
    stdout: (t) => {
      out.stdout += t;
    },
    stderr: (t) => {
      out.stderr += t;
    },
    isTTY: false,
    env: {},
    cwd,
  };
  return { io, out };
}

function expectedFor(fixture: string): Expected {
  const slug = fixture.replace(/\.(gbk\.)?html$/, "");
  return expectedSchema.parse(
    JSON.parse(readFileSync(join(FIXTURE_PAGES_DIR, `${slug}.expected.json`), "utf8")),
  );
}

beforeAll(async () => {
  farm = await startFarm();
  dir = mkdtempSync(join(tmpdir(), "nianbao-e2e-"));
  dbPath = join(dir, "e2e.sqlite");
  const result = await crawlIntoStore({
    dbPath,
    sites: demoSites({ delayMs: 10 }),
    logger: collectingLogger().logger,
    connectTo: farmConnectTo(farm.port),
    browser: null,
    extract: true,
  });
  crawlExit = result.exitCode;
}, 60_000);
afterAll(async () => {
  await farm.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("farm → crawl → extract → store → export csv", () => {
  const reports = demoReports();

  it("crawls the four demo portals cleanly, through their pagination, and stays on them", () => {
    expect(crawlExit).toBe(0);
    expect(reports.length).toBe(19);
    expect(new Set(reports.map((r) => r.host))).toEqual(
      new Set(["demo-1.gov.cn", "demo-2.gov.cn", "demo-3.gov.cn", "demo-4.gov.cn"]),
    );
    // Every list page of every style was read (TRS index_N, jhtml index_N, 下一页), and no non-report link.
    const paths = farm.log.map((r) => `${r.host}${r.path}`);
    for (const p of [
      "demo-1.gov.cn/xxgk/ndbg/index_2.html",
      "demo-3.gov.cn/zwgk/ndbg/index_2.jhtml",
      "demo-4.gov.cn/news/list_2.html",
    ])
      expect(paths).toContain(p);
    expect(paths.filter((p) => p.includes("_notice"))).toEqual([]);
    expect(new Set(farm.log.map((r) => r.host)).size).toBe(4);
  });

  it("report_values CSV: every report page's values are exactly its fixture's expected values", async () => {
    const csvPath = join(dir, "values.csv");
    const { io, out } = cliIO(dir);
    expect(
      await main(["export", "csv", "--view", "report_values", "--db", dbPath, "--out", csvPath], io),
    ).toBe(0);
    expect(out.stderr).toContain("wrote");
    const rows = parseCsv(readFileSync(csvPath, "utf8"));
    const byUrl = new Map<string, Record<string, number>>();
    for (const r of rows) {
      const values = byUrl.get(r.source_url!) ?? {};
      values[r.key!] = Number(r.value);
      byUrl.set(r.source_url!, values);
    }
    expect([...byUrl.keys()].sort()).toEqual(reports.map((r) => `http://${r.host}${r.path}`).sort());
    for (const report of reports) {
      const exp = expectedFor(report.fixture);
      const got = byUrl.get(`http://${report.host}${report.path}`)!;
      // Exactly the expected keys and numbers: nothing missing, nothing wrong, nothing extra.
      expect(got, report.fixture).toEqual(exp.values);
      for (const prefix of exp.absent_prefixes)
        expect(
          Object.keys(got).filter((k) => k.startsWith(prefix)),
          `${report.fixture} ${prefix}`,
        ).toEqual([]);
    }
  });

  it("disclosure_counts CSV: agency, year, template and publication date as the fixtures expect, GBK page included", async () => {
    const csvPath = join(dir, "counts.csv");
    const { io } = cliIO(dir);
    expect(await main(["export", "csv", "--db", dbPath, "--out", csvPath], io)).toBe(0);
    const rows = parseCsv(readFileSync(csvPath, "utf8"));
    expect(rows.length).toBe(reports.length);
    for (const report of reports) {
      const exp = expectedFor(report.fixture);
      const row = rows.find((r) => r.source_url === `http://${report.host}${report.path}`);
      expect(row, report.fixture).toBeDefined();
      expect(
        {
          agency: row!.agency,
          report_year: Number(row!.report_year),
          template: row!.template,
          published_at: row!.published_at,
          is_annual_report: row!.is_annual_report,
          proactive_items_published: row!.proactive_items_published,
        },
        report.fixture,
      ).toEqual({
        agency: exp.agency,
        report_year: exp.report_year,
        template: exp.template,
        published_at: exp.published_at,
        is_annual_report: "1",
        proactive_items_published: String(exp.values["proactive.items_published"] ?? ""),
      });
    }
    const gbk = rows.find(
      (r) => r.source_url?.startsWith("http://demo-2.gov.cn/") && r.agency === "长垣市财政局",
    );
    expect(gbk?.title).toBe("长垣市财政局2023年政府信息公开工作年度报告");
  });
});

describe("nianbao demo (npm start), run twice", () => {
  it("first run stores 19 new reports and writes the CSV; the second fetches nothing unchanged and says so", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "nianbao-demo-"));
    try {
      const first = cliIO(cwd);
      expect(await main(["demo", "--delay-ms", "10"], first.io), first.out.stderr).toBe(0);
      expect(first.out.stdout).toMatch(/crawl run 1:/);
      const news = [...first.out.stdout.matchAll(/\(new (\d+), changed 0, unchanged 0\)/g)].map((m) =>
        Number(m[1]),
      );
      expect(news.reduce((a, b) => a + b, 0)).toBe(19);
      expect(first.out.stdout).toContain("disclosure counts (19 reports): out/disclosure-counts.csv");
      expect(first.out.stdout).not.toContain("unchanged since last run");
      const csv = parseCsv(readFileSync(resolve(cwd, "out/disclosure-counts.csv"), "utf8"));
      expect(csv.length).toBe(19);

      const second = cliIO(cwd);
      expect(await main(["demo", "--delay-ms", "10"], second.io), second.out.stderr).toBe(0);
      expect(second.out.stdout).toMatch(/crawl run 2:/);
      expect(second.out.stdout).not.toMatch(/\bnew [1-9]|\bchanged [1-9]|!! /);
      // Every page comes back 304: the first list page of each portal is read from its archived body,
      // finds every link known, and stops the paging there.
      const m =
        /unchanged since last run: (\d+) of (\d+) pages \((\d+) answered 304 Not Modified, (\d+) fetched again/.exec(
          second.out.stdout,
        );
      expect(m, second.out.stdout).not.toBeNull();
      const [, unchanged, pages, notModified, same] = m!.map(Number);
      expect(unchanged).toBe(pages);
      expect(same).toBe(0);
      expect(notModified).toBe(pages);
      expect(pages).toBe(15);
      expect(second.out.stdout).toContain("disclosure counts (19 reports)");

      // Health where no registry file is at hand: the sites the database was last crawled with.
      const health = cliIO(cwd);
      expect(
        await main(["sites", "health", "--db", "demo.sqlite", "--json"], health.io),
        health.out.stderr,
      ).toBe(0);
      const rows = JSON.parse(health.out.stdout).sites as { slug: string; status: string; reports: number }[];
      expect(rows.map((r) => [r.slug, r.status, r.reports])).toEqual([
        ["demo-gbk", "ok", 4],
        ["demo-jhtml", "ok", 5],
        ["demo-next", "ok", 4],
        ["demo-trs", "ok", 6],
      ]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
