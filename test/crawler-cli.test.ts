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
