// The checked-in sites registry: every entry validates, the seeds' agencies are covered, and the
// entries spread over provinces, levels and pagination styles, each saying where its evidence came from.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validateRegistry } from "../crawler/sites/load-registry.ts";

const TEXT = readFileSync("sites/sites.json", "utf8");
const { sites, problems } = validateRegistry(TEXT, "sites/sites.json");

describe("sites/sites.json", () => {
  it("validates against the schema and the extra checks, with at least 30 sites", () => {
    expect(problems).toEqual([]);
    expect(sites.length).toBeGreaterThanOrEqual(30);
  });

  it("has unique slugs", () => {
    const slugs = sites.map((s) => s.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
  });

  it("covers the agencies of the five seed reports", () => {
    const agencies = new Set(sites.map((s) => s.agency));
    for (const a of ["湛江市民政局", "余杭区民政局", "宁国市民政局", "临沧市民政局", "天水市民政局"])
      expect(agencies, a).toContain(a);
  });

  it("spreads over provinces, all three levels and at least five pagination styles", () => {
    expect(new Set(sites.map((s) => s.province)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(sites.map((s) => s.level))).toEqual(new Set(["province", "city", "county"]));
    const styles = new Set(sites.map((s) => s.pagination.style));
    for (const st of [
      "trs_create_page_html",
      "trs_page_div",
      "hanweb_dataproxy",
      "gkmlpt_json",
      "next_link",
      "none",
    ])
      expect(styles, st).toContain(st);
  });

  it("puts every start URL on a *.gov.cn host (no entry needs allowed_hosts)", () => {
    for (const s of sites) {
      for (const u of s.start_urls) expect(new URL(u).hostname, `${s.slug} ${u}`).toMatch(/(^|\.)gov\.cn$/);
    }
  });

  it("gives each entry an expect check and notes naming its evidence and its guesses", () => {
    for (const s of sites) {
      expect(s.expect.min_reports, s.slug).toBeGreaterThanOrEqual(1);
      expect(s.notes ?? "", s.slug).toMatch(/Evidence: .*(https?:\/\/|\.html|\.htm|seed)/);
      expect(s.notes ?? "", s.slug).toMatch(/Guessed: /);
    }
  });

  it("gives the API styles the parameters their URLs are built from", () => {
    for (const s of sites) {
      const p = s.pagination.params;
      if (s.pagination.style === "hanweb_dataproxy") {
        expect(p.columnid, s.slug).toMatch(/^\d+$/);
        expect(p.unitid, s.slug).toMatch(/^\d+$/);
        expect(String(p.path), s.slug).toMatch(/^\/module\/(web\/)?jpage\/dataproxy\.jsp$/);
        // The column id in the params is the one in the col page URL.
        expect(s.start_urls[0], s.slug).toContain(`/col/col${p.columnid}/`);
      }
      if (s.pagination.style === "gkmlpt_json") {
        expect(String(p.catId), s.slug).toMatch(/^\d+$/);
        expect(String(p.sid), s.slug).toMatch(/^\d+$/);
      }
      if (s.pagination.style === "trs_create_page_html") {
        // The extension createPageHTML is called with is the start page's own.
        expect(s.start_urls[0], s.slug).toMatch(new RegExp(`/index\\.${p.ext}$`));
      }
    }
  });
});
