// kill -9 in the middle of `nianbao import`: the file passes integrity_check, holds every page the
// command reported as stored and nothing half-written; running the import again finishes the job.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { generatedReportPage } from "../bench/generated-report.ts";

const PAGES = 400;
let dir: string;
let pagesDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-kill-"));
  pagesDir = join(dir, "pages");
  mkdirSync(pagesDir);
  for (let i = 0; i < PAGES; i++) {
    const p = generatedReportPage(i);
    writeFileSync(join(pagesDir, p.name), p.text);
  }
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const sql = (db: string, query: string) => execFileSync("sqlite3", [db, query], { encoding: "utf8" }).trim();

it("a kill -9 during an import leaves a sound database holding every finished file", async () => {
  const db = join(dir, "killed.sqlite");
  const child = spawn(
    process.execPath,
    [resolve("bin/nianbao.js"), "import", pagesDir, "--db", db, "--verbose"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const finished: string[] = [];
  let buffered = "";
  let stderr = "";
  const exited = new Promise<NodeJS.Signals | null>((done) =>
    child.on("exit", (_code, signal) => done(signal)),
  );
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr += chunk;
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      const m = /^\[\d+\/\d+\] (.+): new \(report \d+\)$/.exec(line);
      if (m?.[1]) finished.push(m[1]);
    }
    // Kill in the middle of the run, while it is writing.
    if (finished.length >= 60 && !child.killed) child.kill("SIGKILL");
  });
  const signal = await exited;
  expect(signal, `the import was still running when killed (stderr: ${stderr.slice(-300)})`).toBe("SIGKILL");
  expect(finished.length).toBeGreaterThanOrEqual(60);
  expect(finished.length).toBeLessThan(PAGES);

  expect(sql(db, "PRAGMA integrity_check")).toBe("ok");
  expect(sql(db, "PRAGMA foreign_key_check")).toBe("");
  const stored = new Set(sql(db, "SELECT source_url FROM reports").split("\n"));
  for (const file of finished) expect(stored.has(pathToFileURL(file).href), file).toBe(true);
  // Nothing half-written: every version is current, has its sections and its values.
  expect(
    sql(
      db,
      "SELECT COUNT(*) FROM report_versions v WHERE v.id NOT IN (SELECT current_version_id FROM reports)",
    ),
  ).toBe("0");
  expect(
    sql(
      db,
      "SELECT COUNT(*) FROM report_versions v WHERE NOT EXISTS (SELECT 1 FROM sections s WHERE s.version_id = v.id)",
    ),
  ).toBe("0");
  const valuesPerVersion = sql(
    db,
    "SELECT DISTINCT (SELECT COUNT(*) FROM report_values rv WHERE rv.version_id = v.id) FROM report_versions v",
  );
  expect(valuesPerVersion.split("\n")).toHaveLength(1);
  expect(sql(db, "SELECT COUNT(*) FROM fetches")).toBe(sql(db, "SELECT COUNT(*) FROM reports"));

  // The same command again finishes the job without duplicating what was stored.
  const before = Number(sql(db, "SELECT COUNT(*) FROM reports"));
  const out = execFileSync(
    process.execPath,
    [resolve("bin/nianbao.js"), "import", pagesDir, "--db", db, "--json"],
    { encoding: "utf8" },
  );
  const summary = JSON.parse(out);
  expect(summary.new).toBe(PAGES - before);
  expect(summary.unchanged).toBe(before);
  expect(Number(sql(db, "SELECT COUNT(*) FROM reports"))).toBe(PAGES);
}, 180_000);

it("Ctrl-C (SIGINT) stops an import between files with exit 130, keeping what was stored", async () => {
  const db = join(dir, "interrupted.sqlite");
  const child = spawn(
    process.execPath,
    [resolve("bin/nianbao.js"), "import", pagesDir, "--db", db, "--verbose"],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stored = 0;
  let stderr = "";
  let signalled = false;
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr += chunk;
    stored = (stderr.match(/: new \(report \d+\)\n/g) ?? []).length;
    if (stored >= 30 && !signalled) {
      signalled = true;
      child.kill("SIGINT");
    }
  });
  const code = await exited;
  expect(code, stderr.slice(-300)).toBe(130);
  expect(stderr).toMatch(/interrupted: files stored so far are kept; run the same command again to finish/);
  expect(sql(db, "PRAGMA integrity_check")).toBe("ok");
  const reports = Number(sql(db, "SELECT COUNT(*) FROM reports"));
  expect(reports).toBeGreaterThanOrEqual(stored);
  expect(reports).toBeLessThan(PAGES);
}, 120_000);

it("a kill -9 during an export leaves the old file or the whole new one, and the database untouched", async () => {
  const db = join(dir, "export.sqlite");
  execFileSync(process.execPath, [resolve("bin/nianbao.js"), "import", pagesDir, "--db", db], {
    stdio: "ignore",
  });
  const dbHash = sql(db, "SELECT COUNT(*) || ':' || SUM(LENGTH(key)) FROM report_values");
  const exportArgs = (out: string) => [
    resolve("bin/nianbao.js"),
    "export",
    "csv",
    "--view",
    "report_values",
    "--db",
    db,
    "--out",
    out,
  ];
  const reference = join(dir, "reference.csv");
  execFileSync(process.execPath, exportArgs(reference), { stdio: "ignore" });
  const whole = readFileSync(reference, "utf8");
  expect(whole.split("\n").length).toBeGreaterThan(PAGES * 10);

  const out = join(dir, "exported.csv");
  const old = "agency,report_year\nold,2000\n";
  const seen = new Set<string>();
  // Kills at several moments: while starting, querying, writing the temp file or renaming it.
  for (const delayMs of [80, 250, 500, 800, 1200, 1800]) {
    writeFileSync(out, old);
    const child = spawn(process.execPath, exportArgs(out), { stdio: "ignore" });
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on("exit", (_c, s) => done(s)));
    const timer = setTimeout(() => child.kill("SIGKILL"), delayMs);
    const signal = await exited;
    clearTimeout(timer);
    const now = readFileSync(out, "utf8");
    expect(
      now === old || now === whole,
      `after ${delayMs} ms: neither the old file nor the whole export`,
    ).toBe(true);
    seen.add(signal === "SIGKILL" ? (now === old ? "killed, old kept" : "killed after rename") : "finished");
  }
  expect(seen.has("killed, old kept")).toBe(true);
  expect(sql(db, "PRAGMA integrity_check")).toBe("ok");
  expect(sql(db, "SELECT COUNT(*) || ':' || SUM(LENGTH(key)) FROM report_values")).toBe(dbHash);
  // The next export replaces the file and sweeps the temp files the killed ones left.
  execFileSync(process.execPath, exportArgs(out), { stdio: "ignore" });
  expect(readFileSync(out, "utf8")).toBe(whole);
  expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
}, 180_000);
