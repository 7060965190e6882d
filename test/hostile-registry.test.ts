// Hostile sites files: start URLs off the allowlist, file:// and other schemes, lookalike hosts, and a
// registry of 20,000 bad entries. Each is refused naming file, site and field, in bounded time and memory.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NianbaoError } from "../core/errors.ts";
import { loadRegistry, loadRegistryFile } from "../crawler/sites/load-registry.ts";
import { bounded } from "./support/bounded.ts";
import { runCli } from "./support/cli-in-process.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-hostile-registry-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function entry(slug: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    slug,
    name: `${slug} 政府信息公开年报`,
    agency: "示例市民政局",
    province: "河南",
    level: "city",
    start_urls: [`http://www.${slug}.gov.cn/zwgk/ndbg/index.html`],
    pagination: { style: "trs_create_page_html" },
    expect: { min_reports: 1 },
    ...over,
  };
}

function registry(name: string, sites: unknown[]): { file: string; text: string } {
  const file = join(dir, name);
  const text = JSON.stringify({ sites }, null, 2);
  writeFileSync(file, text);
  return { file, text };
}

function loaderError(text: string, file: string): NianbaoError {
  try {
    loadRegistry(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(NianbaoError);
    return err as NianbaoError;
  }
  throw new Error("the registry was accepted");
}

const cli = (args: string[]) => runCli(args, { cwd: dir });

const HOSTILE_URLS: [string, RegExp][] = [
  ["file:///etc/passwd", /file:\/\/ URLs are not allowed \("file:\/\/\/etc\/passwd"\)/],
  ["FILE:///C:/Windows/win.ini", /file:\/\/ URLs are not allowed/],
  ["javascript:alert(1)", /only http\(s\) URLs are allowed/],
  ["ftp://ftp.henan.gov.cn/ndbg/", /only http\(s\) URLs are allowed/],
  ["http://evil.example.com/ndbg/", /host evil\.example\.com is neither \*\.gov\.cn nor in allowed_hosts/],
  ["http://www.henan.gov.cn.evil.com/", /host www\.henan\.gov\.cn\.evil\.com is neither/],
  ["http://evilgov.cn/", /host evilgov\.cn is neither/],
  ["http://www.henan.gov.cn@evil.com/", /host evil\.com is neither/],
  ["http://127.0.0.1:8080/ndbg/", /host 127\.0\.0\.1 is neither/],
];

describe("the registry loader refuses hostile start URLs, naming file, site and field", () => {
  for (const [url, why] of HOSTILE_URLS) {
    it(url, async () => {
      const { file, text } = registry("one.json", [
        entry("good"),
        entry("hostile-site", { start_urls: ["http://www.ok.gov.cn/", url] }),
      ]);
      const err = await bounded(() => loaderError(text, file), 5_000);
      expect(err.code).toBe("registry_invalid");
      const line = err.message.split("\n").find((l) => l.includes("start_urls")) ?? "";
      expect(line).toContain(`${file}: sites[1].start_urls[1]: `);
      expect(line).toMatch(why);
      expect(line).toContain('(site "hostile-site")');
      expect(err.message).not.toContain("sites[0]");
      expect(err.message).not.toContain("start_urls[0]");
    });
  }

  it("a listed host is exact: its subdomains are refused unless listed as *.host, as the crawler would skip them", async () => {
    const { file, text } = registry("listed.json", [
      entry("exact", {
        start_urls: ["https://mirror.example.org/ndbg/"],
        allowed_hosts: ["mirror.example.org"],
      }),
      entry("wildcard", { start_urls: ["https://a.b.example.org/ndbg/"], allowed_hosts: ["*.example.org"] }),
      entry("sub", {
        start_urls: ["https://cdn.mirror.example.org/ndbg/"],
        allowed_hosts: ["mirror.example.org"],
      }),
    ]);
    const err = await bounded(() => loaderError(text, file), 5_000);
    expect(err.message.split("\n").filter((l) => l.includes(file))).toEqual([
      `  ${file}: sites[2].start_urls[0]: host cdn.mirror.example.org is neither *.gov.cn nor in allowed_hosts (site "sub")`,
    ]);
  });

  it("reads crawl-wide caps and a site's per-domain cap, and refuses them out of range by path", () => {
    const good = JSON.stringify({
      crawl: { concurrency: 64, per_domain: 3 },
      sites: [entry("capped", { rate: { per_domain: 4 } })],
    });
    const read = loadRegistryFile(good, "good.json");
    expect(read.crawl).toEqual({ concurrency: 64, per_domain: 3 });
    expect(read.sites[0]!.rate.per_domain).toBe(4);
    expect(loadRegistryFile(JSON.stringify({ sites: [entry("plain")] }), "plain.json").crawl).toEqual({});
    const bad = JSON.stringify({
      crawl: { concurrency: 0, per_domain: 99, threads: 8 },
      sites: [entry("capped", { rate: { per_domain: 0 } })],
    });
    const lines = loaderError(bad, "bad.json")
      .message.split("\n")
      .filter((l) => l.includes("bad.json:"));
    expect(lines.map((l) => l.split(": ")[1])).toEqual([
      "crawl",
      "crawl.concurrency",
      "crawl.per_domain",
      "sites[0].rate.per_domain",
    ]);
  });

  it("`nianbao crawl --sites` refuses the file before any database is created, exit 2", async () => {
    const { file } = registry("crawl.json", [entry("local-file", { start_urls: ["file:///etc/passwd"] })]);
    const db = join(dir, "crawl.sqlite");
    const r = await bounded(() => cli(["crawl", "--sites", file, "--db", db, "--no-browser"]), 5_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /sites\[0\]\.start_urls\[0\]: file:\/\/ URLs are not allowed \("file:\/\/\/etc\/passwd"\) \(site "local-file"\)/,
    );
    expect(r.stderr).toContain(file);
    expect(existsSync(db)).toBe(false);
  });

  it("`nianbao sites validate` names site and field for an off-list host, exit 2", async () => {
    const { file } = registry("validate.json", [
      entry("offsite", { start_urls: ["https://www.example.com/ndbg/"] }),
    ]);
    const r = await bounded(() => cli(["sites", "validate", file]), 5_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: 1 problem(s):`);
    expect(r.stderr).toMatch(
      /sites\[0\]\.start_urls\[0\]: host www\.example\.com is neither \*\.gov\.cn nor in allowed_hosts \(site "offsite"\)/,
    );
  });

  it("20,000 hostile entries are all listed, within 10 s", async () => {
    const sites = Array.from({ length: 20_000 }, (_, i) =>
      entry(`s${i}`, { start_urls: [i % 2 ? `file:///tmp/${i}` : `http://evil${i}.example.com/`] }),
    );
    const { file, text } = registry("many.json", sites);
    const err = await bounded(() => loaderError(text, file), 10_000);
    const lines = err.message.split("\n").filter((l) => l.includes(file));
    expect(lines).toHaveLength(20_000);
    expect(lines).toContain(
      `  ${file}: sites[19998].start_urls[0]: host evil19998.example.com is neither *.gov.cn nor in allowed_hosts (site "s19998")`,
    );
    expect(lines).toContain(
      `  ${file}: sites[19999].start_urls[0]: file:// URLs are not allowed ("file:///tmp/19999") (site "s19999")`,
    );
    const r = await bounded(() => cli(["sites", "validate", file, "--json"]), 10_000);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).problems).toHaveLength(20_000);
  });
});
