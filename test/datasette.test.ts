// Datasette-ready: `nianbao export datasette` writes metadata whose every table, view, facet and
// column exists in the database; where Datasette is installed, it serves the views with those
// facets. Datasette comes from PyPI (not a Debian package here): without it that part is skipped.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/cli-in-process.ts";

const REAL = resolve("../shared/real-reports");
const HAS_DATASETTE = spawnSync("datasette", ["--version"], { encoding: "utf8" }).status === 0;
if (!HAS_DATASETTE)
  console.warn("datasette is not installed (pip install datasette): the live Datasette check is skipped");

let dir: string;
let db: string;
let metaPath: string;

const cli = (args: string[]) => runCli(args, { cwd: dir });

type Meta = {
  databases: Record<
    string,
    { tables: Record<string, { hidden?: boolean; facets?: string[]; columns?: Record<string, string> }> }
  >;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-datasette-"));
  db = join(dir, "reports.sqlite");
  metaPath = join(dir, "metadata.json");
  expect((await cli(["import", REAL, "--db", db])).code).toBe(0);
  expect((await cli(["export", "datasette", "--out", metaPath, "--db", db])).code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("Datasette metadata", () => {
  it("names the database as Datasette does, and only tables, views, facets and columns that exist", () => {
    const meta = JSON.parse(readFileSync(metaPath, "utf8")) as Meta;
    expect(Object.keys(meta.databases)).toEqual(["reports"]);
    const sqlite = new Database(db, { readonly: true });
    try {
      const names = new Set(
        sqlite.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table','view')").pluck().all(),
      );
      const tables = meta.databases.reports?.tables ?? {};
      expect(tables.v_disclosure_counts?.facets).toEqual(
        expect.arrayContaining(["report_year", "template", "province", "department_type"]),
      );
      for (const [name, t] of Object.entries(tables)) {
        if (t.hidden) continue;
        expect(names.has(name), name).toBe(true);
        const columns = new Set(sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(name));
        for (const f of t.facets ?? []) expect(columns.has(f), `${name}.${f}`).toBe(true);
        for (const c of Object.keys(t.columns ?? {})) expect(columns.has(c), `${name}.${c}`).toBe(true);
      }
    } finally {
      sqlite.close();
    }
  });
});

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

describe.skipIf(!HAS_DATASETTE)("in Datasette (skipped when datasette is not installed)", () => {
  let child: ChildProcess;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(
      "datasette",
      ["serve", db, "--metadata", metaPath, "--host", "127.0.0.1", "--port", String(port)],
      {
        stdio: "ignore",
      },
    );
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(`${base}/-/versions.json`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("datasette did not start");
  }, 30_000);
  afterAll(() => {
    child?.kill();
  });

  it("serves v_disclosure_counts with its facets and the Hongze agency's two years", async () => {
    const r = await fetch(
      `${base}/reports/v_disclosure_counts.json?agency_name=${encodeURIComponent("淮安市洪泽区人民政府")}&_shape=objects`,
    );
    const body = (await r.json()) as { rows: { report_year: number }[]; facet_results: unknown };
    expect(body.rows.map((x) => x.report_year).sort()).toEqual([2023, 2024]);
    expect(JSON.stringify(body.facet_results)).toContain("department_type");
  });
});
