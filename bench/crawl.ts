// Crawl bench: 200 generated loopback hosts (bench-<n>.gov.cn, no artificial latency, connections kept
// alive 5 s) crawled into a real store, polite vs the bound hosts × 1/delay, peak RSS; then politeness off.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pino from "pino";
import { DEFAULT_JITTER_FLOOR_RATIO, DEFAULT_JITTER_RATIO } from "../crawler/run/crawl-options.ts";
import { type Site, siteSchema } from "../crawler/sites/site-schema.ts";
import { farmConnectTo } from "../fixtures/farm/server/farm-connect.ts";
import { crawlIntoStore } from "../pipeline/crawl.ts";
import { benchResult } from "./bench-result.ts";

const { values } = parseArgs({
  options: {
    hosts: { type: "string", default: "200" },
    "delay-ms": { type: "string", default: "200" },
    /** The polite run's global cap: "auto" (the default) or a number. */
    global: { type: "string", default: "auto" },
    /** Serve with the test farm's 1 s keep-alive (a new connection per request) instead of 5 s. */
    "short-keep-alive": { type: "boolean" },
  },
});
const hostCount = Number(values.hosts);
const delayMs = Number(values["delay-ms"]);

function benchSites(): Site[] {
  return Array.from({ length: hostCount }, (_, i) =>
    siteSchema.parse({
      slug: `bench-${i}`,
      name: `bench ${i} 门户`,
      agency: `bench ${i} 机关`,
      province: "测试",
      level: "county",
      start_urls: [`http://bench-${i}.gov.cn/index.html`],
      pagination: { style: "trs_create_page_html", max_pages: 10 },
      rate: { delay_ms: delayMs },
      expect: { min_reports: 15 },
    }),
  );
}

/** The farm runs in its own process, as real servers would: it must not share the crawler's event loop. */
async function startFarmProcess(): Promise<{ port: number; close: () => Promise<void> }> {
  // Idle connections kept 5 s, as real portals do (nginx's default is 75 s); the test farm's 1 s is
  // below Node's client margin, so every request would open a new socket.
  const keepAlive = values["short-keep-alive"] ? [] : ["--keep-alive-ms", "5000"];
  const farmArgs = ["bin/run-ts.js", "fixtures/farm/server/start-farm.ts", ...keepAlive];
  const child = spawn(process.execPath, farmArgs, { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((ok, fail) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) ok(Number(m[1]));
    });
    child.once("exit", () => fail(new Error("the farm process ended before it listened")));
  });
  return {
    port,
    close: () =>
      new Promise<void>((ok) => {
        child.once("exit", () => ok());
        child.kill("SIGTERM");
      }),
  };
}

async function run(
  politeness: boolean,
): Promise<{ pages: number; seconds: number; cpuSeconds: number; reports: number; healthy: number }> {
  const farm = await startFarmProcess();
  const cpuBefore = process.cpuUsage();
  const dir = mkdtempSync(join(tmpdir(), "nianbao-bench-crawl-"));
  try {
    const started = performance.now();
    const r = await crawlIntoStore({
      dbPath: join(dir, "bench.sqlite"),
      sites: benchSites(),
      logger: pino({ level: "info" }, pino.destination({ dest: "/dev/null", sync: false })),
      connectTo: farmConnectTo(farm.port),
      browser: null,
      extract: false,
      politeness,
      globalConcurrency: politeness ? (values.global === "auto" ? "auto" : Number(values.global)) : 16,
    });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    return {
      pages: r.summary.totals.pages,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      reports: r.summary.totals.reportsFound,
      healthy: r.summary.sites.filter((s) => s.healthy).length,
    };
  } finally {
    await farm.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const polite = await run(true);
const politeRate = polite.pages / polite.seconds;
// Each host may take one page per delay (robots.txt counts too, so the bound is a ceiling).
const bound = hostCount * (1000 / delayMs);
// The gate draws each gap's jitter uniformly from 1–3 % of the delay, start to start: even a
// crawler costing nothing stays near bound / 1.02.
const jitteredBound = bound / (1 + (DEFAULT_JITTER_FLOOR_RATIO + DEFAULT_JITTER_RATIO) / 2);
console.log(
  `polite:      ${polite.pages} pages from ${hostCount} hosts in ${polite.seconds.toFixed(1)} s = ${politeRate.toFixed(0)} pages/s; ` +
    `bound ${hostCount} × 1/${delayMs} ms = ${bound.toFixed(0)} pages/s; ratio ${(politeRate / bound).toFixed(2)} ` +
    `(jitter adds 1–3 % to each delay); ${polite.healthy}/${hostCount} sites healthy, ${polite.reports} reports; ` +
    `crawler CPU ${polite.cpuSeconds.toFixed(1)} s of ${polite.seconds.toFixed(1)} s wall (${((1000 * polite.cpuSeconds) / polite.pages).toFixed(2)} ms/page)`,
);
const fast = await run(false);
console.log(
  `politeness off: ${fast.pages} pages in ${fast.seconds.toFixed(1)} s = ${(fast.pages / fast.seconds).toFixed(0)} pages/s ` +
    `(global cap 16, store writes included; crawler CPU ${fast.cpuSeconds.toFixed(1)} s)`,
);
// Read once at the end (getrusage): sampling memoryUsage() every 50 ms cost 2% of the crawler's CPU.
console.log(
  `peak RSS of the crawling process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (the farm runs in its own process)`,
);
benchResult("crawl", [
  {
    name: `polite crawl, ${hostCount} hosts, ${delayMs} ms per host: share of the bound ${bound.toFixed(0)} pages/s`,
    value: politeRate / bound,
    unit: "× bound",
    target: { op: ">=", value: 0.9 },
    note: `${politeRate.toFixed(0)} pages/s, ${polite.pages} pages in ${polite.seconds.toFixed(1)} s`,
  },
  {
    name: "polite crawl: share of the bound with the mean jitter (bound / 1.02)",
    value: politeRate / jitteredBound,
    unit: "× bound",
  },
  { name: "polite crawl: crawler CPU", value: (1000 * polite.cpuSeconds) / polite.pages, unit: "ms/page" },
  { name: "politeness off (global cap 16)", value: fast.pages / fast.seconds, unit: "pages/s" },
]);
