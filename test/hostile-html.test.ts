// Hostile pages through the real read path (file → decoder → extractor): 50 MB, 10,000 columns, span
// bombs, 100,000-level nesting, invalid UTF-8, NUL bytes. Each runs in a child process under a 1.5 GB
// heap cap and asserts what came out and that it took under 30 s and 1.5 GB resident.
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractFile } from "../pipeline/extract-file.ts";

const LIMIT_MS = 30_000;
const LIMIT_MB = 1_536;
const HTML_FIXTURE = "fixtures/pages/hebi-civil-affairs-2019.html";
const TEXT_FIXTURE = "fixtures/pages/boai-veterans-2023.txt";

/** The child: reads and extracts one file, then says what it got and what it cost. */
const CHILD = `
const { extractFile } = await import(new URL("pipeline/extract-file.ts", "file://" + process.cwd() + "/").href);
const t0 = process.hrtime.bigint();
let out;
try {
  const { page, record } = await extractFile(process.env.NIANBAO_HOSTILE_FILE);
  out = { ok: true, bytes: page.bytes.length, encoding: page.encoding, values: record.values, text: record.text.slice(0, 200000) };
} catch (err) {
  out = { ok: false, code: err.code ?? null, message: err.message };
}
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
process.stdout.write(JSON.stringify({ ...out, ms, peakRssMB: process.resourceUsage().maxRSS / 1024 }));
`;

interface ChildResult {
  ok: boolean;
  code?: string | null;
  message?: string;
  bytes?: number;
  encoding?: string;
  values?: Record<string, number>;
  text?: string;
  ms: number;
  peakRssMB: number;
}

