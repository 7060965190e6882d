// Report identity on portals that change under the nightly crawl (issue: data you can trust): another
// portal printing the same agency's report for the same year becomes a second source, never the current
// version; a correction published at a new URL beside the original wins over it; a report dropped from
// its list, or answering 404, is marked withdrawn and kept. Real farm on 127.0.0.1, real SQLite file.
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatSummary } from "../crawler/crawl-summary.ts";
import { type Site, siteSchema } from "../crawler/sites/site-schema.ts";
import { collectingLogger, farmConnectTo } from "../fixtures/farm/server/farm-connect.ts";
import { type Farm, startFarm } from "../fixtures/farm/server/farm-server.ts";
import { crawlIntoStore } from "../pipeline/crawl.ts";
import { openStore, siteHealth } from "../store/index.ts";
import { FIXTURE_PAGES } from "./support/one-list-portal.ts";

const OWN = "farm-own.gov.cn";
const MIRROR = "farm-mirror.gov.cn";
const KEY = "proactive.licensing.decisions";

let dir: string;
let farm: Farm;
let sites: Site[];

const listDir = (host: string) => join(dir, "hosts", host, "ndbg");
let edits = 0;
/** Writes a file the farm then serves as changed: Last-Modified has whole seconds, so each edit is dated later. */
function writeServed(path: string, text: string): void {
  writeFileSync(path, text);
  const later = new Date(Date.now() + ++edits * 60_000);
  utimesSync(path, later, later);
}
function writeList(host: string, links: [string, string][]): void {
  const items = links.map(([href, title]) => `<li><a href="${href}">${title}</a></li>`).join("");
  writeServed(
    join(listDir(host), "index.html"),
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>年度报告</title></head><body><ul>${items}</ul></body></html>`,
  );
}
const copyPage = (name: string, host: string, file: string) =>
  copyFileSync(join(FIXTURE_PAGES, `${name}.html`), join(listDir(host), file));

function site(host: string, agency: string): Site {
  const slug = host.replace(/\.gov\.cn$/, "");
  return siteSchema.parse({
    slug,
    name: `${slug} 测试门户`,
    agency,
    province: "河南",
    level: "county",
    start_urls: [`http://${host}/ndbg/index.html`],
    pagination: { style: "none", params: {}, max_pages: 1 },
    render: false,
    rate: { delay_ms: 0 },
    expect: { min_reports: 1 },
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-identity-"));
  for (const h of [OWN, MIRROR]) mkdirSync(listDir(h), { recursive: true });
  // The agency's own portal lists three reports; a city portal mirrors the first of them.
  copyPage("huojia-health-2023", OWN, "t0.html");
  copyPage("junan-hrss-2023", OWN, "t1.html");
  copyPage("ningling-civil-affairs-2021", OWN, "t2.html");
  writeList(OWN, [
    ["/ndbg/t0.html", "获嘉县卫生健康委员会2023年政府信息公开工作年度报告"],
    ["/ndbg/t1.html", "莒南县人力资源和社会保障局2023年政府信息公开工作年度报告"],
    ["/ndbg/t2.html", "宁陵县民政局2021年政府信息公开工作年度报告"],
  ]);
  // The mirror prints one number differently: it must not replace the own site's value.
  const mirrored = readFileSync(join(FIXTURE_PAGES, "huojia-health-2023.html"), "utf8");
  expect(mirrored.match(/>\s*463\s*</g)).toHaveLength(1);
  writeFileSync(join(listDir(MIRROR), "m0.html"), mirrored.replace(/>(\s*)463(\s*)</, ">$1999$2<"));
  writeList(MIRROR, [["/ndbg/m0.html", "获嘉县卫生健康委员会2023年政府信息公开工作年度报告"]]);
  farm = await startFarm({ hostsDir: join(dir, "hosts") });
  // The mirror is listed first, so it may well be stored first: the registry's agency says whose site it is.
  sites = [site(MIRROR, "某市人民政府"), site(OWN, "获嘉县卫生健康委员会")];
});
afterAll(async () => {
  await farm?.close();
  rmSync(dir, { recursive: true, force: true });
});

const dbPath = () => join(dir, "identity.sqlite");
const crawl = async () => {
  farm.reset();
  return crawlIntoStore({
    dbPath: dbPath(),
    sites,
    logger: collectingLogger().logger,
    connectTo: farmConnectTo(farm.port),
    browser: null,
  });
};
function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath(), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
const currentValue = () =>
  query<{ value: number; source_url: string }>(
    "SELECT value, source_url FROM v_report_values WHERE agency = '获嘉县卫生健康委员会' AND key = ?",
    KEY,
  );

