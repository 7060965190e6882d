// `nianbao extract FILE` takes every format `import` takes: the real published PDFs and the attachment
// fixtures (DOC, DOCX, OFD) print the record their expected files describe, 0 wrong values.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NianbaoError } from "../core/errors.ts";
import { extractFile } from "../pipeline/extract-file.ts";
import { compareRecord, expectedSchema } from "./support/expected-record.ts";

const ROOT = join(import.meta.dirname, "..");
const REAL = join(ROOT, "..", "shared", "real-reports");
const ATT = join(ROOT, "fixtures", "attachments");

const cases: [string, string][] = [
  ...["hongze-district-2023", "hongze-district-2024", "huaian-city-2024"].map(
    (n) => [join(REAL, `${n}.pdf`), join(ATT, `${n}.expected.json`)] as [string, string],
  ),
  ...["docx", "doc", "ofd", "pdf"].map(
    (ext) =>
      [join(ATT, `junan-hrss-2023.${ext}`), join(ATT, "junan-hrss-2023.expected.json")] as [string, string],
  ),
];

describe("extract FILE reads attachments", () => {
  for (const [file, expectedFile] of cases) {
    it(`${file.split("/").pop()}: the expected values, none wrong`, async () => {
      const { record } = await extractFile(file);
      const exp = expectedSchema.parse(JSON.parse(readFileSync(expectedFile, "utf8")));
      const cmp = compareRecord(record, exp);
      expect(cmp.wrong).toEqual([]);
      expect(cmp.right).toBeGreaterThan(150);
      expect(cmp.meta).toEqual([]);
    });
  }

  it("a binary file no reader takes is refused with the formats named", async () => {
    const err = await extractFile(join(ATT, "bad", "zip-bomb.docx")).catch((e) => e);
    expect(err).toBeInstanceOf(NianbaoError);
    expect(String(err.message)).toMatch(/could not be read as an attachment|not a web page/);
  });
});
