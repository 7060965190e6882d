// `nianbao sites validate` on good and broken registries, and `nianbao sites health` on a real
// SQLite file written through the store's own functions (runs, fetches) and its reports table.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIO } from "../cli/command.ts";
import { main } from "../cli/main.ts";
import { openStore, saveFetch, startRun } from "../store/index.ts";

const ROOT = process.cwd();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-sites-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], env: Record<string, string | undefined> = {}) {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY: false,
    env,
    cwd: ROOT,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

function entry(slug: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    slug,
    name: `${slug} 政府信息公开年报`,
    agency: "示例市民政局",
    province: "广东",
    level: "city",
    start_urls: [`http://www.${slug}.gov.cn/zwgk/ndbg/index.html`],
    pagination: { style: "trs_create_page_html", params: { ext: "html" } },
    expect: { min_reports: 2, min_year: 2023 },
    ...over,
  };
}

function registryFile(name: string, sites: unknown[]): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ sites }, null, 2));
  return file;
}

describe("nianbao sites validate", () => {
  it("accepts the checked-in registry and prints the count", async () => {
    const r = await run(["sites", "validate"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sites\/sites\.json: (\d+) sites OK \(/);
    expect(Number(/: (\d+) sites OK/.exec(r.stdout)?.[1])).toBeGreaterThanOrEqual(30);
  });

  it("--list prints every slug with its agency, province and pagination style (and --json carries them)", async () => {
    const file = registryFile("list.json", [
      entry("alpha-site"),
      entry("beta", { agency: "示例县教育局", pagination: { style: "none" } }),
    ]);
    const r = await run(["sites", "validate", file, "--list"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").slice(0, 2)).toEqual([
      "alpha-site  示例市民政局  广东  trs_create_page_html",
      "beta        示例县教育局  广东  none",
    ]);
    const json = JSON.parse((await run(["sites", "validate", file, "--list", "--json"])).stdout);
    expect(json.slugs.map((x: { slug: string }) => x.slug)).toEqual(["alpha-site", "beta"]);
  });

  it("exits 2 naming every problem with its path: bad URL, file:// URL, duplicate slug, missing expect, off-list host", async () => {
    const noExpect = entry("c");
    delete noExpect.expect;
    const file = registryFile("broken.json", [
      entry("a", { start_urls: ["http://www.a.gov.cn/ok/index.html", "not a url"] }),
      entry("b", { start_urls: ["file:///etc/passwd"] }),
      noExpect,
      entry("a"),
      entry("e", { start_urls: ["https://example.com/ndbg/"] }),
      entry("f", { start_urls: ["https://mirror.example.org/ndbg/"], allowed_hosts: ["*.example.org"] }),
    ]);
    const r = await run(["sites", "validate", file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.split("\n").filter((l) => /^\s+sites\[/.test(l));
    expect(lines.map((l) => l.trim().split(":")[0])).toEqual([
      "sites[0].start_urls[1]",
      "sites[1].start_urls[0]",
      "sites[2].expect",
      "sites[3].slug",
      "sites[4].start_urls[0]",
    ]);
    expect(r.stderr).toMatch(/sites\[0\]\.start_urls\[1\]: not a URL/);
    expect(r.stderr).toMatch(/sites\[1\]\.start_urls\[0\]: file:\/\/ URLs are not allowed/);
    expect(r.stderr).toMatch(/sites\[2\]\.expect: missing expect/);
    expect(r.stderr).toMatch(/sites\[3\]\.slug: duplicate slug "a" \(first at sites\[0\]\)/);
    expect(r.stderr).toMatch(
      /sites\[4\]\.start_urls\[0\]: host example\.com is neither \*\.gov\.cn nor in allowed_hosts/,
    );
    // allowed_hosts lets a listed host through (sites[5] is not named).
    expect(r.stderr).not.toContain("sites[5]");
  });

  it("reports schema problems with their paths too, and --json carries the same list", async () => {
    const file = registryFile("schema.json", [
      entry("Bad Slug", {
        start_urls: ["http://www.bad.gov.cn/ndbg/"],
        level: "village",
        pagination: { style: "infinite_scroll" },
      }),
    ]);
    const r = await run(["sites", "validate", file, "--json"]);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as { ok: boolean; problems: { path: string }[] };
    expect(out.ok).toBe(false);
    expect(out.problems.map((p) => p.path).sort()).toEqual([
      "sites[0].level",
      "sites[0].pagination.style",
      "sites[0].slug",
    ]);
  });

  it("says where broken JSON breaks, and that a missing file is missing (exit 2)", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{"sites": [\n  {"slug": "a",}\n]}');
    const r = await run(["sites", "validate", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 2: not valid JSON/);
    const m = await run(["sites", "validate", join(dir, "nope.json")]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/no registry at .*nope\.json/);
  });

  it("refuses unknown subcommands and flags as bad usage", async () => {
    expect((await run(["sites", "frobnicate"])).code).toBe(2);
    expect((await run(["sites", "validate", "--nope"])).code).toBe(2);
  });
});

describe("nianbao sites health", () => {
  let db: string;
  let sitesFile: string;

  beforeAll(() => {
    sitesFile = registryFile("health-sites.json", [
      entry("good"),
      entry("stale", { expect: { min_reports: 1, min_year: 2024 } }),
      entry("blocked"),
      entry("fresh"),
    ]);
    db = join(dir, "health.sqlite");
    const store = openStore(db);
    try {
      const d = store.db;
      const addReport = d.prepare(
        "INSERT INTO reports (report_key, agency, report_year, source_url, site_slug, created_at) VALUES (?, ?, ?, ?, ?, '2025-01-01T00:00:00Z')",
      );
      // good: two runs; its last run fetched fine, one 404 along the way; reports meet expect.
      const run1 = startRun(d, {}, "2025-01-01T00:00:00Z");
      saveFetch(d, {
        url: "http://www.good.gov.cn/zwgk/ndbg/index.html",
        outcome: "ok",
        status: 200,
        runId: run1,
        siteSlug: "good",
        fetchedAt: "2025-01-01T00:01:00Z",
      });
      const run2 = startRun(d, {}, "2025-02-01T00:00:00Z");
      saveFetch(d, {
        url: "http://www.good.gov.cn/zwgk/ndbg/index.html",
        outcome: "not_modified",
        status: 304,
        runId: run2,
        siteSlug: "good",
        fetchedAt: "2025-02-01T00:01:00Z",
      });
      saveFetch(d, {
        url: "http://www.good.gov.cn/zwgk/ndbg/t1.html",
        outcome: "http_error",
        reason: "http_404",
        status: 404,
        runId: run2,
        siteSlug: "good",
        fetchedAt: "2025-02-01T00:02:00Z",
      });
      addReport.run("good-2023", "示例市民政局", 2023, "http://www.good.gov.cn/a.html", "good");
      addReport.run("good-2024", "示例市民政局", 2024, "http://www.good.gov.cn/b.html", "good");
      // stale: fetches fine but its newest report is older than expect.min_year.
      saveFetch(d, {
        url: "http://www.stale.gov.cn/zwgk/ndbg/index.html",
        outcome: "ok",
        status: 200,
        runId: run2,
        siteSlug: "stale",
        fetchedAt: "2025-02-01T00:03:00Z",
      });
      addReport.run("stale-2020", "示例市民政局", 2020, "http://www.stale.gov.cn/a.html", "stale");
      // blocked: succeeded in run 1, every fetch failed in run 2.
      saveFetch(d, {
        url: "http://www.blocked.gov.cn/zwgk/ndbg/index.html",
        outcome: "ok",
        status: 200,
        runId: run1,
        siteSlug: "blocked",
        fetchedAt: "2025-01-01T00:04:00Z",
      });
      for (const [reason, n] of [
        ["http_503", 3],
        ["challenge_page", 1],
      ] as const) {
        for (let i = 0; i < n; i++) {
          saveFetch(d, {
            url: `http://www.blocked.gov.cn/zwgk/ndbg/index.html?${reason}${i}`,
            outcome: "blocked",
            reason,
            runId: run2,
            siteSlug: "blocked",
            fetchedAt: `2025-02-01T00:0${5 + i}:00Z`,
          });
        }
      }
      addReport.run("blocked-2023", "示例市民政局", 2023, "http://www.blocked.gov.cn/a.html", "blocked");
      addReport.run("blocked-2024", "示例市民政局", 2024, "http://www.blocked.gov.cn/b.html", "blocked");
      // fresh: never crawled.
    } finally {
      store.close();
    }
  });

  it("prints per site: status, last success, reports, newest year, expect, failures by reason; unhealthy first; exit 1", async () => {
    const r = await run(["sites", "health", "--sites", sitesFile, "--db", db]);
    expect(r.code).toBe(1);
    const rows = r.stdout.split("\n").filter((l) => /^(ok|failing|expect_not_met|never_crawled)\s/.test(l));
    expect(rows.map((l) => l.split(/\s+/).slice(0, 2).join(" "))).toEqual([
      "failing blocked",
      "expect_not_met stale",
      "never_crawled fresh",
      "ok good",
    ]);
    const blocked = rows[0]!;
    expect(blocked).toContain("2025-01-01 00:04");
    expect(blocked).toContain("http_503×3, challenge_page×1");
    expect(rows[1]).toMatch(/NOT MET \(≥1, ≥2024\)/);
    expect(rows[3]).toMatch(/ok\s+good\s+2025-02-01 00:01\s+2\s+-\s+2024\s+met/);
    expect(rows[3]).toContain("http_404×1");
    expect(r.stdout).toMatch(/4 sites: 1 healthy, 3 unhealthy/);
  });

  it("gives the same facts as JSON, reading the database named by NIANBAO_DB", async () => {
    const r = await run(["sites", "health", "--sites", sitesFile, "--json"], { NIANBAO_DB: db });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      sites: {
        slug: string;
        status: string;
        reports: number;
        newest_year: number | null;
        expect_met: boolean;
        failures: Record<string, number>;
        last_success: string | null;
      }[];
    };
    const bySlug = Object.fromEntries(out.sites.map((s) => [s.slug, s]));
    expect(bySlug.good).toMatchObject({
      status: "ok",
      reports: 2,
      newest_year: 2024,
      expect_met: true,
      failures: { http_404: 1 },
      last_success: "2025-02-01T00:01:00Z",
    });
    expect(bySlug.stale).toMatchObject({
      status: "expect_not_met",
      reports: 1,
      newest_year: 2020,
      expect_met: false,
    });
    expect(bySlug.blocked).toMatchObject({
      status: "failing",
      expect_met: true,
      failures: { http_503: 3, challenge_page: 1 },
      last_success: "2025-01-01T00:04:00Z",
    });
    expect(bySlug.fresh).toMatchObject({ status: "never_crawled", reports: 0, last_success: null });
  });

  it("exits 0 when every site is healthy", async () => {
    const onlyGood = registryFile("good-only.json", [entry("good")]);
    const r = await run(["sites", "health", "--sites", onlyGood, "--db", db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 sites: 1 healthy, 0 unhealthy/);
  });

  it("exits 2 without creating a file when the database does not exist", async () => {
    const missing = join(dir, "missing.sqlite");
    const r = await run(["sites", "health", "--sites", sitesFile, "--db", missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no database/);
  });
});
