// The study corpus manifest (fixtures/corpus/manifest.jsonl): every line parses with its keys known to
// the spec, ids and addresses are unique, and the corpus spans what it claims (provinces, levels, years).
// The page texts are not in git; `npm run corpus` scores the extractor where they are present.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CORPUS_LEVELS, readManifest } from "../fixtures/corpus/corpus-manifest.ts";

const { lines, problems } = readManifest(
  join(import.meta.dirname, "..", "fixtures", "corpus", "manifest.jsonl"),
);

describe("study corpus manifest", () => {
  it("every line is valid (keys of the spec, levels, templates)", () => {
    expect(problems).toEqual([]);
  });

  it("holds at least 250 pages with unique addresses, few from one portal", () => {
    expect(lines.length).toBeGreaterThanOrEqual(250);
    expect(new Set(lines.map((l) => l.url)).size).toBe(lines.length);
    expect(lines.filter((l) => l.url.includes("pingtan.gov.cn")).length).toBeLessThanOrEqual(10);
  });

  it("spans 25+ provinces, every level and the three template eras", () => {
    expect(new Set(lines.map((l) => l.province)).size).toBeGreaterThanOrEqual(25);
    for (const level of CORPUS_LEVELS)
      expect(
        lines.some((l) => l.level === level),
        level,
      ).toBe(true);
    const years = lines.map((l) => l.year).filter((y): y is number => y !== null);
    expect(years.filter((y) => y <= 2018).length).toBeGreaterThanOrEqual(60);
    expect(years.filter((y) => y >= 2019 && y <= 2020).length).toBeGreaterThanOrEqual(40);
    expect(years.filter((y) => y >= 2021).length).toBeGreaterThanOrEqual(100);
  });

  it("a template agrees with the year where no table decides it", () => {
    for (const l of lines) {
      if (!l.is_annual_report) expect(l.template, l.id).toBe("unknown");
      else if (l.layout === "prose-only" && l.year !== null) {
        const byYear = l.year <= 2018 ? "pre2019" : l.year <= 2020 ? "2019" : "2021";
        expect(l.template, l.id).toBe(byYear);
      }
    }
  });
});

describe("held-out samples (fixtures/corpus/holdout.jsonl, holdout2.jsonl)", () => {
  const holdout = readManifest(join(import.meta.dirname, "..", "fixtures", "corpus", "holdout.jsonl"));

  it("every line is valid, and no page is one the rules were written from", () => {
    expect(holdout.problems).toEqual([]);
    expect(holdout.lines.length).toBeGreaterThanOrEqual(30);
    const studied = new Set(lines.map((l) => l.url));
    expect(holdout.lines.filter((l) => studied.has(l.url)).map((l) => l.id)).toEqual([]);
    const ids = new Set(lines.map((l) => l.id));
    expect(holdout.lines.filter((l) => ids.has(l.id)).map((l) => l.id)).toEqual([]);
  });

  it("the second sample: valid, and none of its pages studied or in the first sample", () => {
    const second = readManifest(join(import.meta.dirname, "..", "fixtures", "corpus", "holdout2.jsonl"));
    expect(second.problems).toEqual([]);
    expect(second.lines.length).toBeGreaterThanOrEqual(30);
    const earlier = new Set([...lines.map((l) => l.url), ...holdout.lines.map((l) => l.url)]);
    expect(second.lines.filter((l) => earlier.has(l.url)).map((l) => l.id)).toEqual([]);
    const ids = new Set([...lines.map((l) => l.id), ...holdout.lines.map((l) => l.id)]);
    expect(second.lines.filter((l) => ids.has(l.id)).map((l) => l.id)).toEqual([]);
    expect(new Set(second.lines.map((l) => l.url)).size).toBe(second.lines.length);
  });
});
