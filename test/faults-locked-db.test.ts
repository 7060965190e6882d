// Another process holds the database's write lock (a researcher's sqlite3 shell left in a transaction):
// `nianbao crawl` waits its busy timeout, then exits 2 with a clear message and no stack trace; the file
// passes integrity_check; once the lock is gone the same command crawls normally.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Farm, startFarm } from "../fixtures/farm/server/farm-server.ts";
import { farmSites } from "../fixtures/farm/server/farm-sites.ts";
import { PROJECT_ROOT, spawnCli } from "./support/cli-child.ts";

let farm: Farm;
let dir: string;

beforeAll(async () => {
  farm = await startFarm();
  dir = mkdtempSync(join(tmpdir(), "nianbao-locked-"));
});
afterAll(async () => {
  await farm.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (args: string[]) => spawnCli(args).done;

/** A sqlite3 shell that takes the write lock and keeps it until its stdin closes. */
async function holdWriteLock(db: string): Promise<ChildProcess> {
  const shell = spawn("sqlite3", [db], { stdio: ["pipe", "pipe", "pipe"] });
  shell.stdin!.write("BEGIN IMMEDIATE;\nDELETE FROM flags WHERE 0;\nSELECT 'locked';\n");
  await new Promise<void>((ok, fail) => {
    shell.stdout!.on("data", (d: Buffer) => d.toString().includes("locked") && ok());
    shell.on("exit", () => fail(new Error("sqlite3 exited before taking the lock")));
  });
  return shell;
}

describe("a database locked by another process", () => {
  it("crawl exits 2 with 'locked' and no stack trace, the file stays sound, and the next run works", async () => {
    const db = join(dir, "locked.sqlite");
    const sites = join(dir, "sites.json");
    writeFileSync(sites, JSON.stringify({ sites: farmSites({ delayMs: 0, only: ["farm-none"] }) }));
    const args = [
      "crawl",
      "--sites",
      sites,
      "--db",
      db,
      "--connect-to",
      `127.0.0.1:${farm.port}`,
      "--no-browser",
    ];
    // Create the file first (a crawl of nothing would not), then lock it.
    expect(
      (
        await run([
          "import",
          resolve(PROJECT_ROOT, "fixtures/pages/hebi-civil-affairs-2019.html"),
          "--db",
          db,
        ])
      ).code,
    ).toBe(0);

    const shell = await holdWriteLock(db);
    let locked: Awaited<ReturnType<typeof run>>;
    try {
      locked = await run(args);
    } finally {
      shell.stdin!.end("COMMIT;\n");
      await new Promise((ok) => shell.on("exit", ok));
    }
    expect(locked.code, locked.stderr).toBe(2);
    expect(locked.stderr).toMatch(/locked\.sqlite is locked by another process/);
    expect(locked.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(execFileSync("sqlite3", [db, "PRAGMA integrity_check"], { encoding: "utf8" }).trim()).toBe("ok");

    const after = await run(args);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toMatch(/farm-none: .*reports 1 \(new 1/);
  }, 60_000);
});
