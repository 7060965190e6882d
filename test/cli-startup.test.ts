// `nianbao --help` loads no command: the list in cli/main.ts carries names and summaries, and a
// command's module (with the SQLite driver, PDF reader, browser client) loads only when it runs.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../cli/main.ts";

const ROOT = resolve(import.meta.dirname, "..");

/** Runs main(argv) in a fresh process and reports which CommonJS packages got loaded. */
function loadedAfter(argv: string[]): string[] {
  const script = `
import { createRequire } from "node:module";
import { register } from "tsx/esm/api";
register();
const { main } = await import("./cli/main.ts");
await main(${JSON.stringify(argv)}, { stdout() {}, stderr() {}, isTTY: false, env: {}, cwd: process.cwd() });
const cache = createRequire(import.meta.url).cache;
console.log(JSON.stringify(Object.keys(cache)));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split("\n").pop() as string) as string[];
}

describe("start-up", () => {
  it("--help loads none of the heavy dependencies; a command's --help loads its own", () => {
    const heavy = (files: string[]) =>
      ["better-sqlite3", "pdfjs-dist", "playwright-core", "cheerio", "pino"].filter((p) =>
        files.some((f) => f.includes(`/node_modules/${p}/`)),
      );
    expect(heavy(loadedAfter(["--help"]))).toEqual([]);
    expect(heavy(loadedAfter(["stats", "--help"]))).toContain("better-sqlite3");
  });

  it("the command list's summaries are the commands' own", async () => {
    for (const entry of COMMANDS) {
      const { command } = await entry.load();
      expect([command.name, command.summary]).toEqual([entry.name, entry.summary]);
    }
  });
});
