// Turns fetched bytes into text: BOM → Content-Type charset → <meta> prescan → strict UTF-8 → GB18030.
// gbk/gb2312 labels are read as gb18030 (its superset); the encoding used is reported for the archive.

export interface DecodedBody {
  text: string;
  /** WHATWG encoding name actually used, e.g. "utf-8", "gb18030". */
  encoding: string;
  /** Where the encoding came from. */
  source: "bom" | "header" | "meta" | "utf8-strict" | "fallback";
  /** Count of U+FFFD in the result: high means the bytes were not in that encoding. */
  replacementCount: number;
}

const GB_ALIASES = new Set([
  "gbk",
  "gb2312",
  "gb_2312",
  "gb_2312-80",
  "x-gbk",
  "cp936",
  "csgb2312",
  "euc-cn",
  "gb18030",
]);

/** Normalise a charset label to the name TextDecoder knows, or null if it knows none. */
export function normaliseCharset(label: string | null | undefined): string | null {
  if (!label) return null;
  const l = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, "");
  if (GB_ALIASES.has(l)) return "gb18030";
  if (l === "utf8") return "utf-8";
  try {
    return new TextDecoder(l).encoding;
  } catch {
    return null;
  }
}

export function charsetFromContentType(contentType: string | null | undefined): string | null {
  const m = contentType ? /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType) : null;
  return m ? normaliseCharset(m[1]) : null;
}

/** The HTML spec's prescan, simplified: look for a charset in the first 1024 bytes. */
export function charsetFromMeta(bytes: Uint8Array): string | null {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  const m =
    /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head) ??
    /<meta[^>]+content\s*=\s*["'][^"']*charset=([\w.:-]+)/i.exec(head);
  const enc = m ? normaliseCharset(m[1]) : null;
  // A <meta> readable as ASCII is not in UTF-16 whatever it says (the HTML spec reads it as UTF-8).
  return enc === "utf-16le" || enc === "utf-16be" ? "utf-8" : enc;
}

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function countReplacement(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\uFFFD"); i !== -1; i = text.indexOf("\uFFFD", i + 1)) n++;
  return n;
}

function decodeWith(bytes: Uint8Array, encoding: string, source: DecodedBody["source"]): DecodedBody {
  const text = new TextDecoder(encoding).decode(bytes);
  return { text, encoding, source, replacementCount: countReplacement(text) };
}

/** More than 1 replacement character per 1000 decoded characters means the label was wrong. */
function looksWrong(d: DecodedBody): boolean {
  return d.replacementCount > Math.max(2, d.text.length / 1000);
}

export function decodeBody(bytes: Uint8Array, contentType?: string | null): DecodedBody {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return decodeWith(bytes.subarray(3), "utf-8", "bom");
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeWith(bytes.subarray(2), "utf-16le", "bom");
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeWith(bytes.subarray(2), "utf-16be", "bom");

  const declared: [string | null, DecodedBody["source"]][] = [
    [charsetFromContentType(contentType), "header"],
    [charsetFromMeta(bytes), "meta"],
  ];
  for (const [enc, source] of declared) {
    if (!enc) continue;
    // GB18030 decodes nearly any bytes without a U+FFFD, so a gb* label on UTF-8 bytes never "looks
    // wrong". But non-ASCII GBK text is practically never valid UTF-8: strict UTF-8 success wins.
    if (enc === "gb18030" && bytes.some((b) => b >= 0x80)) {
      const utf8 = strictUtf8(bytes);
      if (utf8 !== null) {
        return {
          text: utf8,
          encoding: "utf-8",
          source: "utf8-strict",
          replacementCount: countReplacement(utf8),
        };
      }
    }
    const d = decodeWith(bytes, enc, source);
    if (!looksWrong(d)) return d;
    // Valid UTF-8 under a UTF-8 label: its U+FFFD (a portal's old mojibake, 锟斤拷) are in the text itself.
    if (enc === "utf-8" && strictUtf8(bytes) !== null) return d;
    // A wrong label is common on these portals: try the other candidate before giving up on it.
    const other = enc === "utf-8" ? "gb18030" : "utf-8";
    const alt = decodeWith(bytes, other, "fallback");
    return alt.replacementCount < d.replacementCount ? alt : d;
  }
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return { text, encoding: "utf-8", source: "utf8-strict", replacementCount: countReplacement(text) };
  } catch {
    // UTF-8 with a few broken bytes (a truncated download, one bad paste) is still UTF-8: GB18030 would
    // turn all of it into mojibake without a single U+FFFD. GBK read as UTF-8 breaks on most characters.
    const lenient = decodeWith(bytes, "utf-8", "fallback");
    if (mostlyValid(lenient)) return lenient;
    return decodeWith(bytes, "gb18030", "fallback");
  }
}

/** At most 1 in 100 non-ASCII characters is a U+FFFD. */
function mostlyValid(d: DecodedBody): boolean {
  let nonAscii = 0;
  for (let i = 0; i < d.text.length; i++) if (d.text.charCodeAt(i) > 0x7f) nonAscii++;
  return d.replacementCount * 100 <= nonAscii;
}

/**
 * A fetched page's text: the registry's charset, when the site has one (a portal known to lie in its
 * headers), stands in for the served Content-Type; else as decodeBody reads it.
 */
export function decodeServed(
  bytes: Uint8Array,
  contentType: string | null | undefined,
  siteCharset: string | undefined,
): DecodedBody {
  return decodeBody(bytes, siteCharset ? `text/html; charset=${siteCharset}` : contentType);
}
