// Agency identity on real files: printed names resolve to one canonical agency (GB/T 2260 region,
// level, department type), the two Hongze reports fold into one agency in compare and the views, an
// ambiguous name lists its candidates, and migration 3 links the reports of an older file.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agencyIdentity, compareAgency, openStore, resolveAgency, SCHEMA_VERSION } from "../store/index.ts";
import { MIGRATIONS, NIANBAO_APPLICATION_ID } from "../store/schema-migrations.ts";
import { runCli } from "./support/cli-in-process.ts";

const REAL = resolve("../shared/real-reports");

let dir: string;
let db: string;

const cli = (args: string[]) => runCli(args, { cwd: dir });

const sql = (query: string) =>
  JSON.parse(execFileSync("sqlite3", ["-json", db, query], { encoding: "utf8" }) || "[]") as Record<
    string,
    unknown
  >[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-agencies-"));
  db = join(dir, "agencies.sqlite");
  const r = await cli(["import", REAL, "--db", db]);
  expect(r.code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a printed name's identity", () => {
  it("adds the city to a county's name and reads the region's GB/T 2260 code", () => {
    const short = agencyIdentity("洪泽区人民政府");
    const full = agencyIdentity("淮安市洪泽区人民政府");
    expect(short.key).toBe(full.key);
    expect(short).toMatchObject({
      canonicalName: "淮安市洪泽区人民政府",
      departmentType: "government",
      region: { code: "320813", level: "county", name: "洪泽区" },
    });
    expect(short.region?.city?.name).toBe("淮安市");
    expect(short.region?.province?.name).toBe("江苏省");
  });

  it("tells departments apart, and 人民政府 is not 民政", () => {
    expect(agencyIdentity("天水市民政局")).toMatchObject({
      departmentType: "civil_affairs",
      key: "620500:civil_affairs",
    });
    expect(agencyIdentity("淮安市人民政府").departmentType).toBe("government");
    expect(agencyIdentity("江苏省人民政府办公厅").departmentType).toBe("government_office");
    expect(agencyIdentity("东莞市公安局").departmentType).toBe("public_security");
    expect(agencyIdentity("江苏省教育厅").key).toBe("320000:education");
    // 民政局 and 民政厅 of one region are one body; an unknown department keeps its words.
    expect(agencyIdentity("江苏省民政厅").key).toBe(agencyIdentity("江苏省民政局").key);
    expect(agencyIdentity("淮安市档案馆").key).toBe("320800:档案馆");
  });

  it("keeps a county name several cities share as printed unless the site's province settles it", () => {
    expect(agencyIdentity("鼓楼区民政局")).toMatchObject({ key: "name:鼓楼区民政局", region: null });
    expect(agencyIdentity("鼓楼区民政局", "福建省")).toMatchObject({
      key: "350102:civil_affairs",
      canonicalName: "福州市鼓楼区民政局",
    });
  });

  it("reads an area that governs as a region (平潭综合实验区), brackets left out", () => {
    expect(agencyIdentity("平潭综合实验区（管委会办公室）")).toMatchObject({
      key: "350128:government",
      canonicalName: "平潭综合实验区",
    });
    expect(agencyIdentity("平潭综合实验区地方税务局").departmentType).toBe("taxation");
  });
});

