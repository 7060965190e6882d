// A throwaway portal for crawl tests: one list page on a host of its own, linking fixture report pages
// (copied as t0.html, t1.html …) and any extra links, served by the real farm from a temp folder.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Site, siteSchema } from "../../crawler/sites/site-schema.ts";
import { type Farm, startFarm } from "../../fixtures/farm/server/farm-server.ts";

export const FIXTURE_PAGES = resolve(import.meta.dirname, "../../fixtures/pages");

export interface OneListPortal {
  farm: Farm;
  /** The temp folder (the farm's hosts are below it; tests may put databases here). */
  dir: string;
  /** Where t0.html … live: rewrite them to change what the portal serves. */
  listDir: string;
  site: Site;
  /** The URL of the i-th fixture report page. */
  reportUrl(i: number): string;
  close(): Promise<void>;
}

/**
 * Starts a farm serving `http://<host>/ndbg/index.html` with a link to each fixture page in `reports`
 * (named by slug, titled so the crawler takes them for annual reports) and the `extraLinks` (href, title).
 */
export async function startOneListPortal(opts: {
  host: string;
  reports: string[];
  extraLinks?: { href: string; title: string }[];
}): Promise<OneListPortal> {
  const dir = mkdtempSync(join(tmpdir(), `nianbao-${opts.host.split(".")[0]}-`));
  const listDir = join(dir, "hosts", opts.host, "ndbg");
  mkdirSync(listDir, { recursive: true });
  const links = [
    ...opts.reports.map((name, i) => ({
      href: `/ndbg/t${i}.html`,
      title: `${name}政府信息公开工作年度报告`,
    })),
    ...(opts.extraLinks ?? []),
  ].map((l) => `<li><a href="${l.href}">${l.title}</a></li>`);
  writeFileSync(
    join(listDir, "index.html"),
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>年度报告</title></head><body><ul>${links.join("")}</ul></body></html>`,
  );
  for (const [i, name] of opts.reports.entries())
    copyFileSync(join(FIXTURE_PAGES, `${name}.html`), join(listDir, `t${i}.html`));
  const farm = await startFarm({ hostsDir: join(dir, "hosts") });
  const slug = opts.host.replace(/\.gov\.cn$/, "");
  const site = siteSchema.parse({
    slug,
    name: `${slug} 测试门户`,
    agency: `${slug} 测试机关`,
    province: "测试",
    level: "county",
    start_urls: [`http://${opts.host}/ndbg/index.html`],
    pagination: { style: "none", params: {}, max_pages: 1 },
    render: false,
    rate: { delay_ms: 0 },
    expect: { min_reports: 1 },
  });
  return {
    farm,
    dir,
    listDir,
    site,
    reportUrl: (i) => `http://${opts.host}/ndbg/t${i}.html`,
    async close() {
      await farm.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
