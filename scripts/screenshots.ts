// `npm run screenshots`: the README's pictures of the workbench, made from the demo crawl plus the real
// reports in ../shared/real-reports, in real Chromium. Writes docs/screenshots/*.png.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { main } from "../cli/main.ts";
import { startWorkbench } from "../web/workbench-server.ts";

const ROOT = resolve(import.meta.dirname, "..");
const OUT = join(ROOT, "docs", "screenshots");
const quiet = {
  stdout() {},
  stderr: (t: string) => process.stderr.write(t),
  isTTY: false,
  env: {},
  cwd: ROOT,
};

const dir = mkdtempSync(join(tmpdir(), "nianbao-shots-"));
const db = join(dir, "demo.sqlite");
try {
  await main(["demo", "--db", db, "--out", join(dir, "counts.csv")], quiet);
  await main(["import", resolve(ROOT, "../shared/real-reports"), "--db", db], quiet);
  const wb = await startWorkbench({ dbPath: db, port: 0 });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 820 } });
    const shot = async (path: string, name: string) => {
      await page.goto(new URL(path, wb.url).href);
      await page.screenshot({ path: join(OUT, `${name}.png`) });
      console.log(`docs/screenshots/${name}.png  ${path}`);
    };
    await shot("/", "overview");
    await shot(`/agencies?q=${encodeURIComponent("洪泽")}`, "agencies");
    await page.goto(new URL(`/agencies?q=${encodeURIComponent("洪泽")}`, wb.url).href);
    const agency = await page.locator("#agencies a").first().getAttribute("href");
    await shot(agency as string, "agency-years");
    await page.click("#years >> a:text('2023')");
    await page.locator('#table-2 a.num[title^="applications.new_received.total:"]').click();
    await page.locator("#table-2").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT, "report-tables.png") });
    console.log("docs/screenshots/report-tables.png");
    await page.locator("#provenance tr:target").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT, "report-provenance.png") });
    console.log("docs/screenshots/report-provenance.png");
    await shot(`/search?q=${encodeURIComponent("行政复议")}`, "search");
  } finally {
    await browser.close();
    await wb.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
