// `nianbao serve` in real Chromium (playwright-core, /usr/bin/chromium): the overview, agencies with
// the Hongze renames folded into one agency, one report's printed tables with a number's provenance
// link, the archived original, full-text search — and no request leaves the workbench.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkbench, type Workbench } from "../web/workbench-server.ts";
import { runCli } from "./support/cli-in-process.ts";

const REAL = resolve("../shared/real-reports");
const SEEDS = resolve("../shared/seeds");

let dir: string;
let db: string;
let wb: Workbench;
let browser: Browser;
let page: Page;
const requested: string[] = [];

const cli = (args: string[]) => runCli(args, { cwd: dir });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-serve-"));
  db = join(dir, "serve.sqlite");
  expect((await cli(["import", REAL, SEEDS, "--db", db])).code).toBe(0);
  wb = await startWorkbench({ dbPath: db, port: 0 });
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox"],
    headless: true,
  });
  page = await browser.newPage();
  page.on("request", (r) => requested.push(r.url()));
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await wb?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the workbench in Chromium", () => {
  it("serves the overview on 127.0.0.1: counts by year and template, reports with failed checks", async () => {
    expect(wb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await page.goto(wb.url);
    expect(res?.status()).toBe(200);
    await expect(page.locator("h1").textContent()).resolves.toBe("Overview");
    const failed = page.locator("#failed-checks");
    await expect(failed.textContent()).resolves.toContain("洪泽区人民政府");
    await expect(failed.textContent()).resolves.toContain("review.total");
    await expect(page.locator("table").first().textContent()).resolves.toContain("2023");
  });

  it("finds an agency by its Chinese name and shows both Hongze years as one agency", async () => {
    await page.click("header >> text=Agencies");
    await page.fill('input[name="q"][aria-label="agency name"]', "洪泽");
    await page.click("form[action='/agencies'] button");
    const rows = page.locator("#agencies tr");
    await expect(rows.count()).resolves.toBe(2);
    await page.click("#agencies >> text=淮安市洪泽区人民政府");
    await expect(page.locator("h1").textContent()).resolves.toBe("淮安市洪泽区人民政府");
    const head = await page.locator("#years tr").first().textContent();
    expect(head).toContain("2023");
    expect(head).toContain("洪泽区人民政府");
    expect(head).toContain("2024");
    await expect(page.locator("svg[role=img]").count()).resolves.toBeGreaterThanOrEqual(3);
    // The change from 2023 (21) to 2024 (95) new applications.
    await expect(
      page.locator("#years tr", { hasText: "applications_new_received_total" }).textContent(),
    ).resolves.toContain("(+74)");
    // Denials by reason, as printed: 2023 denied one request as a state secret.
    const secret = page.locator("#denied tr", { hasText: "1.属于国家秘密" }).locator("td");
    await expect(secret.first().textContent()).resolves.toMatch(/^1\b/);
  });

  it("filters agencies by province, level, department type and year", async () => {
    const names = async (q: string) => {
      await page.goto(new URL(`/agencies?${q}`, wb.url).href);
      return page.locator("#agencies tr td:first-child a").allTextContents();
    };
    expect(await names(`province=${encodeURIComponent("福建省")}`)).toEqual([
      "平潭综合实验区",
      "平潭综合实验区地方税务局",
    ]);
    expect(await names(`province=${encodeURIComponent("福建省")}&department=taxation`)).toEqual([
      "平潭综合实验区地方税务局",
    ]);
    expect(await names(`province=${encodeURIComponent("江苏省")}&level=city`)).toEqual(["淮安市人民政府"]);
    expect(await names("year=2013")).toEqual(["平潭综合实验区地方税务局"]);
    // The form keeps what was chosen.
    await expect(page.locator('select[name="year"]').inputValue()).resolves.toBe("2013");
    await page.goto(new URL("/agency/1", wb.url).href);
  });

  it("lays out a report's tables and links each number to where it was read", async () => {
    await page.goto(new URL(`/agencies?q=${encodeURIComponent("洪泽")}`, wb.url).href);
    await page.click("#agencies >> text=淮安市洪泽区人民政府");
    await page.click("#years >> a:text('2023')");
    await expect(page.locator("h1").textContent()).resolves.toBe("淮安市洪泽区人民政府 2023");
    const number = page.locator('#table-2 a.num[title^="applications.new_received.total:"]');
    await expect(number.textContent()).resolves.toBe("21");
    await number.click();
    expect(new URL(page.url()).hash).toBe("#v-applications.new_received.total");
    const target = page.locator("#provenance tr:target");
    const text = await target.textContent();
    expect(text).toMatch(
      /table 2 row \d+ col \d+ \(一、本年新收政府信息公开申请数量 \/ 总计\), printed “21”/,
    );
    expect(text).toMatch(/pdf archived original, fetched \d{4}-\d\d-\d\dT/);
    // Failed checks beside the table they concern, and their cells marked.
    await expect(page.locator("#table-3 .notes").textContent()).resolves.toContain(
      "check review.total fails",
    );
    await expect(page.locator("#table-3 td.bad").count()).resolves.toBeGreaterThan(0);
    const original = await page.request.get(
      new URL((await target.locator("a").getAttribute("href")) as string, wb.url).href,
    );
    expect(original.status()).toBe(200);
    expect(original.headers()["content-type"]).toBe("application/pdf");
  });

  it("searches the full text and highlights the words", async () => {
    await page.fill('header input[name="q"]', "行政复议");
    await page.click("header button");
    await expect(page.locator("h1").textContent()).resolves.toBe("Search: 行政复议");
    await expect(page.locator("li.hit").count()).resolves.toBeGreaterThan(0);
    await expect(page.locator("li.hit mark").first().textContent()).resolves.toBe("行政复议");
  });

  it("says so, without a stack trace, for a report that does not exist; refuses writes", async () => {
    const res = await page.goto(new URL("/report/99999", wb.url).href);
    expect(res?.status()).toBe(404);
    await expect(page.locator("main").textContent()).resolves.toContain("no report 99999");
    const post = await page.request.post(wb.url, { data: "x" });
    expect(post.status()).toBe(405);
  });

  it("asked for nothing outside the workbench", () => {
    expect(requested.length).toBeGreaterThan(5);
    expect(requested.filter((u) => !u.startsWith(wb.url))).toEqual([]);
  });
});

describe("nianbao serve", () => {
  it("refuses a bad port and a missing database (exit 2)", async () => {
    const port = await cli(["serve", "--port", "99999", "--db", db]);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/--port needs a port number/);
    const missing = await cli(["serve", "--port", "0", "--db", join(dir, "none.sqlite")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no database at/);
  });

  it("opens the database read-only: serving leaves the file as it was", async () => {
    const before = statSync(db).mtimeMs;
    const other = await startWorkbench({ dbPath: db, port: 0 });
    await fetch(other.url);
    await other.close();
    expect(statSync(db).mtimeMs).toBe(before);
  });
});