describe("report identity across sites, corrections and withdrawals", () => {
  it("keeps another site's copy as a second source with a failed sources.agree check", async () => {
    const { summary } = await crawl();
    expect(currentValue()).toEqual([{ value: 463, source_url: `http://${OWN}/ndbg/t0.html` }]);
    const sources = query<{ role: string; basis: string; source_site: string; report_site: string }>(
      "SELECT role, basis, source_site, report_site FROM v_report_sources WHERE agency = '获嘉县卫生健康委员会' ORDER BY role",
    );
    expect(sources).toEqual([
      { role: "primary", basis: "tables", source_site: "farm-own", report_site: "farm-own" },
      { role: "second", basis: "other_site", source_site: "farm-mirror", report_site: "farm-own" },
    ]);
    const failed = query<{ check_id: string; detail: string }>(
      "SELECT check_id, detail FROM v_failed_checks WHERE agency = '获嘉县卫生健康委员会' AND check_id LIKE 'sources.%'",
    );
    expect(failed).toHaveLength(1);
    expect(failed[0]!.check_id).toBe("sources.agree");
    expect(failed[0]!.detail).toContain(`${KEY}: 463`);
    expect(failed[0]!.detail).toContain("999");
    // The summary says where the mirror's page went.
    const mirror = summary.sites.find((s) => s.site === "farm-mirror")!;
    expect(mirror.reports?.secondSourcesFromHere).toBe(1);
    expect(formatSummary(summary)).toContain("1 pages kept as second sources");
    expect(query("SELECT COUNT(*) AS n FROM v_withdrawn_reports")).toEqual([{ n: 0 }]);
  });

  it("makes a correction at a new URL current while the original stays listed, with the reason", async () => {
    const original = readFileSync(join(listDir(OWN), "t0.html"), "utf8");
    const corrected = original
      .replace(/>(\s*)463(\s*)</, ">$1464$2<")
      .replaceAll("政府信息公开工作年度报告", "政府信息公开工作年度报告（更正）");
    writeServed(join(listDir(OWN), "t0-gz.html"), corrected);
    writeList(OWN, [
      ["/ndbg/t0-gz.html", "获嘉县卫生健康委员会2023年政府信息公开工作年度报告（更正）"],
      ["/ndbg/t0.html", "获嘉县卫生健康委员会2023年政府信息公开工作年度报告"],
      ["/ndbg/t1.html", "莒南县人力资源和社会保障局2023年政府信息公开工作年度报告"],
      ["/ndbg/t2.html", "宁陵县民政局2021年政府信息公开工作年度报告"],
    ]);
    const { summary } = await crawl();
    expect(currentValue()).toEqual([{ value: 464, source_url: `http://${OWN}/ndbg/t0-gz.html` }]);
    const replaced = query<{ basis: string; source_url: string; reason: string }>(
      "SELECT basis, source_url, reason FROM v_report_sources WHERE agency = '获嘉县卫生健康委员会' AND basis = 'correction'",
    );
    expect(replaced).toHaveLength(1);
    expect(replaced[0]!.source_url).toBe(`http://${OWN}/ndbg/t0.html`);
    expect(replaced[0]!.reason).toContain("更正");
    expect(summary.sites.find((s) => s.site === "farm-own")!.reports?.corrected).toBe(1);
    // A third crawl with nothing changed keeps the correction current (the original is fetched again).
    await crawl();
    expect(currentValue()).toEqual([{ value: 464, source_url: `http://${OWN}/ndbg/t0-gz.html` }]);
  });

  it("marks a report dropped from its list, and one answering 404, withdrawn: kept, dated, in the summary and health", async () => {
    unlinkSync(join(listDir(OWN), "t1.html")); // still linked: answers 404
    writeList(OWN, [
      ["/ndbg/t0-gz.html", "获嘉县卫生健康委员会2023年政府信息公开工作年度报告（更正）"],
      ["/ndbg/t0.html", "获嘉县卫生健康委员会2023年政府信息公开工作年度报告"],
      ["/ndbg/t1.html", "莒南县人力资源和社会保障局2023年政府信息公开工作年度报告"],
    ]); // t2 no longer linked
    const { summary, exitCode } = await crawl();
    const gone = query<{
      agency: string;
      withdrawn_reason: string;
      last_seen_at: string;
      first_missing_at: string;
    }>(
      "SELECT agency, withdrawn_reason, last_seen_at, first_missing_at FROM v_withdrawn_reports ORDER BY agency",
    );
    expect(gone.map((g) => [g.agency, g.withdrawn_reason])).toEqual([
      ["宁陵县民政局", "not_linked"],
      ["莒南县人力资源和社会保障局", "http_404"],
    ]);
    for (const g of gone) {
      expect(g.last_seen_at).toMatch(/^\d{4}-/);
      expect(g.first_missing_at > g.last_seen_at).toBe(true);
    }
    // Kept: their values are still there, marked in the researchers' view.
    const kept = query<{ agency: string; withdrawn_at: string | null }>(
      "SELECT agency, withdrawn_at FROM v_disclosure_counts ORDER BY agency",
    );
    expect(kept).toHaveLength(3);
    expect(kept.filter((k) => k.withdrawn_at !== null)).toHaveLength(2);
    const own = summary.sites.find((s) => s.site === "farm-own")!;
    expect(own.reports).toMatchObject({ withdrawnNew: 2, withdrawn: 2 });
    expect(own.healthy).toBe(false);
    expect(exitCode).toBe(1);
    expect(formatSummary(summary)).toContain("withdrawn 2 (2 new this run)");

    const store = openStore(dbPath(), { readonly: true });
    try {
      const health = siteHealth(store.db, sites).find((h) => h.slug === "farm-own")!;
      expect(health.withdrawn).toBe(2);
    } finally {
      store.close();
    }

    // The report comes back: it is no longer withdrawn, and the night is clean again.
    copyPage("junan-hrss-2023", OWN, "t1.html");
    const back = await crawl();
    expect(back.summary.sites.find((s) => s.site === "farm-own")!.reports).toMatchObject({
      returned: 1,
      withdrawnNew: 0,
      withdrawn: 1,
    });
  });
});
