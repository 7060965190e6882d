// The researcher's commands end to end on a real file: import, export (CSV round trip through Python's
// csv module, formula-safe cells, datapackage.json), compare, search, checks, stats, reextract, --help.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReportRecord } from "../extract/schema.ts";
import { extractFile } from "../pipeline/extract-file.ts";
import { csvField, formulaSafe, openStore, saveReport } from "../store/index.ts";
import { runCli } from "./support/cli-in-process.ts";

const SEEDS = resolve("../shared/seeds");
const REAL = resolve("../shared/real-reports");

let dir: string;
let db: string;

const cli = (args: string[], env: Record<string, string | undefined> = {}, cwd = dir) =>
  runCli(args, { cwd: cwd, env: env });

const NASTY_TITLE = '=HYPERLINK("http://evil.example/x","点我"), 含"引号"\n第二行';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-cli-"));
  db = join(dir, "cli.sqlite");
  const r = await cli(["import", SEEDS, REAL, "--db", db]);
  expect(r.code).toBe(0);
  // A report whose title would run as a formula in a spreadsheet, with a comma, quotes and a newline.
  const store = openStore(db);
  const record: ReportRecord = {
    extractor_version: "0.1.0",
    title: NASTY_TITLE,
    agency: "@恶意机关",
    report_year: 2022,
    published_at: "2023-01-31",
    doc_number: "-1号",
    is_annual_report: true,
    template: "2021",
    metadata_notes: {},
    headings: [],
    values: { "applications.new_received.total": -2, "proactive.items_published": 3.5 },
    cells: [],
    facts: [],
    checks: [],
    flags: [],
    text: "正文",
  };
  saveReport(store.db, { record, sourceUrl: "http://evil.example/report.html" });
  store.close();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("import", () => {
  it("reports what it stored, and a second run adds nothing", async () => {
    const again = await cli(["import", SEEDS, REAL, "--db", db, "--json"]);
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout);
    // Five seeds, four saved HTML pages and three PDF reports; the folder's README.md is not a page.
    expect(summary).toMatchObject({ files: 12, new: 0, changed: 0, unchanged: 12, failed: [] });
    expect(summary.skipped.map((f: { file: string }) => f.file.split("/").pop())).toEqual(["README.md"]);
  });

  it("lists an unreadable file, stores the rest, and exits 1", async () => {
    const other = join(dir, "mixed.sqlite");
    const image = join(dir, "scan.png");
    writeFileSync(
      image,
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]),
    );
    const r = await cli(["import", join(SEEDS, "000_79210d5000610149.txt"), image, "--db", other]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/2 file\(s\) into .*: 1 new report\(s\), 0 changed, 0 unchanged, 1 failed/);
    expect(r.stderr).toMatch(/failed: .*scan\.png/);
  });

  it("stops before storing anything when a named file does not exist", async () => {
    const other = join(dir, "typo.sqlite");
    const r = await cli([
      "import",
      join(SEEDS, "000_79210d5000610149.txt"),
      join(dir, "gone.html"),
      "--db",
      other,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such file or folder: .*gone\.html/);
    expect(existsSync(other)).toBe(false);
  });

  it("reads PDF reports through the attachment readers", () => {
    const rows = JSON.parse(
      execFileSync(
        "sqlite3",
        ["-json", db, "SELECT report_year, flags FROM v_disclosure_counts WHERE source_url LIKE '%.pdf'"],
        { encoding: "utf8" },
      ),
    ) as { report_year: number; flags: string }[];
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.flags).toMatch(/attachment_pdf/);
  });

  it("uses NIANBAO_DB, and ./nianbao.sqlite when neither --db nor NIANBAO_DB is given", async () => {
    const envDb = join(dir, "from-env.sqlite");
    expect((await cli(["import", join(SEEDS, "001_ed069e08a3961e4f.txt")], { NIANBAO_DB: envDb })).code).toBe(
      0,
    );
    expect(existsSync(envDb)).toBe(true);
    const cwd = join(dir, "work");
    mkdirSync(cwd);
    expect((await cli(["import", join(SEEDS, "001_ed069e08a3961e4f.txt")], {}, cwd)).code).toBe(0);
    expect(existsSync(join(cwd, "nianbao.sqlite"))).toBe(true);
    const stats = await cli(["stats", "--json"], {}, cwd);
    expect(JSON.parse(stats.stdout).reports).toBe(1);
  });

  it("rejects a call without files", async () => {
    const r = await cli(["import", "--db", db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing the files or folders to import/);
  });
});

