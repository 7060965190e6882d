// The LibreOffice side: formats the JS readers do not handle (ODT here, standing in for WPS/OFD/XLS)
// go through soffice headless in a temp dir with a timeout. Skipped only when soffice is absent
// outside CI; in CI (CI=true) a missing soffice fails the run.
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttachmentError } from "../extract/attachments/attachment-result.ts";
import { sniffFormat } from "../extract/attachments/sniff-format.ts";
import { convertWithLibreOffice, findSoffice, runSoffice } from "../pipeline/convert-libreoffice.ts";
import { extractAttachment } from "../pipeline/extract-attachment.ts";
import { compareRecord, expectedSchema } from "./support/expected-record.ts";
import { htmlTables } from "./support/html-tables.ts";

const ROOT = join(import.meta.dirname, "..");
const soffice = await findSoffice();
const inCi = process.env.CI === "true";
if (!soffice && !inCi)
  console.warn(
    "attachments-libreoffice: soffice not installed — LibreOffice tests skipped (apt-get install libreoffice-core libreoffice-writer)",
  );

describe("LibreOffice is installed in CI", () => {
  it.runIf(inCi)("soffice is found", () => {
    expect(soffice, "CI must install LibreOffice (.ci/run)").not.toBeNull();
  });
});

describe.skipIf(!soffice && !inCi)("LibreOffice conversion", () => {
  let work = "";
  let odt: Uint8Array;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "nianbao-lo-test-"));
    const out = await runSoffice({
      input: join(ROOT, "fixtures", "pages", "junan-hrss-2023.html"),
      convertTo: "odt",
      outDir: work,
      timeoutMs: 60_000,
      inFilter: "HTML (StarWriter)",
    });
    odt = new Uint8Array(readFileSync(out));
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("an ODT (no JS reader) is typed by its bytes and read through LibreOffice with every value right", async () => {
    expect(sniffFormat(odt).format).toBe("odt");
    const v = await extractAttachment(
      { bytes: odt, linkedFrom: "https://example.invalid/junan.html" },
      { timeoutMs: 60_000 },
    );
    expect(v.format).toBe("odt");
    expect(v.converter).toBe("libreoffice");
    expect(v.record.flags.map((f) => f.id)).toContain("converted_by_libreoffice");
    const exp = expectedSchema.parse(
      JSON.parse(
        readFileSync(join(ROOT, "fixtures", "attachments", "junan-hrss-2023.expected.json"), "utf8"),
      ),
    );
    const cmp = compareRecord(v.record, exp);
    expect(cmp.wrong).toEqual([]);
    expect(cmp.missing).toEqual([]);
  });

  it("a DOC converts to HTML with real tables (the fallback when word-extractor fails)", async () => {
    const doc = new Uint8Array(
      readFileSync(join(ROOT, "fixtures", "attachments", "hebi-civil-affairs-2019.doc")),
    );
    const html = await convertWithLibreOffice(doc, "doc", 60_000);
    const t2 = htmlTables(html).find((t) => t.some((r) => r.some((c) => c.includes("本年新收"))));
    expect(t2).toBeDefined();
    expect(
      t2!.find((r) => r.some((c) => c.includes("本年新收")))!.filter((c) => /^\d+$/.test(c.trim())),
    ).toHaveLength(7);
  });

  it("a conversion over its time budget is killed, reported, and leaves no temp dir", async () => {
    const before = readdirSync(tmpdir()).filter((d) => d.startsWith("nianbao-lo-")).length;
    const err = await convertWithLibreOffice(odt, "odt", 50).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AttachmentError);
    expect((err as AttachmentError).reason).toBe("time_budget_exceeded");
    expect((err as AttachmentError).format).toBe("odt");
    expect(readdirSync(tmpdir()).filter((d) => d.startsWith("nianbao-lo-")).length).toBe(before);
  });
});
