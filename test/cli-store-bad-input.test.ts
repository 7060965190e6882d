// Bad databases and bad places: a file that is not a nianbao database, one from a newer version, a
// locked one, a read-only location, a full disk. Each gives a clear message and exit 2, never a damaged file.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatedReportPage } from "../bench/generated-report.ts";
import { NianbaoError } from "../core/errors.ts";
import { importPages } from "../pipeline/import-pages.ts";
import { openStore, SCHEMA_VERSION } from "../store/index.ts";
import { runCli } from "./support/cli-in-process.ts";

const SEEDS = resolve("../shared/seeds");

const cli = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(args, { cwd: dir, env: env });

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const integrity = (path: string) =>
  execFileSync("sqlite3", [path, "PRAGMA integrity_check"], { encoding: "utf8" }).trim();

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-bad-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("a file that is not a nianbao database", () => {
  it("refuses a text file and leaves it untouched", async () => {
    const path = join(dir, "notes.sqlite");
    writeFileSync(path, "这不是数据库 — just some notes\n".repeat(20));
    const before = sha(path);
    const r = await cli(["import", SEEDS, "--db", path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/notes\.sqlite is not a nianbao database: it is not an SQLite file/);
    expect(r.stderr).toMatch(/→ /);
    expect(sha(path)).toBe(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
    for (const cmd of ["stats", "checks", "search 行政复议", "export csv"]) {
      const read = await cli([...cmd.split(" "), "--db", path]);
      expect(read.code, cmd).toBe(2);
      expect(read.stderr, cmd).toMatch(/not a nianbao database/);
    }
  });

  it("refuses another program's SQLite database and leaves it untouched", async () => {
    const path = join(dir, "other.db");
    const other = new Database(path);
    other.exec("CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('张三');");
    other.close();
    const before = sha(path);
    const r = await cli(["import", SEEDS, "--db", path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /other\.db is not a nianbao database: it is another SQLite database \(tables: people\)/,
    );
    expect(sha(path)).toBe(before);
  });

  it("says so when the database does not exist for a reading command, and creates nothing", async () => {
    const path = join(dir, "missing.sqlite");
    const r = await cli(["stats", "--db", path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no database at .*missing\.sqlite/);
    expect(existsSync(path)).toBe(false);
  });
});

describe("a database from a newer nianbao", () => {
  it("is refused, read or write, and not modified", async () => {
    const path = join(dir, "newer.sqlite");
    openStore(path).close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    const before = sha(path);
    for (const args of [["import", SEEDS], ["stats"]]) {
      const r = await cli([...args, "--db", path]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(
          `newer nianbao \\(schema version ${SCHEMA_VERSION + 1}; this one knows up to ${SCHEMA_VERSION}\\)`,
        ),
      );
    }
    expect(sha(path)).toBe(before);
  });
});

describe("a locked database", () => {
  it("gives up with 'locked' while another process holds the write lock, and changes nothing", async () => {
    const path = join(dir, "locked.sqlite");
    openStore(path).close();
    const holder = new Database(path);
    holder.exec("BEGIN IMMEDIATE");
    try {
      const r = await cli(["import", SEEDS, "--db", path]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/locked\.sqlite is locked by another process/);
      expect(r.stderr).toMatch(/wait for the other nianbao command/);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    const after = new Database(path, { readonly: true });
    expect(after.prepare("SELECT COUNT(*) FROM reports").pluck().get()).toBe(0);
    after.close();
    expect(integrity(path)).toBe("ok");
  }, 30_000);
});

/**
 * A read-only place: a read-only tmpfs when we may mount (root), else a folder without write
 * permission. Null for root without mount rights (chmod does not stop root).
 */
function readOnlyPlace(
  name: string,
  prepare: (d: string) => void,
): { path: string; cleanup: () => void } | null {
  const mountPoint = join(dir, name);
  mkdirSync(mountPoint);
  if (process.getuid?.() === 0) {
    const umount = () => execFileSync("umount", [mountPoint], { stdio: "ignore" });
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", mountPoint], { stdio: "ignore" });
    } catch {
      return null; // no mount rights
    }
    try {
      prepare(mountPoint);
      execFileSync("mount", ["-o", "remount,ro", mountPoint], { stdio: "ignore" });
    } catch (err) {
      umount();
      throw err;
    }
    return { path: mountPoint, cleanup: umount };
  }
  prepare(mountPoint);
  for (const f of readdirSync(mountPoint)) chmodSync(join(mountPoint, f), 0o444);
  chmodSync(mountPoint, 0o555);
  return { path: mountPoint, cleanup: () => chmodSync(mountPoint, 0o755) };
}

describe("a read-only location", () => {
  it("cannot create a database there: clear message, exit 2", async () => {
    // Root without mount rights still meets a read-only file system in /sys (read-only in containers).
    const place = readOnlyPlace("ro-empty", () => {}) ?? { path: "/sys/kernel", cleanup: () => {} };
    try {
      const r = await cli(["import", SEEDS, "--db", join(place.path, "new.sqlite")]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/cannot write to .*new\.sqlite: the file or its folder is read-only/);
      expect(existsSync(join(place.path, "new.sqlite"))).toBe(false);
    } finally {
      place.cleanup();
    }
  });

  it("cannot import into an existing database there, and the file stays as it was", async (ctx) => {
    const before: Record<string, string> = {};
    const place = readOnlyPlace("ro-full", (d) => {
      // One file as nianbao leaves it (WAL), one in rollback-journal mode (e.g. after a copy tool).
      for (const [name, mode] of [
        ["wal.sqlite", "WAL"],
        ["journal.sqlite", "DELETE"],
      ]) {
        const s = openStore(join(d, name as string));
        s.db.pragma(`journal_mode = ${mode}`);
        s.close();
        before[name as string] = sha(join(d, name as string));
      }
    });
    if (!place) ctx.skip();
    if (!place) return;
    try {
      for (const name of Object.keys(before)) {
        const path = join(place.path, name);
        const r = await cli(["import", SEEDS, "--db", path]);
        expect(r.code, name).toBe(2);
        expect(r.stderr, name).toMatch(/cannot write to .*: the file or its folder is read-only/);
        expect(sha(path), name).toBe(before[name]);
      }
    } finally {
      place.cleanup();
    }
  });
});

describe("a database on read-only media", () => {
  it("is still read: stats, search and export work; the file stays as it was", async (ctx) => {
    let before = "";
    const place = readOnlyPlace("ro-read", (d) => {
      const s = openStore(join(d, "ro.sqlite"));
      s.close();
      execFileSync(process.execPath, ["bin/nianbao.js", "import", SEEDS, "--db", join(d, "ro.sqlite")], {
        stdio: "ignore",
      });
      before = sha(join(d, "ro.sqlite"));
    });
    if (!place) ctx.skip();
    if (!place) return;
    try {
      const path = join(place.path, "ro.sqlite");
      const stats = await cli(["stats", "--json", "--db", path]);
      expect(stats.code, stats.stderr).toBe(0);
      expect(JSON.parse(stats.stdout).reports).toBe(5);
      const found = await cli(["search", "行政复议", "--json", "--db", path]);
      expect(found.code, found.stderr).toBe(0);
      expect(JSON.parse(found.stdout).length).toBeGreaterThan(0);
      const out = join(dir, "ro-export.csv");
      const exported = await cli(["export", "csv", "--db", path, "--out", out]);
      expect(exported.code, exported.stderr).toBe(0);
      expect(readFileSync(out, "utf8").trim().split("\n")).toHaveLength(6);
      expect(sha(path)).toBe(before);
    } finally {
      place.cleanup();
    }
  });
});

describe("a full disk", () => {
  it("stops with 'disk full', keeps every finished file and nothing of the one that did not fit", async () => {
    const path = join(dir, "full.sqlite");
    const first = openStore(path);
    await importPages(first, [SEEDS]);
    first.db.pragma("wal_checkpoint(TRUNCATE)");
    const pages = first.db.prepare("PRAGMA page_count").pluck().get() as number;
    first.close();
    const pagesDir = join(dir, "many");
    mkdirSync(pagesDir);
    for (let i = 0; i < 200; i++)
      writeFileSync(join(pagesDir, generatedReportPage(i).name), generatedReportPage(i).text);
    // About 60 KB of room: a few reports fit, then the file cannot grow.
    const store = openStore(path, { maxPageCount: pages + 15 });
    let error: unknown;
    try {
      await importPages(store, [pagesDir]);
    } catch (err) {
      error = err;
    } finally {
      store.close();
    }
    expect(error).toBeInstanceOf(NianbaoError);
    expect((error as NianbaoError).code).toBe("disk_full");
    expect((error as NianbaoError).exitCode).toBe(2);
    expect((error as NianbaoError).message).toMatch(/full\.sqlite is full/);
    expect(integrity(path)).toBe("ok");
    const check = new Database(path, { readonly: true });
    // The seeds are still there; every stored version is whole (sections and values present).
    expect(
      check.prepare("SELECT COUNT(*) FROM reports WHERE source_url LIKE '%/seeds/%'").pluck().get(),
    ).toBe(5);
    const partial = check
      .prepare(
        "SELECT COUNT(*) FROM report_versions v WHERE NOT EXISTS (SELECT 1 FROM sections s WHERE s.version_id = v.id) OR v.id NOT IN (SELECT current_version_id FROM reports)",
      )
      .pluck()
      .get();
    expect(partial).toBe(0);
    const generated = check
      .prepare("SELECT COUNT(*) FROM reports WHERE source_url LIKE '%/many/%'")
      .pluck()
      .get() as number;
    expect(generated).toBeLessThan(200);
    check.close();
  });

  it("on a real full disk (a tiny tmpfs), the command exits 2 with the message and the file passes integrity_check", async (ctx) => {
    if (process.getuid?.() !== 0) ctx.skip();
    const mountPoint = join(dir, "tiny");
    mkdirSync(mountPoint);
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint], { stdio: "ignore" });
    } catch {
      ctx.skip();
    }
    try {
      const pagesDir = join(dir, "tiny-pages");
      mkdirSync(pagesDir, { recursive: true });
      for (let i = 0; i < 300; i++)
        writeFileSync(join(pagesDir, generatedReportPage(i).name), generatedReportPage(i).text);
      const path = join(mountPoint, "tiny.sqlite");
      const r = await cli(["import", pagesDir, "--db", path]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/the disk holding .*tiny\.sqlite is full/);
      expect(r.stderr).toMatch(/free some space/);
      // Room for SQLite to check the file: the check itself needs no space, the WAL is already there.
      expect(integrity(path)).toBe("ok");
    } finally {
      execFileSync("umount", [mountPoint], { stdio: "ignore" });
    }
  }, 120_000);
});
