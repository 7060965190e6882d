// `nianbao extract <URL>` fetches with the crawler's fetcher: an endless body is cut at the page cap,
// a body that never finishes hits the timeout, a redirect to another port is refused before it is sent
// (that port's request log stays empty). Each ends with one line and exit 2.

import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPage } from "../pipeline/extract-file.ts";
import { runCli } from "./support/cli-in-process.ts";

const SEED = readFileSync(resolve("../shared/seeds/004_9f09e102a19e83ee.txt"));
let site: Server;
let other: Server;
let port: number;
let otherPort: number;
const otherLog: string[] = [];
const CHUNK = Buffer.from(`<p>${"政府信息公开工作年度报告。".repeat(500)}</p>\n`);

async function listen(s: Server): Promise<number> {
  await new Promise<void>((ok) => s.listen(0, "127.0.0.1", ok));
  return (s.address() as AddressInfo).port;
}

beforeAll(async () => {
  other = createServer((req, res) => {
    otherLog.push(req.url ?? "");
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(SEED);
  });
  otherPort = await listen(other);
  site = createServer((req, res) => {
    const path = req.url ?? "/";
    if (path === "/report.txt")
      return void res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(SEED);
    if (path === "/endless.html") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      const pump = () => {
        while (res.write(CHUNK)) {}
        res.once("drain", pump);
      };
      res.on("close", () => res.removeAllListeners("drain"));
      return pump();
    }
    if (path === "/never-ends.html") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return void res.write("<html><body>");
    }
    if (path === "/elsewhere.html")
      return void res.writeHead(302, { location: `http://127.0.0.1:${otherPort}/report.txt` }).end();
    res.writeHead(404).end();
  });
  port = await listen(site);
});
afterAll(async () => {
  site.closeAllConnections();
  await new Promise((ok) => site.close(ok));
  await new Promise((ok) => other.close(ok));
});

const cli = (args: string[]) => runCli(args, { cwd: process.cwd() });

describe("extract <URL>", () => {
  it("reads a page through the crawler's fetcher", async () => {
    const r = await cli(["extract", `http://127.0.0.1:${port}/report.txt`, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).is_annual_report).toBe(true);
  });

  it("cuts an endless body at the 20 MB page cap: exit 2, one line", async () => {
    const r = await cli(["extract", `http://127.0.0.1:${port}/endless.html`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^nianbao extract: http:\/\/127\.0\.0\.1:\d+\/endless\.html could not be fetched: too_large: body exceeds the 20971520-byte cap\n {2}→ /,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("gives up on a body that never finishes at the timeout", async () => {
    await expect(loadPage(`http://127.0.0.1:${port}/never-ends.html`, 300)).rejects.toMatchObject({
      code: "input_unreadable",
      exitCode: 2,
      message: expect.stringMatching(/could not be fetched: timeout/),
    });
  });

  it("refuses a redirect to another port before sending it", async () => {
    const r = await cli(["extract", `http://127.0.0.1:${port}/elsewhere.html`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`was not fetched: offsite: 127.0.0.1:${otherPort} is not an allowed origin`);
    expect(otherLog).toEqual([]);
  });
});
