// The package as people install it: `npm pack` builds dist/ and packs it; the tarball, unpacked into
// an empty folder beside only its production dependencies (no TypeScript, no tsx), runs
// `nianbao --help`, imports as `nianbao`, extracts a page and reads a database it wrote.
// The registry is out of reach here, so the dependencies are linked from this checkout's node_modules.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const SEED = resolve(ROOT, "../shared/seeds/004_9f09e102a19e83ee.txt");
const REAL = resolve(ROOT, "../shared/real-reports");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  version: string;
  dependencies: Record<string, string>;
};

let dir: string;
let app: string;
let tarball: string;

function run(cmd: string, args: string[], cwd = app) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-pack-"));
  const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  })
    .trim()
    .split("\n")
    .pop() as string;
  tarball = join(dir, name);
  app = join(dir, "app");
  const installed = join(app, "node_modules", "nianbao");
  mkdirSync(installed, { recursive: true });
  writeFileSync(join(app, "package.json"), '{ "name": "uses-nianbao", "private": true, "type": "module" }\n');
  execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
  for (const dep of Object.keys(pkg.dependencies)) {
    const to = join(app, "node_modules", dep);
    mkdirSync(dirname(to), { recursive: true });
    symlinkSync(join(ROOT, "node_modules", dep), to);
  }
  mkdirSync(join(app, "node_modules", ".bin"));
  symlinkSync("../nianbao/bin/nianbao.js", join(app, "node_modules", ".bin", "nianbao"));
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm pack", () => {
  it("publishes compiled JavaScript with types, and none of the TypeScript sources or tests", () => {
    const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n").filter(Boolean);
    expect(files).toEqual(
      expect.arrayContaining([
        "package/dist/index.js",
        "package/dist/index.d.ts",
        "package/dist/cli/main.js",
        "package/bin/nianbao.js",
      ]),
    );
    const sources = files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
    expect(sources).toEqual([]);
    expect(files.filter((f) => /^package\/(test|bench|cli|store|extract)\//.test(f))).toEqual([]);
  });
});

describe("the installed package", () => {
  it("has no TypeScript tooling to lean on", () => {
    for (const tool of ["typescript", "tsx"]) {
      const r = run("node", ["--input-type=module", "-e", `await import("${tool}")`]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/Cannot find package/);
    }
  });

  it("runs `nianbao --help` and `--version` from the compiled code", () => {
    const help = run("node", ["node_modules/.bin/nianbao", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^nianbao — annual reports/);
    for (const name of ["extract", "import", "compare", "show", "export", "demo"])
      expect(help.stdout).toMatch(new RegExp(`\\n  ${name} +\\S`));
    const version = run("node", ["node_modules/.bin/nianbao", "--version"]);
    expect(version.stdout).toMatch(
      new RegExp(`^nianbao ${pkg.version.replace(/\./g, "\\.")} \\(extractor \\d`),
    );
  });

  it('answers `import { extractReport, openStore, crawl } from "nianbao"`', () => {
    writeFileSync(
      join(app, "use.js"),
      `import { readFileSync } from "node:fs";
import { crawl, EXTRACTOR_VERSION, extractReport, openStore } from "nianbao";
const record = extractReport({ content: readFileSync(process.argv[2], "utf8"), fileName: "seed.txt" });
const store = openStore(process.argv[3]);
const version = store.db.pragma("user_version", { simple: true });
store.close();
console.log(JSON.stringify({ agency: record.agency, year: record.report_year, version, crawl: typeof crawl, extractor: EXTRACTOR_VERSION }));
`,
    );
    const r = run("node", ["use.js", SEED, join(app, "lib.sqlite")]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toMatchObject({ agency: "天水市民政局", year: 2019, crawl: "function" });
    expect(JSON.parse(r.stdout).version).toBeGreaterThan(0);
  });

  it("crawls the demo portals and extracts their reports in its worker thread, as from source", () => {
    const db = join(app, "demo.sqlite");
    const r = run("node", ["node_modules/.bin/nianbao", "demo", "--db", db, "--out", join(app, "demo.csv")]);
    expect(r.stderr).not.toMatch(/extraction failed|extraction thread stopped/);
    expect(r.code).toBe(0);
    const reports = run("node", [
      "-e",
      `const D = require(${JSON.stringify(join(ROOT, "node_modules", "better-sqlite3"))}); console.log(new D(process.argv[1]).prepare("SELECT COUNT(*) FROM reports").pluck().get())`,
      db,
    ]);
    expect(Number(reports.stdout)).toBe(19);
  });

  it("imports real PDF reports and folds the Hongze renames, as from source", () => {
    const db = join(app, "real.sqlite");
    expect(run("node", ["node_modules/.bin/nianbao", "import", REAL, "--db", db]).code).toBe(0);
    const c = run("node", [
      "node_modules/.bin/nianbao",
      "compare",
      "--agency",
      "洪泽区人民政府",
      "--json",
      "--db",
      db,
    ]);
    expect(c.code).toBe(0);
    expect(JSON.parse(c.stdout)).toMatchObject({ agency: "淮安市洪泽区人民政府", years: [2023, 2024] });
  });
});
