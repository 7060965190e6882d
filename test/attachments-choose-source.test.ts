// Choosing between a report's HTML page and its attachment: the more complete table wins, the other
// stays as a second source, and disagreements become a failed sources.agree check naming the keys.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  chooseSource,
  type SourceCandidate,
  tableCompleteness,
} from "../extract/attachments/choose-source.ts";
import { extractReport } from "../extract/index.ts";
import { extractAttachment } from "../pipeline/extract-attachment.ts";

const ROOT = join(import.meta.dirname, "..");
const PAGE_URL = "https://example.invalid/junan-hrss-2023.html";

async function sources(): Promise<{ page: SourceCandidate; pdf: SourceCandidate }> {
  const html = readFileSync(join(ROOT, "fixtures", "pages", "junan-hrss-2023.html"), "utf8");
  const pageRecord = extractReport({ content: html, fileName: "junan-hrss-2023.html" });
  const v = await extractAttachment(
    {
      bytes: new Uint8Array(readFileSync(join(ROOT, "fixtures", "attachments", "junan-hrss-2023.pdf"))),
      linkedFrom: PAGE_URL,
    },
    { soffice: false },
  );
  return {
    page: { kind: "page", format: "html", url: PAGE_URL, linkedFrom: null, record: pageRecord },
    pdf: {
      kind: "attachment",
      format: v.format,
      url: "https://example.invalid/nb.pdf",
      linkedFrom: v.linkedFrom,
      record: v.record,
    },
  };
}

describe("chooseSource", () => {
  it("same report as page and PDF: tie → the page is primary, the PDF kept, sources agree", async () => {
    const { page, pdf } = await sources();
    expect(tableCompleteness(page.record)).toBe(tableCompleteness(pdf.record));
    expect(tableCompleteness(page.record)).toBeGreaterThan(150);
    const choice = chooseSource([pdf, page]);
    expect(choice.primary).toBe(page);
    expect(choice.secondary).toEqual([pdf]);
    expect(choice.secondary[0]!.linkedFrom).toBe(PAGE_URL);
    expect(choice.check).toEqual({
      id: "sources.agree",
      ok: true,
      detail: expect.stringMatching(/^all shared values agree/),
    });
    expect(choice.reason).toMatch(/tie/);
  });

  it("the more complete table wins even when it is the attachment", async () => {
    const { page, pdf } = await sources();
    const thin = {
      ...page,
      record: { ...page.record, cells: page.record.cells.filter((c) => c.table !== 2) },
    };
    const choice = chooseSource([thin, pdf]);
    expect(choice.primary).toBe(pdf);
    expect(choice.secondary).toEqual([thin]);
    expect(choice.reason).toMatch(/attachment \(pdf\) has \d+ table values/);
  });

  it("disagreeing values make sources.agree fail and name each differing key with both values", async () => {
    const { page, pdf } = await sources();
    const altered = {
      ...pdf,
      record: {
        ...pdf.record,
        values: {
          ...pdf.record.values,
          "applications.new_received.total": 19,
          "proactive.licensing.decisions": 86,
        },
      },
    };
    const choice = chooseSource([page, altered]);
    expect(choice.check?.ok).toBe(false);
    expect(choice.check?.detail).toContain("2 values differ");
    expect(choice.check?.detail).toContain(
      "applications.new_received.total: page (html) 18, attachment (pdf) 19",
    );
    expect(choice.check?.detail).toContain(
      "proactive.licensing.decisions: page (html) 85, attachment (pdf) 86",
    );
    // The same differences, structured, for the store's one-check-per-value rows.
    expect(choice.comparisons).toHaveLength(1);
    expect(choice.comparisons[0]!.other).toBe(altered);
    expect(choice.comparisons[0]!.shared).toBe(Object.keys(page.record.values).length);
    expect(choice.comparisons[0]!.differing).toEqual([
      { key: "applications.new_received.total", primary: 18, other: 19 },
      { key: "proactive.licensing.decisions", primary: 85, other: 86 },
    ]);
  });

  it("one source: no check; no source: an error", async () => {
    const { pdf } = await sources();
    expect(chooseSource([pdf])).toMatchObject({
      primary: pdf,
      secondary: [],
      check: null,
      reason: "only source",
    });
    expect(() => chooseSource([])).toThrow(RangeError);
  });
});
