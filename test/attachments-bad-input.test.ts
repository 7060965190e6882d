// Bad attachments fail with a clear, typed reason and never crash: encrypted, truncated, a ZIP bomb
// dressed as DOCX, a 500-page PDF, scans, and files whose extension lies (typing is by bytes).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AttachmentError, DEFAULT_LIMITS } from "../extract/attachments/attachment-result.ts";
import { convertAttachment } from "../extract/attachments/convert-attachment.ts";
import { sniffFormat } from "../extract/attachments/sniff-format.ts";
import { guardZip } from "../extract/attachments/zip-bomb-guard.ts";
import { listZip } from "../extract/attachments/zip-directory.ts";
import { minimalPdf, zipOf } from "../fixtures/attachments/build-fixtures.ts";
import { extractAttachment } from "../pipeline/extract-attachment.ts";

const DIR = join(import.meta.dirname, "..", "fixtures", "attachments");
const bytesOf = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));

async function failure(p: Promise<unknown>): Promise<AttachmentError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AttachmentError);
    return err as AttachmentError;
  }
  throw new Error("expected the conversion to fail");
}

describe("bad attachments fail with a reason (each within 10 s)", () => {
  it("encrypted PDF → encrypted", { timeout: 10_000 }, async () => {
    const err = await failure(convertAttachment(bytesOf("bad/encrypted.pdf")));
    expect(err.reason).toBe("encrypted");
    expect(err.format).toBe("pdf");
    expect(err.hint).toMatch(/password/);
  });

  it("truncated PDF → corrupt, or the pages that survive with the lost ones flagged", {
    timeout: 10_000,
  }, async () => {
    const whole = bytesOf("junan-hrss-2023.pdf");
    for (const keep of [0.05, 0.3, 0.6]) {
      const cut = whole.subarray(0, Math.floor(whole.length * keep));
      try {
        const r = await convertAttachment(cut);
        // pdfjs rebuilds what it can: then the result must say pages were lost or hold less.
        expect(r.format).toBe("pdf");
        expect(r.flags.some((f) => f.id === "pdf_pages_unreadable") || (r.html ?? "").length < 200_000).toBe(
          true,
        );
      } catch (err) {
        expect(err).toBeInstanceOf(AttachmentError);
        expect(["corrupt", "empty"]).toContain((err as AttachmentError).reason);
      }
    }
    const err = await failure(convertAttachment(whole.subarray(0, 20)));
    expect(["corrupt", "empty"]).toContain(err.reason);
  });

  it("ZIP bomb named .docx → zip_bomb before mammoth unzips it", { timeout: 10_000 }, async () => {
    const bomb = bytesOf("bad/zip-bomb.docx");
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(listZip(bomb).find((e) => e.name === "word/document.xml")?.uncompressedSize).toBe(
      300 * 1024 * 1024,
    );
    const before = process.memoryUsage().rss;
    const err = await failure(convertAttachment(bomb));
    expect(err.reason).toBe("zip_bomb");
    expect(err.format).toBe("docx");
    expect(err.message).toMatch(/word\/document\.xml/);
    // Refused unopened: nothing near the 300 MB it declares was allocated.
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it("a ZIP whose directory understates an entry's size is caught when inflating under the cap", () => {
    const honest = zipOf([
      {
        name: "word/document.xml",
        data: new Uint8Array(4 * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 24),
      },
    ]);
    // 20 MB of zeros whose directory (and local header) declare 1000 bytes.
    const lying = zipOf([{ name: "word/document.xml", data: new Uint8Array(20 * 1024 * 1024) }]);
    const dv = new DataView(lying.buffer);
    for (let i = 0; i + 4 <= lying.length; i++) {
      const sig = dv.getUint32(i, true);
      if (sig === 0x02014b50) dv.setUint32(i + 24, 1000, true);
      if (sig === 0x04034b50) dv.setUint32(i + 22, 1000, true);
    }
    expect(() => guardZip(lying, "docx", DEFAULT_LIMITS)).toThrow(/inflates past/);
    expect(() => guardZip(honest, "docx", DEFAULT_LIMITS)).not.toThrow();
  });

  it("500-page PDF → too_many_pages; with the cap raised, the time budget stops it", {
    timeout: 10_000,
  }, async () => {
    const big = bytesOf("bad/pages-500.pdf");
    const err = await failure(convertAttachment(big));
    expect(err.reason).toBe("too_many_pages");
    expect(err.message).toMatch(/500 pages/);
    const slow = await failure(
      convertAttachment(big, { limits: { maxPages: 1000 }, signal: AbortSignal.timeout(150) }),
    );
    expect(slow.reason).toBe("time_budget_exceeded");
    // Under the cap it reads: a small generated PDF works page by page.
    const small = await convertAttachment(minimalPdf(3));
    expect(small.pages).toBe(3);
    expect(small.html).toContain("Page 3");
  });

  it("scanned PDF (images, no text layer) → flag scanned_pdf and no guessed text", async () => {
    const r = await convertAttachment(bytesOf("bad/scanned.pdf"));
    expect(r.flags.map((f) => f.id)).toEqual(["scanned_pdf"]);
    expect(r.html).toBeNull();
    const v = await extractAttachment({ bytes: bytesOf("bad/scanned.pdf") }, { soffice: false });
    expect(v.record.flags.map((f) => f.id)).toContain("scanned_pdf");
    expect(v.record.values).toEqual({});
  });

  it("extensions that lie: a PDF named .docx is read as PDF; an error page named .pdf is HTML", async () => {
    expect(sniffFormat(bytesOf("bad/report-named-docx.docx")).format).toBe("pdf");
    const v = await extractAttachment(
      { bytes: bytesOf("bad/report-named-docx.docx"), source: "report.docx" },
      { soffice: false },
    );
    expect(v.format).toBe("pdf");
    expect(v.record.values["applications.new_received.total"]).toBe(18);
    const page = await convertAttachment(bytesOf("bad/error-page-named-pdf.pdf"));
    expect(page.format).toBe("html");
    expect(page.html).toContain("404 Not Found");
  });

  it("empty, image and unknown bytes → typed failures", async () => {
    expect((await failure(convertAttachment(new Uint8Array(0)))).reason).toBe("empty");
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    expect((await failure(convertAttachment(png))).reason).toBe("unsupported_format");
    const junk = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
    expect((await failure(convertAttachment(junk))).reason).toBe("unsupported_format");
  });

  it("formats only LibreOffice reads fail clearly when it is not used", async () => {
    const odt = zipOf([
      { name: "mimetype", data: new TextEncoder().encode("application/vnd.oasis.opendocument.text") },
      { name: "content.xml", data: new TextEncoder().encode("<office:document-content/>") },
    ]);
    expect(sniffFormat(odt).format).toBe("odt");
    expect((await failure(convertAttachment(odt))).reason).toBe("needs_libreoffice");
    const err = await failure(extractAttachment({ bytes: odt }, { soffice: false }));
    expect(err.reason).toBe("unsupported_format");
    expect(err.message).toMatch(/LibreOffice is not installed/);
  });

  it("an OFD package without its document root → corrupt, naming what is missing", async () => {
    const ofd = zipOf([{ name: "OFD.xml", data: new TextEncoder().encode("<ofd:OFD/>") }]);
    expect(sniffFormat(ofd).format).toBe("ofd");
    const err = await failure(convertAttachment(ofd));
    expect(err.reason).toBe("corrupt");
    expect(err.message).toMatch(/DocRoot/);
  });
});
