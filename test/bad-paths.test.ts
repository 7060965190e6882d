// Bad paths and hostile file names at the command line: a --db in a folder that does not exist, --log
// naming a folder, --sites naming a folder or a device, export --out naming a folder, a FIFO or
// /dev/zero given to extract or import. Each is one line naming the path and what to do, exit 2, no
// stack trace. Import lists what it skipped in a folder, with why; page text never drives the terminal.
import { execFileSync } from "node:child_process";
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { terminalSafe } from "../cli/terminal-text.ts";
import { loadPage } from "../pipeline/extract-file.ts";
import { runCli } from "./support/cli-in-process.ts";

const SEED = resolve("../shared/seeds/004_9f09e102a19e83ee.txt");
let dir: string;

const cli = (args: string[]) => runCli(args, { cwd: dir });

/** One message line and one hint line, no stack frames. */
function expectOneLine(r: { code: number; stderr: string }, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, r.stderr).toHaveLength(2);
  expect(lines[0]).toMatch(message);
  expect(lines[1]).toMatch(/^ {2}→ /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-bad-paths-"));
  execFileSync("mkfifo", [join(dir, "pipe.html")]);
  mkdirSync(join(dir, "a-folder"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("bad paths", () => {
  it("--db in a folder that does not exist (import, demo)", async () => {
    const db = join(dir, "no", "such", "folder", "x.sqlite");
    expectOneLine(
      await cli(["import", SEED, "--db", db]),
      /^nianbao import: cannot create .*x\.sqlite: the folder .*folder does not exist$/,
    );
    expectOneLine(
      await cli(["demo", "--db", db, "--out", join(dir, "d.csv")]),
      /^nianbao demo: cannot create .*x\.sqlite: the folder .*folder does not exist$/,
    );
  }, 60_000);

  it("--log naming a folder, --sites naming a folder or a device", async () => {
    writeFileSync(join(dir, "sites.json"), JSON.stringify({ sites: [] }));
    expectOneLine(
      await cli(["crawl", "--sites", "sites.json", "--log", "a-folder", "--db", "c.sqlite"]),
      /^nianbao crawl: --log a-folder: is a folder$/,
    );
    expectOneLine(
      await cli(["crawl", "--sites", "a-folder"]),
      /^nianbao crawl: a-folder is a folder, not a registry file$/,
    );
    expectOneLine(
      await cli(["crawl", "--sites", "/dev/zero"]),
      /^nianbao crawl: \/dev\/zero is a character device, not a registry file$/,
    );
    expectOneLine(await cli(["sites", "validate", "pipe.html"]), /pipe\.html is a FIFO \(named pipe\)/);
  });

  it("export --out naming a folder names the folder, not a temp file", async () => {
    expect((await cli(["import", SEED, "--db", "e.sqlite"])).code).toBe(0);
    const r = await cli(["export", "csv", "--out", "a-folder", "--db", "e.sqlite"]);
    expectOneLine(r, /^nianbao export: --out \S*a-folder is a folder$/);
    expect(r.stderr).not.toMatch(/\.tmp/);
  });

  it("extract and import refuse a FIFO and /dev/zero at once", async () => {
    for (const p of [join(dir, "pipe.html"), "/dev/zero"]) {
      const kind = p === "/dev/zero" ? "a character device" : "a FIFO \\(named pipe\\)";
      expectOneLine(
        await cli(["extract", p]),
        new RegExp(`^nianbao extract: ${p} is ${kind}, not a regular file$`),
      );
      expectOneLine(
        await cli(["import", p, "--db", "f.sqlite"]),
        new RegExp(`^nianbao import: ${p} is ${kind}, not a regular file$`),
      );
    }
  });
});

describe("size caps", () => {
  /** A sparse file: `size` bytes on paper starting with `head`, nothing on disk. */
  function sparse(name: string, head: string, size: number): string {
    const file = join(dir, name);
    const fd = openSync(file, "w");
    writeSync(fd, head);
    writeSync(fd, "\n", size - 1);
    closeSync(fd);
    return file;
  }
  it("a 60 MB PDF is an attachment to read, as in a crawl; past the 100 MB attachment cap it is refused", async () => {
    const pdf = sparse("big.pdf", "%PDF-1.4\n", 60 * 1024 * 1024);
    await expect(loadPage(pdf)).rejects.toMatchObject({ code: "input_binary" });
    const huge = sparse("huge.pdf", "%PDF-1.4\n", 101 * 1024 * 1024);
    await expect(loadPage(huge)).rejects.toMatchObject({
      code: "input_unreadable",
      message: `${huge} is ${101 * 1024 * 1024} bytes, over the ${100 * 1024 * 1024}-byte attachment limit`,
    });
  });
});

describe("import folders", () => {
  it("lists each skipped entry with its reason: symlink, FIFO, not a page", async () => {
    const folder = join(dir, "archive");
    mkdirSync(folder);
    writeFileSync(join(folder, "report.txt"), readFileSync(SEED));
    writeFileSync(join(folder, "notes.md"), "notes");
    symlinkSync(SEED, join(folder, "linked.txt"));
    execFileSync("mkfifo", [join(folder, "fifo.html")]);
    const r = await cli(["import", folder, "--db", "g.sqlite"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^1 file\(s\)/);
    expect(r.stderr).toContain("skipped 3 entries:");
    expect(r.stderr).toContain(`${join(folder, "fifo.html")}: a FIFO (named pipe), not a regular file`);
    expect(r.stderr).toContain(`${join(folder, "linked.txt")}: a symbolic link (not followed)`);
    expect(r.stderr).toContain(`${join(folder, "notes.md")}: neither a page nor a report attachment`);
    const json = JSON.parse((await cli(["import", folder, "--db", "g.sqlite", "--json"])).stdout);
    expect(json.skipped).toHaveLength(3);
  });
});

describe("terminal output", () => {
  const hostile = "\u001b]0;pwned\u0007\u001b[2J\u001b[31m";
  it("escapes control characters from page text in search and text-mode extract", async () => {
    const page = join(dir, "hostile.txt");
    const seed = readFileSync(SEED, "utf8");
    // The escapes go into the title line and a body sentence, as a hostile page would put them.
    writeFileSync(page, seed.replace("政府信息公开", `政府信息${hostile}公开`).replace(/。/, `。${hostile}`));
    const text = await cli(["extract", page]);
    expect(text.stdout.length).toBeGreaterThan(100);
    expect(text.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect((await cli(["import", page, "--db", "t.sqlite"])).code).toBe(0);
    const hits = await cli(["search", "pwned", "--db", "t.sqlite"]);
    expect(hits.stdout).toContain("pwned");
    expect(hits.stdout).toContain("\\x1b]0;pwned\\x07");
    expect(hits.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it("terminalSafe shows controls as escapes and leaves text, tabs and newlines alone", () => {
    expect(terminalSafe("年报\t2023\n\u001b[0m\u009b\u202e")).toBe("年报\t2023\n\\x1b[0m\\x9b\\u202e");
  });
});
