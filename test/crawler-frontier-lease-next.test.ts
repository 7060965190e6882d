// Completing an item may lease its host's next one in the same transaction (one commit per page in a
// polite crawl): only that host, only queued items, with the lease and attempt counted as a claim does.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";
import { FrontierStore, type NewItem } from "../crawler/frontier/frontier-store.ts";

let dir: string;
let db: Database.Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-lease-next-"));
  db = new Database(join(dir, "f.sqlite"));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const item = (url: string): NewItem => ({
  siteSlug: "s",
  url,
  canonicalUrl: url,
  depth: 0,
  kind: "list",
  pageIndex: 0,
  linkTitle: null,
});
const done = { state: "done", outcome: "ok", reason: null, fetchId: null, change: null } as const;
const row = (id: number) =>
  db.prepare("SELECT state, attempts, lease_owner, lease_until FROM crawl_frontier WHERE id = ?").get(id) as {
    state: string;
    attempts: number;
    lease_owner: string | null;
    lease_until: number | null;
  };

it("leases the same host's oldest queued item with the end state, and nothing for a host with none left", () => {
  const f = new FrontierStore(db);
  f.beginRun(1, "t", {});
  f.enqueue(1, [item("http://a.gov.cn/1"), item("http://b.gov.cn/1"), item("http://a.gov.cn/2")]);
  const claimed = f.claim(1, {
    limit: 10,
    busyHosts: new Set(),
    onePerHost: true,
    leaseMs: 60_000,
    owner: "7",
  });
  expect(claimed.map((c) => c.url)).toEqual(["http://a.gov.cn/1", "http://b.gov.cn/1"]);
  const [a1, b1] = claimed as [(typeof claimed)[0], (typeof claimed)[0]];

  const before = Date.now();
  const next = f.complete(1, a1.id, done, [item("http://a.gov.cn/3")], {
    host: "a.gov.cn",
    leaseMs: 60_000,
    owner: "7",
  });
  expect(next?.url).toBe("http://a.gov.cn/2");
  expect(next?.state).toBe("leased");
  expect(next?.attempts).toBe(1);
  expect(row(a1.id).state).toBe("done");
  const leased = row(next?.id as number);
  expect(leased.state).toBe("leased");
  expect(leased.attempts).toBe(1);
  expect(leased.lease_owner).toBe("7");
  expect(leased.lease_until).toBeGreaterThanOrEqual(before + 60_000);
  // The child enqueued in the same transaction stays queued behind it.
  expect(f.countsByState(1)).toEqual({ done: 1, leased: 2, queued: 1 });

  // b.gov.cn has nothing queued: its completion leases nothing.
  expect(f.complete(1, b1.id, done, [], { host: "b.gov.cn", leaseMs: 60_000, owner: "7" })).toBeNull();
  // Without leaseNext nothing is leased: a.gov.cn/3 stays for the claim.
  expect(f.complete(1, next?.id as number, done, [])).toBeNull();
  expect(f.countsByState(1)).toEqual({ done: 3, queued: 1 });
});
