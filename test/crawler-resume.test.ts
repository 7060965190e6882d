// Crash safety of the real CLI as a child process: SIGKILL at three random points then a restart
// gives the same fetched set as an uninterrupted run, nothing done is fetched again; the run lock; SIGINT → 130.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Farm, startFarm } from "../fixtures/farm/server/farm-server.ts";
import { farmSites } from "../fixtures/farm/server/farm-sites.ts";
import { spawnCli } from "./support/cli-child.ts";

const SLUGS = [
  "farm-trs",
  "farm-pagediv",
  "farm-hanweb",
  "farm-gkmlpt",
  "farm-jhtml",
  "farm-next",
  "farm-none",
];
let farm: Farm;
let dir: string;

beforeAll(async () => {
  farm = await startFarm();
  dir = mkdtempSync(join(tmpdir(), "nianbao-resume-"));
});
afterAll(async () => {
  await farm.close();
  rmSync(dir, { recursive: true, force: true });
});

function writeSites(name: string, delayMs: number): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ sites: farmSites({ delayMs, only: SLUGS }) }, null, 2));
  return path;
}

type Run = ReturnType<typeof spawnCli>;

function crawl(sitesFile: string, db: string): Run {
  return spawnCli([
    "crawl",
    "--sites",
    sitesFile,
    "--db",
    db,
    "--connect-to",
    `127.0.0.1:${farm.port}`,
    "--no-browser",
    "--no-extract",
    "--log",
    `${db}.log`,
  ]);
}

async function waitForRequests(n: number, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (farm.log.length < n) {
    if (Date.now() > until) throw new Error(`farm saw only ${farm.log.length} of ${n} requests`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function frontierRows(db: string) {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare("SELECT run_id, url, state, done_at FROM crawl_frontier ORDER BY id").all() as {
      run_id: number;
      url: string;
      state: string;
      done_at: number | null;
    }[];
  } finally {
    d.close();
  }
}

describe("crawl resume and locking (child processes)", () => {
  it("after SIGKILL at three random points the restarted crawl equals an uninterrupted one", async () => {
    const sites = writeSites("sites-fast.json", 50);
    farm.reset();
    const baseline = crawl(sites, join(dir, "baseline.sqlite"));
    const b = await baseline.done;
    expect(b.code, b.stderr).toBe(0);
    const totalRequests = farm.log.length;
    const baselineDone = frontierRows(join(dir, "baseline.sqlite"))
      .filter((r) => r.state === "done")
      .map((r) => r.url)
      .sort();
    expect(baselineDone.length).toBeGreaterThan(40);

    farm.reset();
    const db = join(dir, "killed.sqlite");
    const kills: number[] = [];
    for (let k = 0; k < 3; k++) {
      // A random point in this process's share of the crawl, counted in requests the farm has seen.
      const at = farm.log.length + 2 + Math.floor(Math.random() * Math.max(1, totalRequests / 5));
      kills.push(at);
      const run = crawl(sites, db);
      const ended = await Promise.race([waitForRequests(at).then(() => false), run.done.then(() => true)]);
      expect(ended, `the crawl finished before the kill point ${at}`).toBe(false);
      run.child.kill("SIGKILL");
      const r = await run.done;
      expect(r.signal).toBe("SIGKILL");
    }
    const final = crawl(sites, db);
    const f = await final.done;
    expect(f.code, `${f.stderr}\nkills at ${kills}`).toBe(0);

    const rows = frontierRows(db);
    expect(new Set(rows.map((r) => r.run_id)).size).toBe(1); // one run, resumed three times
    const done = rows.filter((r) => r.state === "done");
    expect(done.map((r) => r.url).sort()).toEqual(baselineDone);
    expect(rows.filter((r) => r.state === "queued" || r.state === "leased")).toEqual([]);
    // Nothing recorded done was requested again afterwards.
    for (const r of done) {
      const u = new URL(r.url);
      const later = farm.log.filter(
        (x) => x.host === u.hostname && x.path === `${u.pathname}${u.search}` && x.startMs > r.done_at! + 1,
      );
      expect(later, r.url).toEqual([]);
    }
    // Each kill cost at most the request in flight per host: far fewer refetches than pages.
    const pageRequests = farm.log.filter((x) => x.path !== "/robots.txt").length;
    expect(pageRequests).toBeLessThan(done.length + 3 * SLUGS.length + 1);
  });

  it("a second crawl on a locked database exits 1; SIGINT releases leases and exits 130; the next run resumes", async () => {
    const sites = writeSites("sites-slow.json", 1000); // slow enough to outlast the second process start-up
    const db = join(dir, "locked.sqlite");
    farm.reset();
    const first = crawl(sites, db);
    await waitForRequests(4);
    const second = crawl(sites, db);
    const s = await second.done;
    expect(s.code, s.stderr + s.stdout).toBe(1);
    expect(s.stderr).toMatch(/another crawl \(pid \d+/);
    first.child.kill("SIGINT");
    const a = await first.done;
    expect(a.code, a.stderr).toBe(130);
    expect(a.stdout).toMatch(/interrupted/);
    const rows = frontierRows(db);
    expect(rows.filter((r) => r.state === "leased")).toEqual([]);
    expect(rows.filter((r) => r.state === "queued").length).toBeGreaterThan(0);
    const d = new Database(db, { readonly: true });
    const run = d.prepare("SELECT summary_json FROM crawl_runs").get() as { summary_json: string };
    d.close();
    expect(JSON.parse(run.summary_json).interrupted).toBe(true);

    const resumed = crawl(writeSites("sites-fast2.json", 50), db);
    const r = await resumed.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\(resumed\)/);
    expect(frontierRows(db).filter((x) => x.state === "queued" || x.state === "leased")).toEqual([]);
  });
});
