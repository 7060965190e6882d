// The crawl command called in-process with a fake terminal: usage errors exit 2, a TTY gets a
// progress line on stderr while stdout carries only the summary, --json prints the summary as data.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIO } from "../cli/command.ts";
import { main } from "../cli/main.ts";
import { type Farm, startFarm } from "../fixtures/farm/server/farm-server.ts";
import { farmSites } from "../fixtures/farm/server/farm-sites.ts";

let farm: Farm;
let dir: string;
let sitesFile: string;
beforeAll(async () => {
  farm = await startFarm();
  dir = mkdtempSync(join(tmpdir(), "nianbao-crawl-cli-"));
  sitesFile = join(dir, "sites.json");
  writeFileSync(
    sitesFile,
    JSON.stringify({ sites: farmSites({ delayMs: 20, only: ["farm-none", "farm-jhtml"] }) }),
  );
});
afterAll(async () => {
  await farm.close();
  rmSync(dir, { recursive: true, force: true });
});

function fakeIO(isTTY: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY, env: {}, cwd: dir };
  return { io, out, err };
}

describe("nianbao crawl", () => {
  it("rejects unknown sites and bad flags with exit 2", async () => {
    const a = fakeIO(false);
    expect(await main(["crawl", "--sites", sitesFile, "--site", "nope"], a.io)).toBe(2);
    expect(a.err.join("")).toMatch(/no site "nope"/);
    const b = fakeIO(false);
    expect(await main(["crawl", "--sites", sitesFile, "--connect-to", "nowhere"], b.io)).toBe(2);
    const c = fakeIO(false);
    expect(await main(["crawl", "--sites", join(dir, "missing.json")], c.io)).toBe(2);
    expect(c.err.join("")).toMatch(/no registry/);
  });

  it("takes --concurrency and --per-domain only within their ranges, naming the flag", async () => {
    for (const [flag, value, why] of [
      ["--concurrency", "0", /--concurrency must be between 1 and 1024, not 0/],
      ["--concurrency", "5000", /--concurrency must be between 1 and 1024/],
      ["--per-domain", "17", /--per-domain must be between 1 and 16/],
      ["--per-domain", "two", /--per-domain needs a whole number, not "two"/],
    ] as const) {
      const t = fakeIO(false);
      expect(await main(["crawl", "--sites", sitesFile, flag, value], t.io)).toBe(2);
      expect(t.err.join("")).toMatch(why);
    }
  });

  it("holds the global cap from --concurrency, and from the registry's crawl.concurrency", async () => {
    const slugs = ["farm-trs", "farm-jhtml", "farm-next", "farm-none", "farm-hanweb", "farm-gkmlpt"];
    const wide = join(dir, "sites-wide.json");
    const sites = farmSites({ delayMs: 20, only: slugs });
    writeFileSync(wide, JSON.stringify({ sites }));
    const capped = join(dir, "sites-capped.json");
    writeFileSync(capped, JSON.stringify({ crawl: { concurrency: 2 }, sites }));
    const peakOf = async (file: string, db: string, extra: string[]) => {
      farm.reset();
      const args = ["crawl", "--sites", file, "--db", db, "--connect-to", `127.0.0.1:${farm.port}`];
      await main([...args, "--no-browser", "--no-extract", "--log", `${db}.log`, ...extra], fakeIO(false).io);
      const events = farm.log
        .flatMap((r) => [[r.startMs, 1] as const, [r.endMs, -1] as const])
        .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      let now = 0;
      let peak = 0;
      for (const [, d] of events) peak = Math.max(peak, (now += d));
      return { peak, requests: farm.log.length };
    };
    const one = await peakOf(wide, "one.sqlite", ["--concurrency", "1"]);
    expect(one.requests).toBeGreaterThan(20);
    expect(one.peak).toBe(1);
    const two = await peakOf(capped, "two.sqlite", []);
    expect(two.requests).toBeGreaterThan(20);
    expect(two.peak).toBeLessThanOrEqual(2);
  });

  it("draws progress only on a terminal and prints the summary on stdout", async () => {
    const tty = fakeIO(true);
    const args = [
      "crawl",
      "--sites",
      sitesFile,
      "--db",
      "tty.sqlite",
      "--connect-to",
      `127.0.0.1:${farm.port}`,
      "--no-browser",
      "--no-extract",
      "--log",
      "tty.log",
    ];
    expect(await main(args, tty.io)).toBe(0);
    const erase = "\r\u001b[2K"; // carriage return + erase line: the progress line redraws in place
    expect(tty.err.join("")).toContain(`${erase}crawl run 1: `);
    expect(tty.err.join("")).toMatch(/crawl run 1: \d+ done, 0 failed/);
    expect(tty.out.join("")).toMatch(/ok farm-jhtml: \d+ pages, reports 3 \(new 3/);
    const log = readFileSync(join(dir, "tty.log"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(log.filter((l) => l.event === "fetch").length).toBeGreaterThan(5);

    const plain = fakeIO(false);
    const json = [
      "crawl",
      "--sites",
      sitesFile,
      "--db",
      "plain.sqlite",
      "--connect-to",
      `127.0.0.1:${farm.port}`,
      "--no-browser",
      "--no-extract",
      "--log",
      "plain.log",
      "--json",
    ];
    expect(await main(json, plain.io)).toBe(0);
    expect(plain.err.join("")).toBe("");
    const summary = JSON.parse(plain.out.join(""));
    expect(summary.sites.map((s: { site: string; healthy: boolean }) => [s.site, s.healthy])).toEqual([
      ["farm-jhtml", true],
      ["farm-none", true],
    ]);
  });
});
