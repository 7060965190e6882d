// The frontier and run lock on a real SQLite file: one row per canonical URL per run, one lease per
// host, atomic completion with children, leases back to the queue, pruning, and the lock's dead-holder rule.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FrontierStore, type NewItem } from "../crawler/frontier/frontier-store.ts";
import { RunLock } from "../crawler/frontier/run-lock.ts";

let dir: string;
let db: Database.Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-frontier-"));
  db = new Database(join(dir, "f.sqlite"));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const item = (url: string, kind: NewItem["kind"] = "list"): NewItem => ({
  siteSlug: "s",
  url,
  canonicalUrl: url,
  depth: 0,
  kind,
  pageIndex: 0,
  linkTitle: null,
});
const lease = { leaseMs: 60_000, owner: "1", onePerHost: true } as const;

describe("frontier", () => {
  it("keeps one row per canonical URL and leases one item per host", () => {
    const f = new FrontierStore(db);
    f.beginRun(1, "t", {});
    expect(
      f.enqueue(1, [
        item("http://a.gov.cn/1"),
        item("http://a.gov.cn/1"),
        item("http://a.gov.cn/2"),
        item("http://b.gov.cn/1"),
      ]),
    ).toBe(3);
    const first = f.claim(1, { ...lease, limit: 10, busyHosts: new Set() });
    expect(first.map((i) => i.url)).toEqual(["http://a.gov.cn/1", "http://b.gov.cn/1"]);
    expect(first.every((i) => i.state === "leased" && i.attempts === 1)).toBe(true);
    expect(f.claim(1, { ...lease, limit: 10, busyHosts: new Set(["a.gov.cn", "b.gov.cn"]) })).toEqual([]);
    expect(
      f.claim(1, { ...lease, limit: 10, busyHosts: new Set(), hosts: ["a.gov.cn"] }).map((i) => i.url),
    ).toEqual(["http://a.gov.cn/2"]);
  });

  it("completes an item and enqueues its children in one transaction; leases return to the queue", () => {
    const f = new FrontierStore(db);
    f.beginRun(1, "t", {});
    f.enqueue(1, [item("http://a.gov.cn/list")]);
    const [list] = f.claim(1, { ...lease, limit: 1, busyHosts: new Set() });
    f.complete(1, list!.id, { state: "done", outcome: "ok", reason: null, fetchId: 7, change: "new" }, [
      item("http://a.gov.cn/r1", "report"),
    ]);
    expect(f.countsByState(1)).toEqual({ done: 1, queued: 1 });
    f.claim(1, { ...lease, limit: 1, busyHosts: new Set() });
    expect(f.countsByState(1)).toEqual({ done: 1, leased: 1 });
    expect(f.releaseAllLeases(1)).toBe(1);
    expect(f.countsByState(1)).toEqual({ done: 1, queued: 1 });
    // A failing child insert rolls the completion back: nothing half-done.
    const [r1] = f.claim(1, { ...lease, limit: 1, busyHosts: new Set() });
    const bad = item("not a url"); // enqueue cannot even read its host
    expect(() =>
      f.complete(1, r1!.id, { state: "done", outcome: "ok", reason: null, fetchId: 8, change: null }, [bad]),
    ).toThrow();
    expect(f.countsByState(1)).toEqual({ done: 1, leased: 1 });
  });

  it("prunes finished runs beyond the last five, never an unfinished one", () => {
    const f = new FrontierStore(db);
    for (let r = 1; r <= 8; r++) {
      f.beginRun(r, "t", {});
      f.enqueue(r, [item(`http://a.gov.cn/${r}`)]);
      if (r < 8) f.finishRun(r);
    }
    expect(f.pruneFinishedRuns(5)).toBe(2);
    expect(
      (
        db.prepare("SELECT DISTINCT run_id FROM crawl_frontier ORDER BY run_id").all() as { run_id: number }[]
      ).map((r) => r.run_id),
    ).toEqual([3, 4, 5, 6, 7, 8]);
    expect(f.unfinishedRun()?.run_id).toBe(8);
  });
});

describe("run lock", () => {
  it("refuses a second holder while the first lives, takes over from a dead one", () => {
    new FrontierStore(db);
    const alive = new Set([1001]);
    const isAlive = (pid: number) => alive.has(pid);
    const a = new RunLock(db, { pid: 1001, isAlive });
    expect(a.acquire()).toBeNull();
    const b = new RunLock(db, { pid: 1002, isAlive });
    expect(() => b.acquire()).toThrow(/another crawl \(pid 1001/);
    try {
      b.acquire();
    } catch (err) {
      expect((err as { exitCode: number }).exitCode).toBe(1);
    }
    alive.delete(1001); // the holder was killed
    expect(b.acquire()?.pid).toBe(1001);
    b.release();
    expect(db.prepare("SELECT COUNT(*) AS n FROM crawl_lock").get()).toEqual({ n: 0 });
  });
});
