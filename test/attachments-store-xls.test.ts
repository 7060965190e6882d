// Spreadsheet attachments (XLS, and ET, which is XLS bytes under WPS's name): read through LibreOffice
// Calc into HTML tables, every table value of the source page right. Needs soffice with libreoffice-calc
// (.ci/run installs it); skipped only when soffice is absent outside CI.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { magicType } from "../crawler/fetch/magic-type.ts";
import { AttachmentError } from "../extract/attachments/attachment-result.ts";
import { sniffFormat } from "../extract/attachments/sniff-format.ts";
import { XLS_SLUG } from "../fixtures/farm/server/attach-host.ts";
import { findSoffice } from "../pipeline/convert-libreoffice.ts";
import { extractAttachment } from "../pipeline/extract-attachment.ts";
import { importPages } from "../pipeline/import-pages.ts";
import { openStore } from "../store/index.ts";
import { compareRecord, expectedSchema } from "./support/expected-record.ts";

const DIR = join(import.meta.dirname, "..", "fixtures", "attachments");
const bytes = new Uint8Array(readFileSync(join(DIR, `${XLS_SLUG}.xls`)));
const expected = expectedSchema.parse(
  JSON.parse(readFileSync(join(DIR, `${XLS_SLUG}.expected.json`), "utf8")),
);
const soffice = await findSoffice();
const inCi = process.env.CI === "true";

describe("XLS attachments", () => {
  it("are typed by their bytes: XLS, or ET when a WPS portal names them so", () => {
    expect(sniffFormat(bytes).format).toBe("xls");
    expect(magicType(bytes, "xls")).toBe("xls");
    expect(magicType(bytes, "et")).toBe("et");
  });

  it("without LibreOffice end as a clear unsupported_format that says what to install", async () => {
    const err = await extractAttachment({ bytes }, { soffice: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AttachmentError);
    expect((err as AttachmentError).reason).toBe("unsupported_format");
    expect((err as AttachmentError).format).toBe("xls");
    expect((err as AttachmentError).hint).toContain("libreoffice-calc");
  });

  it.skipIf(!soffice && !inCi)(
    "are read through LibreOffice Calc with every table value of the source page right",
    async () => {
      const v = await extractAttachment({ bytes, source: `${XLS_SLUG}.xls` }, { timeoutMs: 90_000 });
      expect(v.format).toBe("xls");
      expect(v.converter).toBe("libreoffice");
      expect(v.record.flags.map((f) => f.id)).toEqual(
        expect.arrayContaining(["attachment_xls", "converted_by_libreoffice"]),
      );
      const cmp = compareRecord(v.record, expected);
      expect(cmp.wrong).toEqual([]);
      expect(cmp.missing).toEqual([]);
      expect(cmp.meta).toEqual([]);
      expect(cmp.right).toBe(200);
    },
    120_000,
  );

  it.skipIf(!soffice && !inCi)(
    "are read by `import` too, through LibreOffice, into a report with every value",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "nianbao-xls-import-"));
      try {
        const store = openStore(join(dir, "xls.sqlite"));
        try {
          const summary = await importPages(store, [join(DIR, `${XLS_SLUG}.xls`)]);
          expect(summary.failed).toEqual([]);
          const rows = store.db
            .prepare(
              `SELECT rv.key, rv.value, v.source_format FROM reports r
               JOIN report_versions v ON v.id = r.current_version_id
               JOIN report_values rv ON rv.version_id = v.id`,
            )
            .all() as { key: string; value: number; source_format: string }[];
          expect(new Set(rows.map((r) => r.source_format))).toEqual(new Set(["xls"]));
          const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
          expect(Object.keys(expected.values)).toHaveLength(200);
          for (const [k, v] of Object.entries(expected.values)) expect(stored[k], k).toBe(v);
        } finally {
          store.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
