// The nightly job survives kill -9: the real CLI crawling and extracting the demo portals is killed at three
// random points (just after a report page arrived, while it is being extracted), then run again to the end.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoReports, demoSites } from "../fixtures/farm/server/demo-hosts.ts";
import { type Farm, startFarm } from "../fixtures/farm/server/farm-server.ts";
import { type CliExit, spawnCli } from "./support/cli-child.ts";

let farm: Farm;
let dir: string;
let sitesFile: string;

beforeAll(async () => {
  farm = await startFarm();
  dir = mkdtempSync(join(tmpdir(), "nianbao-e2e-kill-"));
  sitesFile = join(dir, "demo-sites.json");
  writeFileSync(sitesFile, JSON.stringify({ sites: demoSites({ delayMs: 40 }) }, null, 2));
});
afterAll(async () => {
  await farm.close();
  rmSync(dir, { recursive: true, force: true });
});

function crawl(db: string): { child: ChildProcess; done: Promise<CliExit> } {
  return spawnCli([
    "crawl",
    "--sites",
    sitesFile,
    "--db",
    db,
    "--connect-to",
    `127.0.0.1:${farm.port}`,
    "--no-browser",
    "--log",
    `${db}.log`,
  ]);
}

const reportPaths = new Set(demoReports().map((r) => `${r.host}${r.path}`));

/** Resolves when the farm has answered `n` report pages in full (counted from the log's start). */
async function reportAnswered(n: number, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const answered = farm.log.filter(
      (r) => r.status === 200 && Number.isFinite(r.endMs) && reportPaths.has(`${r.host}${r.path}`),
    ).length;
    if (answered >= n) return;
    if (Date.now() > until) throw new Error(`farm answered only ${answered} of ${n} report pages`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** v_report_values without its ids: what a user queries in the morning. */
function reportValues(db: string): string[] {
  const d = new Database(db, { readonly: true });
  try {
    return (
      d
        .prepare(
          "SELECT agency, report_year, template, key, value, source, source_url FROM v_report_values ORDER BY source_url, key",
        )
        .raw()
        .all() as unknown[][]
    ).map((r) => JSON.stringify(r));
  } finally {
    d.close();
  }
}

function count(db: string, sql: string): number {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).pluck().get() as number;
  } finally {
    d.close();
  }
}

describe("kill -9 of the crawl (child processes, extraction on)", () => {
  it("killed three times mid-run, the restarted crawl ends with the same v_report_values as an uninterrupted one", async () => {
    const baselineDb = join(dir, "baseline.sqlite");
    const b = await crawl(baselineDb).done;
    expect(b.code, b.stderr).toBe(0);
    const baseline = reportValues(baselineDb);
    expect(count(baselineDb, "SELECT count(*) FROM reports")).toBe(19);
    expect(baseline.length).toBeGreaterThan(19 * 20);

    farm.reset();
    const db = join(dir, "killed.sqlite");
    const kills: string[] = [];
    let answeredBefore = 0;
    for (let k = 0; k < 3; k++) {
      // A random report page among the next few, then a random moment while the CLI extracts and stores it.
      const at = answeredBefore + 1 + Math.floor(Math.random() * 4);
      const pauseMs = Math.floor(Math.random() * 25);
      kills.push(`report ${at} + ${pauseMs} ms`);
      const run = crawl(db);
      const ended = await Promise.race([
        reportAnswered(at).then(async () => {
          await new Promise((r) => setTimeout(r, pauseMs));
          return false;
        }),
        run.done.then(() => true),
      ]);
      expect(ended, `the crawl finished before the kill point (${kills.join("; ")})`).toBe(false);
      run.child.kill("SIGKILL");
      const r = await run.done;
      expect(r.signal).toBe("SIGKILL");
      answeredBefore = at;
    }
    const final = await crawl(db).done;
    expect(final.code, `${final.stderr}\nkills at ${kills.join("; ")}`).toBe(0);
    expect(final.stdout).toMatch(/\(resumed\)/);

    expect(reportValues(db), `kills at ${kills.join("; ")}`).toEqual(baseline);
    expect(count(db, "SELECT count(*) FROM reports")).toBe(19);
    // No report stored twice: one version per report, as in the uninterrupted run.
    expect(count(db, "SELECT count(*) FROM report_versions")).toBe(19);
    expect(count(db, "SELECT count(*) FROM crawl_frontier WHERE state IN ('queued', 'leased')")).toBe(0);
  });
});