describe("export csv", () => {
  it("makes formula-looking text safe and leaves plain numbers alone", () => {
    expect(formulaSafe("=1+2")).toBe("'=1+2");
    expect(formulaSafe("+86 123")).toBe("'+86 123");
    expect(formulaSafe("-1号")).toBe("'-1号");
    expect(formulaSafe("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(formulaSafe("\tx")).toBe("'\tx");
    expect(formulaSafe("\rx")).toBe("'\rx");
    expect(formulaSafe("-3")).toBe("-3");
    expect(formulaSafe("+5.02")).toBe("+5.02");
    expect(formulaSafe("天水市民政局")).toBe("天水市民政局");
    expect(csvField(-3)).toBe("-3");
    expect(csvField('a,"b"')).toBe('"a,""b"""');
  });

  it("round-trips through Python's csv module: every cell equals v_disclosure_counts (text made formula-safe)", async () => {
    const out = join(dir, "out", "counts.csv");
    mkdirSync(join(dir, "out"));
    const r = await cli(["export", "csv", "--out", out, "--db", db]);
    expect(r.code).toBe(0);
    const check = `
import csv, json, re, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
cur = con.execute("SELECT * FROM v_disclosure_counts ORDER BY agency, report_year, report_id")
cols = [d[0] for d in cur.description]
want = []
for row in cur.fetchall():
    cells = []
    for v in row:
        if v is None: cells.append("")
        elif isinstance(v, str):
            plain = re.fullmatch(r"[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?", v)
            cells.append("'" + v if v[:1] in ("=", "+", "-", "@", "\\t", "\\r") and not plain else v)
        elif isinstance(v, float) and v.is_integer(): cells.append(str(int(v)))
        else: cells.append(str(v))
    want.append(cells)
with open(sys.argv[2], newline="", encoding="utf-8") as f:
    got = list(csv.reader(f))
print(json.dumps({"header": got[0] == cols, "rows": got[1:] == want, "n": len(want), "got": got[1:], "want": want}, ensure_ascii=False))
`;
    const result = JSON.parse(execFileSync("python3", ["-c", check, db, out], { encoding: "utf8" }));
    expect(result.header).toBe(true);
    expect(result.rows ? [] : [result.got, result.want]).toEqual([]);
    expect(result.n).toBe(13);
    const nasty = (result.got as string[][]).find((row) => row.includes(`'${NASTY_TITLE}`));
    expect(nasty, "the title survives with a leading '").toBeDefined();
    expect(nasty).toContain("'@恶意机关");
    expect(nasty).toContain("-2");
    expect(nasty).toContain("3.5");
  });

  it("writes datapackage.json beside --out, describing every column", async () => {
    const out = join(dir, "dp", "values.csv");
    mkdirSync(join(dir, "dp"));
    expect((await cli(["export", "csv", "--view", "report_values", "--out", out, "--db", db])).code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(dir, "dp", "datapackage.json"), "utf8"));
    const header = readFileSync(out, "utf8").split("\r\n")[0]?.split(",");
    const [resource] = pkg.resources;
    expect(resource.path).toBe("values.csv");
    expect(resource.schema.fields.map((f: { name: string }) => f.name)).toEqual(header);
    expect(resource.schema.fields.find((f: { name: string }) => f.name === "value")).toMatchObject({
      type: "number",
    });
    expect(resource.schema.fields.every((f: { description?: string }) => f.description)).toBe(true);
  });

  it("several exports into one folder share one datapackage.json describing each file", async () => {
    const folder = join(dir, "shared");
    mkdirSync(folder);
    for (const [view, name] of [
      ["disclosure_counts", "counts.csv"],
      ["failed_checks", "checks.csv"],
      ["disclosure_counts", "counts.csv"],
    ]) {
      expect(
        (
          await cli([
            "export",
            "csv",
            "--view",
            view as string,
            "--out",
            join(folder, name as string),
            "--db",
            db,
          ])
        ).code,
      ).toBe(0);
    }
    const pkg = JSON.parse(readFileSync(join(folder, "datapackage.json"), "utf8"));
    expect(pkg.resources.map((r: { path: string }) => r.path).sort()).toEqual(["checks.csv", "counts.csv"]);
  });

  it("two files of one view in one folder get distinct resource names in datapackage.json", async () => {
    const folder = join(dir, "two-of-one");
    mkdirSync(folder);
    for (const name of ["a.csv", "b.csv", "a.csv"])
      expect((await cli(["export", "csv", "--out", join(folder, name), "--db", db])).code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(folder, "datapackage.json"), "utf8"));
    const names = pkg.resources.map((r: { name: string; path: string }) => `${r.path}=${r.name}`).sort();
    // Re-exporting a.csv replaces its own entry and keeps its name; b.csv, added second, took -2.
    expect(names).toEqual(["a.csv=disclosure-counts", "b.csv=disclosure-counts-2"]);
  });

  it("--year, --province, --agency and --template keep the reports that match, in every view", async () => {
    const rows = async (...args: string[]) =>
      JSON.parse((await cli(["export", "json", ...args, "--db", db])).stdout) as Record<string, unknown>[];
    const year = await rows("--year", "2024");
    expect(year.length).toBeGreaterThan(0);
    expect(year.every((r) => r.report_year === 2024)).toBe(true);
    const province = await rows("--province", "江苏");
    expect(province.map((r) => r.agency).sort()).toEqual([
      "洪泽区人民政府",
      "淮安市人民政府",
      "淮安市洪泽区人民政府",
    ]);
    expect(province.every((r) => r.province === "江苏省")).toBe(true);
    const agency = await rows("--agency", "洪泽区人民政府", "--view", "report_values");
    expect(new Set(agency.map((r) => r.report_year))).toEqual(new Set([2023, 2024]));
    expect(new Set(agency.map((r) => r.agency_name))).toEqual(new Set(["淮安市洪泽区人民政府"]));
    const both = await rows("--template", "2021", "--year", "2024", "--province", "福建省");
    expect(both.map((r) => r.agency)).toEqual(["平潭综合实验区"]);
    const csv = (await cli(["export", "csv", "--year", "1999", "--db", db])).stdout;
    expect(csv.split("\r\n").filter(Boolean)).toHaveLength(1);
    const bad = await cli(["export", "csv", "--template", "2020", "--db", db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--template must be one of 2021, 2019, pre2019, unknown/);
  });

  it("--bom starts the file with a UTF-8 byte order mark that Python's utf-8-sig reads", async () => {
    const out = join(dir, "bom.csv");
    expect((await cli(["export", "csv", "--bom", "--out", out, "--db", db])).code).toBe(0);
    expect([...readFileSync(out).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const first = execFileSync(
      "python3",
      ["-c", "import csv,sys;print(next(csv.reader(open(sys.argv[1], encoding='utf-8-sig')))[0])", out],
      { encoding: "utf8" },
    );
    expect(first.trim()).toBe("report_id");
  });

  it("refuses an unknown view", async () => {
    const r = await cli(["export", "csv", "--view", "nope", "--db", db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown view "nope"/);
  });
});

describe("reading commands", () => {
  it("--version prints the package version and the extractor version", async () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    const { EXTRACTOR_VERSION } = await import("../extract/schema.ts");
    const r = await cli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`nianbao ${pkg.version} (extractor ${EXTRACTOR_VERSION})\n`);
  });

  it("every --json prints snake_case keys only", async () => {
    const runs = [
      ["stats", "--json", "--db", db],
      ["checks", "--json", "--db", db],
      ["search", "行政复议", "--json", "--db", db],
      ["import", SEEDS, "--json", "--db", db],
      ["reextract", "--json", "--db", db],
      ["show", "1", "--json", "--db", db],
      ["compare", "--agency", "平潭综合实验区", "--json", "--db", db],
    ];
    const camel: string[] = [];
    const walk = (v: unknown, at: string): void => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
      else if (v && typeof v === "object")
        for (const [k, x] of Object.entries(v)) {
          if (/^[a-z]+[A-Z]/.test(k)) camel.push(`${at}.${k}`);
          walk(x, `${at}.${k}`);
        }
    };
    for (const args of runs) {
      const r = await cli(args);
      walk(JSON.parse(r.stdout), args[0] as string);
    }
    expect(camel).toEqual([]);
  });

  it("show prints one report's values with the cell or sentence each came from, checks, flags and sources", async () => {
    const byName = await cli(["show", "洪泽区人民政府", "2023", "--json", "--db", db]);
    expect(byName.code).toBe(0);
    const d = JSON.parse(byName.stdout);
    expect(d).toMatchObject({
      agency: "洪泽区人民政府",
      agency_name: "淮安市洪泽区人民政府",
      report_year: 2023,
    });
    expect(d.sources).toEqual([
      expect.objectContaining({
        role: "only",
        source_format: "pdf",
        source_url: expect.stringMatching(/hongze-district-2023\.pdf$/),
      }),
    ]);
    expect(d.sources[0].fetched_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    // Every value agrees with report_values and names its cell or its sentence.
    const stored = JSON.parse(
      execFileSync(
        "sqlite3",
        ["-json", db, `SELECT key, value FROM v_report_values WHERE report_id = ${d.report_id}`],
        {
          encoding: "utf8",
        },
      ),
    ) as { key: string; value: number }[];
    expect(d.values.map((v: { key: string; value: number }) => [v.key, v.value]).sort()).toEqual(
      stored.map((v) => [v.key, v.value]).sort(),
    );
    for (const v of d.values) {
      if (v.source === "table") expect(v.raw).not.toBeNull(), expect(v.table).toBeGreaterThan(0);
      else expect(v.sentence).toContain(String(v.value));
    }
    expect(
      d.checks.filter((c: { ok: boolean }) => !c.ok).map((c: { check_id: string }) => c.check_id),
    ).toEqual(["review.total", "litigation.after_review.total"]);
    const byId = await cli(["show", String(d.report_id), "--db", db]);
    expect(byId.code).toBe(0);
    expect(byId.stdout).toMatch(/^淮安市洪泽区人民政府 2023 — report \d+ \(printed as 洪泽区人民政府\)/);
    expect(byId.stdout).toMatch(
      /applications\.new_received\.total +21 +table 2 row \d+ col \d+ \(一、本年新收政府信息公开申请数量 \/ 总计\) raw "21"/,
    );
    expect(byId.stdout).toMatch(/FAIL review\.total — /);
    const missing = await cli(["show", "淮安市洪泽区人民政府", "2020", "--db", db]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/has no report for 2020\n {2}→ its report years: 2023, 2024/);
    expect((await cli(["show", "abc", "--db", db])).code).toBe(2);
    expect((await cli(["show", "99999", "--db", db])).stderr).toMatch(/no report 99999/);
  });

  it("compare puts an agency's years side by side, equal to v_disclosure_counts", async () => {
    const r = await cli(["compare", "--agency", "平潭综合实验区", "--json", "--db", db]);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.agency).toBe("平潭综合实验区");
    expect(c.years).toEqual([2015, 2019, 2024]);
    const view = JSON.parse(
      execFileSync(
        "sqlite3",
        [
          "-json",
          db,
          "SELECT report_year, proactive_items_published, applications_new_received_total FROM v_disclosure_counts WHERE agency = '平潭综合实验区' ORDER BY report_year",
        ],
        { encoding: "utf8" },
      ),
    );
    const row = (col: string) => c.rows.find((x: { column: string }) => x.column === col).values;
    for (const v of view) {
      expect(row("proactive_items_published")[v.report_year]).toBe(v.proactive_items_published);
      expect(row("applications_new_received_total")[v.report_year]).toBe(v.applications_new_received_total);
    }
    const ranged = JSON.parse(
      (
        await cli([
          "compare",
          "--agency",
          "平潭综合实验区",
          "--from",
          "2016",
          "--to",
          "2024",
          "--json",
          "--db",
          db,
        ])
      ).stdout,
    );
    expect(ranged.years).toEqual([2019, 2024]);
    const text = await cli(["compare", "--agency", "平潭综合实验区", "--db", db]);
    expect(text.stdout).toMatch(/proactive_items_published\s+\S+\s+\S+\s+\S+/);
    const none = await cli(["compare", "--agency", "不存在的机关", "--db", db]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no reports for agency "不存在的机关"/);
  });

  it("search finds Chinese words (trigram) and two-character words (scan)", async () => {
    const r = await cli(["search", "行政复议", "--json", "--db", db]);
    expect(r.code).toBe(0);
    const hits = JSON.parse(r.stdout) as { snippet: string; agency: string }[];
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(h.snippet).toContain("行政复议");
    const short = JSON.parse(
      (await cli(["search", "复议", "--json", "--limit", "500", "--db", db])).stdout,
    ) as unknown[];
    expect(short.length).toBeGreaterThanOrEqual(hits.length);
    const both = JSON.parse((await cli(["search", "行政复议", "诉讼", "--json", "--db", db])).stdout) as {
      snippet: string;
    }[];
    expect(both.length).toBeLessThanOrEqual(hits.length);
    expect((await cli(["search", "--db", db])).code).toBe(2);
  });

  it("checks --failed lists only failures; checks lists all", async () => {
    const all = JSON.parse((await cli(["checks", "--json", "--db", db])).stdout) as { ok: boolean }[];
    const failed = JSON.parse((await cli(["checks", "--failed", "--json", "--db", db])).stdout) as {
      ok: boolean;
    }[];
    expect(failed.every((c) => !c.ok)).toBe(true);
    expect(failed.length).toBe(all.filter((c) => !c.ok).length);
    const viewCount = Number(
      execFileSync("sqlite3", [db, "SELECT COUNT(*) FROM v_failed_checks"], { encoding: "utf8" }).trim(),
    );
    expect(failed.length).toBe(viewCount);
  });

  it("stats counts what was stored", async () => {
    const r = await cli(["stats", "--json", "--db", db]);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ fetches: 12, bodies: 12, reports: 13, report_versions: 13 });
    const byTemplate = Object.values(s.reports_by_template as Record<string, number>);
    expect(byTemplate.reduce((a, b) => a + b, 0)).toBe(13);
    expect((await cli(["stats", "--db", db])).stdout).toMatch(/reports\s+13 /);
  });

  it("import --help names every format it takes from a folder; export --help its formats and filters", async () => {
    const { PAGE_EXTENSIONS } = await import("../pipeline/import-pages.ts");
    const help = (await cli(["import", "--help"])).stdout;
    for (const ext of PAGE_EXTENSIONS) expect(help).toMatch(new RegExp(`\\${ext}\\b`));
    const exportHelp = (await cli(["export", "--help"])).stdout;
    for (const word of ["csv", "json", "--year", "--province", "--agency", "--template", "--bom"])
      expect(exportHelp).toContain(word);
  });

  it.each(["import", "reextract", "export", "compare", "show", "search", "checks", "stats", "serve"])(
    "%s --help explains itself",
    async (name) => {
      const r = await cli([name, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^nianbao ${name}`));
      expect(r.stdout).toMatch(/--db FILE/);
      if (!["import", "export", "serve"].includes(name)) expect(r.stdout).toMatch(/--json/);
    },
  );
});

describe("reextract", () => {
  it("re-runs the extractor over stored bodies, saves a new version and prints what changed", async () => {
    const file = join(SEEDS, "004_9f09e102a19e83ee.txt");
    const { record } = await extractFile(file);
    const store = openStore(db);
    const url = pathToFileURL(file).href;
    const current = store.db
      .prepare(
        "SELECT v.body_sha256, v.fetch_id FROM report_versions v WHERE v.source_url = ? ORDER BY id DESC LIMIT 1",
      )
      .get(url) as { body_sha256: string; fetch_id: number };
    // Pretend an older extractor read this page: one value fewer, another different.
    const { "proactive.items_published": _dropped, ...fewer } = record.values;
    const older = {
      ...record,
      extractor_version: "0.0.9",
      values: { ...fewer, "proactive.licensing.decisions": 1 },
    };
    saveReport(store.db, {
      record: older,
      sourceUrl: url,
      fetchId: current.fetch_id,
      bodySha256: current.body_sha256,
    });
    store.close();
    const r = await cli(["reextract", "--json", "--db", db]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.changed).toBe(1);
    const [change] = summary.changes;
    expect(change.source_url).toBe(url);
    expect(change.values).toEqual(
      expect.arrayContaining([
        {
          key: "proactive.items_published",
          before: null,
          after: record.values["proactive.items_published"] ?? null,
        },
        {
          key: "proactive.licensing.decisions",
          before: 1,
          after: record.values["proactive.licensing.decisions"] ?? null,
        },
      ]),
    );
    const text = await cli(["reextract", "--db", db]);
    expect(text.stdout).toMatch(/0 changed/);
    const versions = Number(
      execFileSync("sqlite3", [db, `SELECT COUNT(*) FROM report_versions WHERE source_url = '${url}'`], {
        encoding: "utf8",
      }).trim(),
    );
    // The extraction matches the first version again: the report points back at it, no copy is stored.
    expect(versions).toBe(2);
  });
});