/** Extracts `file` in a child process with a heap cap; fails the test past the time or memory bound. */
function extractBounded(file: string): ChildResult {
  const started = performance.now();
  const r = spawnSync(
    process.execPath,
    [`--max-old-space-size=${LIMIT_MB}`, "--import", "tsx", "--input-type=module", "-e", CHILD],
    {
      env: { ...process.env, NIANBAO_HOSTILE_FILE: file },
      encoding: "utf8",
      timeout: LIMIT_MS * 3,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const wall = performance.now() - started;
  expect(r.signal, `killed after ${wall.toFixed(0)} ms: ${r.stderr.slice(-500)}`).toBeNull();
  expect(r.status, r.stderr.slice(-2000)).toBe(0);
  const result = JSON.parse(r.stdout) as ChildResult;
  expect(result.ms, "extraction time (ms)").toBeLessThan(LIMIT_MS);
  expect(result.peakRssMB, "peak RSS (MB)").toBeLessThan(LIMIT_MB);
  return result;
}

let dir: string;
let cleanHtml: Record<string, number>;
let cleanText: Record<string, number>;
const html = readFileSync(HTML_FIXTURE, "utf8");
const text = readFileSync(TEXT_FIXTURE, "utf8");
const bodyStart = html.indexOf(">", html.indexOf("<body")) + 1;
const bodyEnd = html.lastIndexOf("</body>");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nianbao-hostile-html-"));
  cleanHtml = (await extractFile(HTML_FIXTURE)).record.values;
  cleanText = (await extractFile(TEXT_FIXTURE)).record.values;
  // Not vacuous: the pages the hostile parts are wrapped around carry full tables.
  expect(Object.keys(cleanHtml).length).toBeGreaterThan(150);
  expect(Object.keys(cleanText).length).toBeGreaterThan(150);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function page(name: string, content: string | Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** The report page with `before` at the start of its body and `after` at the end. */
function wrapped(before: string, after = ""): string {
  return html.slice(0, bodyStart) + before + html.slice(bodyStart, bodyEnd) + after + html.slice(bodyEnd);
}

describe("50 MB pages", { timeout: 180_000 }, () => {
  it("50 MB of paragraphs before the report: every value still read", () => {
    const para = "<p>根据《中华人民共和国政府信息公开条例》要求，本机关认真做好政府信息公开工作。</p>\n";
    const padding = para.repeat(Math.ceil(50e6 / Buffer.byteLength(para)));
    const r = extractBounded(page("padded.html", wrapped(padding)));
    expect(r.ok).toBe(true);
    expect(r.bytes).toBeGreaterThan(50e6);
    expect(r.values).toEqual(cleanHtml);
  });

  it("a 50 MB inline image (data: URI, as Word exports them): every value still read", () => {
    const r = extractBounded(
      page("image.html", wrapped(`<img src="data:image/png;base64,${"iVBORw0K".repeat(6_250_000)}">`)),
    );
    expect(r.ok).toBe(true);
    expect(r.bytes).toBeGreaterThan(50e6);
    expect(r.values).toEqual(cleanHtml);
  });

  it("a page over the 50 MiB limit is refused with its size, without being read", () => {
    const file = join(dir, "huge.html");
    const fd = openSync(file, "w");
    writeSync(fd, "<html>", 60 * 1024 * 1024); // sparse: 60 MiB on paper, nothing to read
    closeSync(fd);
    const r = extractBounded(file);
    expect(r.ok).toBe(false);
    expect(r.code).toBe("input_unreadable");
    expect(r.message).toBe(`${file} is 62914566 bytes, over the 52428800-byte page limit`);
    expect(r.peakRssMB).toBeLessThan(400);
  });
});

describe("wide tables and span bombs", { timeout: 180_000 }, () => {
  it("a 10,000-column table (50 rows) before the report: read, and the report's values unchanged", () => {
    const row = `<tr>${Array.from({ length: 10_000 }, (_, i) => `<td>${i % 97}</td>`).join("")}</tr>`;
    const r = extractBounded(page("wide.html", wrapped(`<table>${row.repeat(50)}</table>`)));
    expect(r.ok).toBe(true);
    expect(r.values).toEqual(cleanHtml);
  });

  it("a text report with a 10,000-column pipe row: the report's values unchanged", () => {
    const wide = `${Array.from({ length: 10_000 }, (_, i) => String(i)).join(" | ")}\n`;
    const at = text.indexOf("一、总体情况");
    const r = extractBounded(page("wide.txt", text.slice(0, at) + wide.repeat(3) + text.slice(at)));
    expect(r.ok).toBe(true);
    expect(r.values).toEqual(cleanText);
  });

  it("5,000 cells of rowspan=colspan=200 (200 million slots) stay within the span budget", () => {
    const bomb = `<table><tr>${'<td rowspan="200" colspan="200">1</td>'.repeat(5_000)}</tr><tr><td>2</td></tr></table>`;
    const r = extractBounded(page("bomb.html", wrapped(bomb)));
    expect(r.ok).toBe(true);
    expect(r.values).toEqual(cleanHtml);
    expect(r.peakRssMB).toBeLessThan(800);
  });
});

describe("100,000-level nesting", { timeout: 180_000 }, () => {
  it("the report inside 100,000 nested <div>s", () => {
    const r = extractBounded(page("divs.html", wrapped("<div>".repeat(100_000), "</div>".repeat(100_000))));
    expect(r.ok).toBe(true);
    expect(r.values).toEqual(cleanHtml);
  });

  it("100,000 unclosed <span><font> before the report (tags past depth 512 dropped, tables kept)", () => {
    const r = extractBounded(page("unclosed.html", wrapped('<span><font color="red">'.repeat(50_000))));
    expect(r.ok).toBe(true);
    expect(r.values).toEqual(cleanHtml);
  });

  it("400,000 unterminated <a after the last tag (a page cut short): every value still read", () => {
    const r = extractBounded(page("unterminated.html", html + "<a ".repeat(400_000)));
    expect(r.ok).toBe(true);
    expect(r.values).toEqual(cleanHtml);
  });

  it("100,000 nested tables before the report, their text kept", () => {
    const nested = `${"<table><tr><td>".repeat(100_000)}最深处的单元格${"</td></tr></table>".repeat(100_000)}`;
    const r = extractBounded(page("tables.html", wrapped(nested)));
    expect(r.ok).toBe(true);
    expect(r.values).toEqual(cleanHtml);
  });

  it("the report inside 100,000 nested tables: nearly every value still read", () => {
    const r = extractBounded(
      page(
        "in-tables.html",
        wrapped("<table><tr><td>".repeat(100_000), "</td></tr></table>".repeat(100_000)),
      ),
    );
    expect(r.ok).toBe(true);
    const same = Object.entries(cleanHtml).filter(([k, v]) => r.values?.[k] === v).length;
    expect(same).toBeGreaterThanOrEqual(Object.keys(cleanHtml).length * 0.95);
  });

  it("a portal page (layout tables, <tbody>, seven tables) inside 600 and 100,000 nested tables: every value", async () => {
    // Past depth 512 only 16 tables keep their tags; wrappers holding nothing but the next table must
    // not use them up, or the report's own tables lose theirs (every value was lost from 540 levels on).
    const portal = "fixtures/pages/yuzhou-justice-2022.html";
    const src = readFileSync(portal, "utf8");
    const clean = (await extractFile(portal)).record.values;
    expect(Object.keys(clean).length).toBeGreaterThan(150);
    const at = src.indexOf(">", src.indexOf("<body")) + 1;
    const end = src.lastIndexOf("</body>");
    for (const n of [600, 100_000]) {
      const nested =
        src.slice(0, at) +
        "<table><tr><td>".repeat(n) +
        src.slice(at, end) +
        "</td></tr></table>".repeat(n) +
        src.slice(end);
      const r = extractBounded(page(`portal-${n}.html`, nested));
      expect(r.ok).toBe(true);
      expect(r.values, `${n} levels`).toEqual(clean);
    }
  });
});

/** Bytes of `s` (UTF-8) with `junk` spliced in after each of `marks` (first occurrences, in order). */
function spliced(s: string, marks: string[], junk: number[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const mark of marks) {
    const at = s.indexOf(mark, from) + mark.length;
    expect(at).toBeGreaterThan(from);
    parts.push(Buffer.from(s.slice(from, at)), Uint8Array.from(junk));
    from = at;
  }
  parts.push(Buffer.from(s.slice(from)));
  return Buffer.concat(parts);
}

describe("invalid UTF-8", { timeout: 180_000 }, () => {
  const marks = ["<title>", "<body", "。", "。", "</p>"];
  const sequences: [string, number[]][] = [
    ["a lone 0xFF", [0xff]],
    ["a truncated character", [0xe6, 0x94]],
    ["an overlong slash", [0xc0, 0xaf]],
    ["an encoded surrogate", [0xed, 0xa0, 0x80]],
  ];
  for (const [what, junk] of sequences) {
    it(`${what} in five places, labelled utf-8 and unlabelled: read as UTF-8, every value kept`, () => {
      const labelled = extractBounded(page("labelled.html", spliced(html, marks, junk)));
      expect(labelled.ok).toBe(true);
      expect(labelled.encoding).toBe("utf-8");
      expect(labelled.values).toEqual(cleanHtml);
      const bare = html.replace(/<meta[^>]*charset[^>]*>/gi, "");
      expect(bare).not.toMatch(/charset/i);
      const unlabelled = extractBounded(page("unlabelled.html", spliced(bare, marks, junk)));
      expect(unlabelled.ok).toBe(true);
      expect(unlabelled.encoding).toBe("utf-8");
      expect(unlabelled.values).toEqual(cleanHtml);
      expect(unlabelled.text).toContain("\uFFFD");
    });
  }

  it("a download cut inside a character (text report): read as UTF-8", () => {
    const bytes = Buffer.from(text);
    const r = extractBounded(
      page("cut.txt", Buffer.concat([bytes, Buffer.from("报")]).subarray(0, bytes.length + 2)),
    );
    expect(r.ok).toBe(true);
    expect(r.encoding).toBe("utf-8");
    expect(r.values).toEqual(cleanText);
  });

  it("4 MB of bytes that are no text at all: read without error, nothing invented", () => {
    let seed = 7;
    const noise = Uint8Array.from(
      { length: 4 << 20 },
      () => 0x80 + ((seed = (seed * 1103515245 + 12345) >>> 0) % 0x80),
    );
    const r = extractBounded(page("noise.html", noise));
    expect(r.ok).toBe(true);
    expect(r.values).toEqual({});
  });
});

describe("NUL bytes", { timeout: 180_000 }, () => {
  it("NULs between tags and inside labels and numbers of an HTML report: dropped, every value kept", () => {
    const withNul = html
      .slice(bodyStart)
      .replace(/(\d)</g, "$1\u0000<")
      .replace(/政府信息/g, "政府\u0000信息");
    const r = extractBounded(page("nul.html", html.slice(0, bodyStart) + withNul));
    expect(r.ok).toBe(true);
    expect(r.values).toEqual(cleanHtml);
    expect(r.text).not.toContain("\u0000");
  });

  it("NULs inside ten numbers and labels of a text report: dropped, every value kept", () => {
    let n = 0;
    const withNul = text.replace(/(\d)(\d)|(政府)(信息)/g, (m, a, b, c, d) =>
      n++ < 10 ? `${a ?? c}\u0000${b ?? d}` : m,
    );
    expect(withNul.split("\u0000")).toHaveLength(11);
    const r = extractBounded(page("nul.txt", withNul));
    expect(r.ok).toBe(true);
    expect(r.values).toEqual(cleanText);
  });

  it("a NUL after every number of a text report (6% of its bytes) is refused as binary", () => {
    const r = extractBounded(page("nul-dense.txt", text.replace(/(\d+)/g, "$1\u0000")));
    expect(r.ok).toBe(false);
    expect(r.code).toBe("input_binary");
  });

  it("a page that is mostly NULs (UTF-16 without a BOM) is refused as binary, with a hint", () => {
    // (More than 1 NUL per 100 bytes in the first 4 KB reads as binary: text has none.)
    const utf16 = Buffer.from(text, "utf16le");
    const r = extractBounded(page("utf16.txt", utf16));
    expect(r.ok).toBe(false);
    expect(r.code).toBe("input_binary");
    expect(r.message).toMatch(/utf16\.txt is binary data \(NUL bytes\), not a web page or text$/);
  });
});
