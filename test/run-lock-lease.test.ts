// The run lock is a lease with a heartbeat: a lease not renewed in time is taken over by the next run
// wherever the old one ran (another container's host name, a PID since reused), and the takeover is
// logged and shown in the summary; a live lease on another host still keeps a second crawl out.
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatSummary } from "../crawler/crawl-summary.ts";
import { FrontierStore } from "../crawler/frontier/frontier-store.ts";
import { RunLock } from "../crawler/frontier/run-lock.ts";
import { collectingLogger, farmConnectTo } from "../fixtures/farm/server/farm-connect.ts";
import { crawlIntoStore } from "../pipeline/crawl.ts";
import { openStore } from "../store/index.ts";
import { type OneListPortal, startOneListPortal } from "./support/one-list-portal.ts";

const MINUTE = 60_000;
let portal: OneListPortal;

beforeAll(async () => {
  portal = await startOneListPortal({ host: "farm-lease.gov.cn", reports: ["huojia-health-2023"] });
});
afterAll(() => portal.close());

/** Writes the lock a crawl on `host` would hold, its lease ending `leaseEndsInMs` from now. */
function holdLock(dbPath: string, host: string, pid: number, leaseEndsInMs: number): void {
  openStore(dbPath).db.close();
  const db = new Database(dbPath);
  new FrontierStore(db);
  const leaseMs = 5 * MINUTE;
  // Acquired in the past (or the future) so that its lease ends when asked.
  new RunLock(db, {
    pid,
    hostname: host,
    leaseMs,
    now: () => Date.now() + leaseEndsInMs - leaseMs,
  }).acquire();
  db.close();
}

describe("run lock lease (unit)", () => {
  it("takes over an expired lease from another host or a reused pid, never a live one", () => {
    const db = new Database(":memory:");
    new FrontierStore(db);
    let now = 1_000_000;
    const clock = () => now;
    const alwaysAlive = () => true; // every pid "exists": a reused pid looks alive
    const a = new RunLock(db, {
      pid: 41,
      hostname: "container-a",
      leaseMs: MINUTE,
      now: clock,
      isAlive: alwaysAlive,
    });
    expect(a.acquire()).toBeNull();
    const b = new RunLock(db, {
      pid: 41,
      hostname: "container-b",
      leaseMs: MINUTE,
      now: clock,
      isAlive: alwaysAlive,
    });
    expect(() => b.acquire()).toThrow(/another crawl \(pid 41 on container-a/);
    now += 30_000;
    expect(a.renew()).toBe(true); // the heartbeat moves the lease on
    now += 45_000; // 75 s after the start but 45 s after the last beat: still held
    expect(() => b.acquire()).toThrow(/lease until/);
    now += 16_000; // the beat was missed: the lease ran out
    expect(b.acquire()).toMatchObject({ pid: 41, hostname: "container-a", reason: "lease_expired" });
    // The old holder learns on its next beat that the lock is gone, and cannot release the new one.
    expect(a.renew()).toBe(false);
    a.release();
    expect(db.prepare("SELECT hostname FROM crawl_lock").get()).toEqual({ hostname: "container-b" });
    // Same host, same pid (reused by another process), lease out: taken over too.
    now += 2 * MINUTE;
    const c = new RunLock(db, {
      pid: 41,
      hostname: "container-b",
      leaseMs: MINUTE,
      now: clock,
      isAlive: alwaysAlive,
    });
    expect(c.acquire()).toMatchObject({ reason: "lease_expired", hostname: "container-b" });
    // A dead holder on this host is taken over at once, lease or not (kill -9, then run again).
    const dead = new RunLock(db, {
      pid: 99,
      hostname: "container-b",
      leaseMs: MINUTE,
      now: clock,
      isAlive: (p) => p !== 41,
    });
    expect(dead.acquire()).toMatchObject({ pid: 41, reason: "holder_dead" });
    db.close();
  });
});

describe("a crawl after one killed in another container", () => {
  it("takes over the expired lease, logs it and says so in the summary", async () => {
    const dbPath = join(portal.dir, "expired.sqlite");
    holdLock(dbPath, "crawler-7f3a", 4242, -MINUTE);
    const { logger, lines } = collectingLogger();
    const { summary, exitCode } = await crawlIntoStore({
      dbPath,
      sites: [portal.site],
      logger,
      connectTo: farmConnectTo(portal.farm.port),
      browser: null,
    });
    expect(exitCode).toBe(0);
    expect(summary.lockTakeover).toMatchObject({
      pid: 4242,
      hostname: "crawler-7f3a",
      reason: "lease_expired",
    });
    expect(formatSummary(summary)).toMatch(
      /took over the lock of pid 4242 on crawler-7f3a, held since .*: its lease ran out at /,
    );
    expect(lines.find((l) => l.event === "lock_takeover")).toMatchObject({
      hostname: "crawler-7f3a",
      pid: 4242,
    });
    const db = new Database(dbPath, { readonly: true });
    const run = db.prepare("SELECT summary_json FROM crawl_runs ORDER BY id DESC").get() as {
      summary_json: string;
    };
    expect(db.prepare("SELECT COUNT(*) AS n FROM crawl_lock").get()).toEqual({ n: 0 });
    db.close();
    expect(JSON.parse(run.summary_json).lockTakeover.hostname).toBe("crawler-7f3a");
  });

  it("a live lease held in another container keeps the crawl out (exit 1, the holder named)", async () => {
    const dbPath = join(portal.dir, "live.sqlite");
    holdLock(dbPath, "crawler-9c1d", 4243, 3 * MINUTE);
    await expect(
      crawlIntoStore({
        dbPath,
        sites: [portal.site],
        logger: collectingLogger().logger,
        connectTo: farmConnectTo(portal.farm.port),
        browser: null,
      }),
    ).rejects.toMatchObject({
      code: "crawl_locked",
      exitCode: 1,
      message: expect.stringMatching(/crawler-9c1d/),
    });
  });
});