describe("洪泽区人民政府 and 淮安市洪泽区人民政府 are one agency", () => {
  it("in the views: one agency_id and canonical name, with region, province, city, county, department", () => {
    const rows = sql(
      "SELECT agency, report_year, agency_id, agency_name, region_code, province, city, county, agency_level, department_type FROM v_disclosure_counts WHERE agency LIKE '%洪泽区%' ORDER BY report_year",
    );
    expect(rows.map((r) => [r.agency, r.report_year])).toEqual([
      ["洪泽区人民政府", 2023],
      ["淮安市洪泽区人民政府", 2024],
    ]);
    expect(new Set(rows.map((r) => r.agency_id)).size).toBe(1);
    expect(rows[0]).toMatchObject({
      agency_name: "淮安市洪泽区人民政府",
      region_code: "320813",
      province: "江苏省",
      city: "淮安市",
      county: "洪泽区",
      agency_level: "county",
      department_type: "government",
    });
    const values = sql(
      "SELECT DISTINCT report_year FROM v_report_values WHERE agency_name = '淮安市洪泽区人民政府' ORDER BY 1",
    );
    expect(values.map((r) => r.report_year)).toEqual([2023, 2024]);
  });

  it("in the alias table: each printed name with the reports it came from", () => {
    const aliases = sql(
      "SELECT alias, agency_name, reports, report_years FROM v_agency_aliases WHERE agency_name = '淮安市洪泽区人民政府' ORDER BY alias",
    );
    expect(aliases).toEqual([
      { alias: "洪泽区人民政府", agency_name: "淮安市洪泽区人民政府", reports: 1, report_years: "2023" },
      {
        alias: "淮安市洪泽区人民政府",
        agency_name: "淮安市洪泽区人民政府",
        reports: 1,
        report_years: "2024",
      },
    ]);
  });

  it("in compare: either name gives both years, equal to the view", async () => {
    for (const name of ["洪泽区人民政府", "淮安市洪泽区人民政府"]) {
      const r = await cli(["compare", "--agency", name, "--json", "--db", db]);
      expect(r.code).toBe(0);
      const c = JSON.parse(r.stdout);
      expect(c).toMatchObject({
        agency: "淮安市洪泽区人民政府",
        years: [2023, 2024],
        printed_as: { "2023": "洪泽区人民政府", "2024": "淮安市洪泽区人民政府" },
        aliases: ["洪泽区人民政府", "淮安市洪泽区人民政府"],
      });
      const received = c.rows.find((x: { column: string }) => x.column === "applications_new_received_total");
      const view = sql(
        "SELECT report_year, applications_new_received_total AS n FROM v_disclosure_counts WHERE agency LIKE '%洪泽区%'",
      );
      for (const v of view) expect(received.values[String(v.report_year)]).toBe(v.n);
    }
    const text = await cli(["compare", "--agency", "洪泽区人民政府", "--db", db]);
    expect(text.stdout.split("\n")[0]).toBe(
      "淮安市洪泽区人民政府 (printed as 洪泽区人民政府, 淮安市洪泽区人民政府)",
    );
  });

  it("a part of a name several agencies share lists the candidates (exit 2)", async () => {
    const r = await cli(["compare", "--agency", "平潭", "--db", db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /"平潭" matches 2 agencies: 平潭综合实验区 \[350128\].*; 平潭综合实验区地方税务局/,
    );
    const store = openStore(db, { readonly: true });
    try {
      expect(() => resolveAgency(store.db, "人民政府")).toThrow(
        /"人民政府" matches 2 agencies: 淮安市人民政府 \[320800\]/,
      );
      expect(compareAgency(store.db, "洪泽").years).toEqual([2023, 2024]);
    } finally {
      store.close();
    }
  });
});

describe("migration 3 on an existing database", () => {
  it("links the reports of a version-2 file to their agencies", () => {
    const path = join(dir, "v2.sqlite");
    const old = new Database(path);
    old.exec(MIGRATIONS[0] as string);
    old.exec(MIGRATIONS[1] as string);
    old.pragma(`application_id = ${NIANBAO_APPLICATION_ID}`);
    old.pragma("user_version = 2");
    const now = "2024-01-01T00:00:00Z";
    const report = old.prepare(
      "INSERT INTO reports (id, report_key, agency, report_year, source_url, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const version = old.prepare(
      `INSERT INTO report_versions (id, report_id, source_url, extractor_version, record_sha256, created_at, agency,
         report_year, is_annual_report, template, text_chars) VALUES (?, ?, ?, '0.1.0', 'h', ?, ?, ?, 1, '2021', 10)`,
    );
    for (const [id, agency, year] of [
      [1, "洪泽区人民政府", 2023],
      [2, "淮安市洪泽区人民政府", 2024],
      [3, "天水市民政局", 2024],
    ] as const) {
      report.run(id, `${agency}|${year}`, agency, year, `http://x.gov.cn/${id}.html`, now);
      version.run(id, id, `http://x.gov.cn/${id}.html`, now, agency, year);
    }
    old.prepare("UPDATE reports SET current_version_id = id").run();
    old.close();

    const store = openStore(path);
    try {
      expect(store.db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
      expect(
        store.db
          .prepare("SELECT report_id, agency_name, region_code FROM v_disclosure_counts ORDER BY report_id")
          .all(),
      ).toEqual([
        { report_id: 1, agency_name: "淮安市洪泽区人民政府", region_code: "320813" },
        { report_id: 2, agency_name: "淮安市洪泽区人民政府", region_code: "320813" },
        { report_id: 3, agency_name: "天水市民政局", region_code: "620500" },
      ]);
      expect(store.db.prepare("SELECT COUNT(*) FROM agency_aliases").pluck().get()).toBe(3);
    } finally {
      store.close();
    }
  });
});
