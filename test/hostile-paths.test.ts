// Path traversal: `nianbao import ../../etc/passwd` and friends, and a crawl whose attachment links
// and Content-Disposition names climb out with ../ — nothing is ever written outside the database.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { siteSchema } from "../crawler/sites/site-schema.ts";
import { collectingLogger } from "../fixtures/farm/server/farm-connect.ts";
import { crawlIntoStore } from "../pipeline/crawl.ts";
import { bounded } from "./support/bounded.ts";
import { runCli } from "./support/cli-in-process.ts";

const PASSWD = "/etc/passwd";
const REPORT_PAGE = readFileSync("fixtures/pages/hebi-civil-affairs-2019.html", "utf8");
const REPORT_PDF = readFileSync("fixtures/attachments/hebi-civil-affairs-2019.pdf");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-hostile-paths-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[], cwd: string) => runCli(args, { cwd: cwd });

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const integrity = (path: string) =>
  execFileSync("sqlite3", [path, "PRAGMA integrity_check"], { encoding: "utf8" }).trim();
/** Everything under `root`, relative, sorted, symlinks not followed (the database's -wal/-shm left out). */
function tree(root: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (/-(wal|shm|journal)$/.test(e.name)) continue;
    out.push(rel);
    if (e.isDirectory()) out.push(...tree(root, rel));
  }
  return out.sort();
}

describe("import with ../ paths", () => {
  it("`nianbao import ../../etc/passwd` reads it as the plain path it is and writes nothing but the database", async () => {
    const cwd = mkdtempSync(join(dir, "cwd-"));
    const rel = relative(cwd, PASSWD);
    expect(rel).toMatch(/^(\.\.\/)+etc\/passwd$/);
    const before = { sha: sha(PASSWD), mtime: statSync(PASSWD).mtimeMs };
    const r = await bounded(() => cli(["import", rel, "--db", "nianbao.sqlite", "--verbose"], cwd));
    expect(r.code).toBe(0);
    // The message names the file as resolved, so nobody wonders which passwd was read.
    expect(r.stderr).toContain(`[1/1] ${PASSWD}: new (report 1) — not an annual report`);
    expect(r.stdout).toBe(
      `1 file(s) into ${join(cwd, "nianbao.sqlite")}: 1 new report(s), 0 changed, 0 unchanged, 0 failed; 1 of the stored file(s) not an annual report (kept, is_annual_report = 0)\n`,
    );
    expect(tree(cwd)).toEqual(["nianbao.sqlite"]);
    expect({ sha: sha(PASSWD), mtime: statSync(PASSWD).mtimeMs }).toEqual(before);
    const db = new Database(join(cwd, "nianbao.sqlite"), { readonly: true });
    try {
      expect(db.prepare("SELECT url, outcome FROM fetches").all()).toEqual([
        { url: "file:///etc/passwd", outcome: "imported" },
      ]);
      // Not taken for a report: no agency, no year, no values.
      expect(db.prepare("SELECT is_annual_report, agency, report_year FROM report_versions").all()).toEqual([
        { is_annual_report: 0, agency: null, report_year: null },
      ]);
      expect(db.prepare("SELECT COUNT(*) AS n FROM report_values").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    expect(integrity(join(cwd, "nianbao.sqlite"))).toBe("ok");
  });

  it("a ../ path to nothing is refused before a database is created", async () => {
    const cwd = mkdtempSync(join(dir, "cwd-"));
    const r = await bounded(() => cli(["import", "../../no/such/../../file.html", "--db", "x.sqlite"], cwd));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no such file or folder: ../../no/such/../../file.html");
    expect(tree(cwd)).toEqual([]);
  });

  it("a folder holding a symlink out of it and ../-looking names: only its own files, nothing written beside them", async () => {
    const cwd = mkdtempSync(join(dir, "cwd-"));
    const pages = join(cwd, "pages");
    mkdirSync(pages);
    writeFileSync(join(pages, "..%2F..%2Fetc%2Fpasswd.html"), REPORT_PAGE);
    writeFileSync(join(pages, "...html"), REPORT_PAGE);
    symlinkSync("/etc", join(pages, "etc-link"));
    symlinkSync(PASSWD, join(pages, "passwd.html"));
    const r = await bounded(() => cli(["import", "pages/../pages", "--db", "x.sqlite", "--json"], cwd));
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.files).toBe(2);
    expect(summary.failed).toEqual([]);
    expect(summary.new + summary.changed + summary.unchanged).toBe(2);
    expect(tree(cwd)).toEqual(
      [
        "pages",
        "pages/...html",
        "pages/..%2F..%2Fetc%2Fpasswd.html",
        "pages/etc-link",
        "pages/passwd.html",
        "x.sqlite",
      ].sort(),
    );
    const db = new Database(join(cwd, "x.sqlite"), { readonly: true });
    try {
      const urls = (db.prepare("SELECT url FROM fetches ORDER BY url").all() as { url: string }[]).map(
        (u) => u.url,
      );
      expect(urls).toEqual([`file://${pages}/..%252F..%252Fetc%252Fpasswd.html`, `file://${pages}/...html`]);
    } finally {
      db.close();
    }
  });
});

describe("a crawl whose attachments are named to climb out", () => {
  let server: Server;
  let port: number;
  const requests: string[] = [];
  const escape = () => join(dir, "escape");

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = req.url ?? "/";
      requests.push(url);
      if (url === "/ndbg/index.html") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(
          '<html><body><ul><li><a href="t1.html">鹤壁市民政局2019年政府信息公开工作年度报告</a></li></ul></body></html>',
        );
      } else if (url === "/ndbg/t1.html") {
        const up = "../".repeat(12);
        const links = [
          `<a href="${up}${escape().slice(1)}/pwned.pdf">附件1</a>`,
          `<a href="..%2f..%2f..%2f..%2fpwned2.pdf">附件2</a>`,
          `<a href="/files/%2e%2e/%2e%2e/%2e%2e${escape()}/pwned3.pdf">附件3</a>`,
          `<a href="..\\..\\..\\pwned4.pdf">附件4</a>`,
        ].join("\n");
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(REPORT_PAGE.replace("</body>", `${links}</body>`));
      } else if (/\.pdf$/i.test(url)) {
        res.writeHead(200, {
          "content-type": "application/pdf",
          "content-disposition": `attachment; filename="../../../../../..${escape()}/cd-pwned.pdf"; filename*=UTF-8''..%2F..%2F..%2Fcd-pwned.pdf`,
        });
        res.end(REPORT_PDF);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((ok) => server.close(ok));
  });

  it("stores each attachment under its resolved URL in the database and creates no file anywhere", async () => {
    const work = mkdtempSync(join(dir, "crawl-"));
    const dbPath = join(work, "crawl.sqlite");
    const site = siteSchema.parse({
      slug: "hostile-names",
      name: "路径穿越测试门户",
      agency: "鹤壁市民政局",
      province: "河南",
      level: "city",
      start_urls: ["http://hostile-names.gov.cn/ndbg/index.html"],
      pagination: { style: "none" },
      rate: { delay_ms: 5 },
      expect: { min_reports: 1 },
    });
    const { logger } = collectingLogger();
    const projectBefore = readdirSync(".").sort();
    const result = await bounded(() =>
      crawlIntoStore({
        dbPath,
        sites: [site],
        logger,
        connectTo: () => ({ host: "127.0.0.1", port, tls: false }),
        browser: null,
        retry: { baseBackoffMs: 10, maxBackoffMs: 50 },
        attachments: { soffice: false },
      }),
    );
    expect(result.summary.runId).toBeGreaterThan(0);
    // Each link was fetched as a URL on the site (dot segments resolved by URL rules, not file paths).
    const pdfs = requests.filter((r) => r.endsWith(".pdf")).sort();
    expect(pdfs).toEqual(
      [
        `${escape()}/pwned.pdf`,
        `${escape()}/pwned3.pdf`,
        "/ndbg/..%2f..%2f..%2f..%2fpwned2.pdf",
        "/pwned4.pdf",
      ].sort(),
    );
    // Nothing on disk: not at the climbed-to paths, not beside the database, not in the project.
    expect(existsSync(escape())).toBe(false);
    for (const f of ["pwned.pdf", "pwned2.pdf", "pwned3.pdf", "pwned4.pdf", "cd-pwned.pdf"]) {
      expect(existsSync(join(work, f))).toBe(false);
      expect(existsSync(f)).toBe(false);
    }
    expect(tree(work)).toEqual(["crawl.sqlite"]);
    expect(readdirSync(".").sort()).toEqual(projectBefore);
    const db = new Database(dbPath, { readonly: true });
    try {
      const stored = db
        .prepare("SELECT url, outcome, sha256 FROM fetches WHERE url LIKE '%.pdf' ORDER BY url")
        .all() as { url: string; outcome: string; sha256: string }[];
      expect(stored.map((s) => s.url)).toEqual(
        [
          `http://hostile-names.gov.cn${escape()}/pwned.pdf`,
          `http://hostile-names.gov.cn${escape()}/pwned3.pdf`,
          "http://hostile-names.gov.cn/ndbg/..%2f..%2f..%2f..%2fpwned2.pdf",
          "http://hostile-names.gov.cn/pwned4.pdf",
        ].sort(),
      );
      const pdfSha = createHash("sha256").update(REPORT_PDF).digest("hex");
      expect(new Set(stored.map((s) => s.sha256))).toEqual(new Set([pdfSha]));
    } finally {
      db.close();
    }
    expect(integrity(dbPath)).toBe("ok");
  });
});
